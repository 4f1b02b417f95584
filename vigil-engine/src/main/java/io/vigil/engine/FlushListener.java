package io.vigil.engine;

import java.util.Set;

/**
 * Told what each flush of a {@link StorageEngine} committed to the store, so that other nodes sharing the store can
 * learn that new data is there (live streams recompute the metrics another node flushed). Set with
 * {@link StorageEngine#onFlushed}.
 */
@FunctionalInterface
public interface FlushListener {
    /**
     * Called on the flush thread right after a commit that wrote rollups or new series to the store; from then on
     * every node's queries read them from the store. It runs outside the engine's locks, so neither ingest nor
     * queries wait for it, but the flush thread does: it must return at once, without I/O or waiting (hand the work
     * to a thread of its own). An exception is logged and otherwise ignored. Not called for a flush that wrote
     * nothing.
     *
     * @param metrics the metric names of the series written, never empty (unmodifiable)
     * @param newSeries whether the commit created series; another node's queries find those only after its
     *     {@link StorageEngine#refreshSeries()} (or its own next flush)
     */
    void flushed(Set<String> metrics, boolean newSeries);
}
