package io.vigil.ingest.otlp;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.vigil.core.Sketches;

/**
 * One exponential histogram point after validation: counts non-negative and adding up to {@code count}, scale within
 * [{@value #MIN_SCALE}, {@value #MAX_SCALE}]. {@code sum}, {@code min} and {@code max} are NaN when unknown.
 *
 * <p>At scale s the base is 2^(2^−s) and positive bucket index k holds the values in (base^k, base^(k+1)];
 * negative bucket k holds the values in [−base^(k+1), −base^k); the zero bucket holds values near 0.
 */
record ExponentialPoint(int scale, long zeroCount, Buckets positive, Buckets negative, long count, double sum,
                        double min, double max) implements CumulativeToDelta.Point<ExponentialPoint> {

    static final int MIN_SCALE = -10;
    static final int MAX_SCALE = 20;

    /**
     * Bucket counts of one sign: {@code counts[i]} belongs to bucket index {@code offset + i}.
     *
     * @param offset index of the first bucket (a long: offset plus length may exceed an int)
     */
    record Buckets(long offset, long[] counts) {
        static final Buckets EMPTY = new Buckets(0, new long[0]);

        /** The same counts at a scale lower by {@code shift}: 2^shift neighbouring buckets merge into one. */
        Buckets downscale(int shift) {
            if (shift == 0 || counts.length == 0) {
                return this;
            }
            long first = offset >> shift;
            long last = (offset + counts.length - 1) >> shift;
            long[] merged = new long[(int) (last - first + 1)];
            for (int i = 0; i < counts.length; i++) {
                merged[(int) (((offset + i) >> shift) - first)] += counts[i];
            }
            return new Buckets(first, merged);
        }

        /** These counts minus earlier ones at the same scale, or null when some bucket went down. */
        Buckets minus(Buckets earlier) {
            long[] delta = counts.clone();
            for (int j = 0; j < earlier.counts.length; j++) {
                long c = earlier.counts[j];
                if (c == 0) {
                    continue;
                }
                long i = earlier.offset + j - offset;
                if (i < 0 || i >= delta.length || delta[(int) i] < c) {
                    return null;
                }
                delta[(int) i] -= c;
            }
            return new Buckets(offset, delta);
        }

        /** Index of the highest bucket with a count, or {@code Long.MIN_VALUE} when all are empty. */
        long highestUsed() {
            for (int i = counts.length - 1; i >= 0; i--) {
                if (counts[i] != 0) {
                    return offset + i;
                }
            }
            return Long.MIN_VALUE;
        }
    }

    /**
     * The increase since an earlier cumulative point, or null when this point does not continue it: the scale went
     * up (SDKs only lower it while a series lives) or a count went down. A lower scale than before is handled by
     * merging the earlier buckets down to this point's scale first.
     */
    @Override
    public ExponentialPoint minus(CumulativeToDelta.Point<?> earlierPoint) {
        if (!(earlierPoint instanceof ExponentialPoint earlier) || scale > earlier.scale || count < earlier.count
                || zeroCount < earlier.zeroCount) {
            return null;
        }
        int shift = earlier.scale - scale;
        Buckets pos = positive.minus(earlier.positive.downscale(shift));
        Buckets neg = negative.minus(earlier.negative.downscale(shift));
        if (pos == null || neg == null) {
            return null;
        }
        long n = count - earlier.count;
        return new ExponentialPoint(scale, zeroCount - earlier.zeroCount, pos, neg, n,
                n == 0 ? 0 : sum - earlier.sum,
                n == 0 ? Double.NaN : ExplicitPoint.newMin(min, earlier.min),
                n == 0 ? Double.NaN : ExplicitPoint.newMax(max, earlier.max));
    }

    /**
     * The geometric midpoint of bucket {@code index} at {@code scale}: base^(index + ½). Every value of the bucket
     * lies within a factor √base of it.
     */
    static double representative(int scale, long index) {
        return Math.pow(2, (index + 0.5) * Math.scalb(1.0, -scale));
    }

    private static final double MAX_VALUE = Sketches.newSketch().getIndexMapping().maxIndexableValue();

    /** True when every used bucket's representative fits in a Vigil sketch (scale −10 reaches beyond 1e308). */
    boolean fitsSketch() {
        return fits(positive) && fits(negative);
    }

    private boolean fits(Buckets buckets) {
        long highest = buckets.highestUsed();
        return highest == Long.MIN_VALUE || representative(scale, highest) <= MAX_VALUE;
    }

    /**
     * The observations as a Vigil DDSketch: each bucket's count at its {@link #representative}, negative buckets
     * at the negated representative, the zero bucket at 0. Call only when {@link #fitsSketch()}.
     */
    DDSketch toSketch() {
        DDSketch sketch = Sketches.newSketch();
        if (zeroCount > 0) {
            sketch.accept(0, zeroCount);
        }
        accept(sketch, positive, 1);
        accept(sketch, negative, -1);
        return sketch;
    }

    private void accept(DDSketch sketch, Buckets buckets, int sign) {
        long[] counts = buckets.counts();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                sketch.accept(sign * representative(scale, buckets.offset() + i), counts[i]);
            }
        }
    }
}
