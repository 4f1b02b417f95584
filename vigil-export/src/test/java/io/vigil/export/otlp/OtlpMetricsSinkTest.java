package io.vigil.export.otlp;

import static io.vigil.export.TestPoints.QUIET;
import static io.vigil.export.TestPoints.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.vigil.core.Aggregate;
import io.vigil.core.MetricKind;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.export.ExportPoint;
import io.vigil.export.ExportSink;
import io.vigil.export.TestPoints;
import io.vigil.export.http.Receiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtlpMetricsSinkTest {
    private final FakeCollector collector = new FakeCollector();
    private final OtlpMetricsSink sink = collector.sink(Duration.ofSeconds(5));

    @AfterEach
    void close() {
        collector.close();
    }

    /** Encodes and sends every payload, expecting each to be accepted. */
    private ExportSink.Encoded<ExportPoint> export(List<ExportPoint> points) {
        ExportSink.Encoded<ExportPoint> encoded = sink.encode(points);
        for (ExportSink.Payload<ExportPoint> p : encoded.payloads()) {
            assertThat(sink.send(p)).isEqualTo(new SendOutcome.Delivered(200));
        }
        assertThat(collector.problems).isEmpty();
        assertThat(collector.receiver.failures()).isEmpty();
        return encoded;
    }

    /**
     * A quantile read back from exponential buckets the way DDSketch ranks (the first bucket whose cumulative count
     * passes q·(count−1)), each bucket standing for its geometric midpoint.
     */
    static double quantile(ExponentialHistogramDataPoint d, double q) {
        double rank = q * (d.getCount() - 1);
        long seen = 0;
        ExponentialHistogramDataPoint.Buckets neg = d.getNegative();
        for (int i = neg.getBucketCountsCount() - 1; i >= 0; i--) {
            seen += neg.getBucketCounts(i);
            if (seen > rank) {
                return -ExponentialBuckets.midpoint(d.getScale(), neg.getOffset() + i);
            }
        }
        seen += d.getZeroCount();
        if (seen > rank) {
            return 0;
        }
        ExponentialHistogramDataPoint.Buckets pos = d.getPositive();
        for (int i = 0; i < pos.getBucketCountsCount(); i++) {
            seen += pos.getBucketCounts(i);
            if (seen > rank) {
                return ExponentialBuckets.midpoint(d.getScale(), pos.getOffset() + i);
            }
        }
        throw new AssertionError("rank beyond the buckets");
    }

    private static ExponentialHistogramDataPoint onlyExponential(Metric m) {
        assertThat(m.getDataCase()).isEqualTo(Metric.DataCase.EXPONENTIAL_HISTOGRAM);
        assertThat(m.getExponentialHistogram().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        return m.getExponentialHistogram().getDataPoints(0);
    }

    @Test
    void send_protobufToV1Metrics_withServiceNameResourceAndVigilScope() {
        export(List.of(TestPoints.gauge("active_ceremonies", Map.of(), 37)));

        Receiver.Request r = collector.receiver.requests().getFirst();
        assertThat(r.path()).isEqualTo("/v1/metrics");
        assertThat(r.header("Content-Type")).isEqualTo("application/x-protobuf");
        ExportMetricsServiceRequest request = collector.accepted.getFirst();
        assertThat(FakeCollector.attributesOf(request.getResourceMetrics(0).getResource().getAttributesList()))
                .containsExactly(Map.entry("service.name", "vigil"));
        assertThat(request.getResourceMetrics(0).getScopeMetrics(0).getScope().getName()).isEqualTo("io.vigil.export");
    }

    @Test
    void encode_distribution_exponentialHistogramReproducesCountSumMinMaxAndQuantilesWithin2Percent() {
        SplittableRandom random = new SplittableRandom(11);
        double[] wide = new double[30_000];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = Math.pow(10, -3 + 5 * random.nextDouble()); // 1 ms to 100 s
        }
        Map<String, double[]> series = Map.of("photo_upload_duration_seconds", TestPoints.lognormal(20_000, 0.25, 5),
                "vendor_webhook_seconds", wide);
        List<ExportPoint> points = new ArrayList<>();
        series.forEach((name, values) -> points.add(TestPoints.distribution(name, Map.of(), values)));
        export(points);

        for (ExportPoint p : points) {
            double[] values = series.get(p.metric());
            ExponentialHistogramDataPoint d = onlyExponential(collector.named(p.metric()).getFirst());
            Aggregate a = p.aggregate();
            assertThat(d.getCount()).isEqualTo(values.length).isEqualTo(a.observations());
            assertThat(d.getSum()).isEqualTo(a.sum()).isCloseTo(Arrays.stream(values).sum(), within(1e-6));
            assertThat(d.getMin()).isEqualTo(Arrays.stream(values).min().orElseThrow());
            assertThat(d.getMax()).isEqualTo(Arrays.stream(values).max().orElseThrow());
            assertThat(d.getScale()).isEqualTo(ExponentialBuckets.SCALE);
            assertThat(d.getStartTimeUnixNano()).isEqualTo(T0 * 1_000_000);
            assertThat(d.getTimeUnixNano()).isEqualTo((T0 + 10_000) * 1_000_000);
            for (double q : new double[] {0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999}) {
                double fromBuckets = quantile(d, q);
                assertThat(fromBuckets).as("q%s of %s vs Vigil", q, p.metric())
                        .isCloseTo(a.quantile(q), within(a.quantile(q) * 0.02));
                double exact = TestPoints.exactQuantile(values, q);
                assertThat(fromBuckets).as("q%s of %s vs exact", q, p.metric())
                        .isCloseTo(exact, within(exact * 0.02));
            }
        }
    }

    @Test
    void encode_negativeAndZeroObservations_goToMirroredNegativeBucketsAndTheZeroCount() {
        double[] values = new double[22];
        Arrays.fill(values, 0, 10, -5.0);
        Arrays.fill(values, 10, 17, 0.0);
        Arrays.fill(values, 17, 22, 3.0);
        ExportPoint p = TestPoints.distribution("venue_temperature_delta", Map.of(), values);
        export(List.of(p));

        ExponentialHistogramDataPoint d = onlyExponential(collector.named("venue_temperature_delta").getFirst());
        assertThat(d.getCount()).isEqualTo(22);
        assertThat(d.getZeroCount()).isEqualTo(7);
        assertThat(d.getNegative().getBucketCountsList().stream().mapToLong(Long::longValue).sum()).isEqualTo(10);
        assertThat(d.getPositive().getBucketCountsList().stream().mapToLong(Long::longValue).sum()).isEqualTo(5);
        assertThat(quantile(d, 0)).isCloseTo(-5, within(0.1));
        assertThat(quantile(d, 0.5)).isZero();
        assertThat(quantile(d, 1)).isCloseTo(3, within(0.06));
        assertThat(d.getMin()).isEqualTo(-5);
        assertThat(d.getMax()).isEqualTo(3);
        assertThat(d.hasSum()).as("OTLP asks for no sum when observations are negative").isFalse();
    }

    @Test
    void encode_wideSketch_lowersTheScaleToStayWithin4096BucketsPerSign() {
        double[] values = new double[2_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.pow(10, -12 + 24.0 * i / (values.length - 1)); // 24 decades: 5,100 buckets at scale 6
        }
        export(List.of(TestPoints.distribution("everything_seconds", Map.of(), values)));

        ExponentialHistogramDataPoint d = onlyExponential(collector.named("everything_seconds").getFirst());
        assertThat(d.getScale()).isEqualTo(ExponentialBuckets.SCALE - 1);
        assertThat(d.getPositive().getBucketCountsCount()).isLessThanOrEqualTo(ExponentialBuckets.MAX_BUCKETS);
        assertThat(d.getCount()).isEqualTo(2_000);
    }

    @Test
    void index_followsTheOtlpDefinitionAtPowersOfTwoAndBetween() {
        assertThat(ExponentialBuckets.index(1, 6)).isEqualTo(-1);
        assertThat(ExponentialBuckets.index(2, 6)).isEqualTo(63);
        assertThat(ExponentialBuckets.index(0.5, 6)).isEqualTo(-65);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++) {
            double v = Math.pow(10, -6 + 12 * random.nextDouble());
            int k = ExponentialBuckets.index(v, 6);
            double base = Math.pow(2, 1.0 / 64);
            assertThat(v).isGreaterThan(Math.pow(base, k) * (1 - 1e-12)).isLessThanOrEqualTo(Math.pow(base, k + 1)
                    * (1 + 1e-12));
        }
    }

    @Test
    void encode_counterAndDelta_becomeDeltaSums_monotonicOnlyForCounters() {
        export(List.of(TestPoints.counter("rsvp_submitted_total", Map.of(), 100, 105, 112),
                TestPoints.delta("seating_changes", Map.of(), 3, -1)));

        Metric counter = collector.named("rsvp_submitted_total").getFirst();
        assertThat(counter.getSum().getIsMonotonic()).isTrue();
        assertThat(counter.getSum().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        NumberDataPoint c = counter.getSum().getDataPoints(0);
        assertThat(c.getAsDouble()).isEqualTo(12);
        assertThat(c.getStartTimeUnixNano()).isEqualTo(T0 * 1_000_000);
        assertThat(c.getTimeUnixNano()).isEqualTo((T0 + 10_000) * 1_000_000);
        Metric delta = collector.named("seating_changes").getFirst();
        assertThat(delta.getSum().getIsMonotonic()).isFalse();
        assertThat(delta.getSum().getDataPoints(0).getAsDouble()).isEqualTo(2);
    }

    @Test
    void encode_gauge_becomesGaugeOfTheLastValueAtItsSampleTime() {
        export(List.of(TestPoints.gauge("db_pool_active", Map.of("pool", "main"), 47, 45, 44)));

        NumberDataPoint g = collector.named("db_pool_active").getFirst().getGauge().getDataPoints(0);
        assertThat(g.getAsDouble()).isEqualTo(44);
        assertThat(g.getTimeUnixNano()).isEqualTo((T0 + 2_000) * 1_000_000);
        assertThat(FakeCollector.attributesOf(g.getAttributesList())).containsEntry("pool", "main");
    }

    @Test
    void encode_explicitBucketHistogram_becomesDeltaHistogramWithItsBounds() {
        export(List.of(TestPoints.histogram("guest_list_sync_seconds", Map.of(), new double[] {0.1, 0.5, 1},
                new long[] {2, 3, 4, 1}, 6.2, 0.05, 1.7)));

        Metric m = collector.named("guest_list_sync_seconds").getFirst();
        assertThat(m.getDataCase()).isEqualTo(Metric.DataCase.HISTOGRAM);
        assertThat(m.getHistogram().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        HistogramDataPoint d = m.getHistogram().getDataPoints(0);
        assertThat(d.getExplicitBoundsList()).containsExactly(0.1, 0.5, 1.0);
        assertThat(d.getBucketCountsList()).containsExactly(2L, 3L, 4L, 1L);
        assertThat(d.getCount()).isEqualTo(10);
        assertThat(d.getSum()).isEqualTo(6.2);
        assertThat(d.getMin()).isEqualTo(0.05);
        assertThat(d.getMax()).isEqualTo(1.7);
    }

    @Test
    void encode_contextTags_areAttributesOfEveryDataPoint_andALabelCannotOverrideThem() {
        ExportPoint peak = TestPoints.gauge("active_ceremonies", Map.of("wedding_season", "spoofed", "venue", "barn"),
                37);
        ExportPoint quiet = TestPoints.at(TestPoints.counter("rsvp_submitted_total", Map.of(), 1, 2), T0 + 10_000,
                QUIET);
        export(List.of(peak, quiet));

        Map<String, String> atPeak = FakeCollector.attributesOf(collector.named("active_ceremonies").getFirst()
                .getGauge().getDataPoints(0).getAttributesList());
        assertThat(atPeak).containsExactlyInAnyOrderEntriesOf(Map.of("venue", "barn", "wedding_season", "true",
                "wedding_peak_time", "true", "estimated_wedding_load", "high"));
        Map<String, String> atQuiet = FakeCollector.attributesOf(collector.named("rsvp_submitted_total").getFirst()
                .getSum().getDataPoints(0).getAttributesList());
        assertThat(atQuiet).containsExactlyInAnyOrderEntriesOf(Map.of("wedding_season", "false",
                "wedding_peak_time", "false", "estimated_wedding_load", "none"));
    }

    @Test
    void encode_nonFiniteValues_gaugesAndSumsCarryThem_histogramsLeaveSumOut() {
        Aggregate withNaN = new Aggregate();
        withNaN.add(T0, 0.2, MetricKind.DISTRIBUTION);
        withNaN.add(T0 + 1, Double.NaN, MetricKind.DISTRIBUTION);
        ExportSink.Encoded<ExportPoint> encoded = export(List.of(
                TestPoints.gauge("venue_temperature", Map.of(), Double.NaN),
                TestPoints.delta("photo_uploads", Map.of(), Double.POSITIVE_INFINITY),
                new ExportPoint("upload_seconds", MetricKind.DISTRIBUTION, Map.of(), T0, 10_000, withNaN,
                        TestPoints.PEAK)));

        assertThat(encoded.refused()).isZero();
        assertThat(collector.named("venue_temperature").getFirst().getGauge().getDataPoints(0).getAsDouble()).isNaN();
        assertThat(collector.named("photo_uploads").getFirst().getSum().getDataPoints(0).getAsDouble())
                .isEqualTo(Double.POSITIVE_INFINITY);
        ExponentialHistogramDataPoint d = onlyExponential(collector.named("upload_seconds").getFirst());
        assertThat(d.getCount()).isEqualTo(2);
        assertThat(d.hasSum()).isFalse();
        assertThat(d.hasMin()).isFalse();
    }

    @Test
    void encode_emptyBatch_hasNoPayloadsAndRefusesNothing() {
        ExportSink.Encoded<ExportPoint> encoded = sink.encode(List.of());

        assertThat(encoded.payloads()).isEmpty();
        assertThat(encoded.refused()).isZero();
    }

    @Test
    void encode_batchOver4MiB_isSplitIntoPayloadsWithinTheLimit() {
        List<ExportPoint> points = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            points.add(TestPoints.gauge("guest_checkin_queue",
                    Map.of("desk", TestPoints.randomText(64 * 1024, 'a', 26, i)), i));
        }

        ExportSink.Encoded<ExportPoint> encoded = export(points);

        assertThat(encoded.payloads()).hasSizeGreaterThan(1)
                .allSatisfy(p -> assertThat(p.body().length).isLessThanOrEqualTo(4 * 1024 * 1024));
        assertThat(encoded.payloads().stream().mapToInt(p -> p.items().size()).sum()).isEqualTo(100);
        assertThat(collector.named("guest_checkin_queue").stream()
                .mapToInt(m -> m.getGauge().getDataPointsCount()).sum()).isEqualTo(100);
    }

    @Test
    void encode_pointOver4MiBAlone_isRefusedAsTooLarge() {
        ExportSink.Encoded<ExportPoint> encoded = export(List.of(
                TestPoints.gauge("venue_wifi_clients", Map.of("ssid", "x".repeat(5 * 1024 * 1024)), 1),
                TestPoints.gauge("db_pool_active", Map.of(), 47)));

        assertThat(encoded.refused()).isEqualTo(1);
        assertThat(encoded.refusedReason()).isEqualTo("too_large");
        assertThat(collector.metrics()).extracting(Metric::getName).containsExactly("db_pool_active");
    }

    @Test
    void send_partialSuccess_isDeliveredAndNotRetried_andTheRejectedPointsAreCounted() {
        collector.partialSuccess(2, "2 data points had an invalid name");
        ExportSink.Payload<ExportPoint> payload = sink.encode(List.of(TestPoints.gauge("a", Map.of(), 1),
                TestPoints.gauge("b", Map.of(), 2), TestPoints.gauge("c", Map.of(), 3))).payloads().getFirst();

        assertThat(sink.send(payload)).isEqualTo(new SendOutcome.Delivered(200));
        assertThat(sink.rejectedByCollector()).isEqualTo(2);
    }

    @Test
    void send_500_isRejected_but503_429_502_504_areRetried() {
        collector.receiver.script(Receiver.Response.of(500), Receiver.Response.of(503).withHeader("Retry-After", "4"),
                Receiver.Response.of(429), Receiver.Response.of(502), Receiver.Response.of(504),
                Receiver.Response.of(400), Receiver.Response.of(408));
        ExportSink.Payload<ExportPoint> payload = sink.encode(List.of(TestPoints.gauge("a", Map.of(), 1)))
                .payloads().getFirst();

        assertThat(sink.send(payload)).isEqualTo(new SendOutcome.Rejected("http 500", 500));
        assertThat(sink.send(payload)).isEqualTo(new SendOutcome.Retry("http 503", 503, Duration.ofSeconds(4)));
        assertThat(sink.send(payload)).isEqualTo(new SendOutcome.Retry("http 429", 429, null));
        assertThat(sink.send(payload)).isEqualTo(new SendOutcome.Retry("http 502", 502, null));
        assertThat(sink.send(payload)).isEqualTo(new SendOutcome.Retry("http 504", 504, null));
        assertThat(sink.send(payload)).isEqualTo(new SendOutcome.Rejected("http 400", 400));
        assertThat(sink.send(payload)).isEqualTo(new SendOutcome.Rejected("http 408", 408));
    }
}
