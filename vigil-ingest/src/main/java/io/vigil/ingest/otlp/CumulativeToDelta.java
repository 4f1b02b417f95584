package io.vigil.ingest.otlp;

import io.vigil.core.SeriesKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns cumulative histogram points into increases by remembering the last cumulative point of each series.
 *
 * <p>Rule, per series (metric name plus labels):
 * <ol>
 *   <li>A point whose start time equals the remembered one and whose time is not later is a retry or a late
 *       duplicate: it contributes nothing and the state is kept.</li>
 *   <li>The first point seen, a point with another start time, and a point some count of which went down (a reset
 *       without a new start time) is a baseline: it contributes its whole cumulative counts. Most processes started
 *       recently when their first point arrives; a long-running process seen for the first time (after a Vigil
 *       restart or after its state was evicted) contributes its history at once.</li>
 *   <li>Otherwise the point contributes its difference to the remembered point.</li>
 * </ol>
 * The point then becomes the remembered one.
 *
 * <p>Memory is bounded: at most {@code capacity} series are remembered (least recently updated evicted first).
 * Thread-safe: the map is split into stripes, each guarded by its own lock, and the read, difference and update of a
 * series happen under its stripe's lock, so concurrent requests never count the same increase twice.
 */
final class CumulativeToDelta {
    private static final int STRIPES = 16;

    /** A cumulative point that knows how to subtract an earlier point of its series. */
    interface Point<P extends Point<P>> {
        /** The increase since {@code earlier}, or null when this point does not continue it (a reset). */
        P minus(Point<?> earlier);
    }

    private record Last(long startNanos, long timeNanos, Point<?> point) {}

    private static final class Stripe extends LinkedHashMap<SeriesKey, Last> {
        private final int capacity;

        Stripe(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<SeriesKey, Last> eldest) {
            return size() > capacity;
        }
    }

    private final Stripe[] stripes = new Stripe[STRIPES];

    /** @param capacity most series remembered, at least 1 */
    CumulativeToDelta(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cumulative series capacity was " + capacity + " but it must be >= 1");
        }
        int perStripe = Math.max(1, (capacity + STRIPES - 1) / STRIPES);
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe(perStripe);
        }
    }

    /**
     * The increase that {@code point} adds to its series, or null for a retry or late duplicate.
     *
     * @param startNanos the point's start time (OTLP startTimeUnixNano, 0 when unknown)
     * @param timeNanos the point's time
     */
    <P extends Point<P>> P increase(SeriesKey key, long startNanos, long timeNanos, P point) {
        Stripe stripe = stripes[(key.hashCode() * 0x9E3779B9) >>> 28]; // top 4 bits: one of 16 stripes
        synchronized (stripe) {
            Last last = stripe.get(key);
            P increase = point;
            if (last != null && last.startNanos == startNanos) {
                if (Long.compareUnsigned(timeNanos, last.timeNanos) <= 0) {
                    return null;
                }
                P difference = point.minus(last.point);
                if (difference != null) {
                    increase = difference;
                }
            }
            stripe.put(key, new Last(startNanos, timeNanos, point));
            return increase;
        }
    }

    /** Number of series remembered. */
    int size() {
        int n = 0;
        for (Stripe s : stripes) {
            synchronized (s) {
                n += s.size();
            }
        }
        return n;
    }
}
