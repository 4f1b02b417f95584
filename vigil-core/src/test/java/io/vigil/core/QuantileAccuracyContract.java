package io.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Accuracy suite for the percentiles of an {@link Aggregate}, in the spirit of sketches-java's
 * {@code QuantileSketchTest}: every quantile q = 0.00, 0.01, …, 1.00 must be within the DDSketch relative accuracy
 * ({@link Sketches#RELATIVE_ACCURACY}) of the exact lower quantile of the data, i.e. the sorted element at index
 * {@code floor(q·(n−1))} (the rank definition sketches-java uses), after adding, merging, combining and encoding.
 *
 * <p>Subclasses decide how the observations reach the aggregate (scalar samples of some kind, or sketch points).
 */
abstract class QuantileAccuracyContract {

    /** Floating-point slack on top of the 1 % guarantee, relative to the exact value. */
    private static final double EPSILON = 1e-12;

    /** The kind the series has; passed to {@link Aggregate#merge}. */
    protected abstract MetricKind kind();

    /** Records values[from, to) into the aggregate, starting at timestamp {@code ts}. */
    protected abstract void record(Aggregate aggregate, long ts, double[] values, int from, int to);

    // ---------------------------------------------------------------------------------------------------------------
    // Data sets (fixed seeds, so a failure reproduces)

    record Dataset(String name, double[] values) {
        @Override
        public String toString() {
            return name + " (n=" + values.length + ")";
        }
    }

    static Stream<Dataset> datasets() {
        SplittableRandom r = new SplittableRandom(20240611L);
        int n = 10_000;
        return Stream.of(
                new Dataset("uniform 0..1000", fill(n, () -> r.nextDouble(0, 1000))),
                new Dataset("exponential mean 100", fill(n, () -> -100 * Math.log(1 - r.nextDouble()))),
                new Dataset("lognormal latency 1ms..60s", fill(n, () -> latency(r))),
                new Dataset("all equal", fill(n, () -> 42.0)),
                new Dataset("all zero", fill(1000, () -> 0.0)),
                new Dataset("two extreme clusters 1e-3 and 1e6",
                        fill(n, () -> (r.nextBoolean() ? 1e-3 : 1e6) * (1 + r.nextDouble(0, 1e-3)))),
                new Dataset("log-uniform 1e-9..1e9", fill(n, () -> Math.pow(10, r.nextDouble(-9, 9)))),
                new Dataset("exact extremes 1e-9 and 1e9", new double[] {1e-9, 1e9, 1e-9, 1e9, 1}),
                new Dataset("monotonically increasing", increasing(n)),
                new Dataset("monotonically decreasing", reversed(increasing(n))),
                new Dataset("many duplicates", fill(n, () -> new double[] {1, 2, 3, 5, 8, 13, 1000}[r.nextInt(7)])),
                new Dataset("negative values", fill(n, () -> -r.nextDouble(0.001, 1000))),
                new Dataset("mixed signs and zeros", fill(n, () -> switch (r.nextInt(3)) {
                    case 0 -> -Math.pow(10, r.nextDouble(-3, 3));
                    case 1 -> 0.0;
                    default -> Math.pow(10, r.nextDouble(-3, 3));
                })),
                new Dataset("single value", new double[] {7.25}),
                new Dataset("single negative value", new double[] {-0.003}),
                new Dataset("two values far apart", new double[] {1e6, 1e-3}));
    }

    /** Log-normal around 50 ms, clamped to 1 ms..60 s, like request latencies in seconds. */
    static double latency(SplittableRandom r) {
        double gaussian = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
        return Math.min(60, Math.max(0.001, Math.exp(Math.log(0.05) + 1.5 * gaussian)));
    }

    private static double[] fill(int n, DoubleSupplier s) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = s.getAsDouble();
        }
        return v;
    }

    private static double[] increasing(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i + 1;
        }
        return v;
    }

    private static double[] reversed(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[v.length - 1 - i];
        }
        return r;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Fixed data sets

    @ParameterizedTest(name = "{0}")
    @MethodSource("datasets")
    void quantile_afterAdd_withinRelativeAccuracy(Dataset data) {
        Aggregate a = aggregateOf(data.values(), 0, data.values().length, 0);

        assertAllQuantilesAccurate(data.values(), a);
        assertExactSummary(data.values(), a);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("datasets")
    void quantile_afterMerge_withinRelativeAccuracy(Dataset data) {
        List<Aggregate> parts = contiguousParts(data.values(), 7, new Random(1));
        Aggregate merged = new Aggregate();
        for (Aggregate part : parts) {
            merged.merge(part, kind());
        }

        assertAllQuantilesAccurate(data.values(), merged);
        assertExactSummary(data.values(), merged);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("datasets")
    void quantile_afterCombine_withinRelativeAccuracy(Dataset data) {
        // Round-robin split: every part spans the whole range, as series of different nodes would.
        double[] v = data.values();
        int k = 5;
        Aggregate combined = new Aggregate();
        for (int p = 0; p < k; p++) {
            double[] slice = new double[(v.length - p + k - 1) / k];
            for (int i = p, j = 0; i < v.length; i += k, j++) {
                slice[j] = v[i];
            }
            combined.combine(aggregateOf(slice, 0, slice.length, p * 1_000_000L));
        }

        assertAllQuantilesAccurate(v, combined);
        assertExactSummary(v, combined);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("datasets")
    void quantile_afterEncodeDecode_withinRelativeAccuracy(Dataset data) {
        Aggregate a = aggregateOf(data.values(), 0, data.values().length, 0);

        Aggregate decoded = Aggregate.decode(a.encode());

        assertAllQuantilesAccurate(data.values(), decoded);
        assertExactSummary(data.values(), decoded);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("datasets")
    void quantile_afterMergingDecodedParts_withinRelativeAccuracy(Dataset data) {
        Aggregate merged = new Aggregate();
        for (Aggregate part : contiguousParts(data.values(), 4, new Random(2))) {
            merged.merge(Aggregate.decode(part.encode()), kind());
        }
        Aggregate twice = Aggregate.decode(Aggregate.decode(merged.encode()).encode());

        assertAllQuantilesAccurate(data.values(), merged);
        assertAllQuantilesAccurate(data.values(), twice);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Properties

    @Property(tries = 200)
    void quantile_randomLatencies_withinRelativeAccuracy(@ForAll("latencies") double[] values) {
        Aggregate a = aggregateOf(values, 0, values.length, 0);

        assertAllQuantilesAccurate(values, a);
    }

    @Property(tries = 200)
    void quantile_anySignAndMagnitude_withinRelativeAccuracy(@ForAll("anyMagnitude") double[] values) {
        Aggregate a = aggregateOf(values, 0, values.length, 0);

        assertAllQuantilesAccurate(values, a);
    }

    @Property(tries = 200)
    void quantile_afterRandomSplitAndMerge_withinRelativeAccuracy(@ForAll("anyMagnitude") double[] values,
            @ForAll @IntRange(min = 1, max = 10) int parts, @ForAll Random random) {
        Aggregate merged = new Aggregate();
        for (Aggregate part : contiguousParts(values, parts, random)) {
            merged.merge(part, kind());
        }

        assertAllQuantilesAccurate(values, merged);
        assertThat(merged.observations()).isEqualTo(values.length);
    }

    @Property(tries = 200)
    void quantile_afterRandomSplitCombineAndEncode_withinRelativeAccuracy(@ForAll("latencies") double[] values,
            @ForAll @IntRange(min = 1, max = 10) int parts, @ForAll Random random) {
        Aggregate combined = new Aggregate();
        for (Aggregate part : contiguousParts(values, parts, random)) {
            combined.combine(Aggregate.decode(part.encode()));
        }
        Aggregate decoded = Aggregate.decode(combined.encode());

        assertAllQuantilesAccurate(values, decoded);
    }

    @Provide
    Arbitrary<double[]> latencies() {
        // Log-uniform between 1 ms and 60 s, plus the plain uniform generator for its edge cases.
        Arbitrary<Double> logUniform = Arbitraries.doubles().between(-3, 1.778).ofScale(6).map(e -> Math.pow(10, e));
        Arbitrary<Double> uniform = Arbitraries.doubles().between(0.001, 60).ofScale(6);
        return Arbitraries.oneOf(logUniform, uniform).array(double[].class).ofMinSize(1).ofMaxSize(400);
    }

    @Provide
    Arbitrary<double[]> anyMagnitude() {
        Arbitrary<Double> magnitude = Arbitraries.doubles().between(-9, 9).ofScale(6).map(e -> Math.pow(10, e));
        Arbitrary<Double> signed = magnitude.flatMap(m -> Arbitraries.of(m, -m));
        Arbitrary<Double> zero = Arbitraries.just(0.0);
        return Arbitraries.frequencyOf(Tuple.of(10, signed), Tuple.of(1, zero))
                .array(double[].class).ofMinSize(1).ofMaxSize(400);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers

    private Aggregate aggregateOf(double[] values, int from, int to, long ts) {
        Aggregate a = new Aggregate();
        record(a, ts, values, from, to);
        return a;
    }

    /** Splits the values, in order, into {@code k} contiguous parts at random cut points (parts may be empty). */
    private List<Aggregate> contiguousParts(double[] values, int k, Random random) {
        int[] cuts = new int[k + 1];
        for (int i = 1; i < k; i++) {
            cuts[i] = random.nextInt(values.length + 1);
        }
        cuts[k] = values.length;
        Arrays.sort(cuts);
        List<Aggregate> parts = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            parts.add(aggregateOf(values, cuts[i], cuts[i + 1], cuts[i]));
        }
        return parts;
    }

    static void assertAllQuantilesAccurate(double[] values, Aggregate a) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            double q = i / 100.0;
            double exact = sorted[(int) Math.floor(q * (sorted.length - 1))];
            double actual = a.quantile(q);
            double allowed = (Sketches.RELATIVE_ACCURACY + EPSILON) * Math.abs(exact);
            if (!(Math.abs(actual - exact) <= allowed)) {
                failures.add("q=" + q + ": expected " + exact + " ± " + allowed + " but was " + actual);
            }
        }
        assertThat(failures).as("quantiles outside the relative accuracy").isEmpty();
    }

    /** Count, min and max are kept exactly beside the sketch; the sum up to floating-point reordering. */
    private static void assertExactSummary(double[] values, Aggregate a) {
        assertThat(a.observations()).isEqualTo(values.length);
        assertThat(a.min()).isEqualTo(Arrays.stream(values).min().orElseThrow());
        assertThat(a.max()).isEqualTo(Arrays.stream(values).max().orElseThrow());
        double absSum = Arrays.stream(values).map(Math::abs).sum();
        assertThat(a.sum()).isCloseTo(Arrays.stream(values).sum(), within(1e-9 * absSum + 1e-300));
    }
}
