package io.vigil.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading subscriptions, and which streams keep full rate in peak wedding time. */
class StreamSpecTest {
    @Test
    void readsFields_withDefaults() {
        StreamSpec s = StreamSpec.parse(Map.of("metric", "http_request_duration_seconds", "stat", "P95",
                "by", "route, status", "labels", Map.of("service", "guests", "code", 200)));
        assertThat(s.metrics()).containsExactly("http_request_duration_seconds");
        assertThat(s.statText()).isEqualTo("p95");
        assertThat(s.groupBy()).containsExactly("route", "status");
        assertThat(s.filters()).containsEntry("service", "guests").containsEntry("code", "200");
        assertThat(s.window()).isEqualTo(Duration.ofMinutes(1));
        assertThat(StreamSpec.parse(Map.of("metric", "m", "window", "90")).window()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void weddingSubscription_coversTheFamilies_filteredByWeddingId() {
        StreamSpec s = StreamSpec.parse(Map.of("wedding", "w-42", "stat", "p95"));
        assertThat(s.metrics()).isEqualTo(StreamSpec.WEDDING_FAMILIES);
        assertThat(s.filters()).containsEntry("wedding_id", "w-42");
        assertThat(s.metricName()).isNull();
        assertThat(s.weddingCritical()).isTrue();
    }

    @Test
    void criticality_followsTheWeddingOperation() {
        assertThat(StreamSpec.parse(Map.of("metric", "wedding_photo_upload_seconds")).weddingCritical()).isTrue();
        assertThat(StreamSpec.parse(Map.of("metric", "http_request_duration_seconds",
                "labels", Map.of("route", "/api/guests"))).weddingCritical()).isTrue();
        assertThat(StreamSpec.parse(Map.of("metric", "wedding_photo_processing_seconds")).weddingCritical()).isFalse();
        assertThat(StreamSpec.parse(Map.of("metric", "jvm_memory_bytes")).weddingCritical()).isFalse();
    }

    @Test
    void refusesBadSubscriptions_sayingWhatToFix() {
        assertThatThrownBy(() -> StreamSpec.parse(Map.of("stat", "p95"))).hasMessageContaining("'metric' is required");
        assertThatThrownBy(() -> StreamSpec.parse(Map.of("metric", "m", "window", "61m"))).hasMessageContaining("1h");
        assertThatThrownBy(() -> StreamSpec.parse(Map.of("metric", "m", "window", "5s"))).hasMessageContaining("10s");
        assertThatThrownBy(() -> StreamSpec.parse(Map.of("metric", "m", "lables", Map.of())))
                .hasMessageContaining("unknown subscription field 'lables'");
        assertThatThrownBy(() -> StreamSpec.parse(Map.of("metric", "m", "by", List.of(1))))
                .hasMessageContaining("'by'");
        assertThatThrownBy(() -> StreamSpec.parse(Map.of("metric", "bad metric"))).hasMessageContaining("metric name");
    }

    @Test
    void loadTest_filtersOnTheRunLabel_needsAMetric_andIsNeverWeddingCritical() {
        StreamSpec s = StreamSpec.parse(Map.of("metric", "wedding_photo_upload_seconds", "stat", "p95",
                "loadTest", "saturday-rehearsal_2026.06:7"));
        assertThat(s.loadTest()).isEqualTo("saturday-rehearsal_2026.06:7");
        assertThat(s.filters()).containsEntry(StreamSpec.LOAD_TEST_LABEL, "saturday-rehearsal_2026.06:7")
                .containsEntry("load_test_run", "saturday-rehearsal_2026.06:7");
        assertThat(s.metrics()).containsExactly("wedding_photo_upload_seconds");
        // Photo uploads are wedding-critical, but a load test's are not a wedding's: throttled at peak.
        assertThat(StreamSpec.parse(Map.of("metric", "wedding_photo_upload_seconds")).weddingCritical()).isTrue();
        assertThat(s.weddingCritical()).isFalse();
        assertThat(StreamSpec.parse(Map.of("metric", "m", "loadTest", "r1", "labels",
                Map.of("load_test_run", "r1", "route", "/guests"))).filters())
                .containsEntry("load_test_run", "r1").containsEntry("route", "/guests");
        assertThat(StreamSpec.parse(Map.of("metric", "m")).loadTest()).isNull();

        String json = StreamMessages.update("s1", s, java.time.Instant.parse("2026-06-13T15:00:00Z"), 1, List.of(),
                new io.vigil.calendar.WeddingContext(java.time.Instant.parse("2026-06-13T15:00:00Z"), true, true,
                        List.of(), List.of(), 0));
        assertThat(json).contains("\"loadTest\":\"saturday-rehearsal_2026.06:7\"");
    }

    @Test
    void loadTest_refusesBadRunIds_aMissingMetric_andAContradictingLabelFilter() {
        assertThatThrownBy(() -> StreamSpec.parse(Map.of("loadTest", "run-1")))
                .hasMessageContaining("'loadTest' needs 'metric'");
        assertThatThrownBy(() -> StreamSpec.parse(Map.of("wedding", "w-1", "loadTest", "run-1")))
                .hasMessageContaining("'loadTest' needs 'metric'");
        assertThatThrownBy(() -> StreamSpec.parse(Map.of("metric", "m", "loadTest", "run 1; drop")))
                .hasMessageContaining("loadTest 'run 1; drop' is not a load-test run id")
                .hasMessageContaining("1 to 128 letters, digits");
        assertThatThrownBy(() -> StreamSpec.parse(Map.of("metric", "m", "loadTest", "r".repeat(129))))
                .hasMessageContaining("is not a load-test run id");
        assertThat(StreamSpec.parse(Map.of("metric", "m", "loadTest", "r".repeat(128))).loadTest()).hasSize(128);
        assertThatThrownBy(() -> StreamSpec.parse(Map.of("metric", "m", "loadTest", 42)))
                .hasMessageContaining("'loadTest' must be a string");
        assertThatThrownBy(() -> StreamSpec.parse(Map.of("metric", "m", "loadTest", "run-1",
                "labels", Map.of("load_test_run", "run-2"))))
                .hasMessageContaining("contradicts loadTest 'run-1'");
    }
}
