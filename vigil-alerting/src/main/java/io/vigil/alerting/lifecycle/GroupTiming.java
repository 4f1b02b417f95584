package io.vigil.alerting.lifecycle;

import java.time.Duration;
import java.util.Objects;

/**
 * The notification timers of a group, chosen by the group's highest priority.
 *
 * @param groupWait how long a new group waits before its first notification, to gather alerts that fire together
 * @param groupInterval how long after a notification a changed group waits before notifying again
 * @param repeatInterval how often a group that stays firing and unacknowledged is notified again
 */
public record GroupTiming(Duration groupWait, Duration groupInterval, Duration repeatInterval) {
    public GroupTiming {
        requireNotNegative(groupWait, "groupWait");
        requireNotNegative(groupInterval, "groupInterval");
        requireNotNegative(repeatInterval, "repeatInterval");
        if (repeatInterval.isZero()) {
            throw new IllegalArgumentException("repeatInterval must be positive");
        }
    }

    static Duration requireNotNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
        return d;
    }
}
