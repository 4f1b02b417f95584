package io.vigil.calendar.report;

import java.time.Instant;

/**
 * Check-ins in one 15-minute bucket of the wedding's local clock.
 *
 * @param start the bucket's start (a quarter hour of the local clock); it ends {@link GuestArrivals#BUCKET} later
 * @param count guests checked in during the bucket
 * @param cumulative guests checked in up to the bucket's end
 * @param share {@code cumulative} as a share of the expected guests; null when no guests are expected
 */
public record ArrivalBucket(Instant start, long count, long cumulative, Double share) {
    /** The bucket's end (exclusive). */
    public Instant end() {
        return start.plus(GuestArrivals.BUCKET);
    }
}
