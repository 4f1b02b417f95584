package io.vigil.core;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.PaginatedStore;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one DDSketch configuration Vigil uses everywhere, so that every sketch merges with every other.
 *
 * <p>Relative accuracy is {@value #RELATIVE_ACCURACY}: a returned quantile x̃ satisfies |x̃ − x| ≤ 0.01·x for the
 * true quantile x. The logarithmic mapping (γ ≈ 1.0202) with a paginated store allocates bins in pages of 128 only
 * where values fall, so a latency sketch spanning 1 ms to 10 s holds about 460 bins (≈ 4 KiB) and a gauge with a
 * narrow range one page (≈ 1 KiB).
 */
public final class Sketches {
    public static final double RELATIVE_ACCURACY = 0.01;
    private static final LogarithmicMapping MAPPING = new LogarithmicMapping(RELATIVE_ACCURACY);

    private Sketches() {}

    /** A new empty sketch with Vigil's mapping; not thread-safe. */
    public static DDSketch newSketch() {
        return new DDSketch(MAPPING, PaginatedStore::new);
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
            return DDSketch.decode(ByteArrayInput.wrap(bytes, offset, length), PaginatedStore::new, MAPPING);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a valid sketch encoding: " + e.getMessage(), e);
        }
    }
}
