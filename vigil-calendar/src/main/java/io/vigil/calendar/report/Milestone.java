package io.vigil.calendar.report;

import java.time.Duration;
import java.time.Instant;

/**
 * One milestone of the day: its planned time (the latest {@code milestone_planned}), its actual time (the first
 * {@code milestone_reached}), the delay between them and its {@link MilestoneState}.
 *
 * @param name the milestone, as the platform names it ({@code ceremony})
 * @param planned the planned time; null when it was reached without a plan
 * @param actual when it was reached; null when not (yet)
 * @param delay {@code actual - planned}, negative when early; null unless both are known
 * @param state where it stands at the report's "now"
 */
public record Milestone(String name, Instant planned, Instant actual, Duration delay, MilestoneState state) {
    /** A milestone reached this close to its plan, either way, is on time. */
    public static final Duration ON_TIME_TOLERANCE = Duration.ofMinutes(5);
    /** A milestone not reached this long after its planned time is missed. */
    public static final Duration MISSED_AFTER = Duration.ofMinutes(30);

    /** The milestone from its planned and actual times as seen at {@code now}. */
    public static Milestone of(String name, Instant planned, Instant actual, Instant now) {
        if (actual == null) {
            boolean missed = planned != null && now.isAfter(planned.plus(MISSED_AFTER));
            return new Milestone(name, planned, null, null, missed ? MilestoneState.MISSED : MilestoneState.PENDING);
        }
        if (planned == null) {
            return new Milestone(name, null, actual, null, MilestoneState.UNPLANNED);
        }
        Duration delay = Duration.between(planned, actual);
        MilestoneState state = delay.abs().compareTo(ON_TIME_TOLERANCE) <= 0 ? MilestoneState.ON_TIME
                : delay.isNegative() ? MilestoneState.EARLY : MilestoneState.LATE;
        return new Milestone(name, planned, actual, delay, state);
    }

    /** How long past its planned time a milestone not reached yet is at {@code now}; zero when not overdue. */
    public Duration overdueAt(Instant now) {
        if (actual != null || planned == null || !now.isAfter(planned)) {
            return Duration.ZERO;
        }
        return Duration.between(planned, now);
    }
}
