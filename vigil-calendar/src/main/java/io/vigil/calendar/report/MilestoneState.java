package io.vigil.calendar.report;

import java.util.Locale;

/** Where a milestone stands; see {@link Milestone} for the rules. */
public enum MilestoneState {
    /** Reached within {@link Milestone#ON_TIME_TOLERANCE} of its planned time, either way. */
    ON_TIME("on time"),
    /** Reached more than the tolerance after its planned time. */
    LATE("late"),
    /** Reached more than the tolerance before its planned time. */
    EARLY("early"),
    /** Not reached, and more than {@link Milestone#MISSED_AFTER} has passed since its planned time. */
    MISSED("missed"),
    /** Not reached yet, and not missed yet. */
    PENDING("pending"),
    /** Reached, but never planned: no delay can be measured. */
    UNPLANNED("unplanned");

    private final String label;

    MilestoneState(String label) {
        this.label = label;
    }

    /** The lower-case name used in JSON ({@code on_time}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The words shown to people ({@code on time}). */
    public String label() {
        return label;
    }
}
