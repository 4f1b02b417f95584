package io.vigil.notify.channel;

import static io.vigil.notify.channel.MailSmsTestMessages.photoUploadP0;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.outbound.SendOutcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replies GreenMail never gives (it accepts every recipient), from {@link ScriptedSmtpServer}: recipients refused
 * for good or for now, refused data, a bad greeting, a silent server.
 */
class EmailChannelRefusalsTest {
    static final String ONCALL = "oncall@ops.example";
    static final String UNKNOWN = "left.the.company@ops.example";
    static final String FULL = "planner.jones@w-jones.example";

    ScriptedSmtpServer smtp;

    @BeforeEach
    void start() throws Exception {
        smtp = new ScriptedSmtpServer();
    }

    @AfterEach
    void stop() throws Exception {
        smtp.close();
    }

    EmailChannel channel(List<String> recipients, Duration readTimeout) {
        return new EmailChannel(EmailChannel.Config.builder("scripted").host("127.0.0.1").port(smtp.port())
                .security(EmailChannel.Security.NONE).from("alerts@vigil.example").recipients(recipients)
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(readTimeout).build());
    }

    EmailChannel channel(List<String> recipients) {
        return channel(recipients, Duration.ofSeconds(5));
    }

    @Test
    void oneRecipientRefused550_theOthersGetIt_rejectedWithCountNotAddress() {
        smtp.rcptReplies.put(UNKNOWN, "550 5.1.1 <" + UNKNOWN + ">: Recipient address rejected: User unknown");

        SendOutcome outcome = channel(List.of(ONCALL, UNKNOWN)).send(photoUploadP0("k-550"), List.of());

        assertThat(outcome).isEqualTo(
                new SendOutcome.Rejected("smtp 550 mailbox unavailable for 1 of 2 recipients", 550));
        assertThat(((SendOutcome.Rejected) outcome).reason()).doesNotContain("@").doesNotContain("left.the");
        assertThat(smtp.transactions).hasSize(1);
        assertThat(smtp.transactions.getFirst().recipients()).containsExactly(ONCALL);
    }

    @Test
    void theOnlyRecipientRefused_rejected_nothingSent() {
        smtp.rcptReplies.put(UNKNOWN, "553 5.1.3 <" + UNKNOWN + ">: bad address syntax");

        SendOutcome outcome = channel(List.of(UNKNOWN)).send(photoUploadP0("k-553"), List.of());

        assertThat(outcome).isEqualTo(new SendOutcome.Rejected("smtp 553 mailbox name not allowed", 553));
        assertThat(smtp.transactions).isEmpty();
    }

    @Test
    void recipientDeferred451_retried_andTheRetryGoesOnlyToTheDeferredOne() {
        smtp.rcptReplies.put(FULL, "451 4.7.1 <" + FULL + ">: greylisted, try again later");
        EmailChannel channel = channel(List.of(ONCALL));

        SendOutcome first = channel.send(photoUploadP0("k-451"), List.of(FULL));

        assertThat(first).isEqualTo(new SendOutcome.Retry("smtp 451 local error for 1 of 2 recipients", 451, null));
        assertThat(smtp.transactions.getFirst().recipients()).containsExactly(ONCALL);

        smtp.rcptReplies.clear();
        SendOutcome retried = channel.send(photoUploadP0("k-451"), List.of(FULL));

        assertThat(retried).isEqualTo(new SendOutcome.Delivered(250));
        assertThat(smtp.transactions).hasSize(2);
        assertThat(smtp.transactions.get(1).recipients()).containsExactly(FULL);
    }

    @Test
    void deferredAndRefusedTogether_retried_reasonCountsBoth() {
        smtp.rcptReplies.put(FULL, "452 4.2.2 mailbox full");
        smtp.rcptReplies.put(UNKNOWN, "550 5.1.1 user unknown");

        SendOutcome outcome = channel(List.of(ONCALL, FULL, UNKNOWN)).send(photoUploadP0("k-mixed"), List.of());

        assertThat(outcome).isEqualTo(new SendOutcome.Retry(
                "smtp 452 insufficient storage for 1 of 3 recipients; smtp 550 mailbox unavailable for 1 of 3", 452,
                null));
    }

    @Test
    void dataRefused554_rejected_dataDeferred451_retried() {
        smtp.dataEndReply = "554 5.7.1 message refused as spam";
        assertThat(channel(List.of(ONCALL)).send(photoUploadP0("k-554"), List.of()))
                .isEqualTo(new SendOutcome.Rejected("smtp 554 transaction failed", 554));

        smtp.dataEndReply = "451 4.3.0 temporary failure";
        assertThat(channel(List.of(ONCALL, FULL)).send(photoUploadP0("k-data451"), List.of()))
                .isEqualTo(new SendOutcome.Retry("smtp 451 local error for 2 of 2 recipients", 451, null));
        assertThat(smtp.transactions).isEmpty();
    }

    @Test
    void greeting421_retried() {
        smtp.greeting = "421 4.3.2 too busy, try later";

        SendOutcome outcome = channel(List.of(ONCALL)).send(photoUploadP0("k-421"), List.of());

        assertThat(outcome).isEqualTo(new SendOutcome.Retry("smtp 421 service not available", 421, null));
    }

    @Test
    void silentServer_readTimeout_retried() {
        smtp.silent = true;

        SendOutcome outcome = channel(List.of(ONCALL), Duration.ofMillis(300)).send(photoUploadP0("k-silent"),
                List.of());

        assertThat(outcome).isEqualTo(new SendOutcome.Retry("timeout after 300 ms", 0, null));
    }
}
