package io.vigil.alerting.lifecycle;

import io.vigil.alerting.Priority;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A notification group (alerts sharing the values of the group-by labels) and its timers; part of the
 * {@link LifecycleState} snapshot. A group exists from the moment one of its alerts fires until its last notified
 * alert's resolution has been sent; a group that comes back is a new episode.
 *
 * @param key the group key, e.g. {@code {alertname="checkout-latency",wedding_id="w-42"}}
 * @param labels the group-by labels and their values
 * @param createdAt when this episode of the group started (its first alert fired); the group wait counts from here
 * @param sequence the sequence number of the latest intent written for this episode (0: none yet)
 * @param lastFlushAt when the group was last flushed (its first flush ends the group wait), null before
 * @param lastFiringAt when the latest FIRING intent was written (the repeat interval counts from here), null before
 * @param notified fingerprints that the receivers were last told are firing
 * @param notifiedPriority the priority of the latest FIRING intent, null before
 */
public record AlertGroup(String key, Map<String, String> labels, Instant createdAt, long sequence, Instant lastFlushAt,
                         Instant lastFiringAt, List<String> notified, Priority notifiedPriority) {

    public AlertGroup {
        Objects.requireNonNull(key, "key");
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
        Objects.requireNonNull(createdAt, "createdAt");
        notified = notified == null ? List.of() : List.copyOf(notified.stream().sorted().distinct().toList());
    }

    static AlertGroup start(String key, Map<String, String> labels, Instant at) {
        return new AlertGroup(key, labels, at, 0, null, null, List.of(), null);
    }

    /** The idempotency key of the intent with sequence number {@code seq} of this episode. */
    String intentKey(long seq, String kind) {
        // The episode start keeps keys unique when a group resolves and later comes back with its sequence at 0.
        return key + "|" + createdAt.toEpochMilli() + "|" + seq + "|" + kind;
    }

    AlertGroup withSequence(long seq) {
        return new AlertGroup(key, labels, createdAt, seq, lastFlushAt, lastFiringAt, notified, notifiedPriority);
    }

    AlertGroup flushed(Instant at, List<String> notifiedNow) {
        return new AlertGroup(key, labels, createdAt, sequence, at, lastFiringAt, notifiedNow, notifiedPriority);
    }

    AlertGroup fired(Instant at, Priority priority) {
        return new AlertGroup(key, labels, createdAt, sequence, lastFlushAt, at, notified, priority);
    }

    AlertGroup withNotified(List<String> notifiedNow) {
        return new AlertGroup(key, labels, createdAt, sequence, lastFlushAt, lastFiringAt, notifiedNow,
                notifiedPriority);
    }
}
