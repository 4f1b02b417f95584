package io.vigil.export;

import java.util.List;
import java.util.TreeMap;

/**
 * Tallies the items an exporter's {@link ExportSink#encode} leaves out, by reason, and names them as
 * {@link ExportSink.Encoded} can: one reason when there was one kind, else the distinct reasons sorted and joined by
 * {@code +} (such as {@code non_finite+too_large}), so that the dropped counts of a worker keep a small, fixed set of
 * keys. Not thread-safe: one per call of {@code encode}.
 */
public final class Refusals {
    private final TreeMap<String, Integer> byReason = new TreeMap<>();
    private int total;

    /** Counts one item left out for {@code reason} (a short token such as {@code non_finite}). */
    public void add(String reason) {
        add(reason, 1);
    }

    /** Counts {@code n} items left out for {@code reason}. */
    public void add(String reason, int n) {
        if (n > 0) {
            byReason.merge(reason, n, Integer::sum);
            total += n;
        }
    }

    /** How many items were left out. */
    public int total() {
        return total;
    }

    /** The reason for {@link ExportSink.Encoded#refusedReason()}, null when nothing was left out. */
    public String reason() {
        return byReason.isEmpty() ? null : String.join("+", byReason.keySet());
    }

    /** The counts by reason, for a log line. */
    @Override
    public String toString() {
        return byReason.toString();
    }

    /** The payloads with what was left out. */
    public <T> ExportSink.Encoded<T> encoded(List<ExportSink.Payload<T>> payloads) {
        return new ExportSink.Encoded<>(payloads, total, reason());
    }
}
