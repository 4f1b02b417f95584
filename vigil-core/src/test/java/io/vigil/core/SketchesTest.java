package io.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.BinEncodingMode;
import com.datadoghq.sketch.ddsketch.encoding.Flag;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.encoding.VarEncodingHelper;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The shared DDSketch configuration: merging, encoding, and decode's refusal of corrupt input. */
class SketchesTest {

    private static DDSketch sketchOf(double... values) {
        DDSketch s = Sketches.newSketch();
        for (double v : values) {
            s.accept(v);
        }
        return s;
    }

    @Test
    void newSketch_everyQuantile_withinRelativeAccuracy() {
        double[] values = new double[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.pow(1.02, i) / 1000; // 1 ms up to ~ 400 000 s, geometric
        }
        DDSketch s = sketchOf(values);

        for (int i = 0; i <= 100; i++) {
            double q = i / 100.0;
            double exact = values[(int) Math.floor(q * (values.length - 1))];
            assertThat(s.getValueAtQuantile(q)).as("q=%s", q)
                    .isCloseTo(exact, within(exact * (Sketches.RELATIVE_ACCURACY + 1e-12)));
        }
    }

    @Test
    void mergeWith_otherReachingBelowAndAbove_keepsEveryObservation() {
        // Regression: sketches-java 0.8.3's PaginatedStore threw ArrayIndexOutOfBoundsException on this merge.
        DDSketch s = sketchOf(250, 20_000);

        s.mergeWith(sketchOf(1.4, 40_000));

        assertThat(s.getCount()).isEqualTo(4);
        assertThat(s.getValueAtQuantile(0)).isCloseTo(1.4, within(0.014));
        assertThat(s.getValueAtQuantile(1)).isCloseTo(40_000, within(400.0));
    }

    @Test
    void decode_ofEncode_hasTheSameBinsAndCount() {
        DDSketch s = sketchOf(-5, 0, 0.001, 3, 3, 3, 1e9);

        byte[] bytes = Sketches.encode(s);
        DDSketch decoded = Sketches.decode(bytes, 0, bytes.length);

        assertThat(decoded.getCount()).isEqualTo(s.getCount());
        assertThat(Sketches.encode(decoded)).isEqualTo(bytes);
        for (int i = 0; i <= 100; i++) {
            assertThat(decoded.getValueAtQuantile(i / 100.0)).isEqualTo(s.getValueAtQuantile(i / 100.0));
        }
    }

    @Test
    void decode_atAnOffset_readsOnlyThatRange() {
        byte[] sketch = Sketches.encode(sketchOf(1, 2, 3));
        byte[] framed = new byte[sketch.length + 7];
        System.arraycopy(sketch, 0, framed, 3, sketch.length);
        framed[0] = (byte) 0xff;
        framed[framed.length - 1] = (byte) 0xff;

        DDSketch decoded = Sketches.decode(framed, 3, sketch.length);

        assertThat(decoded.getCount()).isEqualTo(3);
    }

    @Test
    void decode_otherRelativeAccuracy_throwsIllegalArgument() throws IOException {
        DDSketch foreign = new DDSketch(0.02);
        foreign.accept(10);
        GrowingByteArrayOutput out = GrowingByteArrayOutput.withInitialCapacity(64);
        foreign.encode(out, false);
        byte[] bytes = out.trimmedCopy();

        assertThatThrownBy(() -> Sketches.decode(bytes, 0, bytes.length))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a valid sketch encoding");
    }

    /** A sketch encoding with Vigil's mapping and the given bins in the positive store. */
    private static byte[] encodingWithBins(long[] indexes, double[] counts) throws IOException {
        GrowingByteArrayOutput out = GrowingByteArrayOutput.withInitialCapacity(64);
        new LogarithmicMapping(Sketches.RELATIVE_ACCURACY).encode(out);
        BinEncodingMode.INDEX_DELTAS_AND_COUNTS.toFlag(Flag.Type.POSITIVE_STORE).encode(out);
        VarEncodingHelper.encodeUnsignedVarLong(out, indexes.length);
        long previous = 0;
        for (int i = 0; i < indexes.length; i++) {
            VarEncodingHelper.encodeSignedVarLong(out, indexes[i] - previous);
            VarEncodingHelper.encodeVarDouble(out, counts[i]);
            previous = indexes[i];
        }
        return out.trimmedCopy();
    }

    @Test
    void decode_handCraftedValidBins_decodes() throws IOException {
        byte[] bytes = encodingWithBins(new long[] {-100, 0, 500}, new double[] {1, 2, 3});

        assertThat(Sketches.decode(bytes, 0, bytes.length).getCount()).isEqualTo(6);
    }

    @Test
    void decode_binsNoValueMapsTo_throwsIllegalArgumentInsteadOfAllocatingThem() throws IOException {
        // A dense store would allocate an array from bin -10⁹ to 10⁹ (16 GB): OutOfMemoryError, not a clean refusal.
        byte[] bytes = encodingWithBins(new long[] {-1_000_000_000L, 1_000_000_000L}, new double[] {1, 1});

        assertThatThrownBy(() -> Sketches.decode(bytes, 0, bytes.length))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1000000000");
    }

    @Test
    void decode_nonFiniteOrNegativeCount_throwsIllegalArgument() throws IOException {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, -1}) {
            byte[] bytes = encodingWithBins(new long[] {10}, new double[] {bad});

            assertThatThrownBy(() -> Sketches.decode(bytes, 0, bytes.length))
                    .as("count %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void decode_rangeOutsideTheArray_throwsIllegalArgument() {
        byte[] bytes = Sketches.encode(sketchOf(1, 2, 3));

        assertThatThrownBy(() -> Sketches.decode(bytes, 2, bytes.length))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
