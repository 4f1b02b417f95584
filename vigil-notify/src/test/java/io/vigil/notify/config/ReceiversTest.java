package io.vigil.notify.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.notify.config.NotificationsConfig.ReceiverConfig;
import io.vigil.notify.config.NotificationsConfig.Smtp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceiversTest {
    static final String PD_KEY = "R0123456789ABCDEF0123456789ABCDE";

    static ReceiverConfig receiver(String name, String type, String url, String secretEnv, List<String> to,
                                   Smtp smtp, String accountSid, String from) {
        return new ReceiverConfig(name, type, url, null, secretEnv, null, null, accountSid, from, to, null, smtp, null);
    }

    @Test
    void everyTypeIsBuilt_withItsSecretFromTheEnvironment() {
        NotificationsConfig config = new NotificationsConfig(null, List.of(
                receiver("pd", "pagerduty", null, "PD_KEY", null, null, null, null),
                receiver("ops", "slack", "https://hooks.slack.com/services/T/B/X", null, null, null, null, null),
                receiver("hook", "webhook", "https://hooks.example.com/v", "HOOK", null, null, null, null),
                receiver("mail", "email", null, null, List.of("leads@example.com"), new Smtp("smtp.example.com", null,
                        "tls", null), null, "vigil@example.com"),
                receiver("sms", "sms", null, "TWILIO", List.of("+447700900111"), null,
                        "AC0123456789abcdef0123456789abcdef", "+15005550006"),
                receiver("call", "voice", null, "TWILIO", List.of("+447700900111"), null,
                        "AC0123456789abcdef0123456789abcdef", "+15005550006")), null);

        Receivers built = Receivers.build(config, Map.of("PD_KEY", PD_KEY, "HOOK", "h".repeat(40), "TWILIO",
                "twilio-token-1234"), Clock.systemUTC(), "vigil/test");

        assertThat(built.problems()).isEmpty();
        assertThat(built.receivers()).hasSize(6);
        assertThat(built.receivers().values()).extracting(r -> r.name() + ":" + r.channel().type())
                .containsExactlyInAnyOrder("pd:pagerduty", "ops:slack", "hook:webhook", "mail:email", "sms:sms",
                        "call:voice");
    }

    @Test
    void aMissingSecret_leavesTheReceiverOut_sayingWhichVariableToSet_andNoSecretAppearsAnywhere() {
        NotificationsConfig config = new NotificationsConfig(null, List.of(
                receiver("pd", "pagerduty", null, "PD_KEY", null, null, null, null),
                receiver("hook", "webhook", "https://hooks.example.com/v", "HOOK", null, null, null, null)), null);

        Receivers built = Receivers.build(config, Map.of("HOOK", "short-secret"), Clock.systemUTC(), "vigil/test");

        assertThat(built.receivers()).isEmpty();
        assertThat(built.problems()).hasSize(2);
        assertThat(built.problems().get(0)).isEqualTo("receiver pd (pagerduty) is left out: the routing key is"
                + " missing: set the environment variable PD_KEY");
        assertThat(built.problems().get(1)).startsWith("receiver hook (webhook) is left out: ")
                .doesNotContain("short-secret");
    }

    @Test
    void timeouts_readAsWritten_withinTheirBounds() {
        assertThat(NotificationsConfig.timeout("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(NotificationsConfig.timeout("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(NotificationsConfig.timeout("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> NotificationsConfig.timeout("10")).hasMessageContaining("must be like 500ms");
        assertThatThrownBy(() -> NotificationsConfig.timeout("10m")).hasMessageContaining("to 5m");
        assertThatThrownBy(() -> NotificationsConfig.timeout("5ms")).hasMessageContaining("from 100ms");
    }
}
