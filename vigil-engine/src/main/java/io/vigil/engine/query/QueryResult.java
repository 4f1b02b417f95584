package io.vigil.engine.query;

import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link QueryRequest}.
 *
 * @param series one entry per group, sorted by labels
 * @param fromMillis the aligned start actually covered
 * @param toMillis the aligned end actually covered
 * @param bucketBounded true when a percentile came from explicit histogram buckets (accuracy bounded by the bucket
 *     widths, not the sketch's 1 %)
 */
public record QueryResult(List<Group> series, long fromMillis, long toMillis, boolean bucketBounded) {

    /**
     * One group's answer: {@code value} without step, {@code points} ({@code [epochSeconds, value]}, value NaN when
     * the window has no data) with step.
     */
    public record Group(Map<String, String> labels, double value, List<double[]> points) {}
}
