package io.vigil.core;

/** What the samples of a series mean, which decides how rate and percentiles are computed. */
public enum MetricKind {
    /** A value sampled at a point in time (temperature, queue depth). Percentiles are over the sampled values. */
    GAUGE,
    /** A monotonic cumulative counter; rate is its increase per second, with resets detected as in Prometheus. */
    COUNTER,
    /** Each sample is an increment (OTLP delta sum, JSON counter increments). */
    DELTA,
    /** Each sample is one observation (a latency); percentiles come from the DDSketch. */
    DISTRIBUTION,
    /** Explicit-bucket histogram points (OTLP Histogram); percentiles are bounded by the bucket widths. */
    HISTOGRAM;

    private static final MetricKind[] VALUES = values();

    public static MetricKind ofCode(int code) {
        if (code < 0 || code >= VALUES.length) {
            throw new IllegalArgumentException("unknown metric kind code " + code);
        }
        return VALUES[code];
    }

    public int code() {
        return ordinal();
    }
}
