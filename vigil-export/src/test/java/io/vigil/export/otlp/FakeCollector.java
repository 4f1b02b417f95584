package io.vigil.export.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.vigil.export.http.Receiver;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * An OTLP/HTTP collector as INTEGRATIONS.md 2.7 documents it: {@code POST /v1/metrics} with
 * {@code Content-Type: application/x-protobuf} (415 otherwise), bodies up to the recommended 20 MiB (413 beyond),
 * parsed with {@link ExportMetricsServiceRequest#parseFrom} (400 when that fails or the request breaks the data model)
 * and answered 200 with an {@link ExportMetricsServiceResponse} in protobuf, carrying a {@code partial_success} when
 * one is set. Accepted requests are kept for assertions.
 */
final class FakeCollector implements AutoCloseable {
    static final int MAX_BODY = 20 * 1024 * 1024;

    final Receiver receiver;
    final List<ExportMetricsServiceRequest> accepted = new CopyOnWriteArrayList<>();
    final List<Integer> sizes = new CopyOnWriteArrayList<>();
    /** What was wrong with requests answered 400: a test expects none. */
    final List<String> problems = new CopyOnWriteArrayList<>();
    private volatile ExportMetricsPartialSuccess partialSuccess;

    FakeCollector() {
        receiver = new Receiver(this::handle);
    }

    OtlpMetricsSink sink(java.time.Duration timeout) {
        return new OtlpMetricsSink(receiver.uri("/v1/metrics"), "vigil", Map.of(), timeout,
                io.vigil.export.TestPoints.CLOCK);
    }

    /** Answers later requests with a partial success. */
    void partialSuccess(long rejected, String message) {
        partialSuccess = ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(rejected)
                .setErrorMessage(message).build();
    }

    private Receiver.Response handle(Receiver.Request r) {
        if (!r.method().equals("POST") || !r.path().equals("/v1/metrics")) {
            return Receiver.Response.of(404);
        }
        if (!"application/x-protobuf".equals(r.header("Content-Type"))) {
            return Receiver.Response.of(415);
        }
        if (r.body().length > MAX_BODY) {
            return Receiver.Response.of(413);
        }
        sizes.add(r.body().length);
        ExportMetricsServiceRequest request;
        try {
            request = ExportMetricsServiceRequest.parseFrom(r.body());
            validate(request);
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            problems.add(e.getMessage());
            return Receiver.Response.of(400);
        }
        accepted.add(request);
        ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
        if (partialSuccess != null) {
            response.setPartialSuccess(partialSuccess);
        }
        return Receiver.Response.of(200, "application/x-protobuf", response.build().toByteArray());
    }

    private static void validate(ExportMetricsServiceRequest request) {
        check(request.getResourceMetricsCount() > 0, "no resource metrics");
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            check(attributes(rm.getResource().getAttributesList()).containsKey("service.name"),
                    "resource without service.name");
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    check(!m.getName().isEmpty(), "metric without a name");
                    switch (m.getDataCase()) {
                        case GAUGE -> m.getGauge().getDataPointsList().forEach(FakeCollector::number);
                        case SUM -> {
                            delta(m.getSum().getAggregationTemporality());
                            m.getSum().getDataPointsList().forEach(FakeCollector::number);
                        }
                        case HISTOGRAM -> {
                            delta(m.getHistogram().getAggregationTemporality());
                            m.getHistogram().getDataPointsList().forEach(FakeCollector::histogram);
                        }
                        case EXPONENTIAL_HISTOGRAM -> {
                            delta(m.getExponentialHistogram().getAggregationTemporality());
                            m.getExponentialHistogram().getDataPointsList().forEach(FakeCollector::exponential);
                        }
                        default -> throw new IllegalArgumentException("metric " + m.getName() + " has no data");
                    }
                }
            }
        }
    }

    private static void delta(AggregationTemporality t) {
        check(t == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, "temporality " + t + " is not DELTA");
    }

    private static void number(NumberDataPoint d) {
        times(d.getStartTimeUnixNano(), d.getTimeUnixNano());
        attributes(d.getAttributesList());
        check(d.getValueCase() != NumberDataPoint.ValueCase.VALUE_NOT_SET, "number point without a value");
    }

    private static void histogram(HistogramDataPoint d) {
        times(d.getStartTimeUnixNano(), d.getTimeUnixNano());
        attributes(d.getAttributesList());
        check(d.getBucketCountsCount() == d.getExplicitBoundsCount() + 1, "bucket counts must be bounds + 1");
        check(d.getBucketCountsList().stream().mapToLong(Long::longValue).sum() == d.getCount(),
                "bucket counts must add up to count");
    }

    private static void exponential(ExponentialHistogramDataPoint d) {
        times(d.getStartTimeUnixNano(), d.getTimeUnixNano());
        attributes(d.getAttributesList());
        long buckets = d.getZeroCount()
                + d.getPositive().getBucketCountsList().stream().mapToLong(Long::longValue).sum()
                + d.getNegative().getBucketCountsList().stream().mapToLong(Long::longValue).sum();
        check(buckets == d.getCount(), "zero and bucket counts must add up to count");
        check(d.getScale() >= -10 && d.getScale() <= 20, "scale out of range");
    }

    private static void times(long start, long time) {
        check(start > 1_000_000_000_000_000_000L && time >= start, "times must be epoch nanoseconds, start first");
    }

    private static Map<String, String> attributes(List<KeyValue> kvs) {
        Set<String> keys = new HashSet<>();
        for (KeyValue kv : kvs) {
            check(keys.add(kv.getKey()), "duplicate attribute " + kv.getKey());
        }
        return kvs.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
    }

    static Map<String, String> attributesOf(List<KeyValue> kvs) {
        return attributes(kvs);
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Every metric of every accepted request. */
    List<Metric> metrics() {
        return accepted.stream().flatMap(r -> r.getResourceMetricsList().stream())
                .flatMap(rm -> rm.getScopeMetricsList().stream()).flatMap(sm -> sm.getMetricsList().stream())
                .toList();
    }

    /** The metrics named so. */
    List<Metric> named(String name) {
        return metrics().stream().filter(m -> m.getName().equals(name)).toList();
    }

    @Override
    public void close() {
        receiver.close();
    }
}
