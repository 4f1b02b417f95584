package io.vigil.store;

import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;

/**
 * A stored series: its key and kind. Its id is {@link SeriesKey#id()}, stable across nodes and restarts.
 */
public record SeriesRecord(SeriesKey key, MetricKind kind) {
    public long id() {
        return key.id();
    }
}
