package io.vigil.export.newrelic;

import static io.vigil.export.TestPoints.PEAK;
import static io.vigil.export.TestPoints.QUIET;
import static io.vigil.export.TestPoints.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.core.Aggregate;
import io.vigil.core.Distribution;
import io.vigil.core.MetricKind;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.export.ExportPoint;
import io.vigil.export.ExportSink;
import io.vigil.export.TestPoints;
import io.vigil.export.http.Receiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NewRelicMetricsSinkTest {
    private final FakeNewRelic newRelic = new FakeNewRelic();
    private final NewRelicMetricsSink sink = newRelic.sink(Duration.ofSeconds(5));

    @AfterEach
    void close() {
        newRelic.close();
    }

    /** Encodes and sends every payload, expecting each to be accepted. */
    private ExportSink.Encoded<ExportPoint> export(List<ExportPoint> points) {
        ExportSink.Encoded<ExportPoint> encoded = sink.encode(points);
        for (ExportSink.Payload<ExportPoint> p : encoded.payloads()) {
            assertThat(sink.send(p)).isEqualTo(new SendOutcome.Delivered(202));
        }
        assertThat(newRelic.problems).isEmpty();
        assertThat(newRelic.receiver.failures()).isEmpty();
        return encoded;
    }

    @Test
    void send_gzippedJsonWithApiKey_isAcceptedWith202AndItsRequestIdKept() {
        export(List.of(TestPoints.counter("rsvp_submitted_total", Map.of(), 10, 14),
                TestPoints.gauge("db_pool_active", Map.of(), 47),
                TestPoints.latencies("http_request_duration_seconds", Map.of("route", "/guests"), 500, 0.2, 1)));

        Receiver.Request r = newRelic.receiver.requests().getFirst();
        assertThat(r.header("Api-Key")).isEqualTo(FakeNewRelic.KEY);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("Content-Encoding")).isEqualTo("GZIP");
        assertThat(r.body()[0]).isEqualTo((byte) 0x1f); // gzip magic
        assertThat(r.body()[1]).isEqualTo((byte) 0x8b);
        assertThat(newRelic.metrics).extracting(FakeNewRelic.Metric::name).containsExactlyInAnyOrder(
                "rsvp_submitted_total", "db_pool_active", "http_request_duration_seconds",
                "http_request_duration_seconds.p95", "http_request_duration_seconds.p99");
        assertThat(sink.lastRequestId()).isNotNull().isEqualTo(newRelic.requestIds.getLast());
    }

    @Test
    void encode_countersAndDeltas_becomeCountsOfTheIntervalFromItsStart() {
        export(List.of(TestPoints.counter("rsvp_submitted_total", Map.of(), 100, 105, 112),
                TestPoints.delta("photo_uploads", Map.of(), 3, 4)));

        FakeNewRelic.Metric counter = newRelic.named("rsvp_submitted_total").getFirst();
        assertThat(counter.type()).isEqualTo("count");
        assertThat(counter.value().asDouble()).isEqualTo(12);
        assertThat(counter.intervalMs()).isEqualTo(10_000L);
        assertThat(counter.timestamp()).isEqualTo(T0);
        FakeNewRelic.Metric delta = newRelic.named("photo_uploads").getFirst();
        assertThat(delta.type()).isEqualTo("count");
        assertThat(delta.value().asDouble()).isEqualTo(7);
        assertThat(delta.intervalMs()).isEqualTo(10_000L);
    }

    @Test
    void encode_gauge_becomesGaugeOfTheLastValueWhenItWasSampled() {
        export(List.of(TestPoints.gauge("db_pool_active", Map.of("pool", "main"), 47, 45, 44)));

        FakeNewRelic.Metric g = newRelic.named("db_pool_active").getFirst();
        assertThat(g.type()).isEqualTo("gauge");
        assertThat(g.value().asDouble()).isEqualTo(44);
        assertThat(g.timestamp()).isEqualTo(T0 + 2_000);
        assertThat(g.attributes()).containsEntry("pool", "main");
    }

    @Test
    void encode_distribution_becomesSummaryWithoutQuantilesPlusP95AndP99Gauges() {
        double[] values = TestPoints.lognormal(20_000, 0.25, 7);
        ExportPoint p = TestPoints.distribution("photo_upload_duration_seconds", Map.of(), values);
        export(List.of(p));

        FakeNewRelic.Metric summary = newRelic.named("photo_upload_duration_seconds").getFirst();
        assertThat(summary.type()).isEqualTo("summary");
        assertThat(summary.value().size()).isEqualTo(4); // count, sum, min, max: the fake checks no quantiles
        assertThat(summary.value().get("count").asLong()).isEqualTo(20_000);
        assertThat(summary.value().get("sum").asDouble()).isEqualTo(p.aggregate().sum());
        assertThat(summary.value().get("min").asDouble()).isEqualTo(java.util.Arrays.stream(values).min().orElseThrow());
        assertThat(summary.value().get("max").asDouble()).isEqualTo(java.util.Arrays.stream(values).max().orElseThrow());
        assertThat(summary.intervalMs()).isEqualTo(10_000L);
        assertThat(summary.timestamp()).isEqualTo(T0);
        for (String q : List.of("p95", "p99")) {
            FakeNewRelic.Metric gauge = newRelic.named("photo_upload_duration_seconds." + q).getFirst();
            double exact = TestPoints.exactQuantile(values, q.equals("p95") ? 0.95 : 0.99);
            assertThat(gauge.type()).isEqualTo("gauge");
            assertThat(gauge.value().asDouble()).isCloseTo(exact, within(exact * 0.01));
            assertThat(gauge.timestamp()).isEqualTo(T0);
        }
    }

    @Test
    void encode_explicitHistogramWithoutMinAndMax_summaryTakesThemFromTheUsedBuckets() {
        export(List.of(TestPoints.histogram("guest_list_sync_seconds", Map.of(), new double[] {0.1, 0.5, 1},
                new long[] {2, 3, 4, 1}, 6.2, Double.NaN, Double.NaN)));

        FakeNewRelic.Metric summary = newRelic.named("guest_list_sync_seconds").getFirst();
        assertThat(summary.value().get("count").asLong()).isEqualTo(10);
        assertThat(summary.value().get("sum").asDouble()).isEqualTo(6.2);
        assertThat(summary.value().get("min").asDouble()).isEqualTo(0);
        assertThat(summary.value().get("max").asDouble()).isEqualTo(1);
    }

    @Test
    void encode_everyMetricCarriesServiceNameAndItsIntervalsWeddingContextTags() {
        ExportPoint peak = TestPoints.gauge("active_ceremonies", Map.of("wedding_season", "spoofed"), 37);
        ExportPoint quiet = TestPoints.at(TestPoints.gauge("active_ceremonies", Map.of(), 0), T0 + 10_000, QUIET);
        export(List.of(peak, quiet));

        assertThat(newRelic.metrics).hasSize(2).allSatisfy(m -> assertThat(m.attributes())
                .containsEntry("service.name", "vigil")
                .containsKeys("wedding_season", "wedding_peak_time", "estimated_wedding_load"));
        FakeNewRelic.Metric atPeak = newRelic.metrics.stream().filter(m -> m.timestamp() < T0 + 10_000).findFirst()
                .orElseThrow();
        assertThat(atPeak.attributes()).containsEntry("wedding_season", "true").containsEntry("wedding_peak_time", "true")
                .containsEntry("estimated_wedding_load", PEAK.loadBand());
        FakeNewRelic.Metric atQuiet = newRelic.metrics.stream().filter(m -> m.timestamp() >= T0 + 10_000).findFirst()
                .orElseThrow();
        assertThat(atQuiet.attributes()).containsEntry("wedding_season", "false")
                .containsEntry("estimated_wedding_load", "none");
        assertThat(sink.attributesDropped()).isEqualTo(1); // the label that tried to override a context tag
    }

    @Test
    void encode_nonFiniteValues_areRefusedAndCountedWhileTheRestIsSent() {
        Aggregate nanDistribution = new Aggregate();
        nanDistribution.add(T0, 0.2, MetricKind.DISTRIBUTION);
        nanDistribution.add(T0 + 1, Double.NaN, MetricKind.DISTRIBUTION);
        List<ExportPoint> points = List.of(
                TestPoints.gauge("venue_temperature", Map.of(), Double.NaN),
                TestPoints.delta("photo_uploads", Map.of(), Double.POSITIVE_INFINITY),
                new ExportPoint("upload_seconds", MetricKind.DISTRIBUTION, Map.of(), T0, 10_000, nanDistribution, PEAK),
                TestPoints.gauge("db_pool_active", Map.of(), 47));

        ExportSink.Encoded<ExportPoint> encoded = export(points);

        assertThat(encoded.refused()).isEqualTo(3);
        assertThat(encoded.refusedReason()).isEqualTo("non_finite");
        assertThat(encoded.payloads()).singleElement().satisfies(p -> assertThat(p.items()).hasSize(1));
        assertThat(newRelic.metrics).extracting(FakeNewRelic.Metric::name).containsExactly("db_pool_active");
    }

    @Test
    void encode_emptyBatch_hasNoPayloadsAndRefusesNothing() {
        ExportSink.Encoded<ExportPoint> encoded = sink.encode(List.of());

        assertThat(encoded.payloads()).isEmpty();
        assertThat(encoded.refused()).isZero();
        assertThat(encoded.refusedReason()).isNull();
    }

    @Test
    void encode_pointsNewRelicWouldDropSilently_areRefusedByReason() {
        Aggregate empty = new Aggregate();
        empty.add(T0, Distribution.explicit(0, 0, Double.NaN, Double.NaN, new double[] {1}, new long[] {0, 0}));
        List<ExportPoint> points = List.of(
                TestPoints.at(TestPoints.gauge("db_pool_active", Map.of(), 47), T0 - Duration.ofHours(49).toMillis(),
                        PEAK),
                TestPoints.at(TestPoints.gauge("db_pool_active", Map.of(), 47), T0 + Duration.ofHours(25).toMillis(),
                        PEAK),
                new ExportPoint("sync_seconds", MetricKind.HISTOGRAM, Map.of(), T0, 10_000, empty, PEAK),
                TestPoints.gauge("x".repeat(256), Map.of(), 1),
                TestPoints.gauge("db_pool_active", Map.of(), 47));

        ExportSink.Encoded<ExportPoint> encoded = export(points);

        assertThat(encoded.refused()).isEqualTo(4);
        assertThat(encoded.refusedReason()).isEqualTo("name_too_long+no_observations+too_far_ahead+too_old");
        assertThat(newRelic.metrics).hasSize(1);
    }

    @Test
    void encode_hugeLabelValue_isCutTo4096Characters() {
        String huge = TestPoints.randomText(100_000, 'a', 26, 3);
        export(List.of(TestPoints.gauge("db_pool_active", Map.of("host", huge), 47)));

        assertThat(newRelic.metrics.getFirst().attributes().get("host")).isEqualTo(huge.substring(0, 4096));
        assertThat(sink.valuesTruncated()).isEqualTo(1);
    }

    @Test
    void cut_neverSplitsASurrogatePair() {
        String s = "a".repeat(4095) + "😀" + "b";

        assertThat(NewRelicMetricsSink.cut(s, 4096)).isEqualTo("a".repeat(4095));
    }

    @Test
    void encode_attributeLimits_longKeysDroppedAndAtMost150AttributesPerMetric() {
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < 200; i++) {
            labels.put(String.format("label_%03d", i), "v" + i);
        }
        labels.put("k".repeat(256), "too long a key");
        export(List.of(TestPoints.gauge("db_pool_active", labels, 47)));

        Map<String, String> attributes = newRelic.metrics.getFirst().attributes();
        assertThat(attributes).hasSize(150).doesNotContainKey("k".repeat(256))
                .containsKeys("label_000", "label_145", "service.name", "wedding_season").doesNotContainKey("label_146");
        assertThat(sink.attributesDropped()).isEqualTo(55);
    }

    @Test
    void encode_batchOverOneMegabyteCompressed_isSplitIntoPayloadsWithinTheLimit() {
        List<ExportPoint> points = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            points.add(TestPoints.gauge("guest_checkin_queue", Map.of("desk", TestPoints.randomText(4096, '0', 64, i)),
                    i));
        }

        ExportSink.Encoded<ExportPoint> encoded = export(points);

        assertThat(encoded.payloads()).hasSizeGreaterThan(1)
                .allSatisfy(p -> assertThat(p.body().length).isLessThanOrEqualTo(1_000_000));
        assertThat(encoded.payloads().stream().mapToInt(p -> p.items().size()).sum()).isEqualTo(600);
        assertThat(encoded.refused()).isZero();
        assertThat(newRelic.metrics).hasSize(600);
        assertThat(newRelic.compressedSizes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1_000_000));
    }

    @Test
    void encode_pointOverOneMegabyteAlone_isRefusedAsTooLarge() {
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < 146; i++) {
            labels.put(String.format("label_%03d", i), TestPoints.randomText(4096, '\u4e00', 20_000, i));
        }
        List<ExportPoint> points = List.of(TestPoints.gauge("venue_wifi_clients", labels, 1),
                TestPoints.gauge("db_pool_active", Map.of(), 47));

        ExportSink.Encoded<ExportPoint> encoded = export(points);

        assertThat(encoded.refused()).isEqualTo(1);
        assertThat(encoded.refusedReason()).isEqualTo("too_large");
        assertThat(newRelic.metrics).extracting(FakeNewRelic.Metric::name).containsExactly("db_pool_active");
    }

    @Test
    void send_429WithRetryAfter_isRetryWithTheWaitAsked() {
        newRelic.receiver.script(Receiver.Response.of(429).withHeader("Retry-After", "7"));
        ExportSink.Payload<ExportPoint> payload = sink.encode(List.of(TestPoints.gauge("g", Map.of(), 1)))
                .payloads().getFirst();

        assertThat(sink.send(payload)).isEqualTo(new SendOutcome.Retry("http 429", 429, Duration.ofSeconds(7)));
    }

    @Test
    void apiKey_appearsOnlyInItsHeader_neverInBodiesReasonsOrToString() {
        newRelic.receiver.script(Receiver.Response.of(403, "application/json",
                ("{\"error\":\"bad key " + FakeNewRelic.KEY + "\"}").getBytes()));
        ExportSink.Payload<ExportPoint> payload = sink.encode(List.of(TestPoints.gauge("g", Map.of("k", "v"), 1)))
                .payloads().getFirst();

        SendOutcome rejected = sink.send(payload);

        assertThat(rejected).isEqualTo(new SendOutcome.Rejected("http 403", 403));
        assertThat(sink.toString()).doesNotContain(FakeNewRelic.KEY).contains("/metric/v1");
        assertThat(new String(payload.body(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(FakeNewRelic.KEY);
        assertThat(sink.send(payload)).isEqualTo(new SendOutcome.Delivered(202)); // the fake checks the gunzipped body
        assertThat(newRelic.problems).isEmpty();
    }
}
