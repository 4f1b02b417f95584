package io.vigil.ingest.otlp;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
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
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.vigil.ingest.Batches;
import java.util.Arrays;

/** Builders for OTLP test requests; every request comes from service.name=wedding-api. */
final class OtlpFixtures {
    static final long NOW_NANOS = Batches.NOW * 1_000_000L;
    static final long START_NANOS = NOW_NANOS - 3_600_000_000_000L;
    static final AggregationTemporality DELTA = AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
    static final AggregationTemporality CUMULATIVE = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;

    private OtlpFixtures() {}

    static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue attr(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    static ExportMetricsServiceRequest request(Metric... metrics) {
        return request(new KeyValue[] {attr("service.name", "wedding-api")}, metrics);
    }

    static ExportMetricsServiceRequest request(KeyValue[] resource, Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(Resource.newBuilder().addAllAttributes(Arrays.asList(resource)))
                        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(Arrays.asList(metrics))))
                .build();
    }

    static NumberDataPoint.Builder number(double value) {
        return NumberDataPoint.newBuilder().setAsDouble(value).setTimeUnixNano(NOW_NANOS)
                .setStartTimeUnixNano(START_NANOS);
    }

    static Metric gauge(String name, NumberDataPoint.Builder... points) {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (NumberDataPoint.Builder p : points) {
            gauge.addDataPoints(p);
        }
        return Metric.newBuilder().setName(name).setGauge(gauge).build();
    }

    static Metric sum(String name, AggregationTemporality temporality, boolean monotonic,
                      NumberDataPoint.Builder... points) {
        Sum.Builder sum = Sum.newBuilder().setAggregationTemporality(temporality).setIsMonotonic(monotonic);
        for (NumberDataPoint.Builder p : points) {
            sum.addDataPoints(p);
        }
        return Metric.newBuilder().setName(name).setSum(sum).build();
    }

    /** A point with bounds {0.1, 0.5} and the given three bucket counts, sum 0.9 * count / 3. */
    static HistogramDataPoint.Builder histogramPoint(long... counts) {
        long count = Arrays.stream(counts).sum();
        HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder().setTimeUnixNano(NOW_NANOS)
                .setStartTimeUnixNano(START_NANOS).setCount(count).setSum(0.3 * count)
                .addExplicitBounds(0.1).addExplicitBounds(0.5);
        for (long c : counts) {
            p.addBucketCounts(c);
        }
        return p;
    }

    static Metric histogram(String name, AggregationTemporality temporality, HistogramDataPoint.Builder... points) {
        Histogram.Builder h = Histogram.newBuilder().setAggregationTemporality(temporality);
        for (HistogramDataPoint.Builder p : points) {
            h.addDataPoints(p);
        }
        return Metric.newBuilder().setName(name).setHistogram(h).build();
    }

    static ExponentialHistogramDataPoint.Builder exponentialPoint(int scale, long zeroCount, int offset,
                                                                   long... positive) {
        ExponentialHistogramDataPoint.Buckets.Builder buckets = ExponentialHistogramDataPoint.Buckets.newBuilder()
                .setOffset(offset);
        long count = zeroCount;
        for (long c : positive) {
            buckets.addBucketCounts(c);
            count += c;
        }
        return ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(NOW_NANOS).setStartTimeUnixNano(START_NANOS)
                .setScale(scale).setZeroCount(zeroCount).setPositive(buckets).setCount(count);
    }

    static Metric exponential(String name, AggregationTemporality temporality,
                              ExponentialHistogramDataPoint.Builder... points) {
        ExponentialHistogram.Builder h = ExponentialHistogram.newBuilder().setAggregationTemporality(temporality);
        for (ExponentialHistogramDataPoint.Builder p : points) {
            h.addDataPoints(p);
        }
        return Metric.newBuilder().setName(name).setExponentialHistogram(h).build();
    }

    static Metric summary(String name, int points) {
        Summary.Builder s = Summary.newBuilder();
        for (int i = 0; i < points; i++) {
            s.addDataPoints(SummaryDataPoint.newBuilder().setTimeUnixNano(NOW_NANOS).setCount(1).setSum(1));
        }
        return Metric.newBuilder().setName(name).setSummary(s).build();
    }
}
