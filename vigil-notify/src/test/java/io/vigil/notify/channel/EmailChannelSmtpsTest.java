package io.vigil.notify.channel;

import static io.vigil.notify.channel.MailSmsTestMessages.photoUploadP0;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vigil.core.outbound.SendOutcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The email channel over implicit TLS (SMTPS) against GreenMail's SMTPS server and its self-signed certificate. */
class EmailChannelSmtpsTest {
    static final String LOGIN = "vigil-sender";
    static final String PASSWORD = "Pw-smtps-7c1e";

    @RegisterExtension
    static final GreenMailExtension SMTPS = new GreenMailExtension(ServerSetupTest.SMTPS.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@vigil.example", LOGIN, PASSWORD));

    static EmailChannel.Config.Builder config() {
        return EmailChannel.Config.builder("tls-mail")
                .host("127.0.0.1").port(SMTPS.getSmtps().getPort()).security(EmailChannel.Security.TLS)
                .credentials(LOGIN, PASSWORD).from("alerts@vigil.example").recipients(List.of("oncall@ops.example"))
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(5));
    }

    @Test
    void implicitTls_withTheTestOnlyTrustOfGreenMailsCertificate_delivers() throws Exception {
        EmailChannel channel = new EmailChannel(config().trustAnyCertificateForTestsOnly().build());

        SendOutcome outcome = channel.send(photoUploadP0("k-smtps"), List.of());

        assertThat(outcome).isEqualTo(new SendOutcome.Delivered(250));
        assertThat(EmailChannelTest.mailbox(SMTPS, "oncall@ops.example")).hasSize(1);
        assertThat(SMTPS.getReceivedMessages()[0].getSubject()).isEqualTo("P0 FIRING: photo upload, 3 active weddings");
    }

    @Test
    void implicitTls_certificateNotTrusted_retriedAndNothingSent() {
        // without the test-only option the self-signed certificate is refused, as in production
        EmailChannel channel = new EmailChannel(config().build());

        SendOutcome outcome = channel.send(photoUploadP0("k-untrusted"), List.of());

        assertThat(outcome).isInstanceOf(SendOutcome.Retry.class);
        assertThat(((SendOutcome.Retry) outcome).reason()).startsWith("tls failed (");
        assertThat(SMTPS.getReceivedMessages()).isEmpty();
    }
}
