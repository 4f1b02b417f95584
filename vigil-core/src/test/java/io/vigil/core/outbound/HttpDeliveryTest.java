package io.vigil.core.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpDeliveryTest {
    static final Instant NOW = Instant.parse("2026-06-13T18:00:00Z");

    @Test
    void statusesAreClassifiedAsTheVendorsDocument() {
        assertThat(HttpDelivery.outcome(202, Optional.empty(), "{}", NOW)).isEqualTo(new SendOutcome.Delivered(202));
        assertThat(HttpDelivery.outcome(200, Optional.empty(), "ok", NOW)).isEqualTo(new SendOutcome.Delivered(200));
        assertThat(HttpDelivery.outcome(429, Optional.of("7"), "rate_limited", NOW))
                .isEqualTo(new SendOutcome.Retry("http 429 rate_limited", 429, Duration.ofSeconds(7)));
        assertThat(HttpDelivery.outcome(503, Optional.empty(), "<html>down</html>", NOW))
                .isEqualTo(new SendOutcome.Retry("http 503", 503, null));
        assertThat(HttpDelivery.outcome(408, Optional.empty(), "", NOW)).isInstanceOf(SendOutcome.Retry.class);
        assertThat(HttpDelivery.outcome(400, Optional.empty(), "invalid_payload", NOW))
                .isEqualTo(new SendOutcome.Rejected("http 400 invalid_payload", 400));
        assertThat(HttpDelivery.outcome(410, Optional.empty(), "channel_is_archived", NOW))
                .isInstanceOf(SendOutcome.Rejected.class);
    }

    @Test
    void aFarSideWithItsOwnRetryRules_isRetriedOnlyOnThoseStatuses() {
        java.util.function.IntPredicate otlp = s -> s == 429 || s == 502 || s == 503 || s == 504;
        assertThat(HttpDelivery.outcome(500, Optional.empty(), "", NOW, b -> null, otlp))
                .isInstanceOf(SendOutcome.Rejected.class);
        assertThat(HttpDelivery.outcome(503, Optional.of("7"), "", NOW, b -> null, otlp))
                .isEqualTo(new SendOutcome.Retry("http 503", 503, Duration.ofSeconds(7)));
        assertThat(HttpDelivery.outcome(408, Optional.empty(), "", NOW, b -> null, otlp))
                .isInstanceOf(SendOutcome.Rejected.class);
    }

    @Test
    void bodiesThatAreNotABareErrorCode_neverReachTheReason() {
        SendOutcome o = HttpDelivery.outcome(400, Optional.empty(),
                "{\"message\":\"routing key R0123456789ABCDEF0123456789ABCDE is invalid\"}", NOW);
        assertThat(((SendOutcome.Rejected) o).reason()).isEqualTo("http 400");
    }

    @Test
    void retryAfter_secondsOrHttpDate_clampedToAnHour_unreadableIgnored() {
        assertThat(HttpDelivery.retryAfter("120", NOW)).isEqualTo(Duration.ofMinutes(2));
        assertThat(HttpDelivery.retryAfter("Sat, 13 Jun 2026 18:00:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(30));
        assertThat(HttpDelivery.retryAfter("Sat, 13 Jun 2026 17:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
        assertThat(HttpDelivery.retryAfter("86400", NOW)).isEqualTo(Duration.ofHours(1));
        assertThat(HttpDelivery.retryAfter("-5", NOW)).isEqualTo(Duration.ZERO);
        assertThat(HttpDelivery.retryAfter("soon", NOW)).isNull();
    }
}
