package io.vigil.export.otlp;

import io.vigil.core.Aggregate;
import io.vigil.core.Sketches;
import java.util.ArrayList;
import java.util.List;

/**
 * A DDSketch's bins as OTLP exponential-histogram buckets. At scale s the base is 2^(2^−s) and positive bucket k holds
 * the values in (base^k, base^(k+1)], so a value v > 0 goes to k = ⌈log2(v)·2^s⌉ − 1; negative values go to the
 * negative buckets by their magnitude, and the sketch's zero bin to {@code zero_count}.
 *
 * <p>Scale {@value #SCALE} (base ≈ 1.0109) keeps DDSketch's accuracy: each bin's value is within 1 % of its
 * observations and lands in a bucket whose geometric midpoint is within 0.55 % of it, so a quantile read back from the
 * buckets is within about 1.6 % of the true one (and within 0.55 % of what Vigil itself answers). Where a sketch spans
 * more than {@value #MAX_BUCKETS} buckets of one sign (values from nanoseconds to days), the scale is lowered until it
 * fits, at the cost of accuracy (scale 5: about 2.1 %), as OTLP SDKs do.
 *
 * @param scale the scale used
 * @param zeroCount the observations in the zero bin
 * @param positiveOffset the index of {@code positive[0]}
 * @param positive counts of the positive buckets from {@code positiveOffset} up
 * @param negativeOffset the index of {@code negative[0]}
 * @param negative counts of the negative buckets (by magnitude) from {@code negativeOffset} up
 * @param count all observations: zero, positive and negative
 */
record ExponentialBuckets(int scale, long zeroCount, int positiveOffset, long[] positive, int negativeOffset,
                          long[] negative, long count) {

    /** The scale tried first. */
    static final int SCALE = 6;
    /** The most buckets of one sign. */
    static final int MAX_BUCKETS = 4_096;
    /** The smallest magnitude the sketch does not put in its zero bin: OTLP's {@code zero_threshold}. */
    static final double ZERO_THRESHOLD = Sketches.newSketch().getIndexMapping().minIndexableValue();

    /** The buckets of an aggregate's sketch; all empty when it has none. */
    static ExponentialBuckets of(Aggregate a) {
        List<long[]> pos = new ArrayList<>();
        List<long[]> neg = new ArrayList<>();
        long[] zero = {0};
        a.forEachSketchBin((value, weight) -> {
            long n = Math.round(weight);
            if (n <= 0) {
                return;
            }
            if (value > 0) {
                pos.add(new long[] {index(value, SCALE), n});
            } else if (value < 0) {
                neg.add(new long[] {index(-value, SCALE), n});
            } else {
                zero[0] += n;
            }
        });
        int scale = SCALE;
        while (scale > -10 && (span(pos, SCALE - scale) > MAX_BUCKETS || span(neg, SCALE - scale) > MAX_BUCKETS)) {
            scale--;
        }
        int shift = SCALE - scale;
        Dense p = dense(pos, shift);
        Dense n = dense(neg, shift);
        return new ExponentialBuckets(scale, zero[0], p.offset, p.counts, n.offset, n.counts,
                zero[0] + p.total + n.total);
    }

    /**
     * The bucket index of v > 0 at a scale > 0: ⌈log2(v)·2^scale⌉ − 1, exact for powers of two (whose logarithm the
     * floating-point formula can miss by one).
     */
    static int index(double v, int scale) {
        long bits = Double.doubleToRawLongBits(v);
        if ((bits & 0x000F_FFFF_FFFF_FFFFL) == 0 && Math.getExponent(v) >= Double.MIN_EXPONENT) {
            return (Math.getExponent(v) << scale) - 1;
        }
        return (int) Math.ceil(Math.log(v) * Math.scalb(1 / Math.log(2), scale)) - 1;
    }

    /** Buckets from lowest to highest used index at {@code SCALE - shift}. */
    private static long span(List<long[]> bins, int shift) {
        if (bins.isEmpty()) {
            return 0;
        }
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (long[] b : bins) {
            lo = Math.min(lo, b[0] >> shift);
            hi = Math.max(hi, b[0] >> shift);
        }
        return hi - lo + 1;
    }

    private record Dense(int offset, long[] counts, long total) {}

    private static Dense dense(List<long[]> bins, int shift) {
        if (bins.isEmpty()) {
            return new Dense(0, new long[0], 0);
        }
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (long[] b : bins) {
            lo = Math.min(lo, b[0] >> shift);
            hi = Math.max(hi, b[0] >> shift);
        }
        long[] counts = new long[(int) (hi - lo + 1)];
        long total = 0;
        for (long[] b : bins) {
            counts[(int) ((b[0] >> shift) - lo)] += b[1];
            total += b[1];
        }
        return new Dense((int) lo, counts, total);
    }

    /** The geometric midpoint of bucket {@code index} at {@code scale}: base^(index + ½). */
    static double midpoint(int scale, long index) {
        return Math.pow(2, (index + 0.5) * Math.scalb(1.0, -scale));
    }
}
