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
}
