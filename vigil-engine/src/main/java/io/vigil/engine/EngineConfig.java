package io.vigil.engine;

import java.time.Duration;

/**
 * Settings of the storage engine.
 *
 * @param seriesLimitPerMetric most series per metric name (C5); default 50,000
 * @param flushInterval how often the head is committed to the store; default 10 s
 * @param walSegmentBytes WAL segment size; default 64 MiB
 * @param retentionTenSeconds how long 10-second rollups are kept; default 7 days
 * @param retentionOneMinute how long 1-minute rollups are kept; default 90 days
 * @param retentionOneHour how long 1-hour rollups are kept; default 730 days
 * @param downsampleLag how long after a bucket closes it is downsampled (late samples arriving after that reach only
 *     the 10-second tier); default 2 minutes
 */
public record EngineConfig(int seriesLimitPerMetric, Duration flushInterval, long walSegmentBytes,
                           Duration retentionTenSeconds, Duration retentionOneMinute, Duration retentionOneHour,
                           Duration downsampleLag) {

    public static final EngineConfig DEFAULTS = new EngineConfig(50_000, Duration.ofSeconds(10), 64L << 20,
            Duration.ofDays(7), Duration.ofDays(90), Duration.ofDays(730), Duration.ofMinutes(2));

    public EngineConfig {
        require(seriesLimitPerMetric >= 1, "seriesLimitPerMetric", seriesLimitPerMetric, "at least 1");
        require(!flushInterval.isNegative() && !flushInterval.isZero(), "flushInterval", flushInterval, "positive");
        require(walSegmentBytes >= 1 << 16, "walSegmentBytes", walSegmentBytes, "at least 65536");
        require(retentionTenSeconds.compareTo(Duration.ofMinutes(10)) >= 0, "retention.10s", retentionTenSeconds,
                "at least 10 minutes");
        require(retentionOneMinute.compareTo(retentionTenSeconds) >= 0, "retention.1m", retentionOneMinute,
                "at least the 10s retention");
        require(retentionOneHour.compareTo(retentionOneMinute) >= 0, "retention.1h", retentionOneHour,
                "at least the 1m retention");
        require(!downsampleLag.isNegative(), "downsampleLag", downsampleLag, "zero or positive");
    }

    private static void require(boolean ok, String name, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("storage." + name + " was " + value + " but it must be " + rule);
        }
    }

    public EngineConfig withSeriesLimit(int limit) {
        return new EngineConfig(limit, flushInterval, walSegmentBytes, retentionTenSeconds, retentionOneMinute,
                retentionOneHour, downsampleLag);
    }
}
