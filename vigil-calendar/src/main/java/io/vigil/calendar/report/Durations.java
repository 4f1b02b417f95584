package io.vigil.calendar.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Median, mean and max of durations; null for none. */
final class Durations {
    private Durations() {}

    static Duration median(Collection<Duration> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Duration> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : sorted.get(mid - 1).plus(sorted.get(mid)).dividedBy(2);
    }

    static Duration mean(Collection<Duration> values) {
        if (values.isEmpty()) {
            return null;
        }
        Duration sum = Duration.ZERO;
        for (Duration d : values) {
            sum = sum.plus(d);
        }
        return sum.dividedBy(values.size());
    }

    static Duration max(Collection<Duration> values) {
        return values.isEmpty() ? null : Collections.max(values);
    }

    /**
     * Time from {@code from} to {@code to}, never negative: an answer stamped before its question comes from two
     * senders' clocks disagreeing, and counts as immediate.
     */
    static Duration between(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
