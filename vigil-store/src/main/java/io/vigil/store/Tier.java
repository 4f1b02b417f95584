package io.vigil.store;

/**
 * Rollup resolutions. Samples land in {@link #TEN_SECONDS}; downsampling merges closed buckets into the coarser tiers,
 * each kept for its own retention.
 */
public enum Tier {
    TEN_SECONDS(10_000L),
    ONE_MINUTE(60_000L),
    ONE_HOUR(3_600_000L);

    private final long widthMillis;

    Tier(long widthMillis) {
        this.widthMillis = widthMillis;
    }

    /** Bucket width in milliseconds. */
    public long widthMillis() {
        return widthMillis;
    }

    /** Start of the bucket holding a timestamp (floor, also for negative timestamps). */
    public long bucketStart(long timestampMillis) {
        return Math.floorDiv(timestampMillis, widthMillis) * widthMillis;
    }

    /** The next coarser tier, or null for the coarsest. */
    public Tier coarser() {
        return this == TEN_SECONDS ? ONE_MINUTE : this == ONE_MINUTE ? ONE_HOUR : null;
    }
}
