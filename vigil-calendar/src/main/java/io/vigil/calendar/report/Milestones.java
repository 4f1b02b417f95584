package io.vigil.calendar.report;

import io.vigil.core.wedding.WeddingEvent;
import io.vigil.core.wedding.WeddingEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The milestones of the day, ordered by planned time (milestones reached without a plan last, by actual time), and
 * the overall adherence: of the planned milestones reached, the share on time and the mean and max of their signed
 * delays (an early milestone counts negative).
 *
 * @param items the milestones
 * @param measured planned milestones that were reached (the base of the adherence figures)
 * @param onTime of those, the ones on time
 * @param onTimeShare {@code onTime / measured}; null when nothing was measured
 * @param meanDelay mean signed delay of the measured milestones; null when none
 * @param maxDelay largest signed delay of the measured milestones; null when none
 */
public record Milestones(List<Milestone> items, int measured, int onTime, Double onTimeShare, Duration meanDelay,
                         Duration maxDelay) {

    public Milestones {
        items = List.copyOf(items);
    }

    /**
     * The milestones of {@code events} at {@code now}. A milestone's planned time is its latest
     * {@code milestone_planned}: events carry no sending time, so a re-plan is taken to be the later one.
     */
    public static Milestones of(List<WeddingEvent> events, Instant now) {
        Map<String, Instant> planned = new TreeMap<>();
        Map<String, Instant> reached = new TreeMap<>();
        for (WeddingEvent e : events) {
            if (e.type() == WeddingEventType.MILESTONE_PLANNED) {
                planned.merge(e.name(), e.at(), (a, b) -> a.isAfter(b) ? a : b);
            } else if (e.type() == WeddingEventType.MILESTONE_REACHED) {
                reached.merge(e.name(), e.at(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        List<Milestone> items = new ArrayList<>();
        for (String name : planned.keySet()) {
            items.add(Milestone.of(name, planned.get(name), reached.get(name), now));
        }
        for (String name : reached.keySet()) {
            if (!planned.containsKey(name)) {
                items.add(Milestone.of(name, null, reached.get(name), now));
            }
        }
        items.sort(Comparator.comparing((Milestone m) -> m.planned() == null)
                .thenComparing(m -> m.planned() != null ? m.planned() : m.actual())
                .thenComparing(Milestone::name));
        List<Duration> delays = new ArrayList<>();
        int onTime = 0;
        for (Milestone m : items) {
            if (m.delay() != null) {
                delays.add(m.delay());
                onTime += m.state() == MilestoneState.ON_TIME ? 1 : 0;
            }
        }
        return new Milestones(items, delays.size(), onTime,
                delays.isEmpty() ? null : (double) onTime / delays.size(), Durations.mean(delays),
                Durations.max(delays));
    }

    /** How many milestones are in {@code state}. */
    public int count(MilestoneState state) {
        int n = 0;
        for (Milestone m : items) {
            n += m.state() == state ? 1 : 0;
        }
        return n;
    }

    /** The milestones in {@code state}, in report order. */
    public List<Milestone> in(MilestoneState state) {
        return items.stream().filter(m -> m.state() == state).toList();
    }
}
