package io.vigil.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.NotificationIntent.AlertSummary;
import io.vigil.alerting.NotificationIntent.Kind;
import io.vigil.alerting.Priority;
import io.vigil.alerting.Severity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageBuilderTest {
    static final Instant AT = Instant.parse("2026-06-13T18:00:00Z");

    static Map<String, Object> context(String... active) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("weddingSeason", true);
        c.put("peakTime", true);
        c.put("activeWeddings", java.util.Arrays.stream(active).map(id -> Map.of("id", id, "guestCount", 120,
                "coordinator", "Jane Doe jane.doe@example.com +44 7700 900123")).toList());
        c.put("upcomingWeddings", List.of(Map.of("id", "sat-2026-06-20-lon-1")));
        c.put("estimatedWeddingLoad", 270.0);
        return c;
    }

    @Test
    void aP0OnOneWedding_namesTheWeddingAndItsOperation_withTheAckLink() {
        NotificationIntent intent = new NotificationIntent("k-1", "g-1", Kind.FIRING, Priority.P0, Impact.CRITICAL,
                List.of(new AlertSummary("fp", "photo-upload.avg.critical", Map.of("wedding_id",
                        "sat-2026-06-13-lon-1", "client", "mobile"), Severity.CRITICAL, "avg 12.4 s > 10 s",
                        "active wedding sat-2026-06-13-lon-1 uses photo upload; avg 12.4 s > 10 s", AT)),
                context("sat-2026-06-13-lon-1", "now-ny-1"), AT);

        Message m = new MessageBuilder(i -> "https://vigil.example/api/v1/ack?token=abc." + i.groupKey()).build(intent);

        assertThat(m.title()).isEqualTo("P0 FIRING: photo-upload.avg.critical, 1 active wedding");
        assertThat(m.context().affectedWeddings()).containsExactly("sat-2026-06-13-lon-1");
        assertThat(m.context().activeWeddings()).isEqualTo(2);
        assertThat(m.context().upcomingWeddings()).isEqualTo(1);
        assertThat(m.alerts().getFirst().labels()).containsEntry("wedding_id", "sat-2026-06-13-lon-1");
        assertThat(m.ackLink()).isEqualTo("https://vigil.example/api/v1/ack?token=abc.g-1");
        assertThat(m.text()).contains("avg 12.4 s > 10 s", "Acknowledge: https://vigil.example", "peak wedding time");
    }

    @Test
    void aPlatformWideP0_affectsEveryActiveWedding_aResolutionCarriesNoAckLink() {
        NotificationIntent intent = new NotificationIntent("k-2", "g-2", Kind.RESOLVED, Priority.P0, Impact.CRITICAL,
                List.of(new AlertSummary("fp", "http.p95.critical", Map.of("route", "/api/weddings/{id}/photos"),
                        Severity.CRITICAL, "p95 2.5 s <= 5 s", "3 active weddings use photo upload", AT)),
                context("w-1", "w-2", "w-3"), AT);

        Message m = new MessageBuilder(i -> "https://vigil.example/ack").build(intent);

        assertThat(m.context().affectedWeddings()).containsExactly("w-1", "w-2", "w-3");
        assertThat(m.ackLink()).isNull();
        assertThat(m.title()).isEqualTo("P0 RESOLVED: http.p95.critical, 3 active weddings");
    }

    @Test
    void personalDataAndSecretsPlantedUpstream_reachNoPartOfTheMessage() {
        String email = "jane.doe@example.com";
        String phone = "+44 7700 900123";
        String usPhone = "(415) 555-0133";
        String token = "xoxb-1234567890-ABCDEFGHIJKLMNOPqrstuv";
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("wedding_id", "w-1");
        labels.put("route", "/guests/" + email);
        labels.put("couple", "Jane & John Smith");
        labels.put("guest_email", email);
        labels.put("api_key", token);
        labels.put("client", "mobile " + phone);
        NotificationIntent intent = new NotificationIntent("k-3", "g-3", Kind.FIRING, Priority.P1, Impact.POTENTIAL,
                List.of(new AlertSummary("fp", "rule-for " + email, labels, Severity.HIGH,
                        "p95 3 s; call " + usPhone + " or " + phone + "; token " + token,
                        "coordinator " + email + "\n\u0007injected", AT)),
                context("w-1"), AT);

        Message m = new MessageBuilder(null).build(intent);

        String everything = m.toString() + m.text();
        assertThat(everything).doesNotContain(email, "7700 900123", "555-0133", token, "Jane", "Smith", "api_key",
                "couple", "guest_email", "\u0007");
        assertThat(m.alerts().getFirst().labels()).containsOnlyKeys("wedding_id", "route", "client");
        assertThat(m.alerts().getFirst().summary()).isEqualTo("p95 3 s; call [redacted] or [redacted]; token [redacted]");
    }

    @Test
    void scrub_leavesWeddingIdsDatesAndMeasurementsAlone() {
        assertThat(MessageBuilder.scrub("active wedding sat-2026-06-13-lon-1 uses photo upload; p95 5.003 s > 5 s"))
                .isEqualTo("active wedding sat-2026-06-13-lon-1 uses photo upload; p95 5.003 s > 5 s");
        assertThat(MessageBuilder.scrub("burn 16.2x (1h) and 15.0x (5m) > 14.4x; 12,345 requests"))
                .isEqualTo("burn 16.2x (1h) and 15.0x (5m) > 14.4x; 12,345 requests");
        assertThat(MessageBuilder.scrub("x".repeat(600))).hasSize(MessageBuilder.MAX_TEXT);
    }
}
