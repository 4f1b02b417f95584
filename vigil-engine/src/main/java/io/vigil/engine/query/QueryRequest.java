package io.vigil.engine.query;

import io.vigil.core.Stat;
import java.util.List;
import java.util.Map;

/**
 * One query: a statistic of a metric over [from, to), optionally per step window, grouped by labels and filtered by
 * label equality.
 *
 * @param metric metric name
 * @param filters label name to required value (equality)
 * @param stat the statistic
 * @param fromMillis start, inclusive (aligned down to the bucket width of the tier read)
 * @param toMillis end, exclusive (aligned up)
 * @param stepMillis window width for a series of points, 0 for a single value; a multiple of 10 s
 * @param groupBy label names to group by; empty aggregates every matching series into one
 */
public record QueryRequest(String metric, Map<String, String> filters, Stat stat, long fromMillis, long toMillis,
                           long stepMillis, List<String> groupBy) {

    /** Most windows one query may return per series, so a tiny step over a year cannot exhaust memory. */
    public static final int MAX_POINTS = 11_000;

    public QueryRequest {
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("metric is required");
        }
        if (toMillis <= fromMillis) {
            throw new IllegalArgumentException("to must be after from");
        }
        if (stepMillis < 0 || stepMillis % 10_000 != 0) {
            throw new IllegalArgumentException("step was " + stepMillis / 1000.0 + "s but it must be a positive multiple of 10s");
        }
        if (stepMillis > 0 && (toMillis - fromMillis) / stepMillis > MAX_POINTS) {
            throw new IllegalArgumentException("from/to/step would give " + (toMillis - fromMillis) / stepMillis
                    + " points; at most " + MAX_POINTS + " are allowed: use a larger step");
        }
        filters = Map.copyOf(filters);
        groupBy = List.copyOf(groupBy);
    }
}
