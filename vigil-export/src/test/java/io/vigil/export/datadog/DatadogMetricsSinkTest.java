package io.vigil.export.datadog;

import static io.vigil.export.datadog.Fixtures.CONTEXT;
import static io.vigil.export.datadog.Fixtures.START;
import static io.vigil.export.datadog.Fixtures.body;
import static io.vigil.export.datadog.Fixtures.gunzip;
import static io.vigil.export.datadog.Fixtures.latencies;
import static io.vigil.export.datadog.Fixtures.metricsSink;
import static io.vigil.export.datadog.Fixtures.point;
import static io.vigil.export.datadog.Fixtures.tags;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.core.Aggregate;
import io.vigil.core.Distribution;
import io.vigil.core.MetricKind;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.export.ExportPoint;
import io.vigil.export.ExportSink;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DatadogMetricsSinkTest {
    private FakeDatadog dd;

    @BeforeEach
    void start() throws Exception {
        dd = new FakeDatadog(Clock.fixed(Fixtures.NOW, java.time.ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        dd.close();
    }

    /** Encodes and sends every payload, asserting each is accepted; returns the accepted entries of both endpoints. */
    private List<JsonNode> deliver(DatadogMetricsSink sink, List<ExportPoint> points) {
        ExportSink.Encoded<ExportPoint> encoded = sink.encode(points);
        for (ExportSink.Payload<ExportPoint> p : encoded.payloads()) {
            assertThat(sink.send(p)).isEqualTo(new SendOutcome.Delivered(202));
        }
        assertThat(dd.problems()).isEmpty();
        List<JsonNode> out = new ArrayList<>(dd.accepted(DatadogMetricsSink.SERIES_PATH));
        out.addAll(dd.accepted(DatadogMetricsSink.DISTRIBUTION_PATH));
        return out;
    }

    private static JsonNode entry(List<JsonNode> entries, String metric) {
        return entries.stream().filter(e -> e.get("metric").asText().equals(metric)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + metric + " in " + entries));
    }

    @Test
    void encode_counterAndDelta_countsWithInterval10AndSecondsTimestamp() {
        List<JsonNode> sent = deliver(metricsSink(dd, true), List.of(
                point("wedding.vendor.notification.sent", MetricKind.COUNTER, Map.of(), 100, 120, 142),
                point("wedding.rsvp.received", MetricKind.DELTA, Map.of(), 3, 4)));

        JsonNode counter = entry(sent, "wedding.vendor.notification.sent");
        assertThat(counter.get("type").asInt()).isEqualTo(1);
        assertThat(counter.get("interval").asInt()).isEqualTo(10);
        assertThat(counter.get("points").get(0).get("value").asDouble()).isEqualTo(42);
        assertThat(counter.get("points").get(0).get("timestamp").asLong()).isEqualTo((START + 10_000) / 1000);
        JsonNode delta = entry(sent, "wedding.rsvp.received");
        assertThat(delta.get("type").asInt()).isEqualTo(1);
        assertThat(delta.get("interval").asInt()).isEqualTo(10);
        assertThat(delta.get("points").get(0).get("value").asDouble()).isEqualTo(7);
    }

    @Test
    void encode_gauge_lastValueAsType3WithoutInterval() {
        List<JsonNode> sent = deliver(metricsSink(dd, true),
                List.of(point("wedding.db.pool_active", MetricKind.GAUGE, Map.of(), 4, 9, 6.5)));

        JsonNode gauge = entry(sent, "wedding.db.pool_active");
        assertThat(gauge.get("type").asInt()).isEqualTo(3);
        assertThat(gauge.has("interval")).isFalse();
        assertThat(gauge.get("points").get(0).get("value").asDouble()).isEqualTo(6.5);
        assertThat(gauge.get("points").get(0).get("timestamp").asLong()).isEqualTo((START + 10_000) / 1000);
    }

    @Test
    void encode_distribution_distributionPointFromSketchBinsToItsOwnEndpoint() {
        ExportPoint p = latencies("wedding.photo_upload.duration", 500, 5.0);

        List<JsonNode> sent = deliver(metricsSink(dd, true), List.of(p));

        assertThat(dd.requests(DatadogMetricsSink.SERIES_PATH)).isEmpty();
        assertThat(dd.requests(DatadogMetricsSink.DISTRIBUTION_PATH)).hasSize(1);
        JsonNode d = entry(sent, "wedding.photo_upload.duration");
        assertThat(d.get("type").asText()).isEqualTo("distribution");
        JsonNode point = d.get("points").get(0);
        assertThat(point.get(0).asLong()).isEqualTo((START + 10_000) / 1000);
        double[] values = new double[point.get(1).size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = point.get(1).get(i).asDouble();
        }
        assertThat(values).hasSize(500); // every observation, as its bin's value
        Arrays.sort(values);
        for (int i = 0; i < values.length; i++) {
            double actual = 5.0 * (i + 1) / 500;
            assertThat(values[i]).isCloseTo(actual, within(actual * 0.011)); // the sketch's 1 % accuracy
        }
    }

    @Test
    void encode_distributionOverCap_atMost10000ValuesWithPercentilesAndExtremesKept() {
        ExportPoint p = latencies("wedding.timeline.sync.duration", 200_000, 2.0);

        double[] values = DatadogMetricsSink.values(p.aggregate());

        assertThat(values.length).isLessThanOrEqualTo(DatadogMetricsSink.MAX_DISTRIBUTION_VALUES)
                .isGreaterThan(DatadogMetricsSink.MAX_DISTRIBUTION_VALUES * 9 / 10);
        Arrays.sort(values);
        assertThat(values[0]).isCloseTo(p.aggregate().min(), within(p.aggregate().min() * 0.011));
        assertThat(values[values.length - 1]).isCloseTo(2.0, within(0.022));
        for (double q : new double[] {0.5, 0.95, 0.99}) {
            double scaled = values[(int) Math.ceil(q * values.length) - 1];
            assertThat(scaled).isCloseTo(2.0 * q, within(2.0 * q * 0.03));
        }
        deliver(metricsSink(dd, true), List.of(p)); // and Datadog takes it
    }

    @Test
    void encode_distributionsOff_countAndSummaryGauges() {
        ExportPoint p = latencies("wedding.api.guest_list.load_time", 1000, 1.0);

        List<JsonNode> sent = deliver(metricsSink(dd, false), List.of(p));

        assertThat(dd.requests(DatadogMetricsSink.DISTRIBUTION_PATH)).isEmpty();
        assertThat(sent).extracting(e -> e.get("metric").asText()).containsExactly(
                "wedding.api.guest_list.load_time.count", "wedding.api.guest_list.load_time.avg",
                "wedding.api.guest_list.load_time.max", "wedding.api.guest_list.load_time.p95",
                "wedding.api.guest_list.load_time.p99");
        JsonNode count = entry(sent, "wedding.api.guest_list.load_time.count");
        assertThat(count.get("type").asInt()).isEqualTo(1);
        assertThat(count.get("interval").asInt()).isEqualTo(10);
        assertThat(count.get("points").get(0).get("value").asLong()).isEqualTo(1000);
        assertThat(value(entry(sent, "wedding.api.guest_list.load_time.avg"))).isCloseTo(0.5005, within(1e-9));
        assertThat(value(entry(sent, "wedding.api.guest_list.load_time.max"))).isEqualTo(1.0);
        assertThat(value(entry(sent, "wedding.api.guest_list.load_time.p95"))).isCloseTo(0.95, within(0.0096));
        assertThat(value(entry(sent, "wedding.api.guest_list.load_time.p99"))).isCloseTo(0.99, within(0.01));
        for (String gauge : List.of(".avg", ".max", ".p95", ".p99")) {
            assertThat(entry(sent, "wedding.api.guest_list.load_time" + gauge).get("type").asInt()).isEqualTo(3);
        }
    }

    @Test
    void encode_explicitHistogram_summarySeriesEvenWithDistributionsOn() {
        Aggregate a = new Aggregate();
        a.add(START, Distribution.explicit(10, 3.0, 0.05, 0.9, new double[] {0.1, 0.5, 1.0}, new long[] {4, 4, 2, 0}));
        ExportPoint p = new ExportPoint("wedding.checkout.duration", MetricKind.HISTOGRAM, Map.of(), START, 10_000,
                a, CONTEXT);

        List<JsonNode> sent = deliver(metricsSink(dd, true), List.of(p));

        assertThat(dd.requests(DatadogMetricsSink.DISTRIBUTION_PATH)).isEmpty();
        assertThat(sent).extracting(e -> e.get("metric").asText()).containsExactly("wedding.checkout.duration.count",
                "wedding.checkout.duration.avg", "wedding.checkout.duration.max", "wedding.checkout.duration.p95",
                "wedding.checkout.duration.p99");
        assertThat(value(entry(sent, "wedding.checkout.duration.count"))).isEqualTo(10);
        assertThat(value(entry(sent, "wedding.checkout.duration.avg"))).isCloseTo(0.3, within(1e-9));
        assertThat(value(entry(sent, "wedding.checkout.duration.max"))).isEqualTo(0.9);
    }

    @Test
    void encode_histogramWithoutMax_unknownStatisticsLeftOut() {
        Aggregate a = new Aggregate();
        a.add(START, Distribution.explicit(5, 2.0, Double.NaN, Double.NaN, new double[0], new long[] {5}));
        ExportPoint p = new ExportPoint("wedding.queue.wait", MetricKind.HISTOGRAM, Map.of(), START, 10_000, a,
                CONTEXT);

        List<JsonNode> sent = deliver(metricsSink(dd, true), List.of(p));

        assertThat(sent).extracting(e -> e.get("metric").asText())
                .containsExactly("wedding.queue.wait.count", "wedding.queue.wait.avg");
    }

    @Test
    void encode_tags_contextThenLabelsThenExtra_longAndClashingTagsLeftOut() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("endpoint", "guest_list");
        labels.put("huge", "x".repeat(1_000_000)); // a hostile label value: the tag would be far over 200
        labels.put("near", "y".repeat(200 - "near:".length())); // exactly 200
        labels.put("wedding_season", "false"); // a label may not contradict the context tag
        List<JsonNode> sent = deliver(metricsSink(dd, true),
                List.of(point("wedding.api.requests", MetricKind.DELTA, labels, 1)));

        assertThat(tags(entry(sent, "wedding.api.requests"))).containsExactly("wedding_season:true",
                "wedding_peak_time:true", "estimated_wedding_load:high", "endpoint:guest_list",
                "near:" + "y".repeat(195), "env:test");
    }

    @Test
    void encode_metricName_charactersOutsideDatadogsSetBecomeUnderscores() {
        List<JsonNode> sent = deliver(metricsSink(dd, true),
                List.of(point("http.server-duration/ms:total é", MetricKind.GAUGE, Map.of(), 1)));

        assertThat(sent.getFirst().get("metric").asText()).isEqualTo("http.server_duration_ms_total__");
    }

    @Test
    void encode_nanAndInfinity_pointsRefusedAsNotFiniteOthersSent() {
        ExportPoint nanGauge = point("wedding.db.pool_active", MetricKind.GAUGE, Map.of(), Double.NaN);
        ExportPoint infDelta = point("wedding.rsvp.received", MetricKind.DELTA, Map.of(), Double.POSITIVE_INFINITY);
        ExportPoint infCounter = point("wedding.sent", MetricKind.COUNTER, Map.of(), 1, Double.NEGATIVE_INFINITY);
        ExportPoint fine = point("wedding.ok", MetricKind.GAUGE, Map.of(), 1);

        ExportSink.Encoded<ExportPoint> encoded = metricsSink(dd, true)
                .encode(List.of(nanGauge, infDelta, infCounter, fine));

        assertThat(encoded.refused()).isEqualTo(3);
        assertThat(encoded.refusedReason()).isEqualTo("not_finite");
        assertThat(encoded.payloads()).hasSize(1);
        assertThat(encoded.payloads().getFirst().items()).containsExactly(fine);
        String json = new String(gunzip(encoded.payloads().getFirst().body()));
        assertThat(json).doesNotContain("NaN").doesNotContain("Infinity");
    }

    @Test
    void encode_emptyBatch_noPayloadsNothingRefused() {
        ExportSink.Encoded<ExportPoint> encoded = metricsSink(dd, true).encode(List.of());

        assertThat(encoded.payloads()).isEmpty();
        assertThat(encoded.refused()).isZero();
    }

    @Test
    void encode_seriesAndDistributions_neverMixedInOnePayload() {
        List<ExportPoint> points = List.of(point("a", MetricKind.GAUGE, Map.of(), 1), latencies("b", 10, 1),
                point("c", MetricKind.DELTA, Map.of(), 2), latencies("d", 10, 1));
        DatadogMetricsSink sink = metricsSink(dd, true);

        ExportSink.Encoded<ExportPoint> encoded = sink.encode(points);

        assertThat(encoded.payloads()).hasSize(2);
        for (ExportSink.Payload<ExportPoint> p : encoded.payloads()) {
            assertThat(p.items()).extracting(sink::endpointOf).containsOnly(sink.endpointOf(p.items().getFirst()));
            assertThat(body(p).get("series").size()).isEqualTo(p.items().size());
        }
    }

    @Test
    void encode_overCompressedLimit_splitIntoBodiesEachWithinBothLimits() {
        List<ExportPoint> points = new ArrayList<>();
        for (int i = 0; i < 1000; i++) { // about 1.2 MB of tags that compress to no less than 740 KB
            Map<String, String> labels = new LinkedHashMap<>();
            for (int l = 0; l < 6; l++) {
                labels.put("l" + l, Fixtures.noise(i * 10L + l, 190));
            }
            points.add(point("wedding.api.requests", MetricKind.DELTA, labels, i));
        }
        DatadogMetricsSink sink = metricsSink(dd, true);

        ExportSink.Encoded<ExportPoint> encoded = sink.encode(points);

        assertThat(encoded.refused()).isZero();
        assertThat(encoded.payloads().size()).isGreaterThan(1);
        assertThat(encoded.payloads().stream().mapToInt(p -> p.items().size()).sum()).isEqualTo(1000);
        for (ExportSink.Payload<ExportPoint> p : encoded.payloads()) {
            assertThat(p.body().length).isLessThanOrEqualTo(DatadogMetricsSink.MAX_COMPRESSED_BYTES);
            assertThat(gunzip(p.body()).length).isLessThanOrEqualTo(DatadogMetricsSink.MAX_RAW_BYTES);
        }
        assertThat(deliver(sink, points)).hasSize(1000);
    }

    @Test
    void encode_overRawLimit_splitEvenThoughItCompressesWell() {
        List<ExportPoint> points = new ArrayList<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (int l = 0; l < 30; l++) {
            labels.put("l" + l, "v".repeat(190));
        }
        for (int i = 0; i < 1000; i++) { // about 6.2 MB raw, a few KB compressed
            points.add(point("wedding.api.requests", MetricKind.DELTA, labels, i));
        }
        DatadogMetricsSink sink = metricsSink(dd, true);

        ExportSink.Encoded<ExportPoint> encoded = sink.encode(points);

        assertThat(encoded.payloads().size()).isGreaterThan(1);
        assertThat(encoded.payloads().stream().mapToInt(p -> p.items().size()).sum()).isEqualTo(1000);
        for (ExportSink.Payload<ExportPoint> p : encoded.payloads()) {
            assertThat(gunzip(p.body()).length).isLessThanOrEqualTo(DatadogMetricsSink.MAX_RAW_BYTES);
        }
        assertThat(deliver(sink, points)).hasSize(1000);
    }

    @Test
    void encode_pointAloneOverEitherLimit_refusedTooLargeOthersSent() {
        Map<String, String> incompressible = new LinkedHashMap<>(); // about 1 MB raw, over 600 KB compressed
        for (int l = 0; l < 5000; l++) {
            incompressible.put("l" + l, Fixtures.noise(l, 190));
        }
        Map<String, String> huge = new LinkedHashMap<>(); // about 5.9 MB raw, compresses to little
        for (int l = 0; l < 30_000; l++) {
            huge.put("l" + l, "v".repeat(190));
        }
        ExportPoint fine = point("wedding.ok", MetricKind.GAUGE, Map.of(), 1);

        ExportSink.Encoded<ExportPoint> encoded = metricsSink(dd, true).encode(List.of(
                point("wedding.a", MetricKind.GAUGE, incompressible, 1), fine,
                point("wedding.b", MetricKind.GAUGE, huge, 1)));

        assertThat(encoded.refused()).isEqualTo(2);
        assertThat(encoded.refusedReason()).isEqualTo("too_large");
        assertThat(encoded.payloads()).singleElement().satisfies(p -> assertThat(p.items()).containsExactly(fine));
    }

    // ---- answers ----

    private SendOutcome sendOne(DatadogMetricsSink sink) {
        return sink.send(sink.encode(List.of(point("wedding.ok", MetricKind.GAUGE, Map.of(), 1))).payloads()
                .getFirst());
    }

    @Test
    void send_202_deliveredWithDocumentedHeaders() {
        assertThat(sendOne(metricsSink(dd, true))).isEqualTo(new SendOutcome.Delivered(202));

        FakeDatadog.Request r = dd.requests().getFirst();
        assertThat(r.header("Dd-api-key")).isEqualTo(FakeDatadog.KEY);
        assertThat(r.header("Content-type")).isEqualTo("application/json");
        assertThat(r.header("Content-encoding")).isEqualTo("gzip");
        assertThat(r.path()).isEqualTo("/api/v2/series");
    }

    @Test
    void send_400And413_rejectedNotRetried() {
        dd.script(DatadogMetricsSink.SERIES_PATH, FakeDatadog.Answer.status(400), FakeDatadog.Answer.status(413));
        DatadogMetricsSink sink = metricsSink(dd, true);

        assertThat(sendOne(sink)).isEqualTo(new SendOutcome.Rejected("http 400", 400));
        assertThat(sendOne(sink)).isEqualTo(new SendOutcome.Rejected("http 413", 413));
    }

    @Test
    void send_403_rejectedSayingTheKeyWasRefusedWithoutTheKey() {
        String wrong = "wrongkey0123456789abcdef0123456789";

        SendOutcome outcome = sendOne(metricsSink(dd, wrong, Duration.ofSeconds(5)));

        assertThat(outcome).isInstanceOf(SendOutcome.Rejected.class);
        SendOutcome.Rejected r = (SendOutcome.Rejected) outcome;
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.reason()).contains("api key refused").doesNotContain(wrong).doesNotContain(FakeDatadog.KEY);
    }

    @Test
    void send_408And5xx_retried() {
        dd.script(DatadogMetricsSink.SERIES_PATH, FakeDatadog.Answer.status(408), FakeDatadog.Answer.status(500),
                FakeDatadog.Answer.status(503));
        DatadogMetricsSink sink = metricsSink(dd, true);

        assertThat(sendOne(sink)).isEqualTo(new SendOutcome.Retry("http 408", 408, null));
        assertThat(sendOne(sink)).isEqualTo(new SendOutcome.Retry("http 500", 500, null));
        assertThat(sendOne(sink)).isEqualTo(new SendOutcome.Retry("http 503", 503, null));
    }

    @Test
    void send_429_retryAfterHonouredAndPreferredToRateLimitReset() {
        dd.script(DatadogMetricsSink.SERIES_PATH,
                FakeDatadog.Answer.status(429, Map.of("Retry-After", "7", "X-RateLimit-Reset", "30")));

        assertThat(sendOne(metricsSink(dd, true))).isEqualTo(new SendOutcome.Retry("http 429", 429,
                Duration.ofSeconds(7)));
    }

    @Test
    void send_429_rateLimitResetHonouredWithoutRetryAfter() {
        dd.script(DatadogMetricsSink.SERIES_PATH, FakeDatadog.Answer.status(429, Map.of("X-RateLimit-Limit", "100",
                "X-RateLimit-Period", "60", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "12",
                "X-RateLimit-Name", "metrics")));

        assertThat(sendOne(metricsSink(dd, true))).isEqualTo(new SendOutcome.Retry("http 429", 429,
                Duration.ofSeconds(12)));
    }

    @Test
    void send_503WithRetryAfter_waitHonoured() {
        dd.script(DatadogMetricsSink.SERIES_PATH, FakeDatadog.Answer.status(503, Map.of("Retry-After", "3")));

        assertThat(sendOne(metricsSink(dd, true))).isEqualTo(new SendOutcome.Retry("http 503", 503,
                Duration.ofSeconds(3)));
    }

    @Test
    void send_hangingAnswer_retriedAsTimeout() {
        dd.script(DatadogMetricsSink.SERIES_PATH, FakeDatadog.Answer.hang());

        SendOutcome outcome = sendOne(metricsSink(dd, FakeDatadog.KEY, Duration.ofMillis(300)));

        assertThat(outcome).isEqualTo(new SendOutcome.Retry("timeout after 300 ms", 0, null));
    }

    @Test
    void send_nothingListening_retriedAsConnectionFailure() throws Exception {
        java.net.URI closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = java.net.URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        DatadogMetricsSink sink = new DatadogMetricsSink(closed, new DatadogApiKey(FakeDatadog.KEY), true, List.of(),
                Duration.ofSeconds(2));

        assertThat(sendOne(sink)).isInstanceOf(SendOutcome.Retry.class);
    }

    private static double value(JsonNode entry) {
        return entry.get("points").get(0).get("value").asDouble();
    }
}
