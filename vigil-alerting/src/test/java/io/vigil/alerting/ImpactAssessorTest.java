package io.vigil.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alerting.impact.ImpactAssessor;
import io.vigil.calendar.CalendarSettings;
import io.vigil.calendar.ContextCalculator;
import io.vigil.calendar.WeddingContext;
import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** P0-P3 at fixed calendar instants. */
class ImpactAssessorTest {
    static final ImpactAssessor ASSESSOR = new ImpactAssessor();
    static final List<Wedding> CALENDAR = List.of(
            wedding("london-1", "Europe/London", "2026-06-13T14:00", "2026-06-13T23:30"),
            wedding("ny-1", "America/New_York", "2026-06-13T16:00", "2026-06-14T00:30"),
            wedding("ldn-2", "Europe/London", "2026-06-13T13:00", "2026-06-13T22:00"));

    static Wedding wedding(String id, String zone, String ceremony, String end) {
        return new Wedding(id, null, ZoneId.of(zone), LocalDateTime.parse(ceremony), LocalDateTime.parse(end), 120,
                null, List.of(), WeddingStatus.SCHEDULED, "api", null);
    }

    static WeddingContext at(String instant) {
        return new ContextCalculator(CalendarSettings.DEFAULTS).at(Instant.parse(instant), CALENDAR);
    }

    static Observation obs(String metric, Map<String, String> labels, Severity severity, String summary) {
        return new Observation("rule-1", metric, labels, Condition.BREACHING, 2.4, 0.5, Duration.ZERO, severity,
                summary, Instant.parse("2026-06-13T15:00:00Z"));
    }

    @Test
    void criticalFailure_ofAWeddingCriticalOperation_duringActiveWeddings_isP0() {
        Rating r = ASSESSOR.rate(obs("wedding_photo_upload_seconds", Map.of(), Severity.CRITICAL,
                "p95 6.1 s > 5 s"), at("2026-06-13T15:00:00Z"));
        assertThat(r.impact()).isEqualTo(Impact.CRITICAL);
        assertThat(r.priority()).isEqualTo(Priority.P0);
        assertThat(r.explanation()).isEqualTo("2 active weddings use photo upload; p95 6.1 s > 5 s");
    }

    @Test
    void degradation_ofTheActiveWeddingItNames_isP1() {
        Rating r = ASSESSOR.rate(obs("wedding_guest_list_access_seconds", Map.of("wedding_id", "london-1"),
                Severity.HIGH, "p95 3.2 s > 3 s"), at("2026-06-13T15:00:00Z"));
        assertThat(r.priority()).isEqualTo(Priority.P1);
        assertThat(r.explanation()).isEqualTo("active wedding london-1 uses guest list; p95 3.2 s > 3 s");
    }

    @Test
    void upcomingWeddings_orALoadTest_givePotentialImpact_P2() {
        // 08:00 UTC: nothing active yet; london weddings start their windows at 10:00 and 11:00, ny at 18:00.
        Rating upcoming = ASSESSOR.rate(obs("http_server_request_duration_seconds", Map.of("route",
                "/api/weddings/{id}/timeline"), Severity.CRITICAL, "p95 6 s > 5 s"), at("2026-06-13T08:00:00Z"));
        assertThat(upcoming.impact()).isEqualTo(Impact.POTENTIAL);
        assertThat(upcoming.priority()).isEqualTo(Priority.P2);
        assertThat(upcoming.explanation()).startsWith("3 weddings start within the day and use timeline sync");
        Rating loadTest = ASSESSOR.rate(obs("http_server_request_duration_seconds", Map.of("route", "/api/search",
                "load_test", "saturday-rehearsal"), Severity.HIGH, "p95 3.5 s > 3 s"), at("2027-01-12T12:00:00Z"));
        assertThat(loadTest.priority()).isEqualTo(Priority.P2);
    }

    @Test
    void notWeddingCritical_orNoWeddingAround_isP3() {
        Rating search = ASSESSOR.rate(obs("http_server_request_duration_seconds", Map.of("route", "/api/search"),
                Severity.CRITICAL, "p95 6 s > 5 s"), at("2026-06-13T15:00:00Z"));
        assertThat(search.priority()).isEqualTo(Priority.P3);
        assertThat(search.impact()).isEqualTo(Impact.NONE);
        Rating january = ASSESSOR.rate(obs("wedding_photo_upload_seconds", Map.of(), Severity.CRITICAL,
                "p95 6 s > 5 s"), at("2027-01-12T12:00:00Z"));
        assertThat(january.priority()).isEqualTo(Priority.P3);
        assertThat(january.explanation()).isEqualTo("no wedding affected: p95 6 s > 5 s");
        Rating otherWedding = ASSESSOR.rate(obs("wedding_photo_upload_seconds", Map.of("wedding_id", "july-9"),
                Severity.CRITICAL, "p95 6 s > 5 s"), at("2026-06-13T15:00:00Z"));
        assertThat(otherWedding.priority()).as("a wedding that is not active, with others upcoming").isEqualTo(Priority.P2);
    }
}
