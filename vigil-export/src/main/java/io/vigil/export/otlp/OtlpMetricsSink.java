package io.vigil.export.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.vigil.core.Aggregate;
import io.vigil.core.MetricKind;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.core.privacy.PersonalData;
import io.vigil.export.ExportPoint;
import io.vigil.export.ExportSink;
import io.vigil.export.Refusals;
import io.vigil.export.http.ExportDelivery;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports points over OTLP/HTTP ({@code POST <url>/v1/metrics}, binary protobuf, INTEGRATIONS.md 2.7) as one
 * {@code ExportMetricsServiceRequest} per payload: one resource ({@code service.name}), one scope
 * ({@value #SCOPE}), and each point as a data point whose attributes are its labels plus the wedding context tags
 * ({@code wedding_season}, {@code wedding_peak_time}, {@code estimated_wedding_load}), which change with the point's
 * time and so cannot be resource attributes. All temporalities are DELTA (each point covers its own 10 s interval):
 * <ul>
 *   <li>counters as a monotonic Sum, deltas as a non-monotonic Sum, of the interval's count;
 *   <li>gauges as a Gauge of the last value, timestamped when it was sampled;
 *   <li>distributions with a DDSketch as an ExponentialHistogram (see {@link ExponentialBuckets}: scale 6, about
 *       the sketch's own accuracy), with count, sum, min and max;
 *   <li>explicit-bucket histograms (no sketch) as a Histogram with their bounds.
 * </ul>
 * Histogram {@code sum}, {@code min} and {@code max} are left out when not finite; {@code sum} also when an
 * observation was negative, as the OTLP proto asks. Gauge and Sum values are sent as they are, NaN and infinities
 * included (protobuf carries them; the collector decides).
 *
 * <p>Answers (INTEGRATIONS.md 2.14): 200 is success, including a {@code partial_success} (never retried; the rejected
 * data points are counted in {@link #rejectedByCollector()} and logged); 429, 502, 503 and 504 are retried
 * honouring {@code Retry-After}; every other status is final. Payloads stay within {@value #MAX_PAYLOAD_BYTES} bytes
 * (batches are split; a point larger alone is refused as {@code too_large}). Configured header values (often
 * credentials) are never logged or shown. Thread-safe.
 */
public final class OtlpMetricsSink implements ExportSink<ExportPoint> {
    private static final Logger LOG = LoggerFactory.getLogger(OtlpMetricsSink.class);

    /** The most bytes of one request: 4 MiB, well within the 20 MiB collectors are recommended to take. */
    static final int MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;
    /** The statuses OTLP/HTTP clients retry: 429, 502, 503, 504 (not 500). */
    static final IntPredicate RETRYABLE = s -> s == 429 || s == 502 || s == 503 || s == 504;
    /** The instrumentation scope of every metric. */
    static final String SCOPE = "io.vigil.export";
    /** Bytes a data point may add to a request beyond its own size: its tag and length, a share of its metric's. */
    private static final int POINT_OVERHEAD = 16;
    /** Bytes a metric adds beyond its name and points. */
    private static final int METRIC_OVERHEAD = 32;

    private final URI endpoint;
    private final Map<String, String> headers;
    private final ExportDelivery delivery;
    private final Resource resource;
    private final AtomicLong rejectedByCollector = new AtomicLong();

    /**
     * @param endpoint the full URL, ending in {@code /v1/metrics}
     * @param serviceName the {@code service.name} resource attribute
     * @param headers extra request headers, already checked (their values may be secrets)
     * @param timeout for connecting and for the whole exchange
     * @param clock for {@code Retry-After} dates
     */
    OtlpMetricsSink(URI endpoint, String serviceName, Map<String, String> headers, Duration timeout, Clock clock) {
        this.endpoint = endpoint;
        this.headers = Map.copyOf(headers);
        this.delivery = new ExportDelivery(timeout, clock);
        this.resource = Resource.newBuilder().addAttributes(attribute("service.name", serviceName)).build();
    }

    @Override
    public String name() {
        return "otlp";
    }

    /** Where payloads go. */
    public URI endpoint() {
        return endpoint;
    }

    /** Data points the collector reported as rejected in a {@code partial_success} so far (never retried). */
    @Override
    public java.util.Map<String, Object> details() {
        return java.util.Map.of("rejectedByCollector", rejectedByCollector());
    }

    public long rejectedByCollector() {
        return rejectedByCollector.get();
    }

    /** The kind of OTLP metric a point becomes; points of the same name and shape share a {@code Metric}. */
    private enum Shape { GAUGE, MONOTONIC_SUM, SUM, HISTOGRAM, EXPONENTIAL_HISTOGRAM }

    private record MetricKey(String name, Shape shape) {}

    /** One point as an OTLP data point (a {@code NumberDataPoint}, {@code HistogramDataPoint} or exponential one). */
    private record Entry(ExportPoint point, MetricKey key, com.google.protobuf.Message dataPoint, int size) {}

    @Override
    public Encoded<ExportPoint> encode(List<ExportPoint> points) {
        Refusals refusals = new Refusals();
        List<Entry> entries = new ArrayList<>(points.size());
        for (ExportPoint p : points) {
            Entry e = entry(p);
            if (e.size() + e.key().name().length() + METRIC_OVERHEAD + baseSize() > MAX_PAYLOAD_BYTES) {
                refusals.add("too_large");
                continue;
            }
            entries.add(e);
        }
        List<Payload<ExportPoint>> payloads = new ArrayList<>();
        List<Entry> current = new ArrayList<>();
        java.util.Set<MetricKey> keys = new java.util.HashSet<>();
        long size = baseSize();
        for (Entry e : entries) {
            long more = e.size() + (keys.contains(e.key()) ? 0 : e.key().name().length() + METRIC_OVERHEAD);
            if (!current.isEmpty() && size + more > MAX_PAYLOAD_BYTES) {
                build(current, payloads, refusals);
                current = new ArrayList<>();
                keys.clear();
                size = baseSize();
                more = e.size() + e.key().name().length() + METRIC_OVERHEAD;
            }
            current.add(e);
            keys.add(e.key());
            size += more;
        }
        build(current, payloads, refusals);
        if (refusals.total() > 0) {
            LOG.debug("exporter otlp left out {} of {} points: {}", refusals.total(), points.size(), refusals);
        }
        return refusals.encoded(payloads);
    }

    private long baseSize() {
        return resource.getSerializedSize() + SCOPE.length() + 32;
    }

    /** The request of the entries, halved should it still come out over the limit (the estimate is generous). */
    private void build(List<Entry> entries, List<Payload<ExportPoint>> out, Refusals refusals) {
        if (entries.isEmpty()) {
            return;
        }
        byte[] body = request(entries).toByteArray();
        if (body.length <= MAX_PAYLOAD_BYTES) {
            out.add(new Payload<>(entries.stream().map(Entry::point).toList(), body));
        } else if (entries.size() == 1) {
            refusals.add("too_large");
        } else {
            int half = entries.size() / 2;
            build(entries.subList(0, half), out, refusals);
            build(entries.subList(half, entries.size()), out, refusals);
        }
    }

    private ExportMetricsServiceRequest request(List<Entry> entries) {
        Map<MetricKey, Metric.Builder> metrics = new LinkedHashMap<>();
        for (Entry e : entries) {
            Metric.Builder m = metrics.computeIfAbsent(e.key(), OtlpMetricsSink::metric);
            switch (e.dataPoint()) {
                case NumberDataPoint d when e.key().shape() == Shape.GAUGE -> m.getGaugeBuilder().addDataPoints(d);
                case NumberDataPoint d -> m.getSumBuilder().addDataPoints(d);
                case HistogramDataPoint d -> m.getHistogramBuilder().addDataPoints(d);
                case ExponentialHistogramDataPoint d -> m.getExponentialHistogramBuilder().addDataPoints(d);
                default -> throw new IllegalStateException("unexpected data point " + e.dataPoint().getClass());
            }
        }
        ScopeMetrics.Builder scope = ScopeMetrics.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName(SCOPE));
        metrics.values().forEach(scope::addMetrics);
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource).addScopeMetrics(scope))
                .build();
    }

    private static Metric.Builder metric(MetricKey key) {
        Metric.Builder m = Metric.newBuilder().setName(key.name());
        AggregationTemporality delta = AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
        switch (key.shape()) {
            case GAUGE -> m.setGauge(Gauge.newBuilder());
            case MONOTONIC_SUM -> m.setSum(Sum.newBuilder().setAggregationTemporality(delta).setIsMonotonic(true));
            case SUM -> m.setSum(Sum.newBuilder().setAggregationTemporality(delta).setIsMonotonic(false));
            case HISTOGRAM -> m.setHistogram(Histogram.newBuilder().setAggregationTemporality(delta));
            case EXPONENTIAL_HISTOGRAM -> m.setExponentialHistogram(ExponentialHistogram.newBuilder()
                    .setAggregationTemporality(delta));
        }
        return m;
    }

    /** A point as its data point. */
    private Entry entry(ExportPoint p) {
        List<KeyValue> attributes = attributes(p);
        long start = p.startMillis() * 1_000_000;
        long end = p.endMillis() * 1_000_000;
        Aggregate a = p.aggregate();
        com.google.protobuf.Message dataPoint;
        Shape shape;
        if (p.isDistribution()) {
            boolean explicit = a.explicitBounds() != null && !hasSketch(a);
            if (explicit) {
                shape = Shape.HISTOGRAM;
                dataPoint = histogram(a, attributes, start, end);
            } else {
                shape = Shape.EXPONENTIAL_HISTOGRAM;
                dataPoint = exponentialHistogram(a, attributes, start, end);
            }
        } else if (p.kind() == MetricKind.GAUGE) {
            shape = Shape.GAUGE;
            long sampled = Math.max(p.startMillis(), Math.min(a.lastTimestamp(), p.endMillis() - 1));
            dataPoint = NumberDataPoint.newBuilder().addAllAttributes(attributes).setStartTimeUnixNano(start)
                    .setTimeUnixNano(sampled * 1_000_000).setAsDouble(a.lastValue()).build();
        } else {
            shape = p.kind() == MetricKind.COUNTER ? Shape.MONOTONIC_SUM : Shape.SUM;
            dataPoint = NumberDataPoint.newBuilder().addAllAttributes(attributes).setStartTimeUnixNano(start)
                    .setTimeUnixNano(end).setAsDouble(p.count()).build();
        }
        int size = dataPoint.getSerializedSize() + POINT_OVERHEAD;
        return new Entry(p, new MetricKey(p.metric(), shape), dataPoint, size);
    }

    private static boolean hasSketch(Aggregate a) {
        boolean[] any = {false};
        a.forEachSketchBin((v, c) -> any[0] = true);
        return any[0];
    }

    private static ExponentialHistogramDataPoint exponentialHistogram(Aggregate a, List<KeyValue> attributes,
                                                                      long start, long end) {
        ExponentialBuckets b = ExponentialBuckets.of(a);
        ExponentialHistogramDataPoint.Builder d = ExponentialHistogramDataPoint.newBuilder()
                .addAllAttributes(attributes).setStartTimeUnixNano(start).setTimeUnixNano(end)
                .setCount(b.count()).setScale(b.scale()).setZeroCount(b.zeroCount())
                .setZeroThreshold(ExponentialBuckets.ZERO_THRESHOLD);
        if (b.positive().length > 0) {
            ExponentialHistogramDataPoint.Buckets.Builder pos = d.getPositiveBuilder().setOffset(b.positiveOffset());
            for (long c : b.positive()) {
                pos.addBucketCounts(c);
            }
        }
        if (b.negative().length > 0) {
            ExponentialHistogramDataPoint.Buckets.Builder neg = d.getNegativeBuilder().setOffset(b.negativeOffset());
            for (long c : b.negative()) {
                neg.addBucketCounts(c);
            }
        }
        // Sum, min and max describe the sketch's observations only when the aggregate holds nothing else.
        if (b.count() > 0 && b.count() == a.observations()) {
            if (Double.isFinite(a.sum()) && !(a.min() < 0)) {
                d.setSum(a.sum());
            }
            if (Double.isFinite(a.min()) && Double.isFinite(a.max())) {
                d.setMin(a.min()).setMax(a.max());
            }
        }
        return d.build();
    }

    private static HistogramDataPoint histogram(Aggregate a, List<KeyValue> attributes, long start, long end) {
        double[] bounds = a.explicitBounds();
        long[] counts = a.explicitCounts();
        HistogramDataPoint.Builder d = HistogramDataPoint.newBuilder().addAllAttributes(attributes)
                .setStartTimeUnixNano(start).setTimeUnixNano(end);
        long count = 0;
        for (double bound : bounds) {
            d.addExplicitBounds(bound);
        }
        for (long c : counts) {
            d.addBucketCounts(c);
            count += c;
        }
        d.setCount(count);
        if (count > 0 && count == a.observations()) {
            if (Double.isFinite(a.sum()) && !(a.min() < 0) && !(bounds.length > 0 && bounds[0] < 0 && counts[0] > 0)) {
                d.setSum(a.sum());
            }
            if (Double.isFinite(a.min()) && Double.isFinite(a.max())) {
                d.setMin(a.min()).setMax(a.max());
            }
        }
        return d.build();
    }

    /** The point's labels, less any named like a context tag, then the context tags. */
    private static List<KeyValue> attributes(ExportPoint p) {
        Map<String, String> tags = p.tags().asMap();
        List<KeyValue> out = new ArrayList<>(p.labels().size() + tags.size());
        p.labels().forEach((k, v) -> {
            if (!tags.containsKey(k)) {
                out.add(attribute(k, v));
            }
        });
        tags.forEach((k, v) -> out.add(attribute(k, v)));
        return out;
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    @Override
    public SendOutcome send(Payload<ExportPoint> payload) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint);
        headers.forEach(request::header);
        request.header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload.body()));
        ExportDelivery.Answer answer = delivery.send(request, RETRYABLE);
        if (answer.outcome() instanceof SendOutcome.Delivered) {
            partialSuccess(answer.body(), payload.items().size());
        }
        return answer.outcome();
    }

    /** Counts and logs the data points a 200 answer says were rejected; they are not retried (OTLP forbids it). */
    private void partialSuccess(byte[] body, int sent) {
        if (body.length == 0) {
            return;
        }
        ExportMetricsPartialSuccess partial;
        try {
            partial = ExportMetricsServiceResponse.parseFrom(body).getPartialSuccess();
        } catch (InvalidProtocolBufferException e) {
            LOG.debug("exporter otlp: the collector's answer is not an ExportMetricsServiceResponse");
            return;
        }
        String message = readable(partial.getErrorMessage());
        if (partial.getRejectedDataPoints() > 0) {
            rejectedByCollector.addAndGet(partial.getRejectedDataPoints());
            LOG.warn("exporter otlp: the collector rejected {} of {} data points (not retried): {}",
                    partial.getRejectedDataPoints(), sent, message);
        } else if (!message.isEmpty()) {
            LOG.info("exporter otlp: the collector accepted every data point with a warning: {}", message);
        }
    }

    /** A collector's message for a log line: one line of at most 300 characters, personal data redacted. */
    static String readable(String message) {
        String s = message.replaceAll("\\p{Cntrl}", " ").strip();
        if (s.length() > 300) {
            s = s.substring(0, 300) + "…";
        }
        return PersonalData.redact(s);
    }

    /** The endpoint and the names of the extra headers; never their values. */
    @Override
    public String toString() {
        return "OtlpMetricsSink[" + endpoint + ", headers=" + new java.util.TreeSet<>(headers.keySet()) + "]";
    }
}
