package io.vigil.ingest.otlp;

import java.util.Arrays;

/**
 * One explicit-bucket histogram point after validation: {@code counts.length == bounds.length + 1}, counts
 * non-negative and adding up to {@code count}, bounds finite and strictly ascending. {@code sum}, {@code min} and
 * {@code max} are NaN when unknown. Arrays are owned by the point and never modified.
 */
record ExplicitPoint(long count, double sum, double min, double max, double[] bounds, long[] counts)
        implements CumulativeToDelta.Point<ExplicitPoint> {

    /**
     * The increase from an earlier cumulative point of the same series to this one, or null when this point does not
     * continue {@code earlier} (different bucket layout, or some count went down: the series was reset).
     *
     * <p>Min and max of the increase are known only when this point widened the cumulative range (a new maximum must
     * have been observed since {@code earlier}); otherwise they are NaN.
     */
    @Override
    public ExplicitPoint minus(CumulativeToDelta.Point<?> earlierPoint) {
        if (!(earlierPoint instanceof ExplicitPoint earlier) || !Arrays.equals(bounds, earlier.bounds)
                || count < earlier.count) {
            return null;
        }
        long[] delta = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            delta[i] = counts[i] - earlier.counts[i];
            if (delta[i] < 0) {
                return null;
            }
        }
        long n = count - earlier.count;
        return new ExplicitPoint(n, n == 0 ? 0 : sum - earlier.sum, n == 0 ? Double.NaN : newMin(min, earlier.min),
                n == 0 ? Double.NaN : newMax(max, earlier.max), bounds, delta);
    }

    static double newMin(double now, double before) {
        return now < before ? now : Double.NaN; // false when either is NaN
    }

    static double newMax(double now, double before) {
        return now > before ? now : Double.NaN;
    }

    /**
     * The sum, or when it is unknown an estimate from bucket midpoints: the open-ended first and last buckets use
     * the known min or max, else their finite bound.
     */
    double sumOrEstimate() {
        if (!Double.isNaN(sum)) {
            return sum;
        }
        int n = bounds.length;
        if (n == 0) {
            return Double.isNaN(min) || Double.isNaN(max) ? 0 : count * (min + max) / 2;
        }
        double estimate = 0;
        for (int i = 0; i <= n; i++) {
            if (counts[i] == 0) {
                continue;
            }
            double upper = i < n ? bounds[i] : (Double.isNaN(max) ? bounds[n - 1] : max);
            double lower = i > 0 ? bounds[i - 1] : (Double.isNaN(min) ? bounds[0] : min);
            estimate += counts[i] * ((lower + upper) / 2);
        }
        return estimate;
    }
}
