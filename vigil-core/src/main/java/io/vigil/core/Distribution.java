package io.vigil.core;

import com.datadoghq.sketch.ddsketch.DDSketch;
import java.util.Arrays;

/**
 * One distribution data point holding many observations: either explicit buckets (Prometheus/OTLP histograms, whose
 * percentiles are only as precise as the bucket bounds) or a DDSketch (exponential histograms and sketches, 1 %
 * relative accuracy). Counts are deltas: the decoder converts cumulative points before they get here.
 *
 * @param count number of observations
 * @param sum sum of the observations
 * @param min smallest observation, NaN when unknown
 * @param max largest observation, NaN when unknown
 * @param bounds explicit upper bounds, ascending, or null when {@code sketch} is set
 * @param bucketCounts counts per bucket, {@code bounds.length + 1} of them (the last is the +Inf bucket), or null
 * @param sketch the observations as a sketch, or null when explicit buckets are used
 */
public record Distribution(long count, double sum, double min, double max, double[] bounds, long[] bucketCounts,
                           DDSketch sketch) {

    public Distribution {
        if (count < 0) {
            throw new IllegalArgumentException("distribution count must be >= 0 but was " + count);
        }
        if ((bounds == null) == (sketch == null)) {
            throw new IllegalArgumentException("a distribution has either explicit bounds or a sketch");
        }
        if (bounds != null && (bucketCounts == null || bucketCounts.length != bounds.length + 1)) {
            throw new IllegalArgumentException("explicit histogram needs bounds.length + 1 bucket counts, got "
                    + (bucketCounts == null ? "none" : bucketCounts.length) + " for " + bounds.length + " bounds");
        }
    }

    public static Distribution explicit(long count, double sum, double min, double max, double[] bounds, long[] counts) {
        return new Distribution(count, sum, min, max, bounds, counts, null);
    }

    public static Distribution ofSketch(DDSketch sketch, double sum, double min, double max) {
        return new Distribution(Math.round(sketch.getCount()), sum, min, max, null, null, sketch);
    }

    public boolean isExplicit() {
        return bounds != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Distribution d && count == d.count && Double.compare(sum, d.sum) == 0
                && Arrays.equals(bounds, d.bounds) && Arrays.equals(bucketCounts, d.bucketCounts)
                && (sketch == null) == (d.sketch == null);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count) * 31 + Double.hashCode(sum);
    }
}
