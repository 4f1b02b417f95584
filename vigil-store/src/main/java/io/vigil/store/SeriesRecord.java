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

    /**
     * Decodes a stored series row (metric name, {@link CanonicalLabels} JSON, {@link MetricKind#code()}).
     *
     * @param where names the store in the error message
     * @throws StorageException when the row cannot be decoded
     */
    public static SeriesRecord decode(long id, String metric, String labels, int kindCode, String where) {
        try {
            return new SeriesRecord(new SeriesKey(metric, CanonicalLabels.decode(labels)), MetricKind.ofCode(kindCode));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StorageException(where + ": series " + id + " cannot be decoded: " + e.getMessage(), e, false);
        }
    }
}
