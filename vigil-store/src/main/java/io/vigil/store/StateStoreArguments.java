package io.vigil.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Argument checks and time conversions that every {@link StateStore} backend shares, so that they refuse the same
 * arguments with the same messages and keep history times alike (whole epoch milliseconds).
 */
public final class StateStoreArguments {
    private StateStoreArguments() {}

    /**
     * The documents of a put in id order, checked before any transaction starts.
     *
     * @throws NullPointerException if the map, an id or a document is null
     */
    public static Map<String, String> documents(Map<String, String> jsonById) {
        Objects.requireNonNull(jsonById, "jsonById");
        Map<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : jsonById.entrySet()) {
            String id = Objects.requireNonNull(e.getKey(), "a document id in the map is null");
            sorted.put(id, Objects.requireNonNull(e.getValue(), () -> "the document " + id + " is null"));
        }
        return sorted;
    }

    /** @throws IllegalArgumentException if {@code limit} is negative (0 asks for nothing) */
    public static int limit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit was " + limit + " but must be 0 or more");
        }
        return limit;
    }

    /**
     * A claim duration in whole milliseconds: at least one, at most {@code max}.
     *
     * @throws IllegalArgumentException if {@code claimFor} is zero or negative
     */
    public static long claimMillis(Duration claimFor, long max) {
        Objects.requireNonNull(claimFor, "claimFor");
        if (claimFor.isNegative() || claimFor.isZero()) {
            throw new IllegalArgumentException("claimFor was " + claimFor + " but must be positive");
        }
        if (claimFor.compareTo(Duration.ofMillis(max)) >= 0) {
            return max;
        }
        return Math.max(1, claimFor.toMillis());
    }

    /**
     * A retry delay in milliseconds, zero or more, at most 100 years.
     *
     * @throws IllegalArgumentException if it is negative
     */
    public static long delayMillis(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay was " + delay + " but must not be negative");
        }
        return delay.compareTo(Duration.ofDays(36_500)) >= 0 ? Duration.ofDays(36_500).toMillis() : delay.toMillis();
    }

    /**
     * The epoch milliseconds a history time is stored as (truncated toward the past).
     *
     * @throws IllegalArgumentException if {@code at} does not fit in a long of epoch milliseconds (292 million years)
     */
    public static long storedMillis(Instant at) {
        Objects.requireNonNull(at, "at");
        try {
            return at.toEpochMilli();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("at was " + at + " but must fit in epoch milliseconds", e);
        }
    }

    /**
     * The smallest whole millisecond not before {@code bound}, saturated to the range of a long. Stored times are
     * whole milliseconds, so {@code stored >= bound} exactly when {@code stored >= boundMillis(bound)}, and likewise
     * for {@code <}.
     */
    public static long boundMillis(Instant bound) {
        Objects.requireNonNull(bound, "bound");
        long floor;
        try {
            floor = bound.toEpochMilli();
        } catch (ArithmeticException e) {
            return bound.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return bound.getNano() % 1_000_000 == 0 || floor == Long.MAX_VALUE ? floor : floor + 1;
    }
}
