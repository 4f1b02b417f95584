package io.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.datadoghq.sketch.ddsketch.DDSketch;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Aggregate#encode()} / {@link Aggregate#decode(byte[])}: exact round trips, and garbage refused cleanly. */
class AggregateEncodingTest {

    /** Offset of the sketch-length field: version, flags, ten fields and the reserved long of 8 bytes each. */
    private static final int SKETCH_LENGTH_AT = 2 + 8 * 11;

    // --- random aggregates --------------------------------------------------------------------------------------------

    /** An aggregate built from {@code ops} random operations of every sort, driven by {@code random}. */
    static Aggregate randomAggregate(Random random, int ops) {
        MetricKind kind = MetricKind.values()[random.nextInt(MetricKind.values().length)];
        Aggregate a = new Aggregate();
        long ts = random.nextInt(1_000_000);
        for (int i = 0; i < ops; i++) {
            ts += random.nextInt(60_000);
            switch (random.nextInt(10)) {
                case 0 -> a.add(ts, explicitPoint(random));
                case 1 -> a.add(ts, sketchPoint(random));
                case 2 -> a.merge(randomAggregate(random, random.nextInt(4)), kind);
                case 3 -> a.combine(randomAggregate(random, random.nextInt(4)));
                default -> a.add(ts, randomValue(random), kind);
            }
        }
        return a;
    }

    private static double randomValue(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> 0.0;
            case 1 -> -Math.pow(10, random.nextDouble() * 12 - 6);
            case 2 -> random.nextInt(1000);
            default -> Math.pow(10, random.nextDouble() * 18 - 9);
        };
    }

    private static Distribution explicitPoint(Random random) {
        double[] bounds = switch (random.nextInt(3)) {
            case 0 -> new double[] {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
            case 1 -> new double[] {1, 10, 100};
            default -> new double[0];
        };
        long[] counts = new long[bounds.length + 1];
        long n = 0;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = random.nextInt(3) == 0 ? random.nextInt(1000) : 0;
            n += counts[i];
        }
        boolean known = random.nextBoolean();
        return Distribution.explicit(n, random.nextDouble() * n, known ? random.nextDouble() : Double.NaN,
                known ? 1 + random.nextDouble() * 100 : Double.NaN, bounds, counts);
    }

    private static Distribution sketchPoint(Random random) {
        DDSketch s = Sketches.newSketch();
        int n = random.nextInt(50);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = randomValue(random);
            s.accept(v);
            sum += v;
        }
        return random.nextBoolean()
                ? Distribution.ofSketch(s, sum, Double.NaN, Double.NaN)
                : Distribution.ofSketch(s, sum, n == 0 ? Double.NaN : s.getMinValue(), n == 0 ? Double.NaN : s.getMaxValue());
    }

    /** Every observable field bit for bit (NaN equal to NaN), every quantile, and the bytes. */
    static void assertSameAggregate(Aggregate actual, Aggregate expected) {
        assertThat(actual.samples()).isEqualTo(expected.samples());
        assertThat(actual.observations()).isEqualTo(expected.observations());
        assertSameDouble("sum", actual.sum(), expected.sum());
        assertSameDouble("min", actual.min(), expected.min());
        assertSameDouble("max", actual.max(), expected.max());
        assertThat(actual.firstTimestamp()).isEqualTo(expected.firstTimestamp());
        assertSameDouble("firstValue", actual.firstValue(), expected.firstValue());
        assertThat(actual.lastTimestamp()).isEqualTo(expected.lastTimestamp());
        assertSameDouble("lastValue", actual.lastValue(), expected.lastValue());
        assertSameDouble("increase", actual.increase(), expected.increase());
        assertThat(actual.bucketBounded()).isEqualTo(expected.bucketBounded());
        for (int i = 0; i <= 100; i++) {
            assertSameDouble("quantile " + i / 100.0, actual.quantile(i / 100.0), expected.quantile(i / 100.0));
        }
        assertThat(actual.encode()).isEqualTo(expected.encode());
    }

    private static void assertSameDouble(String field, double actual, double expected) {
        assertThat(Double.doubleToLongBits(actual)).as("%s: %s vs %s", field, actual, expected)
                .isEqualTo(Double.doubleToLongBits(expected));
    }

    // --- round trips ------------------------------------------------------------------------------------------------------

    @Property(tries = 300)
    void decode_ofEncode_preservesEveryFieldExactly(@ForAll Random random, @ForAll @IntRange(max = 40) int ops) {
        Aggregate a = randomAggregate(random, ops);

        Aggregate decoded = Aggregate.decode(a.encode());

        assertSameAggregate(decoded, a);
    }

    @Property(tries = 100)
    void decode_ofEncode_behavesLikeTheOriginalWhenUpdatedFurther(@ForAll Random random,
            @ForAll @IntRange(max = 20) int ops) {
        Aggregate a = randomAggregate(random, ops);
        Aggregate decoded = Aggregate.decode(a.encode());
        Aggregate more = randomAggregate(random, 5);
        MetricKind kind = MetricKind.values()[random.nextInt(MetricKind.values().length)];

        a.merge(more, kind);
        decoded.merge(more, kind);
        a.add(a.lastTimestamp() + 1, 3.5, kind);
        decoded.add(decoded.lastTimestamp() + 1, 3.5, kind);

        assertSameAggregate(decoded, a);
    }

    @Test
    void decode_ofEmptyAggregate_isEmpty() {
        Aggregate decoded = Aggregate.decode(new Aggregate().encode());

        assertSameAggregate(decoded, new Aggregate());
        assertThat(decoded.min()).isNaN();
    }

    @Test
    void decode_extremeValues_roundTripExactly() {
        Aggregate a = new Aggregate();
        for (double v : new double[] {1e-300, 1.7e308, -1.7e308, Double.MIN_NORMAL, -0.0, 0.0, 1e-9, 1e9}) {
            a.add(1_000, v, MetricKind.GAUGE);
        }

        assertSameAggregate(Aggregate.decode(a.encode()), a);
    }

    // --- truncation and garbage ---------------------------------------------------------------------------------------

    static Stream<Aggregate> validEncodings() {
        Random random = new Random(7);
        Aggregate gauge = new Aggregate();
        for (int i = 0; i < 500; i++) {
            gauge.add(i, Math.exp(random.nextGaussian() * 4) * (i % 5 == 0 ? -1 : 1), MetricKind.GAUGE);
        }
        Aggregate histogram = new Aggregate();
        histogram.add(1, Distribution.explicit(6, 9, 0.5, 4, new double[] {1, 2, 5}, new long[] {1, 2, 3, 0}));
        Aggregate both = gauge.copy();
        both.combine(histogram);
        Aggregate counter = new Aggregate();
        counter.add(1, 10, MetricKind.COUNTER);
        counter.add(2, 3, MetricKind.COUNTER);
        return Stream.of(new Aggregate(), counter, gauge, histogram, both, randomAggregate(random, 30));
    }

    @ParameterizedTest
    @MethodSource("validEncodings")
    void decode_everyTruncation_throwsIllegalArgument(Aggregate a) {
        byte[] full = a.encode();

        for (int length = 0; length < full.length; length++) {
            byte[] truncated = Arrays.copyOf(full, length);
            assertThatThrownBy(() -> Aggregate.decode(truncated))
                    .as("truncated to %d of %d bytes", length, full.length)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("validEncodings")
    void decode_randomlyCorruptedBytes_returnsOrThrowsIllegalArgumentOnly(Aggregate a) {
        byte[] full = a.encode();
        Random random = new Random(full.length);

        for (int trial = 0; trial < 3_000; trial++) {
            byte[] corrupt = full.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt(256);
            }
            Throwable thrown = catchThrowable(() -> Aggregate.decode(corrupt));
            if (thrown != null) {
                assertThat(thrown).as("trial %d", trial).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Property(tries = 2_000)
    void decode_randomBytes_returnsOrThrowsIllegalArgumentOnly(@ForAll @Size(max = 300) byte[] bytes,
            @ForAll boolean validVersion) {
        if (validVersion && bytes.length > 0) {
            bytes[0] = 1;
        }

        Throwable thrown = catchThrowable(() -> Aggregate.decode(bytes));

        if (thrown != null) {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void decode_unknownVersion_throwsIllegalArgumentNamingIt() {
        byte[] bytes = new Aggregate().encode();
        bytes[0] = 2;

        assertThatThrownBy(() -> Aggregate.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 2");
    }

    @Test
    void decode_emptyArray_throwsIllegalArgument() {
        assertThatThrownBy(() -> Aggregate.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] gaugeEncoding() {
        Aggregate a = new Aggregate();
        a.add(1, 5, MetricKind.GAUGE);
        a.add(2, 7, MetricKind.GAUGE);
        return a.encode();
    }

    @Test
    void decode_negativeSketchLength_throwsIllegalArgument() {
        // It used to decode an empty sketch and move the read position backwards into the header.
        byte[] bytes = gaugeEncoding();
        ByteBuffer.wrap(bytes).putInt(SKETCH_LENGTH_AT, -20);

        assertThatThrownBy(() -> Aggregate.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-20");
    }

    @Test
    void decode_sketchLengthBeyondTheEnd_throwsIllegalArgument() {
        byte[] bytes = gaugeEncoding();
        ByteBuffer.wrap(bytes).putInt(SKETCH_LENGTH_AT, Integer.MAX_VALUE);

        assertThatThrownBy(() -> Aggregate.decode(bytes)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decode_sketchBytesNotASketch_throwsIllegalArgument() {
        byte[] bytes = gaugeEncoding();
        Arrays.fill(bytes, SKETCH_LENGTH_AT + 4, bytes.length, (byte) 0xff);

        assertThatThrownBy(() -> Aggregate.decode(bytes)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decode_badBucketCount_throwsIllegalArgumentNamingIt() {
        Aggregate a = new Aggregate();
        a.add(1, Distribution.explicit(1, 1, 1, 1, new double[] {1}, new long[] {1, 0}));
        for (int bad : List.of(-1, 10_001, Integer.MIN_VALUE)) {
            byte[] bytes = a.encode();
            ByteBuffer.wrap(bytes).putInt(SKETCH_LENGTH_AT, bad); // no sketch: the bucket count comes first

            assertThatThrownBy(() -> Aggregate.decode(bytes))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(String.valueOf(bad));
        }
    }
}
