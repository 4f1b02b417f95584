package io.vigil.alerting.lifecycle;

import io.vigil.alerting.Priority;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Something that happened to an alert, for the caller to append to a history stream (for example {@code alerts} and
 * the alert's fingerprint).
 *
 * @param at when
 * @param fingerprint the alert
 * @param ruleId its rule
 * @param labels its group labels
 * @param event what happened
 * @param from the state before (equal to {@code to} for events that are not transitions)
 * @param to the state after
 * @param priority the alert's priority then
 * @param detail a few words: the finding, who acknowledged, which silence...
 */
public record AlertHistoryEntry(Instant at, String fingerprint, String ruleId, Map<String, String> labels, Event event,
                                AlertState from, AlertState to, Priority priority, String detail) {

    /** The kinds of history entry. */
    public enum Event {
        /** The state changed ({@code from} to {@code to}). */
        TRANSITION,
        ACKNOWLEDGED,
        ESCALATED,
        FLAPPING_STARTED,
        FLAPPING_ENDED,
        SILENCED,
        UNSILENCED,
        MUTED,
        UNMUTED,
        /** A more severe alert of its family and labels fired ({@code detail}: that alert's rule). */
        INHIBITED,
        UNINHIBITED
    }

    public AlertHistoryEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(fingerprint, "fingerprint");
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
        Objects.requireNonNull(event, "event");
        detail = detail == null ? "" : detail;
    }

    static AlertHistoryEntry of(Alert a, Instant at, Event event, AlertState from, String detail) {
        return new AlertHistoryEntry(at, a.fingerprint(), a.ruleId(), a.labels(), event, from, a.state(),
                a.priority(), detail);
    }
}
