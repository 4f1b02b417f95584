package io.vigil.bench;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OTLP/HTTP protobuf {@code ExportMetricsServiceRequest} for series {@code [first, first + count)}, one point each,
 * built once with the generated classes; before each send the {@code time_unix_nano} and {@code as_double} of every
 * point (both fixed 8-byte fields) are rewritten in place, so sending costs no protobuf encoding.
 *
 * <p>Resource: {@code service.name=vigil-bench}; scope {@code vigil-bench}; one Metric per metric name, a cumulative
 * monotonic Sum ({@code sum}) or a Gauge ({@code gauge}); point attributes are the synthetic labels of
 * {@link SeriesLabels}.
 */
final class OtlpTemplate extends RequestTemplate {
    private final long[] series;
    private final int[] timeOffsets;
    private final int[] valueOffsets;

    private OtlpTemplate(byte[] body, long[] series, int[] timeOffsets, int[] valueOffsets) {
        super(body, series.length);
        this.series = series;
        this.timeOffsets = timeOffsets;
        this.valueOffsets = valueOffsets;
    }

    static OtlpTemplate build(String metricBase, int metrics, long first, int count, int labels, boolean gauge,
                              long startMillis, long nowMillis) {
        ExportMetricsServiceRequest request = SyntheticRequests.otlp(metricBase, metrics, first, count, labels, gauge,
                startMillis, nowMillis);
        // The points' order in the request: grouped by metric name in order of first appearance.
        Map<String, List<Long>> byMetric = new LinkedHashMap<>();
        for (long i = first; i < first + count; i++) {
            byMetric.computeIfAbsent(SeriesLabels.metricName(metricBase, (int) (i % metrics), metrics),
                    m -> new ArrayList<>()).add(i);
        }
        long[] order = new long[count];
        int n = 0;
        for (List<Long> group : byMetric.values()) {
            for (long i : group) {
                order[n++] = i;
            }
        }
        byte[] body = request.toByteArray();
        int[] times = new int[count];
        int[] values = new int[count];
        int found = new PointFinder(body, times, values).find();
        if (found != count) {
            throw new IllegalStateException("found " + found + " of " + count + " OTLP points in the encoded request");
        }
        OtlpTemplate t = new OtlpTemplate(body, order, times, values);
        t.check(nowMillis + 12_345, 7);
        return t;
    }

    /** Parses the patched body with the generated classes and compares every point. */
    private void check(long ts, long round) {
        patch(ts, round);
        try {
            ExportMetricsServiceRequest parsed = ExportMetricsServiceRequest.parseFrom(body);
            int k = 0;
            for (Metric m : parsed.getResourceMetrics(0).getScopeMetrics(0).getMetricsList()) {
                List<NumberDataPoint> points = m.hasSum() ? m.getSum().getDataPointsList()
                        : m.getGauge().getDataPointsList();
                for (NumberDataPoint p : points) {
                    if (p.getTimeUnixNano() != ts * 1_000_000L || p.getAsDouble() != counterValue(series[k], round)) {
                        throw new IllegalStateException("patched OTLP point " + k + " reads back wrong");
                    }
                    k++;
                }
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("patched OTLP body does not parse: " + e.getMessage(), e);
        }
    }

    @Override
    void patch(long timestampMillis, long round) {
        long nanos = timestampMillis * 1_000_000L;
        byte[] b = body;
        for (int k = 0; k < series.length; k++) {
            LONG_LE.set(b, timeOffsets[k], nanos);
            LONG_LE.set(b, valueOffsets[k], Double.doubleToRawLongBits(counterValue(series[k], round)));
        }
    }

    /**
     * Finds the offsets of {@code time_unix_nano} (field 3) and {@code as_double} (field 4) of every NumberDataPoint
     * along request.resource_metrics(1).scope_metrics(2).metrics(2).{gauge(5)|sum(7)}.data_points(1).
     */
    private static final class PointFinder {
        private final byte[] b;
        private final int[] times;
        private final int[] values;
        private int pos;
        private int found;

        PointFinder(byte[] b, int[] times, int[] values) {
            this.b = b;
            this.times = times;
            this.values = values;
        }

        int find() {
            walk(0, b.length, 0);
            return found;
        }

        /** depth 0 request, 1 ResourceMetrics, 2 ScopeMetrics, 3 Metric, 4 Gauge/Sum, 5 NumberDataPoint. */
        private void walk(int start, int end, int depth) {
            pos = start;
            while (pos < end) {
                int tag = (int) varint();
                int field = tag >>> 3;
                int wire = tag & 7;
                if (depth == 5 && wire == 1 && (field == 3 || field == 4)) {
                    (field == 3 ? times : values)[found] = pos;
                    pos += 8;
                    continue;
                }
                switch (wire) {
                    case 0 -> varint();
                    case 1 -> pos += 8;
                    case 5 -> pos += 4;
                    case 2 -> {
                        int len = (int) varint();
                        int childStart = pos;
                        int childEnd = pos + len;
                        boolean descend = (depth == 0 && field == 1) || (depth == 1 && field == 2)
                                || (depth == 2 && field == 2) || (depth == 3 && (field == 5 || field == 7))
                                || (depth == 4 && field == 1);
                        if (descend) {
                            walk(childStart, childEnd, depth + 1);
                            if (depth == 4) {
                                found++;
                            }
                        }
                        pos = childEnd;
                    }
                    default -> throw new IllegalStateException("unexpected wire type " + wire + " at " + pos);
                }
            }
        }

        private long varint() {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                byte x = b[pos++];
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    return v;
                }
            }
        }
    }
}
