package io.vigil.ingest.otlp;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.vigil.core.Distribution;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.core.Sketches;
import io.vigil.core.WriteBatch;
import io.vigil.ingest.LabelRules;
import io.vigil.ingest.LabelSetBuilder;
import io.vigil.ingest.MalformedPayloadException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Decodes an OTLP/HTTP metrics export ({@code POST /v1/metrics}, an {@code ExportMetricsServiceRequest} in binary
 * protobuf or in OTLP JSON) into a {@link WriteBatch}. The body must already be decompressed.
 *
 * <h2>Mapping</h2>
 * <ul>
 *   <li>Series: metric name = OTLP metric name; labels = the identifying resource attributes
 *       ({@code service.name}, {@code service.namespace}, {@code service.version}, {@code deployment.environment},
 *       {@code deployment.environment.name}, {@code host.name}, {@code k8s.namespace.name},
 *       {@code k8s.deployment.name}, {@code cloud.region}; others such as {@code process.command_args} are dropped)
 *       merged with the data point's attributes (the point wins when both have a key). Scope name and version are not used. String attributes are taken as
 *       they are; bool, int and double attributes as their Java string form ({@code true}, {@code 42},
 *       {@code 0.5}); a point with an array, key-value list or bytes attribute is rejected (all points of a resource
 *       with such a resource attribute are). Names, values and the count are checked with {@link LabelRules}.</li>
 *   <li>Gauge → {@link MetricKind#GAUGE}; cumulative monotonic Sum → {@link MetricKind#COUNTER}; cumulative
 *       non-monotonic Sum → {@link MetricKind#GAUGE}; delta Sum → {@link MetricKind#DELTA}. One scalar sample per
 *       point ({@code asInt} converted to double).</li>
 *   <li>Histogram → {@link MetricKind#HISTOGRAM}, one {@link Distribution#explicit} per point. A point without
 *       bounds and counts is one +Inf bucket holding {@code count}. Bucket counts must be one more than the bounds,
 *       the bounds finite and strictly ascending, and the counts must add up to {@code count}.</li>
 *   <li>ExponentialHistogram → {@link MetricKind#DISTRIBUTION}, one {@link Distribution#ofSketch} per point: each
 *       bucket's count is added to a {@link Sketches#newSketch() Vigil DDSketch} at the bucket's geometric midpoint
 *       base^(index + ½) (negated for negative buckets), the zero bucket at 0. A quantile x̃ read from the sketch
 *       is within a factor (1 + h)·(1 + 1 %) of the true quantile x, where h = √base − 1 is the bucket's relative
 *       half-width (h ≈ 0.27 % at the SDK default scale 8, 4.4 % at scale 3, 41 % at scale 0): that is, the larger
 *       of h and 1 % when one dominates, at most about their sum.</li>
 *   <li>Summary → rejected ("summary points are not supported; send histograms").</li>
 *   <li>Missing sum/min/max: min and max become NaN; a missing sum is estimated (explicit buckets: bucket
 *       midpoints; exponential: the sketch's estimate).</li>
 *   <li>Timestamps: {@code timeUnixNano} truncated to milliseconds; 0 means "now" from the injected clock. Checked
 *       with {@link LabelRules#checkTimestamp}, values with {@link LabelRules#checkValue} (finite only). Duplicate
 *       and out-of-order timestamps are accepted as they are.</li>
 *   <li>Points flagged {@code DATA_POINT_FLAGS_NO_RECORDED_VALUE} carry no data and are skipped silently.</li>
 *   <li>An unknown or unspecified aggregation temporality rejects every point of that metric.</li>
 * </ul>
 * Every rejected point is counted with {@link WriteBatch#reject} and a reason that names the metric and the attribute
 * but never an attribute value. Consecutive accepted points of the same series share one
 * {@link WriteBatch#beginSeries}.
 *
 * <h2>Cumulative histograms</h2>
 * {@link WriteBatch} holds increases, so cumulative Histogram and ExponentialHistogram points are turned into
 * increases with a remembered last point per series, bounded to {@code maxCumulativeSeries} series (least recently
 * updated evicted first):
 * <ol>
 *   <li>the first point seen of a series (or after a reset: another {@code startTimeUnixNano}, or a count went
 *       down) is a baseline and contributes its full cumulative counts, on the grounds that the sending process
 *       usually started recently. A long-running process first seen after a Vigil restart or an eviction therefore
 *       contributes its whole history at once;</li>
 *   <li>a later point with the same start time contributes its per-bucket difference (an exponential histogram
 *       whose scale went down is compared after merging the earlier buckets down to the new scale); min and max of
 *       the difference are known only when the point raised the max or lowered the min, NaN otherwise;</li>
 *   <li>a point with the same start time that is not later than the remembered one (a retry, a late duplicate)
 *       contributes nothing and is not counted as rejected.</li>
 * </ol>
 * Because of this state, decoding is not idempotent: decoding the same request twice counts it once. Cumulative
 * Sums need no state: {@link MetricKind#COUNTER} series are reset-aware downstream.
 *
 * <h2>Errors and limits</h2>
 * A body that does not parse throws {@link MalformedPayloadException} (HTTP 400) whose message quotes at most 200
 * characters of the parser's explanation. JSON must be UTF-8, non-empty, nest at most {@value #MAX_JSON_DEPTH}
 * levels and have nothing after the top-level object; protobuf nests at most 100 levels (the protobuf-java default)
 * and its strings must be UTF-8. The body size is limited by the HTTP layer.
 *
 * <p>Thread-safe: one instance serves all requests and shares the cumulative state between them.
 */
public final class OtlpMetricsDecoder {
    /** Resource attributes that become labels; the rest describe the process and are dropped. */
    static final java.util.Set<String> RESOURCE_LABELS = java.util.Set.of("service.name", "service.namespace",
            "service.version", "deployment.environment", "deployment.environment.name", "host.name",
            "k8s.namespace.name", "k8s.deployment.name", "cloud.region");

    /** Series whose last cumulative histogram point is remembered, by default. */
    public static final int DEFAULT_MAX_CUMULATIVE_SERIES = 100_000;
    /** Deepest JSON nesting accepted; OTLP itself needs about 15 levels. */
    public static final int MAX_JSON_DEPTH = 64;

    private static final int MAX_DETAIL_LENGTH = 200;
    private static final double[] NO_BOUNDS = new double[0];
    private static final int NO_RECORDED_VALUE = DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE;
    private static final int DELTA = AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA_VALUE;
    private static final int CUMULATIVE = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE_VALUE;
    private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer JSON_PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private final LabelRules rules;
    private final Clock clock;
    private final CumulativeToDelta increases;

    /** A decoder remembering up to {@value #DEFAULT_MAX_CUMULATIVE_SERIES} cumulative histogram series. */
    public OtlpMetricsDecoder(LabelRules rules, Clock clock) {
        this(rules, clock, DEFAULT_MAX_CUMULATIVE_SERIES);
    }

    /**
     * @param clock supplies "now" for points without a time and for the future-timestamp check
     * @param maxCumulativeSeries most series whose last cumulative histogram point is remembered (each costs about
     *     the size of one point); a series evicted and seen again is a new baseline
     * @throws IllegalArgumentException if {@code maxCumulativeSeries} is below 1
     */
    public OtlpMetricsDecoder(LabelRules rules, Clock clock, int maxCumulativeSeries) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.increases = new CumulativeToDelta(maxCumulativeSeries);
    }

    /**
     * Decodes one request body.
     *
     * @param body the request body, decompressed
     * @param json true for {@code application/json}, false for {@code application/x-protobuf}
     * @return the accepted series and samples, plus the count of rejected points and why
     * @throws MalformedPayloadException if the body is not an {@code ExportMetricsServiceRequest} in that format
     */
    public WriteBatch decode(byte[] body, boolean json) {
        Objects.requireNonNull(body, "body");
        ExportMetricsServiceRequest request = json ? parseJson(body) : parseProtobuf(body);
        Decoding decoding = new Decoding(clock.millis());
        for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
            decoding.resource(resourceMetrics);
        }
        return decoding.batch;
    }

    /**
     * The {@code ExportMetricsServiceResponse} for a decoded batch, in the request's format: see
     * {@link #response(long, List, boolean)}.
     */
    public static byte[] response(WriteBatch batch, boolean json) {
        return response(batch.rejected(), batch.errors(), json);
    }

    /**
     * An {@code ExportMetricsServiceResponse}: empty when nothing was rejected, else with
     * {@code partial_success.rejected_data_points} and an {@code error_message} joining the reasons with "; ".
     * Answer it with HTTP 200; the client must not retry a partial success. Use this overload when points were also
     * rejected after decoding (by storage limits).
     *
     * @param rejectedDataPoints points rejected while decoding and storing
     * @param errors why, at most a few distinct reasons
     * @param json true for OTLP JSON (UTF-8), false for binary protobuf
     */
    public static byte[] response(long rejectedDataPoints, List<String> errors, boolean json) {
        ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
        if (rejectedDataPoints > 0) {
            response.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                    .setRejectedDataPoints(rejectedDataPoints)
                    .setErrorMessage(String.join("; ", errors)));
        }
        if (!json) {
            return response.build().toByteArray();
        }
        try {
            return JSON_PRINTER.print(response).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the response message has no Any fields, so it always prints", e);
        }
    }

    /** The cumulative state, for tests. */
    CumulativeToDelta increases() {
        return increases;
    }

    private static ExportMetricsServiceRequest parseProtobuf(byte[] body) {
        try {
            return ExportMetricsServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedPayloadException(
                    "body is not a valid OTLP ExportMetricsServiceRequest in protobuf: " + detail(e), e);
        }
    }

    private static ExportMetricsServiceRequest parseJson(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedPayloadException("body is not valid UTF-8, which OTLP JSON requires", e);
        }
        if (text.isBlank()) {
            throw new MalformedPayloadException(
                    "body is empty; OTLP JSON needs an ExportMetricsServiceRequest object such as {\"resourceMetrics\": []}");
        }
        checkStructure(text);
        ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
        try {
            JSON_PARSER.merge(text, request);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            // JsonFormat reports some syntax errors as unchecked Gson/IllegalArgument exceptions
            throw new MalformedPayloadException(
                    "body is not a valid OTLP ExportMetricsServiceRequest in JSON: " + detail(e), e);
        }
        return request.build();
    }

    /**
     * Refuses deep nesting before the recursive JSON parser sees it, and content after the top-level value, which
     * the (lenient) parser would ignore. Counts brackets outside strings.
     */
    private static void checkStructure(String text) {
        int depth = 0;
        boolean inString = false;
        boolean closed = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (closed && !Character.isWhitespace(c)) {
                throw new MalformedPayloadException("body has more content after the top-level JSON object");
            }
            if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > MAX_JSON_DEPTH) {
                    throw new MalformedPayloadException(
                            "body nests JSON more than " + MAX_JSON_DEPTH + " levels deep; OTLP needs about 15");
                }
            } else if (c == '}' || c == ']') {
                closed = --depth == 0;
            }
        }
    }

    /** The parser's message, cut short: parsers may quote large parts of the body. */
    private static String detail(Exception e) {
        String message = String.valueOf(e.getMessage());
        return message.length() > MAX_DETAIL_LENGTH ? message.substring(0, MAX_DETAIL_LENGTH) + "…" : message;
    }

    private static int pointCount(Metric metric) {
        return switch (metric.getDataCase()) {
            case GAUGE -> metric.getGauge().getDataPointsCount();
            case SUM -> metric.getSum().getDataPointsCount();
            case HISTOGRAM -> metric.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsCount();
            case SUMMARY -> metric.getSummary().getDataPointsCount();
            default -> 1;
        };
    }

    /** The label value of a scalar attribute, or null for arrays, key-value lists and bytes. */
    private static String labelValue(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            case VALUE_NOT_SET -> "";
            default -> null;
        };
    }

    private static String valueType(AnyValue value) {
        return switch (value.getValueCase()) {
            case ARRAY_VALUE -> "an array value";
            case KVLIST_VALUE -> "a key-value list value";
            case BYTES_VALUE -> "a bytes value";
            default -> "a string-table reference";
        };
    }

    private static long total(long[] counts) {
        long total = 0;
        for (long c : counts) {
            if (c < 0) {
                return -1;
            }
            total += c;
            if (total < 0) {
                return -1;
            }
        }
        return total;
    }

    /** The state of decoding one request. */
    private final class Decoding {
        final WriteBatch batch = new WriteBatch();
        final long nowMillis;
        final LabelSetBuilder labels = new LabelSetBuilder(rules);
        String[] resourceNames = new String[0];
        String[] resourceValues = new String[0];
        SeriesKey lastKey;
        MetricKind lastKind;

        Decoding(long nowMillis) {
            this.nowMillis = nowMillis;
        }

        void resource(ResourceMetrics resourceMetrics) {
            String problem = resourceAttributes(resourceMetrics.getResource().getAttributesList());
            for (ScopeMetrics scope : resourceMetrics.getScopeMetricsList()) {
                for (Metric metric : scope.getMetricsList()) {
                    if (problem != null) {
                        batch.reject(pointCount(metric), problem);
                    } else {
                        metric(metric);
                    }
                }
            }
        }

        /**
         * Keeps the identifying resource attributes ({@link #RESOURCE_LABELS}) as label pairs; null when fine, else
         * why every point is rejected. Other resource attributes describe the process (command line, OS, SDK) and
         * are dropped: as labels they would only add cardinality and, for command lines, secrets.
         */
        private String resourceAttributes(List<KeyValue> attributes) {
            List<String> names = new java.util.ArrayList<>();
            List<String> values = new java.util.ArrayList<>();
            for (KeyValue kv : attributes) {
                if (!RESOURCE_LABELS.contains(kv.getKey())) {
                    continue;
                }
                String value = labelValue(kv.getValue());
                if (value == null) {
                    return nonScalar("resource attribute", kv);
                }
                names.add(kv.getKey());
                values.add(value);
            }
            resourceNames = names.toArray(String[]::new);
            resourceValues = values.toArray(String[]::new);
            return null;
        }

        private String nonScalar(String what, KeyValue kv) {
            String nameProblem = rules.checkLabelName(kv.getKey());
            if (nameProblem != null) {
                return what + ": " + nameProblem;
            }
            return what + " '" + kv.getKey() + "' has " + valueType(kv.getValue())
                    + "; only string, bool, int and double attributes can be labels";
        }

        void metric(Metric metric) {
            String name = metric.getName();
            String problem = rules.checkMetricName(name);
            if (problem != null) {
                batch.reject(pointCount(metric), problem);
                return;
            }
            switch (metric.getDataCase()) {
                case GAUGE -> {
                    for (NumberDataPoint point : metric.getGauge().getDataPointsList()) {
                        number(name, point, MetricKind.GAUGE);
                    }
                }
                case SUM -> {
                    Sum sum = metric.getSum();
                    int temporality = sum.getAggregationTemporalityValue();
                    if (knownTemporality(name, "sum", temporality, sum.getDataPointsCount())) {
                        MetricKind kind = temporality == DELTA ? MetricKind.DELTA
                                : sum.getIsMonotonic() ? MetricKind.COUNTER : MetricKind.GAUGE;
                        for (NumberDataPoint point : sum.getDataPointsList()) {
                            number(name, point, kind);
                        }
                    }
                }
                case HISTOGRAM -> {
                    Histogram histogram = metric.getHistogram();
                    int temporality = histogram.getAggregationTemporalityValue();
                    if (knownTemporality(name, "histogram", temporality, histogram.getDataPointsCount())) {
                        for (HistogramDataPoint point : histogram.getDataPointsList()) {
                            histogram(name, point, temporality == CUMULATIVE);
                        }
                    }
                }
                case EXPONENTIAL_HISTOGRAM -> {
                    ExponentialHistogram histogram = metric.getExponentialHistogram();
                    int temporality = histogram.getAggregationTemporalityValue();
                    if (knownTemporality(name, "exponential histogram", temporality, histogram.getDataPointsCount())) {
                        for (ExponentialHistogramDataPoint point : histogram.getDataPointsList()) {
                            exponential(name, point, temporality == CUMULATIVE);
                        }
                    }
                }
                case SUMMARY -> batch.reject(metric.getSummary().getDataPointsCount(),
                        "metric '" + name + "': summary points are not supported; send histograms");
                default -> batch.reject(1,
                        "metric '" + name + "' has no gauge, sum, histogram or exponentialHistogram data");
            }
        }

        private boolean knownTemporality(String metric, String type, int temporality, int points) {
            if (temporality == DELTA || temporality == CUMULATIVE) {
                return true;
            }
            batch.reject(points, "metric '" + metric + "' is a " + type + " with aggregationTemporality "
                    + temporality + "; it must be 1 (delta) or 2 (cumulative)");
            return false;
        }

        private void number(String metric, NumberDataPoint point, MetricKind kind) {
            if ((point.getFlags() & NO_RECORDED_VALUE) != 0) {
                return;
            }
            double value;
            switch (point.getValueCase()) {
                case AS_DOUBLE -> value = point.getAsDouble();
                case AS_INT -> value = point.getAsInt();
                default -> {
                    batch.reject(1, "a point of '" + metric + "' has neither asDouble nor asInt");
                    return;
                }
            }
            long timestamp = millis(point.getTimeUnixNano());
            if (refused(rules.checkValue(metric, value))
                    || refused(rules.checkTimestamp(metric, timestamp, nowMillis))) {
                return;
            }
            SeriesKey key = key(metric, point.getAttributesList());
            if (key != null) {
                begin(key, kind);
                batch.addSample(timestamp, value);
            }
        }

        private void histogram(String metric, HistogramDataPoint point, boolean cumulative) {
            if ((point.getFlags() & NO_RECORDED_VALUE) != 0) {
                return;
            }
            long timestamp = millis(point.getTimeUnixNano());
            if (refused(rules.checkTimestamp(metric, timestamp, nowMillis))) {
                return;
            }
            ExplicitPoint explicit = explicitPoint(metric, point);
            if (explicit == null) {
                return;
            }
            SeriesKey key = key(metric, point.getAttributesList());
            if (key == null) {
                return;
            }
            ExplicitPoint increase = cumulative
                    ? increases.increase(key, point.getStartTimeUnixNano(), nanos(point.getTimeUnixNano()), explicit)
                    : explicit;
            if (increase != null) {
                begin(key, MetricKind.HISTOGRAM);
                batch.addDistribution(timestamp, Distribution.explicit(increase.count(), increase.sumOrEstimate(),
                        increase.min(), increase.max(), increase.bounds(), increase.counts()));
            }
        }

        private ExplicitPoint explicitPoint(String metric, HistogramDataPoint point) {
            String what = "a histogram point of '" + metric + "'";
            long count = point.getCount();
            if (count < 0) {
                return reject(what + " has a count above 2^63 - 1");
            }
            int boundCount = point.getExplicitBoundsCount();
            int bucketCount = point.getBucketCountsCount();
            double[] bounds;
            long[] counts;
            if (boundCount == 0 && bucketCount == 0) {
                bounds = NO_BOUNDS;
                counts = new long[] {count};
            } else if (bucketCount != boundCount + 1) {
                return reject(what + " has " + bucketCount + " bucket counts for " + boundCount
                        + " explicit bounds; it needs one count more than bounds");
            } else {
                bounds = new double[boundCount];
                for (int i = 0; i < boundCount; i++) {
                    bounds[i] = point.getExplicitBounds(i);
                    if (!Double.isFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
                        return reject(what + " has explicit bounds that are not finite and strictly ascending");
                    }
                }
                counts = new long[bucketCount];
                for (int i = 0; i < bucketCount; i++) {
                    counts[i] = point.getBucketCounts(i);
                }
                long total = total(counts);
                if (total < 0) {
                    return reject(what + " has bucket counts adding up to more than 2^63 - 1");
                }
                if (total != count) {
                    return reject(what + " has bucket counts adding up to " + total + " but a count of " + count);
                }
            }
            double sum = point.hasSum() ? point.getSum() : Double.NaN;
            double min = point.hasMin() ? point.getMin() : Double.NaN;
            double max = point.hasMax() ? point.getMax() : Double.NaN;
            String problem = checkSummaryStats(what, point.hasSum(), sum, point.hasMin(), min, point.hasMax(), max);
            if (problem != null) {
                return reject(problem);
            }
            return new ExplicitPoint(count, sum, min, max, bounds, counts);
        }

        private void exponential(String metric, ExponentialHistogramDataPoint point, boolean cumulative) {
            if ((point.getFlags() & NO_RECORDED_VALUE) != 0) {
                return;
            }
            long timestamp = millis(point.getTimeUnixNano());
            if (refused(rules.checkTimestamp(metric, timestamp, nowMillis))) {
                return;
            }
            ExponentialPoint exponential = exponentialPoint(metric, point);
            if (exponential == null) {
                return;
            }
            SeriesKey key = key(metric, point.getAttributesList());
            if (key == null) {
                return;
            }
            ExponentialPoint increase = cumulative
                    ? increases.increase(key, point.getStartTimeUnixNano(), nanos(point.getTimeUnixNano()), exponential)
                    : exponential;
            if (increase != null) {
                DDSketch sketch = increase.toSketch();
                double sum = Double.isNaN(increase.sum()) ? sketch.getSum() : increase.sum();
                begin(key, MetricKind.DISTRIBUTION);
                batch.addDistribution(timestamp, Distribution.ofSketch(sketch, sum, increase.min(), increase.max()));
            }
        }

        private ExponentialPoint exponentialPoint(String metric, ExponentialHistogramDataPoint point) {
            String what = "an exponential histogram point of '" + metric + "'";
            int scale = point.getScale();
            if (scale < ExponentialPoint.MIN_SCALE || scale > ExponentialPoint.MAX_SCALE) {
                return reject(what + " has scale " + scale + "; it must be within [" + ExponentialPoint.MIN_SCALE
                        + ", " + ExponentialPoint.MAX_SCALE + "]");
            }
            long count = point.getCount();
            long zeroCount = point.getZeroCount();
            ExponentialPoint.Buckets positive = buckets(point.getPositive());
            ExponentialPoint.Buckets negative = buckets(point.getNegative());
            long positiveTotal = total(positive.counts());
            long negativeTotal = total(negative.counts());
            long total = total(new long[] {zeroCount, positiveTotal, negativeTotal});
            if (count < 0 || positiveTotal < 0 || negativeTotal < 0 || total < 0) {
                return reject(what + " has counts adding up to more than 2^63 - 1");
            }
            if (total != count) {
                return reject(what + " has zero and bucket counts adding up to " + total + " but a count of " + count);
            }
            double sum = point.hasSum() ? point.getSum() : Double.NaN;
            double min = point.hasMin() ? point.getMin() : Double.NaN;
            double max = point.hasMax() ? point.getMax() : Double.NaN;
            String problem = checkSummaryStats(what, point.hasSum(), sum, point.hasMin(), min, point.hasMax(), max);
            if (problem != null) {
                return reject(problem);
            }
            ExponentialPoint result = new ExponentialPoint(scale, zeroCount, positive, negative, count, sum, min, max);
            if (!result.fitsSketch()) {
                return reject(what + " has buckets beyond ±1.7e308 at scale " + scale);
            }
            return result;
        }

        private static ExponentialPoint.Buckets buckets(ExponentialHistogramDataPoint.Buckets buckets) {
            int n = buckets.getBucketCountsCount();
            if (n == 0) {
                return ExponentialPoint.Buckets.EMPTY;
            }
            long[] counts = new long[n];
            for (int i = 0; i < n; i++) {
                counts[i] = buckets.getBucketCounts(i);
            }
            return new ExponentialPoint.Buckets(buckets.getOffset(), counts);
        }

        private static String checkSummaryStats(String what, boolean hasSum, double sum, boolean hasMin, double min,
                                                boolean hasMax, double max) {
            if ((hasSum && !Double.isFinite(sum)) || (hasMin && !Double.isFinite(min))
                    || (hasMax && !Double.isFinite(max))) {
                return what + " has a sum, min or max that is not a finite number";
            }
            if (min > max) {
                return what + " has a min greater than its max";
            }
            return null;
        }

        /** Labels of a point merged over the resource's; null when the point was rejected for them. */
        private SeriesKey key(String metric, List<KeyValue> attributes) {
            labels.clear();
            for (int i = 0; i < resourceNames.length; i++) {
                labels.put(resourceNames[i], resourceValues[i]);
            }
            for (int i = 0; i < attributes.size(); i++) {
                KeyValue kv = attributes.get(i);
                String value = labelValue(kv.getValue());
                if (value == null) {
                    batch.reject(1, "a point of '" + metric + "': " + nonScalar("attribute", kv));
                    return null;
                }
                labels.put(kv.getKey(), value);
            }
            LabelSetBuilder.Result result = labels.build(metric);
            if (!result.accepted()) {
                batch.reject(1, result.reason());
                return null;
            }
            return new SeriesKey(metric, result.labels());
        }

        private void begin(SeriesKey key, MetricKind kind) {
            if (kind != lastKind || !key.equals(lastKey)) {
                batch.beginSeries(key, kind);
                lastKey = key;
                lastKind = kind;
            }
        }

        private long millis(long timeUnixNano) {
            return timeUnixNano == 0 ? nowMillis : Math.floorDiv(timeUnixNano, 1_000_000L);
        }

        private long nanos(long timeUnixNano) {
            return timeUnixNano == 0 ? nowMillis * 1_000_000L : timeUnixNano;
        }

        private boolean refused(String problem) {
            if (problem == null) {
                return false;
            }
            batch.reject(1, problem);
            return true;
        }

        private <T> T reject(String reason) {
            batch.reject(1, reason);
            return null;
        }
    }
}
