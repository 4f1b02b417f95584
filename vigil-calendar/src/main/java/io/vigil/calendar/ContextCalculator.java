package io.vigil.calendar;

import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingStatus;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.Month;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Computes the {@link WeddingContext} of an instant from the scheduled weddings around it. A pure function of its
 * inputs, so the same instant always gives the same answer.
 *
 * <ul>
 *   <li><b>Wedding season</b>: the instant falls in May to October in the platform's time zone.</li>
 *   <li><b>Peak time</b>: wedding season and a Friday or Saturday in that zone.</li>
 *   <li><b>Active</b>: from two hours before the ceremony until the reception ends.</li>
 *   <li><b>Upcoming</b>: not active yet, and the active window starts within the upcoming horizon (24 h by
 *       default).</li>
 *   <li><b>Estimated wedding load</b> = the guests of the active weddings + half the guests of the upcoming weddings,
 *       × 1.5 at peak time. In guest-equivalents: a scale of how many wedding users the platform is serving or about
 *       to serve (a 150-guest wedding under way counts 150; one starting tomorrow morning 75).</li>
 * </ul>
 */
public final class ContextCalculator {
    /** Weight of an upcoming wedding's guests in the load. */
    public static final double UPCOMING_WEIGHT = 0.5;
    /** Multiplier of the load at peak time. */
    public static final double PEAK_FACTOR = 1.5;

    private final CalendarSettings settings;

    public ContextCalculator(CalendarSettings settings) {
        this.settings = settings;
    }

    /** The context at {@code at} given the weddings of the calendar (cancelled ones are ignored). */
    public WeddingContext at(Instant at, Collection<Wedding> weddings) {
        ZonedDateTime local = at.atZone(settings.timeZone());
        Month month = local.getMonth();
        boolean season = month.compareTo(Month.MAY) >= 0 && month.compareTo(Month.OCTOBER) <= 0;
        DayOfWeek day = local.getDayOfWeek();
        boolean peak = season && (day == DayOfWeek.FRIDAY || day == DayOfWeek.SATURDAY);
        Instant horizon = at.plus(settings.upcomingHorizon());
        List<WeddingContext.WeddingRef> active = new ArrayList<>();
        List<WeddingContext.WeddingRef> upcoming = new ArrayList<>();
        long activeGuests = 0;
        long upcomingGuests = 0;
        for (Wedding w : weddings) {
            if (w.status() != WeddingStatus.SCHEDULED) {
                continue;
            }
            if (w.isActiveAt(at)) {
                active.add(ref(w, at));
                activeGuests += w.guestCount();
            } else if (w.activeFrom().isAfter(at) && !w.activeFrom().isAfter(horizon)) {
                upcoming.add(ref(w, at));
                upcomingGuests += w.guestCount();
            }
        }
        Comparator<WeddingContext.WeddingRef> order = Comparator.comparing(WeddingContext.WeddingRef::activeFrom)
                .thenComparing(WeddingContext.WeddingRef::id);
        active.sort(order);
        upcoming.sort(order);
        double load = (activeGuests + UPCOMING_WEIGHT * upcomingGuests) * (peak ? PEAK_FACTOR : 1.0);
        return new WeddingContext(at, season, peak, active, upcoming, load);
    }

    private static WeddingContext.WeddingRef ref(Wedding w, Instant at) {
        return new WeddingContext.WeddingRef(w.id(), w.timeZone().getId(), w.activeFrom(), w.ceremonyStartInstant(),
                w.receptionEndInstant(), w.guestCount(), ProximityTier.of(w, at));
    }
}
