package io.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Explicit-bucket histogram points ({@link Distribution#explicit}) in an {@link Aggregate}. */
class AggregateHistogramTest {
    private static final double NaN = Double.NaN;
    private static final double[] BOUNDS = {1, 2, 5, 10};

    private static Aggregate histogram(double min, double max, double[] bounds, long... counts) {
        Aggregate a = new Aggregate();
        a.add(1_000, point(min, max, bounds, counts));
        return a;
    }

    private static Distribution point(double min, double max, double[] bounds, long... counts) {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return Distribution.explicit(n, 0, min, max, bounds, counts);
    }

    private static void assertSameQuantiles(Aggregate actual, Aggregate expected) {
        for (int i = 0; i <= 100; i++) {
            double q = i / 100.0;
            assertThat(actual.quantile(q)).as("q=%s", q).isEqualTo(expected.quantile(q));
        }
    }

    @Test
    void quantile_allInOneBucket_interpolatesLinearlyWithinItsBounds() {
        Aggregate a = histogram(NaN, NaN, BOUNDS, 0, 10, 0, 0, 0); // all ten in (1, 2]

        assertThat(a.quantile(0)).isEqualTo(1);
        assertThat(a.quantile(0.25)).isCloseTo(1.25, within(1e-12));
        assertThat(a.quantile(0.5)).isCloseTo(1.5, within(1e-12));
        assertThat(a.quantile(1)).isEqualTo(2);
    }

    @Test
    void quantile_acrossBuckets_interpolatesInTheBucketHoldingTheRank() {
        Aggregate a = histogram(NaN, NaN, BOUNDS, 2, 2, 4, 2, 0);

        assertThat(a.quantile(0.1)).isCloseTo(0.5, within(1e-12)); // rank 1 of 2 in [0, 1]
        assertThat(a.quantile(0.3)).isCloseTo(1.5, within(1e-12)); // rank 3: first of (1, 2]
        assertThat(a.quantile(0.6)).isCloseTo(3.5, within(1e-12)); // rank 6: second of four in (2, 5]
        assertThat(a.quantile(0.9)).isCloseTo(7.5, within(1e-12)); // rank 9: first of two in (5, 10]
        assertThat(a.quantile(1)).isEqualTo(10);
    }

    @Test
    void quantile_knownMinAndMax_clampTheInterpolation() {
        Aggregate a = histogram(0.4, 7, BOUNDS, 2, 2, 4, 2, 0);

        assertThat(a.quantile(0)).isEqualTo(0.4);
        assertThat(a.quantile(0.1)).isCloseTo(0.7, within(1e-12)); // the first bucket starts at min, not 0
        assertThat(a.quantile(1)).isEqualTo(7);
        assertThat(a.min()).isEqualTo(0.4);
        assertThat(a.max()).isEqualTo(7);
    }

    @Test
    void quantile_inInfBucketWithUnknownMax_isTheHighestBound() {
        Aggregate a = histogram(NaN, NaN, BOUNDS, 0, 0, 0, 0, 3);

        assertThat(a.quantile(0.5)).isEqualTo(10);
        assertThat(a.quantile(1)).isEqualTo(10);
    }

    @Test
    void quantile_inInfBucketWithKnownMax_interpolatesUpToMax() {
        Aggregate a = histogram(12, 40, BOUNDS, 0, 0, 0, 0, 3);

        assertThat(a.quantile(0.5)).isCloseTo(25, within(1e-12)); // 10 + 30 · 1.5/3
        assertThat(a.quantile(1)).isEqualTo(40);
    }

    @Test
    void quantile_histogramWithoutBoundsAndUnknownRange_isNaN() {
        // OTLP allows a histogram with no explicit bounds: one +Inf bucket. It used to throw
        // ArrayIndexOutOfBoundsException (bounds[-1]).
        Aggregate a = histogram(NaN, NaN, new double[0], 5);

        assertThat(a.quantile(0.5)).isNaN();
        assertThat(a.observations()).isEqualTo(5);
    }

    @Test
    void quantile_histogramWithoutBoundsButKnownRange_interpolatesBetweenMinAndMax() {
        Aggregate a = histogram(2, 4, new double[0], 5);

        assertThat(a.quantile(0)).isEqualTo(2);
        assertThat(a.quantile(0.5)).isCloseTo(3, within(1e-12));
        assertThat(a.quantile(1)).isEqualTo(4);
    }

    @Test
    void quantile_noCountsAtAll_isNaN() {
        Aggregate a = histogram(NaN, NaN, BOUNDS, 0, 0, 0, 0, 0);

        assertThat(a.quantile(0.5)).isNaN();
    }

    @Test
    void add_histogramPoints_countObservationsAndPoints() {
        Aggregate a = new Aggregate();
        a.add(1_000, Distribution.explicit(4, 6.5, 0.5, 3, BOUNDS, new long[] {1, 2, 1, 0, 0}));
        a.add(2_000, Distribution.explicit(3, 30, 4, 12, BOUNDS, new long[] {0, 0, 1, 1, 1}));

        assertThat(a.samples()).isEqualTo(2);
        assertThat(a.observations()).isEqualTo(7);
        assertThat(a.sum()).isEqualTo(36.5);
        assertThat(a.min()).isEqualTo(0.5);
        assertThat(a.max()).isEqualTo(12);
        assertThat(a.lastValue()).isEqualTo(3); // a distribution sample's value is its count
    }

    @Test
    void bucketBounded_onlyExplicitBuckets_isTrue() {
        assertThat(histogram(NaN, NaN, BOUNDS, 1, 0, 0, 0, 0).bucketBounded()).isTrue();
    }

    @Test
    void bucketBounded_withSketchObservationsToo_isFalse() {
        Aggregate a = histogram(NaN, NaN, BOUNDS, 1, 0, 0, 0, 0);
        a.add(2_000, 3.0, MetricKind.HISTOGRAM);

        assertThat(a.bucketBounded()).isFalse();
    }

    @Test
    void bucketBounded_scalarOnly_isFalse() {
        Aggregate a = new Aggregate();
        a.add(1_000, 3.0, MetricKind.GAUGE);

        assertThat(a.bucketBounded()).isFalse();
    }

    @Test
    void merge_identicalBounds_addsBucketCounts() {
        Aggregate a = histogram(NaN, NaN, BOUNDS, 1, 3, 0, 2, 0);
        Aggregate later = histogram(NaN, NaN, BOUNDS, 0, 1, 4, 0, 2);

        a.merge(later, MetricKind.HISTOGRAM);

        assertSameQuantiles(a, histogram(NaN, NaN, BOUNDS, 1, 4, 4, 2, 2));
        assertThat(a.observations()).isEqualTo(13);
        assertThat(a.samples()).isEqualTo(2);
        assertThat(a.bucketBounded()).isTrue();
    }

    @Test
    void combine_identicalBounds_addsBucketCounts() {
        Aggregate a = histogram(NaN, NaN, BOUNDS, 5, 0, 0, 0, 1);

        a.combine(histogram(NaN, NaN, BOUNDS, 0, 0, 7, 0, 0));

        assertSameQuantiles(a, histogram(NaN, NaN, BOUNDS, 5, 0, 7, 0, 1));
    }

    @Test
    void merge_differentBounds_movesEachBucketToOursHoldingItsUpperBound() {
        double[] ours = {1, 2, 5};
        double[] theirs = {2, 5, 10};
        Aggregate a = histogram(NaN, NaN, ours, 1, 1, 1, 0);

        // Theirs (≤2, ≤5, ≤10, +Inf) land in our ≤2, ≤5, +Inf, +Inf buckets.
        a.merge(histogram(NaN, NaN, theirs, 2, 3, 4, 5), MetricKind.HISTOGRAM);

        assertSameQuantiles(a, histogram(NaN, NaN, ours, 1, 3, 4, 9));
        assertThat(a.observations()).isEqualTo(17);
    }

    @Test
    void merge_boundsNotInOurLayout_roundUpToTheNextOfOurBounds() {
        double[] ours = {1, 2, 5};
        Aggregate a = histogram(NaN, NaN, ours, 0, 0, 0, 0);

        // 1.5 → our ≤2, 3 → our ≤5, +Inf → +Inf: lossy, documented.
        a.combine(histogram(NaN, NaN, new double[] {1.5, 3}, 4, 6, 1));

        assertSameQuantiles(a, histogram(NaN, NaN, ours, 0, 4, 6, 1));
    }

    @Test
    void add_histogramPoint_doesNotAliasTheCallersArrays() {
        double[] bounds = {1, 2};
        long[] counts = {0, 4, 0};
        Aggregate a = new Aggregate();
        a.add(1_000, Distribution.explicit(4, 6, NaN, NaN, bounds, counts));
        double before = a.quantile(0.5);

        bounds[0] = 100;
        counts[1] = 0;
        counts[0] = 1_000;

        assertThat(a.quantile(0.5)).isEqualTo(before);
    }

    @Test
    void encodeDecode_histogram_keepsBucketsExactly() {
        Aggregate a = histogram(0.3, 8, BOUNDS, 3, 1, 4, 1, 5);

        Aggregate decoded = Aggregate.decode(a.encode());

        assertSameQuantiles(decoded, a);
        assertThat(decoded.bucketBounded()).isTrue();
        assertThat(decoded.encode()).isEqualTo(a.encode());
    }
}
