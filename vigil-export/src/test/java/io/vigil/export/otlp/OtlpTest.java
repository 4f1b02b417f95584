package io.vigil.export.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.outbound.SendOutcome;
import io.vigil.export.ExportPoint;
import io.vigil.export.TestPoints;
import io.vigil.export.config.ExportConfig;
import io.vigil.export.http.Receiver;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpTest {

    @Test
    void sink_defaults_localCollectorAndServiceNameVigil_andV1MetricsAppendedOnce() {
        assertThat(Otlp.sink(new ExportConfig.Otlp(true, null, null, null, null), Map.of()).endpoint())
                .isEqualTo(URI.create("http://localhost:4318/v1/metrics"));
        assertThat(Otlp.sink(new ExportConfig.Otlp(true, "https://otel.example.com/", null, null, null), Map.of())
                .endpoint()).isEqualTo(URI.create("https://otel.example.com/v1/metrics"));
        assertThat(Otlp.sink(new ExportConfig.Otlp(true, "https://otel.example.com/v1/metrics", null, null, null),
                Map.of()).endpoint()).isEqualTo(URI.create("https://otel.example.com/v1/metrics"));
    }

    @Test
    void sink_configuredHeadersAndHeadersFromTheEnvironment_areSentWithEveryRequest() {
        try (FakeCollector collector = new FakeCollector()) {
            OtlpMetricsSink sink = Otlp.sink(new ExportConfig.Otlp(true, collector.receiver.uri("").toString(),
                    Map.of("X-Scope-OrgID", "weddings"), Map.of("Authorization", "OTLP_AUTH"), "wedding-monitor"),
                    Map.of("OTLP_AUTH", "Bearer s3cret-token"));
            ExportPoint p = TestPoints.gauge("active_ceremonies", Map.of(), 37);

            assertThat(sink.send(sink.encode(List.of(p)).payloads().getFirst()))
                    .isEqualTo(new SendOutcome.Delivered(200));
            Receiver.Request r = collector.receiver.requests().getFirst();
            assertThat(r.header("X-Scope-OrgID")).isEqualTo("weddings");
            assertThat(r.header("Authorization")).isEqualTo("Bearer s3cret-token");
            assertThat(FakeCollector.attributesOf(collector.accepted.getFirst().getResourceMetrics(0).getResource()
                    .getAttributesList())).containsEntry("service.name", "wedding-monitor");
            assertThat(sink.toString()).contains("Authorization", "X-Scope-OrgID").doesNotContain("s3cret")
                    .doesNotContain("weddings");
        }
    }

    @Test
    void sink_badBlock_failsNamingEverySettingButNeverAHeadersValue() {
        assertThatThrownBy(() -> Otlp.sink(new ExportConfig.Otlp(true, "localhost:4318",
                Map.of("Content-Type", "application/json", "Bad Name", "x", "X-Token", "s3cret\r\nInjected: 1"),
                Map.of("Authorization", "UNSET_VARIABLE"), " "), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("export.otlp.url was 'localhost:4318' but it must be an http(s) URL with a host")
                .hasMessageContaining("export.otlp.serviceName must not be blank")
                .hasMessageContaining("export.otlp.headers.Content-Type is set by the exporter")
                .hasMessageContaining("export.otlp.headers.Bad Name is not a valid header name")
                .hasMessageContaining("export.otlp.headers.X-Token has a value with control characters")
                .hasMessageContaining("export.otlp.headersEnv.Authorization names UNSET_VARIABLE, which is not set")
                .message().doesNotContain("s3cret");
    }
}
