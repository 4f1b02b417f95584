package io.vigil.export.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.Priority;
import io.vigil.alerting.Severity;
import io.vigil.export.ExportEvent;
import io.vigil.export.ExportTags;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncidentEventsTest {
    static final ExportTags TAGS = new ExportTags(true, true, "high");
    static final Instant AT = Instant.parse("2026-06-13T18:20:00Z");

    static NotificationIntent intent(NotificationIntent.Kind kind, Priority priority, String summary) {
        return new NotificationIntent("key-1", "group-1", kind, priority, Impact.CRITICAL,
                List.of(new NotificationIntent.AlertSummary("fp", "http.p95.critical",
                        Map.of("wedding_id", "w-0612-ldn", "route", "/photos"), Severity.CRITICAL, summary,
                        "3 active weddings use photo upload", AT)), Map.of(), AT);
    }

    @Test
    void aP0Firing_becomesAnErrorEvent_withBoundedTags_andNoWeddingIdAsATag() {
        ExportEvent e = IncidentEvents.from(intent(NotificationIntent.Kind.FIRING, Priority.P0, "p95 5.003 s > 5 s"),
                TAGS);
        assertThat(e.kind()).isEqualTo(ExportEvent.Kind.INCIDENT);
        assertThat(e.title()).isEqualTo("P0 incident: http.p95.critical");
        assertThat(e.text()).isEqualTo("http.p95.critical: p95 5.003 s > 5 s (3 active weddings use photo upload)");
        assertThat(e.severity()).isEqualTo("error");
        assertThat(e.tags()).containsExactly("vigil_event:incident", "priority:P0", "state:firing",
                "rule:http.p95.critical");
        assertThat(String.join(",", e.tags())).doesNotContain("w-0612-ldn");
        assertThat(e.context()).isEqualTo(TAGS);
        assertThat(e.key()).startsWith("vigil-incident-");
    }

    @Test
    void aResolution_isASuccessEvent_withTheSameKey() {
        ExportEvent firing = IncidentEvents.from(intent(NotificationIntent.Kind.FIRING, Priority.P1, "x"), TAGS);
        ExportEvent resolved = IncidentEvents.from(intent(NotificationIntent.Kind.RESOLVED, Priority.P1, "x"), TAGS);
        assertThat(resolved.severity()).isEqualTo("success");
        assertThat(resolved.title()).startsWith("P1 resolved: ");
        assertThat(resolved.key()).isEqualTo(firing.key());
    }

    @Test
    void p2AndP3_escalationsAndAcknowledgements_areNotEvents() {
        assertThat(IncidentEvents.from(intent(NotificationIntent.Kind.FIRING, Priority.P2, "x"), TAGS)).isNull();
        assertThat(IncidentEvents.from(intent(NotificationIntent.Kind.FIRING, Priority.P3, "x"), TAGS)).isNull();
        assertThat(IncidentEvents.from(intent(NotificationIntent.Kind.ESCALATED, Priority.P0, "x"), TAGS)).isNull();
        assertThat(IncidentEvents.from(intent(NotificationIntent.Kind.ACKNOWLEDGED, Priority.P0, "x"), TAGS))
                .isNull();
    }

    @Test
    void personalDataInAFinding_isRedacted() {
        ExportEvent e = IncidentEvents.from(intent(NotificationIntent.Kind.FIRING, Priority.P0,
                "upload by olivia.hartley@example.com from +44 7700 900123 failed"), TAGS);
        assertThat(e.text()).doesNotContain("olivia", "7700").contains("[redacted]");
    }
}
