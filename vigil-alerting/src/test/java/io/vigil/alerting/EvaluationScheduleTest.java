package io.vigil.alerting;

import static io.vigil.alerting.ImpactAssessorTest.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluationScheduleTest {
    @Test
    void weddingCriticalRules_runEverySecond_whileWeddingsAreActive() {
        assertThat(EvaluationSchedule.interval(null, "wedding_photo_upload_seconds", Map.of(),
                at("2026-06-13T15:00:00Z"))).isEqualTo(Duration.ofSeconds(1));
        assertThat(EvaluationSchedule.interval(null, "http_server_request_duration_seconds",
                Map.of("route", "/api/weddings/{id}/guests"), at("2026-06-13T15:00:00Z"))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void otherRules_followTheNearestWeddingsTier_atLeastEveryMinute_andAnExplicitIntervalWins() {
        assertThat(EvaluationSchedule.interval(null, "http_server_request_duration_seconds",
                Map.of("route", "/api/search"), at("2026-06-13T15:00:00Z"))).isEqualTo(Duration.ofSeconds(10));
        assertThat(EvaluationSchedule.interval(null, "wedding_photo_upload_seconds", Map.of(),
                at("2027-01-12T12:00:00Z"))).isEqualTo(Duration.ofMinutes(1));
        assertThat(EvaluationSchedule.interval(Duration.ofSeconds(30), "wedding_photo_upload_seconds", Map.of(),
                at("2026-06-13T15:00:00Z"))).isEqualTo(Duration.ofSeconds(30));
    }
}
