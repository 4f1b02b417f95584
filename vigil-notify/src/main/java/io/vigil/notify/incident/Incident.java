package io.vigil.notify.incident;

import io.vigil.alerting.Priority;
import java.time.Instant;
import java.util.List;

/**
 * The record of a wedding emergency (a P0 group from firing to resolution), kept for the team's review.
 *
 * @param id stable id, e.g. {@code inc-20260613T182110Z-3f2a9c1b}
 * @param groupKey the alert group
 * @param priority the group's highest priority when it last changed
 * @param title the latest notification title
 * @param rules the rules of the group's alerts
 * @param affectedWeddings ids of the active weddings affected
 * @param openedAt when it fired
 * @param acknowledgedAt when someone took it on, null if nobody yet
 * @param acknowledgedBy who, null if nobody yet
 * @param resolvedAt when it resolved, null while open
 */
public record Incident(String id, String groupKey, Priority priority, String title, List<String> rules,
                       List<String> affectedWeddings, Instant openedAt, Instant acknowledgedAt, String acknowledgedBy,
                       Instant resolvedAt) {
    public Incident {
        rules = rules == null ? List.of() : List.copyOf(rules);
        affectedWeddings = affectedWeddings == null ? List.of() : List.copyOf(affectedWeddings);
    }

    /** {@code open}, {@code acknowledged} or {@code resolved}. */
    public String state() {
        return resolvedAt != null ? "resolved" : acknowledgedAt != null ? "acknowledged" : "open";
    }

    /**
     * One line of an incident's timeline.
     *
     * @param at when
     * @param event {@code opened}, {@code escalated}, {@code acknowledged}, {@code resolved}, {@code sent},
     *     {@code failed} (a failed attempt that will be retried), {@code gave-up}, {@code fallback}
     * @param receiver the receiver concerned, null for the incident's own changes
     * @param detail e.g. the status, the reason of a failure, who acknowledged
     */
    public record TimelineEntry(Instant at, String event, String receiver, String detail) {}
}
