package io.vigil.core;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.store.Bin;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one DDSketch configuration Vigil uses everywhere, so that every sketch merges with every other.
 *
 * <p>Relative accuracy is {@value #RELATIVE_ACCURACY}: a returned quantile x̃ satisfies |x̃ − x| ≤ 0.01·x for the
 * true quantile x. The logarithmic mapping (γ ≈ 1.0202) with an unbounded dense store keeps one contiguous array of
 * bins from the lowest to the highest value seen, grown in steps of 64 bins, so a latency sketch spanning 1 ms to
 * 10 s holds about 460 bins (≈ 4 KiB) and a gauge with a narrow range 64 bins (≈ 0.5 KiB).
 *
 * <p>Not {@code PaginatedStore}: in sketches-java 0.8.3 its {@code mergeWith} throws
 * {@code ArrayIndexOutOfBoundsException} when the other store reaches below this one's lowest page and above its last
 * page after the shift (for example merging {1.4, 40000} into {250, 20000}), which broke {@link Aggregate#merge}.
 * The store type is not part of the encoding, so sketches encoded with either store decode the same.
 */
public final class Sketches {
    public static final double RELATIVE_ACCURACY = 0.01;
    private static final LogarithmicMapping MAPPING = new LogarithmicMapping(RELATIVE_ACCURACY);

    /** The bins a value can map to; only a corrupt encoding holds others. */
    private static final int MIN_INDEX = MAPPING.index(MAPPING.minIndexableValue());
    private static final int MAX_INDEX = MAPPING.index(MAPPING.maxIndexableValue());

    private Sketches() {}

    /** A new empty sketch with Vigil's mapping; not thread-safe. */
    public static DDSketch newSketch() {
        return new DDSketch(MAPPING, UnboundedSizeDenseStore::new);
    }

    /** Compact binary encoding (sketches-java's own format, not protobuf). */
    public static byte[] encode(DDSketch sketch) {
        try {
            GrowingByteArrayOutput out = GrowingByteArrayOutput.withInitialCapacity(64);
            sketch.encode(out, false);
            return out.trimmedCopy();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes {@link #encode} output.
     *
     * @throws IllegalArgumentException if the bytes are not a sketch encoding
     */
    public static DDSketch decode(byte[] bytes, int offset, int length) {
        try {
            return DDSketch.decode(ByteArrayInput.wrap(bytes, offset, length), DecodingStore::new, MAPPING);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a valid sketch encoding: " + e.getMessage(), e);
        }
    }

    /**
     * A dense store that refuses bins no value maps to and counts that are not finite. A dense store allocates one
     * array from its lowest to its highest bin, so without this check a corrupt encoding naming bins -10⁹ and 10⁹
     * would make {@link #decode} allocate gigabytes (OutOfMemoryError) instead of failing.
     */
    private static final class DecodingStore extends UnboundedSizeDenseStore {
        @Override
        public void add(int index) {
            check(index, 1);
            super.add(index);
        }

        @Override
        public void add(int index, double count) {
            check(index, count);
            super.add(index, count);
        }

        @Override
        public void add(Bin bin) {
            check(bin.getIndex(), bin.getCount());
            super.add(bin);
        }

        private static void check(int index, double count) {
            if (index < MIN_INDEX || index > MAX_INDEX || !Double.isFinite(count)) {
                throw new IllegalArgumentException("bin " + index + " with count " + count + " is outside ["
                        + MIN_INDEX + ", " + MAX_INDEX + "] or not finite");
            }
        }
    }
}
