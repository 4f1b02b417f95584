package io.vigil.calendar;

import java.time.Instant;
import java.util.List;

/**
 * The wedding context of an instant (W2), carried by every query answer and alert: whether it is wedding season and
 * peak time, which weddings are active and upcoming (ids and times only, never personal data), and the estimated
 * wedding load (see {@link ContextCalculator} for the formula).
 */
public record WeddingContext(Instant at, boolean weddingSeason, boolean peakTime, List<WeddingRef> activeWeddings,
                             List<WeddingRef> upcomingWeddings, double estimatedWeddingLoad) {

    public WeddingContext {
        activeWeddings = List.copyOf(activeWeddings);
        upcomingWeddings = List.copyOf(upcomingWeddings);
    }

    /**
     * A wedding as the context names it.
     *
     * @param id the wedding id
     * @param timeZone its IANA zone
     * @param activeFrom two hours before the ceremony
     * @param ceremonyStart the ceremony start
     * @param receptionEnd the end of the reception (and of the active window)
     * @param guestCount expected guests
     * @param tier its proximity tier at the context's instant
     */
    public record WeddingRef(String id, String timeZone, Instant activeFrom, Instant ceremonyStart,
                             Instant receptionEnd, int guestCount, ProximityTier tier) {}
}
