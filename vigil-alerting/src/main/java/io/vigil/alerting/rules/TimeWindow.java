package io.vigil.alerting.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A span of time [from, to). */
public record TimeWindow(Instant from, Instant to) {
    public TimeWindow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("a window must end after it starts: " + from + " .. " + to);
        }
    }

    /** The window of this length that ends at {@code end}. */
    public static TimeWindow ending(Instant end, Duration length) {
        return new TimeWindow(end.minus(length), end);
    }

    public Duration length() {
        return Duration.between(from, to);
    }

    /** This window moved earlier by {@code d}. */
    public TimeWindow minus(Duration d) {
        return new TimeWindow(from.minus(d), to.minus(d));
    }
}
