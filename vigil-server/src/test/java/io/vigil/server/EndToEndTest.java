package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the real server and writes over all three protocols with real client code, then reads back. */
class EndToEndTest {
    static final String KEY = "e2e-admin-key";
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;
    VigilServer server;
    String base;

    @BeforeEach
    void start() {
        server = VigilServer.start(dir, VigilConfig.DEFAULTS, "127.0.0.1", 0, Map.of("VIGIL_API_KEY", KEY),
                Clock.systemUTC());
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<String> post(String path, String contentType, byte[] body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Posts a body over the size limit. The server answers 413 and closes the connection without reading the rest;
     * when that close reaches the client while it is still sending, the JDK client loses the answer ("header parser
     * received no bytes"), so the request is tried again a few times.
     */
    HttpResponse<String> postOversized(String path, byte[] body) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return post(path, "application/json", body, Map.of());
            } catch (java.io.IOException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    JsonNode query(String params) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/query?" + params))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    double count(String metric) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        JsonNode r = query("metric=" + metric + "&stat=count&from=" + (now - 3600) + "&to=" + (now + 60));
        return r.path("series").path(0).path("value").asDouble();
    }

    @Test
    void remoteWrite_thenCount_equalsSamplesAcknowledged() throws Exception {
        long now = System.currentTimeMillis();
        long acked = 0;
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = post("/api/v1/write", "application/x-protobuf",
                    RemoteWriteRequests.request("e2e_requests_total", i * 50, 500, now - 1000 + i, i),
                    Map.of("Content-Encoding", "snappy", "X-Prometheus-Remote-Write-Version", "0.1.0"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
            acked += 500;
        }
        assertThat(count("e2e_requests_total")).isEqualTo(acked);
        server.engine().flush();
        assertThat(count("e2e_requests_total")).isEqualTo(acked);
    }

    @Test
    void jsonBatch_thenPercentilesAndCounts() throws Exception {
        long t = System.currentTimeMillis() - 5000;
        StringBuilder obs = new StringBuilder();
        for (int i = 1; i <= 100; i++) {
            obs.append(i > 1 ? "," : "").append(i / 100.0);
        }
        String body = "{\"metrics\":[{\"name\":\"guest_list_load_seconds\",\"type\":\"latency\","
                + "\"labels\":{\"route\":\"/guests\"},\"t\":" + t + ",\"observations\":[" + obs + "]}]}";
        HttpResponse<String> r = post("/api/v1/metrics", "application/json", body.getBytes(StandardCharsets.UTF_8),
                Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json.readTree(r.body()).path("accepted").asLong()).isEqualTo(100);
        assertThat(count("guest_list_load_seconds")).isEqualTo(100);
        long now = System.currentTimeMillis() / 1000;
        double p95 = query("metric=guest_list_load_seconds&stat=p95&from=" + (now - 600) + "&to=" + (now + 60))
                .path("series").path(0).path("value").asDouble();
        assertThat(p95).isBetween(0.95 * 0.99, 0.95 * 1.01);
    }

    @Test
    void otlpFromTheOpenTelemetrySdk_thenCountEqualsPointsExported() throws Exception {
        Map<String, Long> exportedPoints = new HashMap<>();
        MetricExporter otlp = OtlpHttpMetricExporter.builder()
                .setEndpoint(base + "/v1/metrics")
                .addHeader("Authorization", "Bearer " + KEY)
                .build();
        MetricExporter counting = new CountingExporter(otlp, exportedPoints);
        SdkMeterProvider provider = SdkMeterProvider.builder()
                .registerMetricReader(PeriodicMetricReader.builder(counting).setInterval(Duration.ofHours(1)).build())
                .build();
        var meter = provider.get("e2e");
        var requests = meter.counterBuilder("otel_requests").build();
        var latency = meter.histogramBuilder("otel_latency").setUnit("s").build();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 50; i++) {
                Attributes attrs = Attributes.of(AttributeKey.stringKey("route"), "/r" + (i % 4));
                requests.add(1, attrs);
                latency.record(0.01 * (i + 1), attrs);
            }
            assertThat(provider.forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS).isSuccess()).isTrue();
        }
        provider.close();
        // The SDK also exports its own metrics (otel.sdk.*): every metric it exported must be counted exactly.
        assertThat(exportedPoints).containsKeys("otel_requests", "otel_latency");
        for (Map.Entry<String, Long> e : exportedPoints.entrySet()) {
            assertThat(count(e.getKey())).as(e.getKey()).isEqualTo(e.getValue().doubleValue());
        }
        long now = System.currentTimeMillis() / 1000;
        JsonNode p50 = query("metric=otel_latency&stat=p50&from=" + (now - 600) + "&to=" + (now + 60));
        assertThat(p50.path("bucketBounded").asBoolean()).isTrue();
        assertThat(p50.path("series").path(0).path("value").asDouble()).isBetween(0.1, 0.5);
    }

    @Test
    void auth_missingUnknownAndWrongRole_areRefused() throws Exception {
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/query?metric=x"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("Authorization: Bearer");
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/query?metric=x"))
                .header("Authorization", "Bearer nope").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(401);
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    void badInput_getsClearErrors() throws Exception {
        HttpResponse<String> notSnappy = post("/api/v1/write", "application/x-protobuf", new byte[] {1, 2, 3},
                Map.of("Content-Encoding", "snappy"));
        assertThat(notSnappy.statusCode()).isEqualTo(400);
        assertThat(notSnappy.body()).contains("snappy");
        HttpResponse<String> wrongType = post("/v1/metrics", "text/plain", new byte[] {1}, Map.of());
        assertThat(wrongType.statusCode()).isEqualTo(415);
        HttpResponse<String> tooBig = postOversized("/api/v1/metrics", new byte[21 << 20]);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(tooBig.body()).contains("limit");
        HttpResponse<String> badJson = post("/api/v1/metrics", "application/json",
                "{not json".getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(badJson.statusCode()).isEqualTo(400);
        HttpResponse<String> badStat = http.send(HttpRequest.newBuilder(URI.create(base
                + "/api/v1/query?metric=x&stat=" + URLEncoder.encode("p101", StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(badStat.statusCode()).isEqualTo(400);
        assertThat(badStat.body()).contains("p101");
        // The server still works after all that.
        HttpResponse<String> ok = post("/api/v1/write", "application/x-protobuf",
                RemoteWriteRequests.request("after_errors_total", 0, 3, System.currentTimeMillis(), 1),
                Map.of("Content-Encoding", "snappy"));
        assertThat(ok.statusCode()).isEqualTo(204);
    }

    static byte[] gzip(byte[] data) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    @Test
    void gzipBodies_areAccepted_andAGzipBombIsRefusedWith413() throws Exception {
        String body = "{\"metrics\":[{\"name\":\"gz_total\",\"type\":\"increment\",\"value\":3}]}";
        HttpResponse<String> ok = post("/api/v1/metrics", "application/json",
                gzip(body.getBytes(StandardCharsets.UTF_8)), Map.of("Content-Encoding", "gzip"));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(count("gz_total")).isEqualTo(1);
        // 64 MiB of zeros compress to about 64 KiB: under the body limit, far over it once decompressed.
        HttpResponse<String> bomb = post("/api/v1/metrics", "application/json", gzip(new byte[64 << 20]),
                Map.of("Content-Encoding", "gzip"));
        assertThat(bomb.statusCode()).isEqualTo(413);
        assertThat(bomb.body()).contains("decompressed request body is larger than the limit");
        HttpResponse<String> notGzip = post("/api/v1/metrics", "application/json",
                body.getBytes(StandardCharsets.UTF_8), Map.of("Content-Encoding", "gzip"));
        assertThat(notGzip.statusCode()).isEqualTo(400);
        assertThat(notGzip.body()).contains("not valid gzip");
        HttpResponse<String> brotli = post("/api/v1/metrics", "application/json",
                body.getBytes(StandardCharsets.UTF_8), Map.of("Content-Encoding", "br"));
        assertThat(brotli.statusCode()).isEqualTo(415);
    }

    /** Counts the data points the OpenTelemetry SDK exported successfully. */
    record CountingExporter(MetricExporter delegate, Map<String, Long> points) implements MetricExporter {
        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            CompletableResultCode result = delegate.export(metrics);
            result.whenComplete(() -> {
                if (result.isSuccess()) {
                    synchronized (points) {
                        metrics.forEach(m -> points.merge(m.getName(), (long) m.getData().getPoints().size(), Long::sum));
                    }
                }
            });
            return result;
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType type) {
            return delegate.getAggregationTemporality(type);
        }
    }
}
