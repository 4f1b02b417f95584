package io.vigil.notify.channel;

import static io.vigil.notify.channel.MailSmsTestMessages.ACK_LINK;
import static io.vigil.notify.channel.MailSmsTestMessages.alert;
import static io.vigil.notify.channel.MailSmsTestMessages.message;
import static io.vigil.notify.channel.MailSmsTestMessages.photoUploadP0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.notify.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The email channel against a real SMTP server (GreenMail, plain SMTP with AUTH, dynamic port). */
class EmailChannelTest {
    static final String LOGIN = "vigil-sender";
    static final String PASSWORD = "Pw-9f3b2c71-do-not-log";
    static final String FROM = "alerts@vigil.example";
    static final String ONCALL = "oncall@ops.example";
    static final String COORDINATOR_SMITH = "planner.smith@w-smith.example";
    static final String COORDINATOR_JONES = "planner.jones@w-jones.example";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(FROM, LOGIN, PASSWORD));

    /** What GreenMail delivered to this address's mailbox (the envelope recipient, whatever the headers say). */
    static MimeMessage[] mailbox(GreenMailExtension server, String address) {
        return server.findReceivedMessages(u -> u.getEmail().equalsIgnoreCase(address), m -> true)
                .toArray(MimeMessage[]::new);
    }

    static EmailChannel.Config.Builder config(List<String> recipients) {
        return EmailChannel.Config.builder("oncall-mail")
                .host("127.0.0.1").port(SMTP.getSmtp().getPort()).security(EmailChannel.Security.NONE)
                .credentials(LOGIN, PASSWORD).from(FROM).recipients(recipients)
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(5));
    }

    @Test
    void plainSmtpWithAuth_deliversTextAndHtmlParts_subject_messageIdAndKeyHeaders() throws Exception {
        EmailChannel channel = new EmailChannel(config(List.of(ONCALL)).build());
        Message m = message("grp|1718301600000|1|FIRING", "P0 FIRING: photo upload, 3 active weddings",
                List.of(alert("photo_upload_p95", "p95 6.1 s > 5 s <b>&amp;</b>")));

        SendOutcome outcome = channel.send(m, List.of());

        assertThat(outcome).isEqualTo(new SendOutcome.Delivered(250));
        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(1);
        MimeMessage r = received[0];
        assertThat(r.getSubject()).isEqualTo("P0 FIRING: photo upload, 3 active weddings");
        assertThat(r.getFrom()).containsExactly(new InternetAddress(FROM));
        assertThat(r.getHeader("To", ",")).isEqualTo(ONCALL);
        assertThat(r.getHeader("Message-ID", null))
                .isEqualTo(EmailChannel.messageId(m.key(), new InternetAddress(FROM)))
                .matches("<[0-9a-f]{40}\\.vigil@vigil\\.example>");
        assertThat(r.getHeader("X-Vigil-Key", null)).isEqualTo("grp|1718301600000|1|FIRING");
        assertThat(r.getHeader("Auto-Submitted", null)).isEqualTo("auto-generated");

        assertThat(r.getContentType()).startsWith("multipart/alternative");
        Multipart parts = (Multipart) r.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain").containsIgnoringCase("utf-8");
        assertThat(((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n")).isEqualTo(m.text());
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        String html = (String) parts.getBodyPart(1).getContent();
        assertThat(html).contains("P0 FIRING: photo upload, 3 active weddings")
                .contains("p95 6.1 s &gt; 5 s &lt;b&gt;&amp;amp;&lt;/b&gt;")
                .doesNotContain("<b>")
                .contains("<a href=\"" + ACK_LINK.replace("&", "&amp;") + "\">Acknowledge</a>")
                .contains("w-2026-0613-smith");
    }

    @Test
    void severalRecipients_eachGetsItAsBlindCopy_noneSeesAnothersAddress() throws Exception {
        EmailChannel channel = new EmailChannel(config(List.of(ONCALL)).build());

        SendOutcome outcome = channel.send(photoUploadP0("k-bcc"), List.of(COORDINATOR_SMITH, COORDINATOR_JONES));

        assertThat(outcome).isEqualTo(new SendOutcome.Delivered(250));
        List<String> all = List.of(ONCALL, COORDINATOR_SMITH, COORDINATOR_JONES);
        for (String recipient : all) {
            MimeMessage[] got = mailbox(SMTP, recipient);
            assertThat(got).as("messages for one recipient").hasSize(1);
            String whole = GreenMailUtil.getWholeMessage(got[0]);
            for (String other : all) {
                if (!other.equals(recipient)) {
                    assertThat(whole).doesNotContain(other);
                }
            }
            assertThat(got[0].getHeader("To", ",")).isEqualTo("undisclosed-recipients:;");
            assertThat(got[0].getHeader("Bcc")).isNull();
        }
    }

    @Test
    void headerInjectionInTheTitle_addsNoHeaderAndNoRecipient() throws Exception {
        EmailChannel channel = new EmailChannel(config(List.of(ONCALL)).build());
        Message m = message("k-inject", "P0 FIRING: x\r\nBcc: thief@attacker.example\r\nX-Injected: yes\nSubject: hi",
                List.of(alert("r", "s")));

        assertThat(channel.send(m, List.of())).isInstanceOf(SendOutcome.Delivered.class);

        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(mailbox(SMTP, "thief@attacker.example")).isEmpty();
        assertThat(received[0].getHeader("X-Injected")).isNull();
        assertThat(received[0].getHeader("Subject")).hasSize(1);
        assertThat(received[0].getSubject())
                .isEqualTo("P0 FIRING: x Bcc: thief@attacker.example X-Injected: yes Subject: hi");
    }

    @Test
    void sameKeyRetried_sameMessageId_andTheSameChannelDoesNotSendItTwice() throws Exception {
        EmailChannel channel = new EmailChannel(config(List.of(ONCALL)).build());
        Message m = photoUploadP0("k-retry");

        assertThat(channel.send(m, List.of())).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(channel.send(m, List.of())).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(SMTP.getReceivedMessages()).hasSize(1);

        // another instance (a restart) sends it again: the same Message-ID lets mail clients see the duplicate
        EmailChannel afterRestart = new EmailChannel(config(List.of(ONCALL)).build());
        assertThat(afterRestart.send(m, List.of())).isInstanceOf(SendOutcome.Delivered.class);
        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(2);
        assertThat(received[1].getMessageID()).isEqualTo(received[0].getMessageID());

        assertThat(afterRestart.send(photoUploadP0("k-other"), List.of())).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(SMTP.getReceivedMessages()[2].getMessageID()).isNotEqualTo(received[0].getMessageID());
    }

    @Test
    void wrongPassword_rejectedWith535_reasonWithoutCredentialsOrAddresses() {
        EmailChannel channel = new EmailChannel(config(List.of(ONCALL)).credentials(LOGIN, "wrong-Pw-4411").build());

        SendOutcome outcome = channel.send(photoUploadP0("k-auth"), List.of(COORDINATOR_SMITH));

        assertThat(outcome).isInstanceOf(SendOutcome.Rejected.class);
        SendOutcome.Rejected r = (SendOutcome.Rejected) outcome;
        assertThat(r.status()).isEqualTo(535);
        assertThat(r.reason()).isEqualTo("smtp 535 authentication failed");
        assertThat(r.reason()).doesNotContain("wrong-Pw-4411").doesNotContain(LOGIN).doesNotContain("@");
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void serverDown_closedPort_retried() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        EmailChannel channel = new EmailChannel(config(List.of(ONCALL)).port(closedPort).build());

        SendOutcome outcome = channel.send(photoUploadP0("k-down"), List.of());

        assertThat(outcome).isEqualTo(new SendOutcome.Retry("connection refused", 0, null));
    }

    @Test
    void starttlsRequired_serverWithoutStarttls_rejectedAndNothingSent() {
        // GreenMail's SMTP offers no STARTTLS: a channel that requires it must not fall back to clear text
        EmailChannel channel = new EmailChannel(config(List.of(ONCALL)).security(EmailChannel.Security.STARTTLS)
                .build());

        SendOutcome outcome = channel.send(photoUploadP0("k-starttls"), List.of());

        assertThat(outcome).isEqualTo(new SendOutcome.Rejected("server does not offer STARTTLS", 0));
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void invalidAddresses_skipped_rejectedWhenNoneRemain_reasonWithoutTheAddress() throws Exception {
        EmailChannel noConfigured = new EmailChannel(config(List.of()).build());
        String bad = "planner.smith@@w-smith.example";

        SendOutcome outcome = noConfigured.send(photoUploadP0("k-invalid"), List.of(bad, "Bcc: x@y.example\r\n"));

        assertThat(outcome).isInstanceOf(SendOutcome.Rejected.class);
        assertThat(((SendOutcome.Rejected) outcome).reason())
                .isEqualTo("no valid recipient: 2 invalid email address(es) skipped")
                .doesNotContain("smith").doesNotContain("@");
        assertThat(SMTP.getReceivedMessages()).isEmpty();

        SendOutcome some = noConfigured.send(photoUploadP0("k-some"), List.of(bad, COORDINATOR_JONES));
        assertThat(some).isEqualTo(new SendOutcome.Delivered(250));
        assertThat(mailbox(SMTP, COORDINATOR_JONES)).hasSize(1);
    }

    @Test
    void configErrors_nameTheFieldNotTheValue() {
        assertThatThrownBy(() -> config(List.of(ONCALL, "jones at w-jones.example")).build())
                .hasMessage("email channel 'oncall-mail': recipient 2 is not a valid email address");
        assertThatThrownBy(() -> config(List.of()).from("alerts.vigil.example").build())
                .hasMessage("email channel 'oncall-mail': from is not a valid email address");
        assertThatThrownBy(() -> config(List.of()).credentials(LOGIN, null).build())
                .hasMessageNotContaining(LOGIN);
        assertThat(EmailChannel.Security.of("tls")).isEqualTo(EmailChannel.Security.TLS);
        assertThat(config(List.of()).port(0).security(EmailChannel.Security.TLS).build().port()).isEqualTo(465);
    }

    @Test
    void toString_showsTypeAndNameOnly() {
        EmailChannel.Config c = config(List.of(ONCALL, COORDINATOR_SMITH)).build();
        EmailChannel channel = new EmailChannel(c);

        assertThat(channel.toString()).isEqualTo("EmailChannel[oncall-mail]");
        assertThat(c.toString()).isEqualTo("EmailChannel.Config[oncall-mail]");
        for (String s : List.of(channel.toString(), c.toString())) {
            assertThat(s).doesNotContain(PASSWORD).doesNotContain(LOGIN).doesNotContain("@");
        }
    }
}
