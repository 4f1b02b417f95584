package io.vigil.core;

import static io.vigil.core.MetricKind.COUNTER;
import static io.vigil.core.MetricKind.DELTA;
import static io.vigil.core.MetricKind.DISTRIBUTION;
import static io.vigil.core.MetricKind.GAUGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.datadoghq.sketch.ddsketch.DDSketch;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scalar samples, counters, deltas, sketch points, merge/combine/copy semantics of {@link Aggregate}. */
class AggregateTest {

    private static Aggregate of(MetricKind kind, double... values) {
        return ofAt(kind, 1_000, values);
    }

    /** Values at timestamps start, start + 1000, start + 2000, … */
    private static Aggregate ofAt(MetricKind kind, long start, double... values) {
        Aggregate a = new Aggregate();
        for (int i = 0; i < values.length; i++) {
            a.add(start + 1_000L * i, values[i], kind);
        }
        return a;
    }

    // --- empty ------------------------------------------------------------------------------------------------------

    @Test
    void newAggregate_isEmptyWithNaNStatistics() {
        Aggregate a = new Aggregate();

        assertThat(a.samples()).isZero();
        assertThat(a.observations()).isZero();
        assertThat(a.sum()).isZero();
        assertThat(a.increase()).isZero();
        assertThat(a.min()).isNaN();
        assertThat(a.max()).isNaN();
        assertThat(a.quantile(0.5)).isNaN();
        assertThat(a.bucketBounded()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.01, 1.01, -1, 2, Double.NaN, Double.POSITIVE_INFINITY})
    void quantile_outsideZeroToOne_throwsIllegalArgumentNamingValue(double q) {
        Aggregate a = of(GAUGE, 1, 2, 3);

        assertThatThrownBy(() -> a.quantile(q))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(q));
    }

    // --- gauges -----------------------------------------------------------------------------------------------------

    @Test
    void add_gauge_tracksSamplesSumMinMaxFirstAndLast() {
        Aggregate a = new Aggregate();
        a.add(1_000, 5, GAUGE);
        a.add(2_000, -3, GAUGE);
        a.add(3_000, 10, GAUGE);
        a.add(4_000, 2, GAUGE);

        assertThat(a.samples()).isEqualTo(4);
        assertThat(a.observations()).isEqualTo(4);
        assertThat(a.sum()).isEqualTo(14);
        assertThat(a.min()).isEqualTo(-3);
        assertThat(a.max()).isEqualTo(10);
        assertThat(a.firstTimestamp()).isEqualTo(1_000);
        assertThat(a.firstValue()).isEqualTo(5);
        assertThat(a.lastTimestamp()).isEqualTo(4_000);
        assertThat(a.lastValue()).isEqualTo(2);
        assertThat(a.increase()).isZero();
        assertThat(a.bucketBounded()).isFalse();
    }

    @Test
    void add_gauge_percentilesComeFromTheSketch() {
        Aggregate a = of(GAUGE, 10, 20, 30, 40, 50);

        assertThat(a.quantile(0)).isCloseTo(10, within(0.1));
        assertThat(a.quantile(0.5)).isCloseTo(30, within(0.3));
        assertThat(a.quantile(1)).isCloseTo(50, within(0.5));
    }

    @Test
    void add_distributionSamples_eachIsOneObservation() {
        Aggregate a = of(DISTRIBUTION, 0.120, 0.250, 0.031);

        assertThat(a.samples()).isEqualTo(3);
        assertThat(a.observations()).isEqualTo(3);
        assertThat(a.sum()).isCloseTo(0.401, within(1e-12));
        assertThat(a.quantile(1)).isCloseTo(0.250, within(0.0025));
    }

    // --- counters ---------------------------------------------------------------------------------------------------

    @Test
    void add_counterWithResets_increaseCountsFromZeroAfterEachReset() {
        Aggregate a = of(COUNTER, 10, 15, 3, 8);

        assertThat(a.increase()).isEqualTo(5 + 3 + 5);
        assertThat(a.samples()).isEqualTo(4);
        assertThat(a.sum()).isEqualTo(36);
        assertThat(a.min()).isEqualTo(3);
        assertThat(a.max()).isEqualTo(15);
        assertThat(a.firstValue()).isEqualTo(10);
        assertThat(a.lastValue()).isEqualTo(8);
    }

    @Test
    void add_counterWithoutReset_increaseIsLastMinusFirst() {
        Aggregate a = of(COUNTER, 100, 100, 130, 170.5);

        assertThat(a.increase()).isEqualTo(70.5);
    }

    @Test
    void add_singleCounterSample_increaseIsZero() {
        Aggregate a = of(COUNTER, 42);

        assertThat(a.increase()).isZero();
        assertThat(a.samples()).isEqualTo(1);
    }

    @Test
    void add_counter_doesNotFeedPercentiles() {
        Aggregate a = of(COUNTER, 1, 2, 3);

        assertThat(a.observations()).isZero();
        assertThat(a.quantile(0.5)).isNaN();
    }

    @Test
    void merge_counterAcrossResetSeam_countsLaterFirstValueAsIncrease() {
        Aggregate a = ofAt(COUNTER, 1_000, 10, 15);
        Aggregate later = ofAt(COUNTER, 3_000, 3, 8);

        a.merge(later, COUNTER);

        assertThat(a.increase()).isEqualTo(5 + 3 + 5);
        assertThat(a.samples()).isEqualTo(4);
        assertThat(a.firstValue()).isEqualTo(10);
        assertThat(a.lastValue()).isEqualTo(8);
        assertThat(a.lastTimestamp()).isEqualTo(4_000);
    }

    @Test
    void merge_counterAcrossRisingSeam_addsTheStepAcrossTheSeam() {
        Aggregate a = ofAt(COUNTER, 1_000, 10, 15);
        Aggregate later = ofAt(COUNTER, 3_000, 20, 25);

        a.merge(later, COUNTER);

        assertThat(a.increase()).isEqualTo(15);
    }

    @Property(tries = 300)
    void merge_counterSplitAtAnyPoints_sameIncreaseAsUnsplit(
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 1_000) Integer> values,
            @ForAll @IntRange(min = 0, max = 60) int cut1, @ForAll @IntRange(min = 0, max = 60) int cut2) {
        double[] v = values.stream().mapToDouble(Integer::doubleValue).toArray();
        int c1 = Math.min(cut1, cut2) % (v.length + 1);
        int c2 = Math.max(c1, Math.max(cut1, cut2) % (v.length + 1));
        Aggregate whole = of(COUNTER, v);

        Aggregate merged = ofAt(COUNTER, 0, Arrays.copyOfRange(v, 0, c1));
        merged.merge(ofAt(COUNTER, 1_000L * c1, Arrays.copyOfRange(v, c1, c2)), COUNTER);
        merged.merge(ofAt(COUNTER, 1_000L * c2, Arrays.copyOfRange(v, c2, v.length)), COUNTER);

        // Integer-valued samples: every partial sum is exact, so the comparison can be exact too.
        assertThat(merged.increase()).isEqualTo(whole.increase());
        assertThat(merged.samples()).isEqualTo(whole.samples());
        assertThat(merged.firstValue()).isEqualTo(whole.firstValue());
        assertThat(merged.lastValue()).isEqualTo(whole.lastValue());
    }

    @Test
    void combine_counters_sumsIncreasesWithoutASeam() {
        Aggregate a = ofAt(COUNTER, 1_000, 10, 15);
        Aggregate other = ofAt(COUNTER, 1_500, 100, 130);

        a.combine(other);

        assertThat(a.increase()).isEqualTo(5 + 30);
        assertThat(a.samples()).isEqualTo(4);
    }

    // --- deltas -----------------------------------------------------------------------------------------------------

    @Test
    void add_delta_increaseIsTheSumOfSamples() {
        Aggregate a = of(DELTA, 1, 2, 3.5, 0);

        assertThat(a.increase()).isEqualTo(6.5);
        assertThat(a.sum()).isEqualTo(6.5);
        assertThat(a.observations()).isZero();
    }

    @Test
    void merge_deltas_increasesAdd() {
        Aggregate a = of(DELTA, 1, 2);

        a.merge(ofAt(DELTA, 10_000, 4, 8), DELTA);

        assertThat(a.increase()).isEqualTo(15);
        assertThat(a.sum()).isEqualTo(15);
    }

    // --- merge / combine / copy -------------------------------------------------------------------------------------

    @Test
    void merge_later_keepsFirstMovesLastAndAddsStatistics() {
        Aggregate a = ofAt(GAUGE, 1_000, 4, 6);
        Aggregate later = ofAt(GAUGE, 5_000, 1, 9, 2);

        a.merge(later, GAUGE);

        assertThat(a.samples()).isEqualTo(5);
        assertThat(a.observations()).isEqualTo(5);
        assertThat(a.sum()).isEqualTo(22);
        assertThat(a.min()).isEqualTo(1);
        assertThat(a.max()).isEqualTo(9);
        assertThat(a.firstTimestamp()).isEqualTo(1_000);
        assertThat(a.firstValue()).isEqualTo(4);
        assertThat(a.lastTimestamp()).isEqualTo(7_000);
        assertThat(a.lastValue()).isEqualTo(2);
    }

    @Test
    void merge_intoEmpty_takesFirstAndLastOfLater() {
        Aggregate a = new Aggregate();

        a.merge(ofAt(COUNTER, 5_000, 7, 9), COUNTER);

        assertThat(a.samples()).isEqualTo(2);
        assertThat(a.firstTimestamp()).isEqualTo(5_000);
        assertThat(a.firstValue()).isEqualTo(7);
        assertThat(a.lastTimestamp()).isEqualTo(6_000);
        assertThat(a.lastValue()).isEqualTo(9);
        assertThat(a.increase()).isEqualTo(2);
    }

    @Test
    void merge_emptyLater_changesNothing() {
        Aggregate a = of(COUNTER, 10, 15);
        byte[] before = a.encode();

        a.merge(new Aggregate(), COUNTER);

        assertThat(a.encode()).isEqualTo(before);
    }

    @Test
    void merge_laterSketchReachingBelowAndAbove_keepsEveryObservation() {
        // Regression: with sketches-java's PaginatedStore this merge threw ArrayIndexOutOfBoundsException.
        Aggregate a = of(DISTRIBUTION, 250, 20_000);
        Aggregate later = ofAt(DISTRIBUTION, 10_000, 1.4, 40_000);

        a.merge(later, DISTRIBUTION);

        assertThat(a.observations()).isEqualTo(4);
        QuantileAccuracyContract.assertAllQuantilesAccurate(new double[] {250, 20_000, 1.4, 40_000}, a);
    }

    @Test
    void combine_takesEarliestFirstAndLatestLast() {
        Aggregate a = ofAt(GAUGE, 100_000, 1, 2); // 100 s and 101 s
        Aggregate other = ofAt(GAUGE, 50_000, 7, 8, 9); // 50 s .. 52 s

        a.combine(other);

        assertThat(a.firstTimestamp()).isEqualTo(50_000);
        assertThat(a.firstValue()).isEqualTo(7);
        assertThat(a.lastTimestamp()).isEqualTo(101_000);
        assertThat(a.lastValue()).isEqualTo(2);
        assertThat(a.samples()).isEqualTo(5);
        assertThat(a.sum()).isEqualTo(27);
    }

    @Test
    void combine_intoEmpty_takesEverythingOfOther() {
        Aggregate a = new Aggregate();
        Aggregate other = ofAt(GAUGE, 9_000, 3, 4);

        a.combine(other);

        assertThat(a.encode()).isEqualTo(other.encode());
    }

    @Test
    void combine_emptyOther_changesNothing() {
        Aggregate a = of(GAUGE, 3, 4);
        byte[] before = a.encode();

        a.combine(new Aggregate());

        assertThat(a.encode()).isEqualTo(before);
    }

    @Test
    void copy_isDeep_laterChangesDoNotLeak() {
        Aggregate original = of(GAUGE, 1, 2, 3);
        original.add(9_000, Distribution.explicit(2, 3, 1, 2, new double[] {1, 2}, new long[] {1, 1, 0}));
        byte[] before = original.encode();

        Aggregate copy = original.copy();
        copy.add(10_000, 1_000, GAUGE);
        copy.add(11_000, Distribution.explicit(5, 50, 10, 10, new double[] {1, 2}, new long[] {0, 0, 5}));

        assertThat(original.encode()).isEqualTo(before);
        assertThat(copy.samples()).isEqualTo(original.samples() + 2);
        assertThat(copy.quantile(1)).isGreaterThan(original.quantile(1));
    }

    // --- sketch distribution points ---------------------------------------------------------------------------------

    private static DDSketch sketchOf(double... values) {
        DDSketch s = Sketches.newSketch();
        for (double v : values) {
            s.accept(v);
        }
        return s;
    }

    @Test
    void add_sketchPoints_countObservationsAndPointsSeparately() {
        Aggregate a = new Aggregate();

        a.add(1_000, Distribution.ofSketch(sketchOf(1, 2, 3), 6, 1, 3));
        a.add(2_000, Distribution.ofSketch(sketchOf(10, 20, 30, 40, 50), 150, 10, 50));

        assertThat(a.samples()).isEqualTo(2);
        assertThat(a.observations()).isEqualTo(8);
        assertThat(a.sum()).isEqualTo(156);
        assertThat(a.min()).isEqualTo(1);
        assertThat(a.max()).isEqualTo(50);
        assertThat(a.lastTimestamp()).isEqualTo(2_000);
        assertThat(a.bucketBounded()).isFalse();
        QuantileAccuracyContract.assertAllQuantilesAccurate(new double[] {1, 2, 3, 10, 20, 30, 40, 50}, a);
    }

    @Test
    void add_sketchPointWithUnknownMinMax_takesThemFromTheSketch() {
        Aggregate a = new Aggregate();

        a.add(1_000, Distribution.ofSketch(sketchOf(0.004, 0.2, 3.5), 3.704, Double.NaN, Double.NaN));

        assertThat(a.min()).isCloseTo(0.004, within(0.004 * Sketches.RELATIVE_ACCURACY));
        assertThat(a.max()).isCloseTo(3.5, within(3.5 * Sketches.RELATIVE_ACCURACY));
    }

    @Test
    void add_emptyDistributionPoint_countsTheSampleButLeavesMinMaxUnknown() {
        Aggregate a = new Aggregate();

        a.add(1_000, Distribution.ofSketch(Sketches.newSketch(), 0, Double.NaN, Double.NaN));
        a.add(2_000, Distribution.explicit(0, 0, Double.NaN, Double.NaN, new double[] {1}, new long[] {0, 0}));

        assertThat(a.samples()).isEqualTo(2);
        assertThat(a.observations()).isZero();
        assertThat(a.min()).isNaN();
        assertThat(a.max()).isNaN();
        assertThat(a.quantile(0.5)).isNaN();
    }
}
