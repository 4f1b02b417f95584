package io.vigil.export;

import io.vigil.core.Aggregate;
import io.vigil.core.MetricKind;
import java.util.Map;

/**
 * One exported point: what a metric did over one interval for one set of exported labels (the series that differ only
 * in labels the export drops are combined into it). Exporters read the {@link Aggregate} and never change it.
 *
 * @param metric the metric name as ingested
 * @param kind how the series was ingested: counters and deltas export as counts over the interval, gauges as their
 *     last value, distributions and histograms as distributions (or count, sum, min, max where a far side has none)
 * @param labels the exported labels, sorted by name, after {@link ExportLabelPolicy}
 * @param startMillis the interval's start (epoch milliseconds)
 * @param intervalMillis the interval's width (10 s)
 * @param aggregate the interval's rollup
 * @param tags the wedding context tags at the interval's end
 */
public record ExportPoint(String metric, MetricKind kind, Map<String, String> labels, long startMillis,
                          long intervalMillis, Aggregate aggregate, ExportTags tags) {

    /** The interval's end (epoch milliseconds), the timestamp most far sides want for a point. */
    public long endMillis() {
        return startMillis + intervalMillis;
    }

    /**
     * The count over the interval for counters (the increase, resets detected) and deltas (their sum); NaN for other
     * kinds.
     */
    public double count() {
        return switch (kind) {
            case COUNTER -> aggregate.increase();
            case DELTA -> aggregate.sum();
            default -> Double.NaN;
        };
    }

    /** Whether the point is a distribution (latency and other observations): DDSketch bins or explicit buckets. */
    public boolean isDistribution() {
        return kind == MetricKind.DISTRIBUTION || kind == MetricKind.HISTOGRAM;
    }
}
