package io.vigil.store;

import java.util.List;

/**
 * Series committed after a cursor, by this node or any other node sharing the store, and the cursor to ask from
 * next time (see {@link MetricStore#seriesAfter}).
 *
 * @param series the series, each once, in no particular order
 * @param cursor opaque; pass it to the next {@code seriesAfter} call
 */
public record SeriesChanges(List<SeriesRecord> series, long cursor) {
    public SeriesChanges {
        series = List.copyOf(series);
    }
}
