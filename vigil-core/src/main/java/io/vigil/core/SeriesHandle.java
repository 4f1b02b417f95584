package io.vigil.core;

/**
 * A slot that a decoder keeps for each series it has seen, in which the storage engine caches what it resolved the
 * series to. A series seen before then costs the engine no lookup at all: on the ingest hot path of 100,000 series
 * each avoided hash-map lookup is several cache misses. Decoders may subclass it to keep their own per-series data
 * in the same object. Thread-safe.
 */
public class SeriesHandle {
    private volatile Object resolved;
    /** Whether the series' labels include a given label: 0 not asked yet, 1 no, 2 yes (see {@link #hasLabel}). */
    private volatile byte labelPresence;

    /** What the engine stored here, or null. */
    public final Object resolved() {
        return resolved;
    }

    /**
     * Whether the label set this handle stands for has {@code label}, remembered after the first call so that a
     * label policy looking at every series of every request touches only this object. Callers must always ask
     * about the same label name.
     */
    public final boolean hasLabel(SeriesKey key, String label) {
        byte p = labelPresence;
        if (p == 0) {
            p = key.labels().get(label) != null ? (byte) 2 : (byte) 1;
            labelPresence = p;
        }
        return p == 2;
    }

    /** Stores what the engine resolved the series to; the engine checks on read that it is its own. */
    public final void resolve(Object value) {
        resolved = value;
    }
}
