package io.vigil.calendar.report;

import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingEvent;
import io.vigil.core.wedding.WeddingEventType;
import io.vigil.core.wedding.WeddingStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The critical path of one wedding day (W3) as seen at an instant "now": milestones, the guest arrival curve, vendor
 * coordination, emergencies and the bottlenecks named in plain words ({@link Bottlenecks} documents the rules).
 * Holds the wedding's id, date, zone, venue and guest count only, never the coordinator or other personal data.
 * Render it with {@link CriticalPathJson} or {@link CriticalPathHtml}.
 *
 * @param weddingId the wedding
 * @param date the wedding day
 * @param timeZone the wedding's zone, in which every clock time of the report is shown
 * @param venue the venue; may be null
 * @param status scheduled or cancelled
 * @param guestCount expected guests
 * @param ceremonyStart the planned ceremony start
 * @param receptionEnd the planned reception end
 * @param now the instant the report describes
 * @param eventsCounted the wedding's events the report is built from
 * @param eventsIgnored the wedding's events left out: stamped after {@code now} or outside the day's window
 * @param milestones the milestones and adherence
 * @param guestArrivals the arrival curve
 * @param vendors vendor coordination
 * @param emergencies the emergencies
 * @param bottlenecks sentences, most severe first
 */
public record CriticalPathReport(String weddingId, LocalDate date, ZoneId timeZone, String venue,
                                 WeddingStatus status, int guestCount, Instant ceremonyStart, Instant receptionEnd,
                                 Instant now, int eventsCounted, int eventsIgnored, Milestones milestones,
                                 GuestArrivals guestArrivals, VendorCoordination vendors, Emergencies emergencies,
                                 List<String> bottlenecks) {
    /** The day's window reaches this far before the ceremony start and after the reception end. */
    public static final Duration WINDOW_MARGIN = Duration.ofHours(24);

    public CriticalPathReport {
        bottlenecks = List.copyOf(bottlenecks);
    }

    /**
     * The report of {@code wedding} at {@code now}, from its events in any order. Events of other weddings are
     * ignored, and so is a repeated event id (a retried report). Left out and counted in {@link #eventsIgnored}:
     * events stamped after {@code now}, so that the report shows the day as it stood then, and events stamped
     * outside the day's window ({@link #WINDOW_MARGIN} before the ceremony to as long after the reception), so
     * that one broken sender clock cannot stretch the arrival curve over years. Planned milestones always count:
     * their time is the plan, not an observation.
     */
    public static CriticalPathReport of(Wedding wedding, Collection<WeddingEvent> events, Instant now) {
        Objects.requireNonNull(wedding, "wedding");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(now, "now");
        Set<String> seen = new HashSet<>();
        List<WeddingEvent> mine = new ArrayList<>();
        int ignored = 0;
        Instant ceremony = wedding.ceremonyStartInstant();
        Instant from = ceremony.minus(WINDOW_MARGIN);
        Instant to = wedding.receptionEndInstant().plus(WINDOW_MARGIN);
        for (WeddingEvent e : events) {
            if (!e.weddingId().equals(wedding.id()) || !seen.add(e.id())) {
                continue;
            }
            boolean observed = e.type() != WeddingEventType.MILESTONE_PLANNED;
            if (observed && (e.at().isAfter(now) || e.at().isBefore(from) || e.at().isAfter(to))) {
                ignored++;
            } else {
                mine.add(e);
            }
        }
        WeddingTimes times = new WeddingTimes(wedding.timeZone(), wedding.date());
        Milestones milestones = Milestones.of(mine, now);
        GuestArrivals guests = GuestArrivals.of(mine, wedding.guestCount(), ceremony, wedding.timeZone(), now);
        VendorCoordination vendors = VendorCoordination.of(mine, now);
        Emergencies emergencies = Emergencies.of(mine, now);
        List<String> bottlenecks = Bottlenecks.of(!mine.isEmpty(), milestones, guests, vendors, emergencies,
                ceremony, now, times);
        return new CriticalPathReport(wedding.id(), wedding.date(), wedding.timeZone(), wedding.venue(),
                wedding.status(), wedding.guestCount(), ceremony, wedding.receptionEndInstant(), now, mine.size(),
                ignored, milestones, guests, vendors, emergencies, bottlenecks);
    }

    /** Whether any event of the wedding counts in the report (reported by {@code now}, within the window). */
    public boolean hasData() {
        return eventsCounted > 0;
    }

    /** The wedding's clock, for showing the report's instants. */
    public WeddingTimes times() {
        return new WeddingTimes(timeZone, date);
    }
}
