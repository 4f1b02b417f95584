package io.vigil.calendar;

import io.vigil.core.Labels;
import io.vigil.core.SeriesKey;
import io.vigil.core.WriteBatch;
import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Keeps per-wedding series bounded (C3, C5): the label {@value #LABEL} is kept only for a scheduled wedding of the
 * calendar whose date is within one day of today in its own time zone; for any other value (a wedding weeks away,
 * one long past, an id the calendar does not know) it becomes {@value #OTHER}, so those samples still count in every
 * total but do not create a series per wedding. Per-wedding series therefore exist only for the weddings around
 * their day: some tens on a busy Saturday, not one per wedding of the season multiplied by every other label.
 * Thread-safe.
 */
public final class WeddingLabelPolicy {
    /** The label that names a wedding on a metric. */
    public static final String LABEL = "wedding_id";
    /** The value that stands for every wedding outside its window. */
    public static final String OTHER = "other";
    /** How many days from its date a wedding keeps its own series. */
    public static final int WINDOW_DAYS = 1;

    private final WeddingCalendar calendar;
    private volatile Admitted admitted;

    private record Admitted(Set<String> ids, long loadedNanos) {}

    public WeddingLabelPolicy(WeddingCalendar calendar) {
        this.calendar = calendar;
    }

    /** Rewrites the {@value #LABEL} of every series of the batch that names a wedding outside its window. */
    public void apply(WriteBatch batch) {
        Set<String> ids = null;
        for (int i = 0, n = batch.seriesCount(); i < n; i++) {
            SeriesKey key = batch.key(i);
            // The decoder's handle remembers whether the label set has the label: no walk through the labels of
            // every series of every request (each a few cache misses at 100,000 series).
            io.vigil.core.SeriesHandle handle = batch.handle(i);
            if (handle != null && !handle.hasLabel(key, LABEL)) {
                continue;
            }
            String wedding = key.labels().get(LABEL);
            if (wedding == null || wedding.equals(OTHER)) {
                continue;
            }
            if (ids == null) {
                ids = admitted();
            }
            if (!ids.contains(wedding)) {
                batch.replaceKey(i, new SeriesKey(key.metric(), withOther(key.labels())));
            }
        }
    }

    /** The ids that keep their own series now. */
    public Set<String> admitted() {
        Admitted a = admitted;
        long now = System.nanoTime();
        if (a != null && now - a.loadedNanos() < WeddingCalendar.REFRESH.toNanos()) {
            return a.ids();
        }
        Instant at = calendar.clock().instant();
        Set<String> ids = new HashSet<>();
        for (Wedding w : calendar.weddingsAroundNow()) {
            LocalDate today = at.atZone(w.timeZone()).toLocalDate();
            if (w.status() == WeddingStatus.SCHEDULED
                    && Math.abs(ChronoUnit.DAYS.between(today, w.date())) <= WINDOW_DAYS) {
                ids.add(w.id());
            }
        }
        Set<String> frozen = Set.copyOf(ids);
        admitted = new Admitted(frozen, now);
        return frozen;
    }

    private static Labels withOther(Labels labels) {
        Map<String, String> m = new TreeMap<>(labels.toMap());
        m.put(LABEL, OTHER);
        return Labels.of(m);
    }
}
