package io.vigil.alerting.lifecycle;

import io.vigil.alerting.Priority;
import io.vigil.alerting.Rating;
import io.vigil.alerting.Severity;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One alert (a rule and a group of series, identified by its fingerprint) as the lifecycle tracks it; part of the
 * {@link LifecycleState} snapshot.
 *
 * @param fingerprint the alert's identity
 * @param ruleId its rule
 * @param metric the metric its rule reads
 * @param labels its group labels
 * @param groupKey the notification group it belongs to, fixed when the alert is first seen
 * @param state where it is in its lifecycle
 * @param since when it entered that state
 * @param pendingSince when the current breach started (PENDING and FIRING), else null
 * @param firingSince when it last started firing, else null
 * @param resolution why it was last resolved, null unless RESOLVED
 * @param rating the latest wedding-impact rating
 * @param severity the rule's severity
 * @param summary the latest finding, e.g. {@code p95 2.4 s > 500 ms}
 * @param lastObservedAt the time of the latest observation about it
 * @param noDataSince when its rule started reporting no data for it, null while it has data
 * @param escalationClockFrom when the escalation clock started (first notification of this firing, or the latest
 *                            priority change since), null until notified
 * @param escalationLevel how many escalation periods have passed unacknowledged (0: not escalated)
 * @param acknowledgement who took it on, null if nobody (cleared when it fires again)
 * @param transitions times it recently went into or out of FIRING (within the flap window)
 * @param flapping whether it changes state too often and is held FIRING until it stays clear
 * @param clearSince while flapping, when its condition last became CLEAR, else null
 * @param silencedBy ids of the active silences matching it at the latest evaluation
 * @param mutedBy ids of the active maintenance windows muting it at the latest evaluation
 * @param family what its rule measures (see {@code Rule.family()}); null in snapshots older than inhibition
 * @param inhibitedBy rule ids of the more severe firing alerts of its family and labels at the latest evaluation
 */
public record Alert(String fingerprint, String ruleId, String metric, Map<String, String> labels, String groupKey,
                    AlertState state, Instant since, Instant pendingSince, Instant firingSince, Resolution resolution,
                    Rating rating, Severity severity, String summary, Instant lastObservedAt, Instant noDataSince,
                    Instant escalationClockFrom, int escalationLevel, Acknowledgement acknowledgement,
                    List<Instant> transitions, boolean flapping, Instant clearSince, List<String> silencedBy,
                    List<String> mutedBy, String family, List<String> inhibitedBy) {

    public Alert {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(ruleId, "ruleId");
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
        Objects.requireNonNull(groupKey, "groupKey");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(rating, "rating");
        summary = summary == null ? "" : summary;
        transitions = transitions == null ? List.of() : List.copyOf(transitions);
        silencedBy = silencedBy == null ? List.of() : List.copyOf(silencedBy);
        mutedBy = mutedBy == null ? List.of() : List.copyOf(mutedBy);
        inhibitedBy = inhibitedBy == null ? List.of() : List.copyOf(inhibitedBy);
    }

    /** The rated priority. */
    public Priority priority() {
        return rating.priority();
    }

    /** Whether a silence, a maintenance window or a more severe alert of its family keeps it from notifying. */
    public boolean muted() {
        return !silencedBy.isEmpty() || !mutedBy.isEmpty() || !inhibitedBy.isEmpty();
    }

    /** A copy changed by {@code change}. */
    Alert with(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** The mutable form the state machine edits; never leaves the package. */
    static final class Builder {
        String fingerprint, ruleId, metric, groupKey, summary;
        Map<String, String> labels;
        AlertState state;
        Instant since, pendingSince, firingSince, lastObservedAt, noDataSince, escalationClockFrom, clearSince;
        Resolution resolution;
        Rating rating;
        Severity severity;
        int escalationLevel;
        Acknowledgement acknowledgement;
        List<Instant> transitions;
        boolean flapping;
        List<String> silencedBy, mutedBy, inhibitedBy;
        String family;

        Builder(Alert a) {
            fingerprint = a.fingerprint; ruleId = a.ruleId; metric = a.metric; labels = a.labels; groupKey = a.groupKey;
            state = a.state; since = a.since; pendingSince = a.pendingSince; firingSince = a.firingSince;
            resolution = a.resolution; rating = a.rating; severity = a.severity; summary = a.summary;
            lastObservedAt = a.lastObservedAt; noDataSince = a.noDataSince; escalationClockFrom = a.escalationClockFrom;
            escalationLevel = a.escalationLevel; acknowledgement = a.acknowledgement; transitions = a.transitions;
            flapping = a.flapping; clearSince = a.clearSince; silencedBy = a.silencedBy; mutedBy = a.mutedBy;
            family = a.family; inhibitedBy = a.inhibitedBy;
        }

        Alert build() {
            return new Alert(fingerprint, ruleId, metric, labels, groupKey, state, since, pendingSince, firingSince,
                    resolution, rating, severity, summary, lastObservedAt, noDataSince, escalationClockFrom,
                    escalationLevel, acknowledgement, transitions, flapping, clearSince, silencedBy, mutedBy,
                    family, inhibitedBy);
        }
    }
}
