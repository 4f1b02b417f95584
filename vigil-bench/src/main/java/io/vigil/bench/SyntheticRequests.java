package io.vigil.bench;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/** Request bodies over the synthetic series of {@link SeriesLabels}, for the JMH benchmarks and the load generator. */
public final class SyntheticRequests {
    private SyntheticRequests() {}

    /**
     * A snappy-compressed remote write request for series {@code [first, first + count)} of one metric, one sample
     * each at {@code timestampMillis}, counter values from {@link RequestTemplate#counterValue}.
     */
    public static byte[] remoteWrite(String metric, long first, int count, int labels, long timestampMillis) {
        byte[][] blobs = new byte[count][];
        double[] values = new double[count];
        long[] ts = new long[count];
        for (int k = 0; k < count; k++) {
            blobs[k] = RemoteWriteEncoding.labelBlob(metric, first + k, labels);
            values[k] = RequestTemplate.counterValue(first + k, 0);
            ts[k] = timestampMillis;
        }
        try {
            return Snappy.compress(RemoteWriteEncoding.writeRequest(blobs, values, ts));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An OTLP {@code ExportMetricsServiceRequest} for series {@code [first, first + count)}: resource
     * {@code service.name=vigil-bench}, scope {@code vigil-bench}, one Metric per metric name (see
     * {@link SeriesLabels#metricName}) holding a cumulative monotonic Sum or a Gauge with one point per series; point
     * attributes are the series' labels.
     */
    public static ExportMetricsServiceRequest otlp(String metricBase, int metrics, long first, int count, int labels,
                                                   boolean gauge, long startMillis, long timestampMillis) {
        Map<String, List<NumberDataPoint>> byMetric = new LinkedHashMap<>();
        for (long i = first; i < first + count; i++) {
            String[][] l = SeriesLabels.of(i, labels);
            NumberDataPoint.Builder p = NumberDataPoint.newBuilder()
                    .setStartTimeUnixNano(startMillis * 1_000_000L)
                    .setTimeUnixNano(timestampMillis * 1_000_000L)
                    .setAsDouble(RequestTemplate.counterValue(i, 0) + 1); // never 0: proto3 would omit it
            for (int k = 0; k < l[0].length; k++) {
                p.addAttributes(KeyValue.newBuilder().setKey(l[0][k])
                        .setValue(AnyValue.newBuilder().setStringValue(l[1][k])));
            }
            byMetric.computeIfAbsent(SeriesLabels.metricName(metricBase, (int) (i % metrics), metrics),
                    m -> new ArrayList<>()).add(p.build());
        }
        ScopeMetrics.Builder scope = ScopeMetrics.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("vigil-bench").setVersion("0.1"));
        for (Map.Entry<String, List<NumberDataPoint>> e : byMetric.entrySet()) {
            Metric.Builder metric = Metric.newBuilder().setName(e.getKey()).setUnit("1");
            if (gauge) {
                metric.setGauge(Gauge.newBuilder().addAllDataPoints(e.getValue()));
            } else {
                metric.setSum(Sum.newBuilder().addAllDataPoints(e.getValue()).setIsMonotonic(true)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE));
            }
            scope.addMetrics(metric);
        }
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue("vigil-bench"))))
                        .addScopeMetrics(scope))
                .build();
    }
}
