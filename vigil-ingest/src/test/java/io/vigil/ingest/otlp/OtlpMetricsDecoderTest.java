package io.vigil.ingest.otlp;

import static io.vigil.ingest.Batches.CLOCK;
import static io.vigil.ingest.Batches.NOW;
import static io.vigil.ingest.Batches.only;
import static io.vigil.ingest.Batches.samples;
import static io.vigil.ingest.otlp.OtlpFixtures.CUMULATIVE;
import static io.vigil.ingest.otlp.OtlpFixtures.DELTA;
import static io.vigil.ingest.otlp.OtlpFixtures.NOW_NANOS;
import static io.vigil.ingest.otlp.OtlpFixtures.START_NANOS;
import static io.vigil.ingest.otlp.OtlpFixtures.attr;
import static io.vigil.ingest.otlp.OtlpFixtures.exponential;
import static io.vigil.ingest.otlp.OtlpFixtures.exponentialPoint;
import static io.vigil.ingest.otlp.OtlpFixtures.gauge;
import static io.vigil.ingest.otlp.OtlpFixtures.histogram;
import static io.vigil.ingest.otlp.OtlpFixtures.histogramPoint;
import static io.vigil.ingest.otlp.OtlpFixtures.number;
import static io.vigil.ingest.otlp.OtlpFixtures.request;
import static io.vigil.ingest.otlp.OtlpFixtures.sum;
import static io.vigil.ingest.otlp.OtlpFixtures.summary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.vigil.core.Distribution;
import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.core.WriteBatch;
import io.vigil.ingest.Batches.Sample;
import io.vigil.ingest.LabelRules;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OtlpMetricsDecoderTest {
    private static final Labels SERVICE = Labels.of("service.name", "wedding-api");

    private final OtlpMetricsDecoder decoder = new OtlpMetricsDecoder(LabelRules.DEFAULTS, CLOCK);

    private WriteBatch decode(ExportMetricsServiceRequest request) {
        return decoder.decode(request.toByteArray(), false);
    }

    private WriteBatch decodeJson(ExportMetricsServiceRequest request) throws Exception {
        return decoder.decode(JsonFormat.printer().print(request).getBytes(StandardCharsets.UTF_8), true);
    }

    // ---- point types ----

    @Test
    void decode_gauge_oneSamplePerPointWithResourceAndPointLabels() {
        WriteBatch batch = decode(request(gauge("wedding.active_ceremonies",
                number(37).addAttributes(attr("venue", "chapel")))));

        Sample s = only(batch);
        assertThat(s.key()).isEqualTo(new SeriesKey("wedding.active_ceremonies",
                Labels.of("service.name", "wedding-api", "venue", "chapel")));
        assertThat(s.kind()).isEqualTo(MetricKind.GAUGE);
        assertThat(s.timestamp()).isEqualTo(NOW);
        assertThat(s.value()).isEqualTo(37);
        assertThat(batch.rejected()).isZero();
    }

    @Test
    void decode_pointAttribute_winsOverResourceAttribute() {
        WriteBatch batch = decode(request(gauge("g", number(1).addAttributes(attr("service.name", "photo-upload")))));

        assertThat(only(batch).key().labels()).isEqualTo(Labels.of("service.name", "photo-upload"));
    }

    @Test
    void decode_asInt_isConvertedToDouble() {
        WriteBatch batch = decode(request(gauge("g", NumberDataPoint.newBuilder().setAsInt(-42)
                .setTimeUnixNano(NOW_NANOS))));

        assertThat(only(batch).value()).isEqualTo(-42.0);
    }

    @Test
    void decode_pointWithoutValue_isRejected() {
        WriteBatch batch = decode(request(gauge("g", NumberDataPoint.newBuilder().setTimeUnixNano(NOW_NANOS))));

        assertThat(batch.sampleCount()).isZero();
        assertThat(batch.errors()).containsExactly("a point of 'g' has neither asDouble nor asInt");
    }

    @Test
    void decode_cumulativeMonotonicSum_isCounter() {
        Sample s = only(decode(request(sum("wedding_api_requests_total", CUMULATIVE, true, number(1027)))));

        assertThat(s.kind()).isEqualTo(MetricKind.COUNTER);
        assertThat(s.value()).isEqualTo(1027);
    }

    @Test
    void decode_cumulativeNonMonotonicSum_isGauge() {
        Sample s = only(decode(request(sum("queue_depth", CUMULATIVE, false, number(-3)))));

        assertThat(s.kind()).isEqualTo(MetricKind.GAUGE);
        assertThat(s.value()).isEqualTo(-3);
    }

    @Test
    void decode_deltaSum_isDelta() {
        Sample s = only(decode(request(sum("rsvps", DELTA, true, number(5)))));

        assertThat(s.kind()).isEqualTo(MetricKind.DELTA);
        assertThat(s.value()).isEqualTo(5);
    }

    @Test
    void decode_unspecifiedTemporality_rejectsEveryPointOfTheMetric() {
        WriteBatch batch = decode(request(
                sum("rsvps", AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED, true, number(1), number(2)),
                histogram("h", AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED, histogramPoint(1, 1, 1)),
                gauge("ok", number(1))));

        assertThat(samples(batch)).extracting(s -> s.key().metric()).containsExactly("ok");
        assertThat(batch.rejected()).isEqualTo(3);
        assertThat(batch.errors()).containsExactly(
                "metric 'rsvps' is a sum with aggregationTemporality 0; it must be 1 (delta) or 2 (cumulative)",
                "metric 'h' is a histogram with aggregationTemporality 0; it must be 1 (delta) or 2 (cumulative)");
    }

    @Test
    void decode_deltaHistogram_isExplicitDistribution() {
        WriteBatch batch = decode(request(histogram("http.server.request.duration", DELTA,
                histogramPoint(1, 1, 1).setMin(0.05).setMax(0.6))));

        Sample s = only(batch);
        assertThat(s.kind()).isEqualTo(MetricKind.HISTOGRAM);
        Distribution d = s.distribution();
        assertThat(d.count()).isEqualTo(3);
        assertThat(d.sum()).isEqualTo(0.9, within(1e-12));
        assertThat(d.min()).isEqualTo(0.05);
        assertThat(d.max()).isEqualTo(0.6);
        assertThat(d.bounds()).containsExactly(0.1, 0.5);
        assertThat(d.bucketCounts()).containsExactly(1, 1, 1);
        assertThat(s.value()).isEqualTo(3);
    }

    @Test
    void decode_histogramWithoutMinMax_hasNaN() {
        Distribution d = only(decode(request(histogram("h", DELTA, histogramPoint(1, 0, 0))))).distribution();

        assertThat(d.min()).isNaN();
        assertThat(d.max()).isNaN();
    }

    @Test
    void decode_histogramWithoutBoundsAndCounts_isOneInfBucket() {
        Distribution d = only(decode(request(histogram("h", DELTA, HistogramDataPoint.newBuilder()
                .setTimeUnixNano(NOW_NANOS).setCount(4).setSum(2))))).distribution();

        assertThat(d.bounds()).isEmpty();
        assertThat(d.bucketCounts()).containsExactly(4);
        assertThat(d.sum()).isEqualTo(2);
    }

    @Test
    void decode_histogramWithoutSum_estimatesSumFromBucketMidpoints() {
        // buckets (-inf,0.1] (0.1,0.5] (0.5,inf): first uses min 0.0, last uses max 0.7
        HistogramDataPoint.Builder p = histogramPoint(1, 2, 1).clearSum().setMin(0.0).setMax(0.7);

        Distribution d = only(decode(request(histogram("h", DELTA, p)))).distribution();

        assertThat(d.sum()).isEqualTo(0.05 + 2 * 0.3 + 0.6, within(1e-12));
    }

    static Stream<Arguments> badHistograms() {
        return Stream.of(
                Arguments.of(histogramPoint(1, 1, 1).addBucketCounts(0).setCount(3),
                        "a histogram point of 'h' has 4 bucket counts for 2 explicit bounds; it needs one count more than bounds"),
                Arguments.of(histogramPoint(1, 1).setCount(2),
                        "a histogram point of 'h' has 2 bucket counts for 2 explicit bounds; it needs one count more than bounds"),
                Arguments.of(histogramPoint(1, 1, 1).setExplicitBounds(1, 0.05),
                        "a histogram point of 'h' has explicit bounds that are not finite and strictly ascending"),
                Arguments.of(histogramPoint(1, 1, 1).setExplicitBounds(1, 0.1),
                        "a histogram point of 'h' has explicit bounds that are not finite and strictly ascending"),
                Arguments.of(histogramPoint(1, 1, 1).setExplicitBounds(1, Double.POSITIVE_INFINITY),
                        "a histogram point of 'h' has explicit bounds that are not finite and strictly ascending"),
                Arguments.of(histogramPoint(1, 1, 1).setCount(4),
                        "a histogram point of 'h' has bucket counts adding up to 3 but a count of 4"),
                Arguments.of(histogramPoint(1, 1, 1).setBucketCounts(0, -1),
                        "a histogram point of 'h' has bucket counts adding up to more than 2^63 - 1"),
                Arguments.of(histogramPoint(1, 1, 1).setBucketCounts(0, Long.MAX_VALUE),
                        "a histogram point of 'h' has bucket counts adding up to more than 2^63 - 1"),
                Arguments.of(histogramPoint(1, 1, 1).setCount(-1),
                        "a histogram point of 'h' has a count above 2^63 - 1"),
                Arguments.of(histogramPoint(1, 1, 1).setSum(Double.NaN),
                        "a histogram point of 'h' has a sum, min or max that is not a finite number"),
                Arguments.of(histogramPoint(1, 1, 1).setMax(Double.POSITIVE_INFINITY),
                        "a histogram point of 'h' has a sum, min or max that is not a finite number"),
                Arguments.of(histogramPoint(1, 1, 1).setMin(2).setMax(1),
                        "a histogram point of 'h' has a min greater than its max"));
    }

    @ParameterizedTest
    @MethodSource("badHistograms")
    void decode_inconsistentHistogram_rejectsPointWithReason(HistogramDataPoint.Builder bad, String reason) {
        WriteBatch batch = decode(request(histogram("h", DELTA, bad, histogramPoint(0, 1, 0))));

        assertThat(batch.rejected()).isEqualTo(1);
        assertThat(batch.errors()).containsExactly(reason);
        assertThat(only(batch).distribution().bucketCounts()).containsExactly(0, 1, 0);
    }

    @Test
    void decode_cumulativeHistogram_convertsToDelta() {
        decode(request(histogram("h", CUMULATIVE, histogramPoint(1, 1, 1).setTimeUnixNano(NOW_NANOS - 20_000_000_000L))));

        WriteBatch batch = decode(request(histogram("h", CUMULATIVE,
                histogramPoint(1, 3, 2).setTimeUnixNano(NOW_NANOS - 10_000_000_000L).setSum(2.0))));

        Sample s = only(batch);
        assertThat(s.timestamp()).isEqualTo(NOW - 10_000);
        assertThat(s.distribution().count()).isEqualTo(3);
        assertThat(s.distribution().bucketCounts()).containsExactly(0, 2, 1);
        assertThat(s.distribution().sum()).isEqualTo(2.0 - 0.9, within(1e-12));
    }

    @Test
    void decode_firstCumulativeHistogramPoint_isBaselineWithFullCounts() {
        Sample s = only(decode(request(histogram("h", CUMULATIVE, histogramPoint(4, 5, 6)))));

        assertThat(s.distribution().bucketCounts()).containsExactly(4, 5, 6);
        assertThat(s.distribution().count()).isEqualTo(15);
    }

    @Test
    void decode_cumulativeHistogramWithNewStartTime_isReset() {
        decode(request(histogram("h", CUMULATIVE, histogramPoint(5, 5, 5).setTimeUnixNano(NOW_NANOS - 1_000_000_000L))));

        Sample s = only(decode(request(histogram("h", CUMULATIVE,
                histogramPoint(1, 0, 0).setStartTimeUnixNano(NOW_NANOS - 500_000_000L)))));

        assertThat(s.distribution().bucketCounts()).containsExactly(1, 0, 0);
    }

    @Test
    void decode_cumulativeHistogramWhoseCountWentDown_isReset() {
        decode(request(histogram("h", CUMULATIVE, histogramPoint(5, 5, 5).setTimeUnixNano(NOW_NANOS - 1_000_000_000L))));

        Sample s = only(decode(request(histogram("h", CUMULATIVE, histogramPoint(6, 0, 0)))));

        assertThat(s.distribution().bucketCounts()).containsExactly(6, 0, 0);
    }

    @Test
    void decode_cumulativeHistogramRetryOrLatePoint_contributesNothing() {
        ExportMetricsServiceRequest later = request(histogram("h", CUMULATIVE, histogramPoint(2, 2, 2)));
        decode(later);

        WriteBatch retry = decode(later);
        WriteBatch late = decode(request(histogram("h", CUMULATIVE,
                histogramPoint(1, 1, 1).setTimeUnixNano(NOW_NANOS - 1_000_000_000L))));
        Sample next = only(decode(request(histogram("h", CUMULATIVE,
                histogramPoint(3, 2, 2).setTimeUnixNano(NOW_NANOS + 1_000_000_000L)))));

        assertThat(retry.sampleCount()).isZero();
        assertThat(retry.rejected()).isZero();
        assertThat(late.sampleCount()).isZero();
        assertThat(next.distribution().bucketCounts()).containsExactly(1, 0, 0);
    }

    @Test
    void decode_cumulativeHistogramDelta_knowsMaxOnlyWhenItGrew() {
        decode(request(histogram("h", CUMULATIVE, histogramPoint(1, 1, 1).setMin(0.05).setMax(0.6)
                .setTimeUnixNano(NOW_NANOS - 2_000_000_000L))));
        Distribution grew = only(decode(request(histogram("h", CUMULATIVE, histogramPoint(1, 1, 2).setMin(0.05)
                .setMax(0.9).setTimeUnixNano(NOW_NANOS - 1_000_000_000L))))).distribution();
        Distribution same = only(decode(request(histogram("h", CUMULATIVE, histogramPoint(1, 2, 2).setMin(0.05)
                .setMax(0.9))))).distribution();

        assertThat(grew.max()).isEqualTo(0.9);
        assertThat(grew.min()).isNaN();
        assertThat(same.max()).isNaN();
    }

    @Test
    void decode_cumulativeHistogramSeries_areTrackedPerLabels() {
        decode(request(histogram("h", CUMULATIVE,
                histogramPoint(1, 1, 1).addAttributes(attr("route", "/a")).setTimeUnixNano(NOW_NANOS - 1_000_000L),
                histogramPoint(2, 2, 2).addAttributes(attr("route", "/b")).setTimeUnixNano(NOW_NANOS - 1_000_000L))));

        WriteBatch batch = decode(request(histogram("h", CUMULATIVE,
                histogramPoint(1, 1, 2).addAttributes(attr("route", "/a")),
                histogramPoint(2, 2, 5).addAttributes(attr("route", "/b")))));

        assertThat(samples(batch)).extracting(s -> s.distribution().bucketCounts()[2]).containsExactly(1L, 3L);
    }

    @Test
    void decode_cumulativeState_isBoundedByCapacity() {
        OtlpMetricsDecoder small = new OtlpMetricsDecoder(LabelRules.DEFAULTS, CLOCK, 16);
        for (int i = 0; i < 1000; i++) {
            small.decode(request(histogram("h", CUMULATIVE,
                    histogramPoint(1, 1, 1).addAttributes(attr("guest", "g" + i)))).toByteArray(), false);
        }

        assertThat(small.increases().size()).isLessThanOrEqualTo(16);
    }

    @Test
    void decode_cumulativeHistogramFromConcurrentRequests_countsEachIncreaseOnce() throws Exception {
        int points = 2000;
        java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
        Runnable sender = () -> {
            for (int i = 1; i <= points; i++) {
                WriteBatch batch = decode(request(histogram("h", CUMULATIVE,
                        histogramPoint(i, 0, 0).setTimeUnixNano(NOW_NANOS - points + i))));
                samples(batch).forEach(s -> total.addAndGet(s.distribution().count()));
            }
        };
        Thread a = new Thread(sender);
        Thread b = new Thread(sender);
        a.start();
        b.start();
        a.join();
        b.join();

        assertThat(total.get()).isEqualTo(points);
    }

    @Test
    void decode_deltaExponentialHistogram_isDistributionSketch() {
        // scale 0: bucket i holds (2^i, 2^(i+1)]; offset 1 → (2,4] x3, (4,8] x1
        ExponentialHistogramDataPoint.Builder p = exponentialPoint(0, 2, 1, 3, 1).setSum(20).setMin(0).setMax(7);

        Sample s = only(decode(request(exponential("photo.upload.duration", DELTA, p))));

        assertThat(s.kind()).isEqualTo(MetricKind.DISTRIBUTION);
        Distribution d = s.distribution();
        assertThat(d.isExplicit()).isFalse();
        assertThat(d.count()).isEqualTo(6);
        assertThat(d.sum()).isEqualTo(20);
        assertThat(d.min()).isEqualTo(0);
        assertThat(d.max()).isEqualTo(7);
        assertThat(d.sketch().getValueAtQuantile(0.2)).isZero();
        assertThat(d.sketch().getValueAtQuantile(0.5)).isCloseTo(Math.sqrt(8), within(Math.sqrt(8) * 0.011));
        assertThat(d.sketch().getMaxValue()).isCloseTo(Math.sqrt(32), within(Math.sqrt(32) * 0.011));
    }

    @Test
    void decode_exponentialHistogramNegativeBuckets_becomeNegativeValues() {
        ExponentialHistogramDataPoint.Builder p = exponentialPoint(0, 0, 0).setCount(2)
                .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(2).addBucketCounts(2));

        Distribution d = only(decode(request(exponential("temperature_change", DELTA, p)))).distribution();

        assertThat(d.sketch().getValueAtQuantile(0.5)).isCloseTo(-Math.sqrt(32), within(Math.sqrt(32) * 0.011));
    }

    @Test
    void decode_exponentialHistogramWithoutSum_usesSketchEstimate() {
        Distribution d = only(decode(request(exponential("e", DELTA, exponentialPoint(0, 0, 1, 2)))))
                .distribution();

        assertThat(d.sum()).isCloseTo(2 * Math.sqrt(8), within(0.1));
    }

    @Test
    void decode_cumulativeExponentialHistogram_convertsToDeltaAcrossDownscale() {
        // scale 1: index k = (2^(k/2), 2^((k+1)/2)]; first point: index 2 x1, index 3 x1 (values in (2, 4])
        decode(request(exponential("e", CUMULATIVE,
                exponentialPoint(1, 1, 2, 1, 1).setSum(6).setTimeUnixNano(NOW_NANOS - 1_000_000_000L))));
        // later the SDK went down to scale 0: index 1 = (2, 4] holds the 2 earlier values plus 3 new ones
        Distribution d = only(decode(request(exponential("e", CUMULATIVE,
                exponentialPoint(0, 1, 1, 5, 1).setSum(30))))).distribution();

        assertThat(d.count()).isEqualTo(4);
        assertThat(d.sum()).isEqualTo(24);
        assertThat(d.sketch().getValueAtQuantile(0)).isCloseTo(Math.sqrt(8), within(0.04));
        assertThat(d.sketch().getValueAtQuantile(1)).isCloseTo(Math.sqrt(32), within(0.06));
    }

    @Test
    void decode_cumulativeExponentialHistogramWithHigherScale_isReset() {
        decode(request(exponential("e", CUMULATIVE,
                exponentialPoint(0, 0, 1, 5).setTimeUnixNano(NOW_NANOS - 1_000_000_000L))));

        Distribution d = only(decode(request(exponential("e", CUMULATIVE, exponentialPoint(1, 0, 2, 1)))))
                .distribution();

        assertThat(d.count()).isEqualTo(1);
    }

    static Stream<Arguments> badExponentialHistograms() {
        return Stream.of(
                Arguments.of(exponentialPoint(21, 0, 0, 1),
                        "an exponential histogram point of 'e' has scale 21; it must be within [-10, 20]"),
                Arguments.of(exponentialPoint(-11, 0, 0, 1),
                        "an exponential histogram point of 'e' has scale -11; it must be within [-10, 20]"),
                Arguments.of(exponentialPoint(0, 1, 0, 1).setCount(5),
                        "an exponential histogram point of 'e' has zero and bucket counts adding up to 2 but a count of 5"),
                Arguments.of(exponentialPoint(0, Long.MAX_VALUE, 0, 1).setCount(1),
                        "an exponential histogram point of 'e' has counts adding up to more than 2^63 - 1"),
                Arguments.of(exponentialPoint(0, 0, 0, -1).setCount(1),
                        "an exponential histogram point of 'e' has counts adding up to more than 2^63 - 1"),
                Arguments.of(exponentialPoint(-10, 0, 1, 1),
                        "an exponential histogram point of 'e' has buckets beyond ±1.7e308 at scale -10"),
                Arguments.of(exponentialPoint(0, 0, 2000, 1),
                        "an exponential histogram point of 'e' has buckets beyond ±1.7e308 at scale 0"),
                Arguments.of(exponentialPoint(0, 0, 0, 1).setMin(Double.NaN),
                        "an exponential histogram point of 'e' has a sum, min or max that is not a finite number"));
    }

    @ParameterizedTest
    @MethodSource("badExponentialHistograms")
    void decode_inconsistentExponentialHistogram_rejectsPointWithReason(ExponentialHistogramDataPoint.Builder bad,
                                                                        String reason) {
        WriteBatch batch = decode(request(exponential("e", DELTA, bad, exponentialPoint(0, 0, 0, 1))));

        assertThat(batch.rejected()).isEqualTo(1);
        assertThat(batch.errors()).containsExactly(reason);
        assertThat(only(batch).distribution().count()).isEqualTo(1);
    }

    @Test
    void decode_exponentialHistogramAtLowestScale_fitsWhenInRange() {
        Distribution d = only(decode(request(exponential("e", DELTA, exponentialPoint(-10, 0, 0, 1)))))
                .distribution();

        assertThat(d.sketch().getValueAtQuantile(0.5)).isCloseTo(Math.pow(2, 512), within(Math.pow(2, 512) * 0.011));
    }

    @Test
    void decode_summary_isRejectedWithReason() {
        WriteBatch batch = decode(request(summary("legacy_latency", 3), gauge("g", number(1))));

        assertThat(batch.sampleCount()).isEqualTo(1);
        assertThat(batch.rejected()).isEqualTo(3);
        assertThat(batch.errors()).containsExactly(
                "metric 'legacy_latency': summary points are not supported; send histograms");
    }

    @Test
    void decode_metricWithoutData_isRejected() {
        WriteBatch batch = decode(request(Metric.newBuilder().setName("empty").build()));

        assertThat(batch.rejected()).isEqualTo(1);
        assertThat(batch.errors()).containsExactly(
                "metric 'empty' has no gauge, sum, histogram or exponentialHistogram data");
    }

    @Test
    void decode_invalidMetricName_rejectsItsPoints() {
        WriteBatch batch = decode(request(gauge("wedding/guests-count", number(1), number(2)), gauge("ok", number(1))));

        assertThat(batch.rejected()).isEqualTo(2);
        assertThat(batch.errors()).containsExactly(
                "metric name 'wedding/guests-count' must match [a-zA-Z_:][a-zA-Z0-9_:.]*");
        assertThat(batch.sampleCount()).isEqualTo(1);
    }

    @Test
    void decode_scalarAttributes_becomeTheirStringForm() {
        WriteBatch batch = decode(request(gauge("g", number(1)
                .addAttributes(attr("vip", AnyValue.newBuilder().setBoolValue(true).build()))
                .addAttributes(attr("table", AnyValue.newBuilder().setIntValue(12).build()))
                .addAttributes(attr("ratio", AnyValue.newBuilder().setDoubleValue(0.5).build())))));

        assertThat(only(batch).key().labels()).isEqualTo(Labels.of("service.name", "wedding-api", "vip", "true",
                "table", "12", "ratio", "0.5"));
    }

    static Stream<Arguments> nonScalarAttributes() {
        return Stream.of(
                Arguments.of(AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setStringValue("Alice"))).build(), "an array value"),
                Arguments.of(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                        .addValues(attr("name", "Alice"))).build(), "a key-value list value"),
                Arguments.of(AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("Alice")).build(),
                        "a bytes value"));
    }

    @ParameterizedTest
    @MethodSource("nonScalarAttributes")
    void decode_nonScalarAttribute_rejectsPointNamingTheAttribute(AnyValue value, String description) {
        WriteBatch batch = decode(request(gauge("g", number(1).addAttributes(attr("guest", value)), number(2))));

        assertThat(samples(batch)).extracting(Sample::value).containsExactly(2.0);
        assertThat(batch.errors()).containsExactly("a point of 'g': attribute 'guest' has " + description
                + "; only string, bool, int and double attributes can be labels");
        assertThat(batch.errors().get(0)).doesNotContain("Alice");
    }

    @Test
    void decode_processResourceAttributes_areDropped_identifyingOnesKept() {
        KeyValue args = attr("process.command_args", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                .addValues(AnyValue.newBuilder().setStringValue("java"))).build());
        KeyValue commandLine = attr("process.command_line", "java -Dpassword=hunter2 " + "x".repeat(5000));

        WriteBatch batch = decode(request(new KeyValue[] {args, commandLine, attr("service.name", "wedding-api")},
                gauge("g", number(1), number(2)), sum("s", DELTA, true, number(1))));

        assertThat(batch.sampleCount()).isEqualTo(3);
        assertThat(batch.rejected()).isZero();
        assertThat(batch.key(0).labels().toMap()).containsOnlyKeys("service.name");
    }

    @Test
    void decode_nonScalarIdentifyingResourceAttribute_rejectsEveryPointOfTheResource() {
        KeyValue name = attr("service.name", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                .addValues(AnyValue.newBuilder().setStringValue("api"))).build());

        WriteBatch batch = decode(request(new KeyValue[] {name}, gauge("g", number(1), number(2)),
                sum("s", DELTA, true, number(1))));

        assertThat(batch.sampleCount()).isZero();
        assertThat(batch.rejected()).isEqualTo(3);
        assertThat(batch.errors()).containsExactly("resource attribute 'service.name' has an array value;"
                + " only string, bool, int and double attributes can be labels");
    }

    @Test
    void decode_labelBomb_rejectsThatPointAndKeepsTheOthers() {
        NumberDataPoint.Builder bomb = number(1);
        for (int i = 0; i < 10_000; i++) {
            bomb.addAttributes(attr("guest_" + i, "x"));
        }

        WriteBatch batch = decode(request(gauge("g", bomb, number(2)), gauge("h", number(3))));

        assertThat(samples(batch)).extracting(Sample::value).containsExactly(2.0, 3.0);
        assertThat(batch.rejected()).isEqualTo(1);
        assertThat(batch.errors()).containsExactly("series of 'g' has 10001 labels, more than 64");
    }

    @Test
    void decode_megabyteAttributeValue_rejectsPointWithoutEchoingIt() {
        String huge = "Alice".repeat(200_000);

        WriteBatch batch = decode(request(gauge("g", number(1).addAttributes(attr("guest", huge)), number(2))));

        assertThat(batch.sampleCount()).isEqualTo(1);
        assertThat(batch.errors()).containsExactly(
                "series of 'g': label 'guest' has a value of 1000000 characters, more than 2048");
    }

    @Test
    void decode_invalidAttributeName_isRejected() {
        WriteBatch batch = decode(request(gauge("g", number(1).addAttributes(attr("guest name", "x")))));

        assertThat(batch.errors()).containsExactly(
                "series of 'g': label name 'guest name' must match [a-zA-Z_][a-zA-Z0-9_.]*");
    }

    @Test
    void decode_nanAndInfinity_areRejected() {
        WriteBatch batch = decode(request(gauge("g", number(Double.NaN), number(Double.POSITIVE_INFINITY),
                number(Double.NEGATIVE_INFINITY), number(1))));

        assertThat(samples(batch)).extracting(Sample::value).containsExactly(1.0);
        assertThat(batch.rejected()).isEqualTo(3);
        assertThat(batch.errors()).contains("sample of 'g' has value NaN; only finite numbers are accepted");
    }

    @Test
    void decode_zeroTimestamp_usesClock() {
        assertThat(only(decode(request(gauge("g", number(1).setTimeUnixNano(0))))).timestamp()).isEqualTo(NOW);
    }

    @Test
    void decode_negativeAndSubMillisecondTimestamps_areRejected() {
        WriteBatch batch = decode(request(gauge("g", number(1).setTimeUnixNano(-1), number(2).setTimeUnixNano(999_999),
                number(3).setTimeUnixNano(1_000_000))));

        assertThat(samples(batch)).extracting(Sample::timestamp).containsExactly(1L);
        assertThat(batch.errors()).containsExactly(
                "sample of 'g' has timestamp -1; it must be a positive epoch time",
                "sample of 'g' has timestamp 0; it must be a positive epoch time");
    }

    @Test
    void decode_farFutureTimestamp_isRejected() {
        long twoHours = 7_200_000_000_000L;
        WriteBatch batch = decode(request(gauge("g", number(1).setTimeUnixNano(NOW_NANOS + twoHours),
                number(2).setTimeUnixNano(NOW_NANOS + twoHours / 4)), histogram("h", DELTA,
                histogramPoint(1, 1, 1).setTimeUnixNano(Long.MAX_VALUE))));

        assertThat(samples(batch)).extracting(Sample::value).containsExactly(2.0);
        assertThat(batch.errors()).containsExactly("sample of 'g' has a timestamp more than 3600 s in the future",
                "sample of 'h' has a timestamp more than 3600 s in the future");
    }

    @Test
    void decode_duplicateAndOutOfOrderTimestamps_areAccepted() {
        WriteBatch batch = decode(request(gauge("g", number(1), number(2), number(3).setTimeUnixNano(NOW_NANOS - 5_000_000_000L))));

        assertThat(samples(batch)).extracting(Sample::timestamp).containsExactly(NOW, NOW, NOW - 5000);
        assertThat(batch.seriesCount()).isEqualTo(1);
    }

    @Test
    void decode_noRecordedValuePoint_isSkippedSilently() {
        int flag = DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE;

        WriteBatch batch = decode(request(gauge("g", number(Double.NaN).setFlags(flag)),
                histogram("h", DELTA, HistogramDataPoint.newBuilder().setFlags(flag)),
                exponential("e", DELTA, ExponentialHistogramDataPoint.newBuilder().setFlags(flag))));

        assertThat(batch.sampleCount()).isZero();
        assertThat(batch.rejected()).isZero();
    }

    @Test
    void decode_pointsOfDifferentSeries_areSeparateSeries() {
        WriteBatch batch = decode(request(gauge("g", number(1).addAttributes(attr("r", "a")),
                number(2).addAttributes(attr("r", "b")), number(3).addAttributes(attr("r", "b")))));

        assertThat(batch.seriesCount()).isEqualTo(2);
        assertThat(batch.key(1).labels().get("r")).isEqualTo("b");
        assertThat(batch.endSample(1) - batch.firstSample(1)).isEqualTo(2);
    }

    // ---- JSON ----

    @Test
    void decode_integrationsExampleJson_decodesSeriesKindsAndValues() {
        String json = """
                {
                  "resourceMetrics": [{
                    "resource": { "attributes": [{ "key": "service.name", "value": { "stringValue": "wedding-api" } }] },
                    "scopeMetrics": [{
                      "scope": { "name": "wedding-monitor", "version": "1.0.0" },
                      "metrics": [
                        { "name": "http.server.request.duration", "unit": "s",
                          "histogram": { "aggregationTemporality": 2, "dataPoints": [{
                            "startTimeUnixNano": "1717246800000000000", "timeUnixNano": "1717250400000000000",
                            "count": "3", "sum": 0.9, "bucketCounts": ["1", "1", "1"], "explicitBounds": [0.1, 0.5],
                            "min": 0.05, "max": 0.6,
                            "attributes": [{ "key": "http.route", "value": { "stringValue": "/weddings/{id}/guests" } }] }] } },
                        { "name": "wedding.active_ceremonies", "unit": "1",
                          "gauge": { "dataPoints": [{ "asInt": "37", "timeUnixNano": "1717250400000000000" }] } }
                      ]
                    }]
                  }]
                }
                """;

        WriteBatch batch = decoder.decode(json.getBytes(StandardCharsets.UTF_8), true);

        List<Sample> samples = samples(batch);
        assertThat(samples).hasSize(2);
        Sample histogram = samples.get(0);
        assertThat(histogram.key()).isEqualTo(new SeriesKey("http.server.request.duration",
                Labels.of("service.name", "wedding-api", "http.route", "/weddings/{id}/guests")));
        assertThat(histogram.kind()).isEqualTo(MetricKind.HISTOGRAM);
        assertThat(histogram.timestamp()).isEqualTo(1_717_250_400_000L);
        assertThat(histogram.distribution()).isEqualTo(Distribution.explicit(3, 0.9, 0.05, 0.6,
                new double[] {0.1, 0.5}, new long[] {1, 1, 1}));
        assertThat(histogram.distribution().min()).isEqualTo(0.05);
        assertThat(histogram.distribution().max()).isEqualTo(0.6);
        Sample gauge = samples.get(1);
        assertThat(gauge.key()).isEqualTo(new SeriesKey("wedding.active_ceremonies", SERVICE));
        assertThat(gauge.kind()).isEqualTo(MetricKind.GAUGE);
        assertThat(gauge.value()).isEqualTo(37);
        assertThat(gauge.timestamp()).isEqualTo(1_717_250_400_000L);
        assertThat(batch.rejected()).isZero();
    }

    static Stream<ExportMetricsServiceRequest> everyPointType() {
        return Stream.of(
                request(gauge("g", number(1.5).addAttributes(attr("r", "a")))),
                request(sum("c", CUMULATIVE, true, number(10)), sum("d", DELTA, true, number(2)),
                        sum("u", CUMULATIVE, false, number(-2))),
                request(histogram("h", DELTA, histogramPoint(1, 2, 3).setMin(0.01).setMax(9))),
                request(histogram("hc", CUMULATIVE, histogramPoint(1, 2, 3))),
                request(exponential("e", DELTA, exponentialPoint(3, 1, -4, 1, 0, 2).setSum(3))),
                request(exponential("ec", CUMULATIVE, exponentialPoint(3, 1, -4, 1, 0, 2).setSum(3))),
                request(summary("s", 2)));
    }

    @ParameterizedTest
    @MethodSource("everyPointType")
    void decode_jsonAndProtobuf_decodeEveryPointTypeAlike(ExportMetricsServiceRequest request) throws Exception {
        WriteBatch fromProtobuf = new OtlpMetricsDecoder(LabelRules.DEFAULTS, CLOCK).decode(request.toByteArray(), false);
        WriteBatch fromJson = new OtlpMetricsDecoder(LabelRules.DEFAULTS, CLOCK)
                .decode(JsonFormat.printer().print(request).getBytes(StandardCharsets.UTF_8), true);

        assertThat(samples(fromJson)).isEqualTo(samples(fromProtobuf));
        assertThat(fromJson.rejected()).isEqualTo(fromProtobuf.rejected());
        assertThat(fromJson.errors()).isEqualTo(fromProtobuf.errors());
        assertThat(fromProtobuf.sampleCount() + fromProtobuf.rejected()).isPositive();
    }

    @Test
    void decode_jsonWithNumericInt64AndEnumNumbers_isAccepted() {
        String json = """
                {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"c","sum":{"aggregationTemporality":1,
                "isMonotonic":true,"dataPoints":[{"asInt":5,"timeUnixNano":1717250400000000000}]}}]}]}],
                "someFutureField":{"x":1}}
                """;

        Sample s = only(decoder.decode(json.getBytes(StandardCharsets.UTF_8), true));

        assertThat(s.kind()).isEqualTo(MetricKind.DELTA);
        assertThat(s.value()).isEqualTo(5);
        assertThat(s.timestamp()).isEqualTo(NOW);
    }

    @Test
    void decode_emptyRequests_decodeToEmptyBatches() {
        assertThat(decoder.decode(new byte[0], false).seriesCount()).isZero();
        assertThat(decoder.decode("{}".getBytes(StandardCharsets.UTF_8), true).seriesCount()).isZero();
    }

    @Test
    void decode_resourceWithoutAttributes_usesPointLabelsOnly() {
        WriteBatch batch = decode(request(new KeyValue[0], gauge("g", number(1))));

        assertThat(only(batch).key().labels()).isEqualTo(Labels.EMPTY);
    }
}
