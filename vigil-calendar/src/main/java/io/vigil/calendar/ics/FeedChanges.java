package io.vigil.calendar.ics;

import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What one refresh of a feed writes: new weddings, changed ones, and those that left the feed, now cancelled.
 * Unchanged weddings are absent. A pure function of its inputs; the caller stores {@link #upserts()}.
 *
 * @param added in the feed, not stored before
 * @param updated stored, and different in the feed (rescheduled, moved, cancelled or reinstated)
 * @param cancelled stored as scheduled, gone from the feed, now {@link WeddingStatus#CANCELLED}
 * @param cancellationsHeld true when the feed had an event whose UID could not be read; as it might be any of the
 *     missing weddings, none was cancelled
 */
public record FeedChanges(List<Wedding> added, List<Wedding> updated, List<Wedding> cancelled,
                          boolean cancellationsHeld) {

    public FeedChanges {
        added = List.copyOf(added);
        updated = List.copyOf(updated);
        cancelled = List.copyOf(cancelled);
    }

    /**
     * Compares a freshly parsed feed with what is stored from it. A wedding whose event the feed holds but could not
     * read (an {@link IcsProblem} with its UID) is left as stored, as is one whose reception ended before
     * {@code now}: feeds commonly drop past events, and those did happen. The feed carries no coordinator, so a
     * stored coordinator is kept.
     *
     * @param stored every wedding stored with this feed's source, any status
     * @param feed the feed just parsed
     * @param now the current time
     */
    public static FeedChanges between(Collection<Wedding> stored, IcsParseResult feed, Instant now) {
        Objects.requireNonNull(now, "now");
        Map<String, Wedding> storedById = new LinkedHashMap<>();
        for (Wedding wedding : stored) {
            storedById.put(wedding.id(), wedding);
        }
        List<Wedding> added = new ArrayList<>();
        List<Wedding> updated = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (Wedding fresh : feed.weddings()) {
            present.add(fresh.id());
            Wedding old = storedById.get(fresh.id());
            if (old == null) {
                added.add(fresh);
                continue;
            }
            Wedding candidate = old.coordinator() == null ? fresh : withCoordinator(fresh, old);
            if (!candidate.equals(old)) {
                updated.add(candidate);
            }
        }
        boolean held = false;
        for (IcsProblem problem : feed.problems()) {
            if (problem.uid() == null) {
                held = true;
            } else {
                present.add(problem.uid());
            }
        }
        List<Wedding> cancelled = new ArrayList<>();
        if (!held) {
            for (Wedding old : storedById.values()) {
                if (!present.contains(old.id()) && old.status() == WeddingStatus.SCHEDULED
                        && old.receptionEndInstant().isAfter(now)) {
                    cancelled.add(old.withStatus(WeddingStatus.CANCELLED));
                }
            }
        }
        return new FeedChanges(added, updated, cancelled, held);
    }

    /** Everything to store: added, updated and cancelled weddings. */
    public List<Wedding> upserts() {
        return Stream.of(added, updated, cancelled).flatMap(List::stream).toList();
    }

    /** Whether the feed changed nothing. */
    public boolean isEmpty() {
        return added.isEmpty() && updated.isEmpty() && cancelled.isEmpty();
    }

    private static Wedding withCoordinator(Wedding w, Wedding from) {
        return new Wedding(w.id(), w.date(), w.timeZone(), w.ceremonyStart(), w.receptionEnd(), w.guestCount(),
                w.venue(), w.vendorIds(), w.status(), w.source(), from.coordinator());
    }
}
