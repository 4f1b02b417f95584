package io.vigil.core.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The vendor error code a channel reads from a JSON error body (HttpDelivery's errorCode reader). */
class HttpDeliveryVendorCodeTest {
    static final Instant NOW = Instant.parse("2026-06-13T18:00:00Z");

    /** A reader like a channel's: the integer {@code code} of a JSON body. */
    static String jsonCode(String body) {
        try {
            JsonNode code = new ObjectMapper().readTree(body).get("code");
            return code != null && code.isIntegralNumber() ? "twilio error " + code.asLong() : null;
        } catch (Exception e) {
            return null;
        }
    }
    static final String TWILIO_21211 = "{\"code\":21211,\"message\":\"The 'To' number +447700900123 is not a valid"
            + " phone number.\",\"more_info\":\"https://www.twilio.com/docs/errors/21211\",\"status\":400}";

    @Test
    void jsonErrorCode_inTheReason_theBodysMessageNot() {
        assertThat(HttpDelivery.outcome(400, Optional.empty(), TWILIO_21211, NOW, HttpDeliveryVendorCodeTest::jsonCode))
                .isEqualTo(new SendOutcome.Rejected("http 400 twilio error 21211", 400));
        assertThat(HttpDelivery.outcome(429, Optional.of("3"), "{\"code\":20429,\"status\":429}", NOW,
                HttpDeliveryVendorCodeTest::jsonCode))
                .isEqualTo(new SendOutcome.Retry("http 429 twilio error 20429", 429, Duration.ofSeconds(3)));
        assertThat(HttpDelivery.outcome(500, Optional.empty(), "<html>oops</html>", NOW, HttpDeliveryVendorCodeTest::jsonCode))
                .isEqualTo(new SendOutcome.Retry("http 500", 500, null));
        assertThat(HttpDelivery.outcome(400, Optional.empty(), "{\"code\":\"+447700900123\"}", NOW,
                HttpDeliveryVendorCodeTest::jsonCode))
                .isEqualTo(new SendOutcome.Rejected("http 400", 400));
    }

    @Test
    void whatAReaderReturns_isShownOnlyWhenItIsAShortToken() {
        assertThat(HttpDelivery.outcome(400, Optional.empty(), "{}", NOW, b -> "+44 7700 900123"))
                .isEqualTo(new SendOutcome.Rejected("http 400", 400));
        assertThat(HttpDelivery.outcome(400, Optional.empty(), "{}", NOW, b -> "x".repeat(41)))
                .isEqualTo(new SendOutcome.Rejected("http 400", 400));
        assertThat(HttpDelivery.outcome(400, Optional.empty(), "{}", NOW, b -> "bob@example.org"))
                .isEqualTo(new SendOutcome.Rejected("http 400", 400));
        assertThat(HttpDelivery.outcome(400, Optional.empty(), "{}", NOW, b -> {
            throw new IllegalStateException("boom");
        })).isEqualTo(new SendOutcome.Rejected("http 400", 400));
        // a bare error code (Slack) is shown as before, whatever the reader says
        assertThat(HttpDelivery.outcome(429, Optional.empty(), "rate_limited", NOW, b -> "other"))
                .isEqualTo(new SendOutcome.Retry("http 429 rate_limited", 429, null));
        assertThat(HttpDelivery.outcome(201, Optional.empty(), TWILIO_21211, NOW, HttpDeliveryVendorCodeTest::jsonCode))
                .isEqualTo(new SendOutcome.Delivered(201));
    }
}
