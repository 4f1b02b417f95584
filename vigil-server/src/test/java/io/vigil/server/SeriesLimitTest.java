package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** C5 over HTTP: past the per-metric limit new series are refused with a message; existing ones keep flowing. */
class SeriesLimitTest {
    static final String KEY = "limit-key";
    final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    HttpResponse<byte[]> post(int port, String path, String type, byte[] body, String encoding) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (encoding != null) {
            b.header("Content-Encoding", encoding);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static byte[] otlpGauges(String metric, int series) {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (int i = 0; i < series; i++) {
            gauge.addDataPoints(NumberDataPoint.newBuilder().setAsDouble(i)
                    .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
                    .addAttributes(KeyValue.newBuilder().setKey("venue")
                            .setValue(AnyValue.newBuilder().setStringValue("v" + i))));
        }
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName(metric)
                        .setGauge(gauge)))).build().toByteArray();
    }

    @Test
    void pastTheLimit_newSeriesRefusedWithMessage_existingKeepFlowing() throws Exception {
        VigilConfig config = new VigilConfig(null, new VigilConfig.Storage(null, null, 3, null, null, null, null, null), null, null);
        try (VigilServer server = VigilServer.start(dir, config, "127.0.0.1", 0, Map.of("VIGIL_API_KEY", KEY),
                Clock.systemUTC())) {
            int port = server.port();
            long now = System.currentTimeMillis();
            HttpResponse<byte[]> first = post(port, "/api/v1/write", "application/x-protobuf",
                    RemoteWriteRequests.request("guests_total", 0, 3, now, 1), "snappy");
            assertThat(first.statusCode()).isEqualTo(204);
            HttpResponse<byte[]> more = post(port, "/api/v1/write", "application/x-protobuf",
                    RemoteWriteRequests.request("guests_total", 0, 5, now + 1, 2), "snappy");
            assertThat(more.statusCode()).isEqualTo(400);
            assertThat(new String(more.body())).contains("2 samples rejected (3 accepted and stored)")
                    .contains("'guests_total' reached its limit of 3 series");

            HttpResponse<byte[]> otlp = post(port, "/v1/metrics", "application/x-protobuf", otlpGauges("venue_load", 4),
                    null);
            assertThat(otlp.statusCode()).isEqualTo(200);
            ExportMetricsServiceResponse response = ExportMetricsServiceResponse.parseFrom(otlp.body());
            assertThat(response.getPartialSuccess().getRejectedDataPoints()).isEqualTo(1);
            assertThat(response.getPartialSuccess().getErrorMessage()).contains("'venue_load' reached its limit of 3");

            assertThat(server.engine().registry().ofMetric("guests_total")).hasSize(3);
            assertThat(server.engine().registry().ofMetric("venue_load")).hasSize(3);
        }
    }
}
