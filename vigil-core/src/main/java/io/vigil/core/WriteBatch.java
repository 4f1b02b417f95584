package io.vigil.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one ingest request decoded to: series, each with its samples, plus the points rejected while decoding and why.
 * Scalar samples live in flat primitive arrays so that decoding a large remote-write request allocates little.
 *
 * <p>Usage: {@code beginSeries(key, kind)}, then {@code addSample}/{@code addDistribution} for that series, then
 * the next series. Not thread-safe.
 */
public final class WriteBatch {
    /** At most this many distinct rejection messages are kept; the count of rejected points is always exact. */
    public static final int MAX_ERRORS = 10;

    private final List<SeriesKey> keys = new ArrayList<>();
    private final List<MetricKind> kinds = new ArrayList<>();
    private final List<SeriesHandle> handles = new ArrayList<>();
    private int[] seriesStart;
    private long[] timestamps;
    private double[] values;
    private Distribution[] distributions;
    private int sampleCount;
    private long rejected;
    private final List<String> errors = new ArrayList<>();

    /** An empty batch. */
    public WriteBatch() {
        this(64);
    }

    /** An empty batch sized for about this many samples (it grows past them when needed). */
    public WriteBatch(int expectedSamples) {
        int n = Math.max(16, expectedSamples);
        timestamps = new long[n];
        values = new double[n];
        seriesStart = new int[Math.max(16, Math.min(n + 2, 1 << 16))];
    }

    /** Starts the samples of a series; samples added next belong to it. */
    public void beginSeries(SeriesKey key, MetricKind kind) {
        beginSeries(key, kind, null);
    }

    /**
     * Starts the samples of a series whose decoder keeps a {@link SeriesHandle} for it (null when it keeps none);
     * samples added next belong to it.
     */
    public void beginSeries(SeriesKey key, MetricKind kind, SeriesHandle handle) {
        int n = keys.size();
        if (n + 1 >= seriesStart.length) {
            seriesStart = Arrays.copyOf(seriesStart, seriesStart.length * 2);
        }
        keys.add(key);
        kinds.add(kind);
        handles.add(handle);
        seriesStart[n] = sampleCount;
        seriesStart[n + 1] = sampleCount;
    }

    /**
     * Replaces the key of series {@code i} (a label policy rewrote it) and drops the decoder's handle for it, since
     * the handle stands for the label set as sent.
     */
    public void replaceKey(int i, SeriesKey key) {
        keys.set(i, java.util.Objects.requireNonNull(key, "key"));
        handles.set(i, null);
    }

    public void addSample(long timestampMillis, double value) {
        ensureCapacity();
        timestamps[sampleCount] = timestampMillis;
        values[sampleCount] = value;
        sampleCount++;
        seriesStart[keys.size()] = sampleCount;
    }

    public void addDistribution(long timestampMillis, Distribution distribution) {
        ensureCapacity();
        if (distributions == null) {
            distributions = new Distribution[timestamps.length];
        }
        timestamps[sampleCount] = timestampMillis;
        values[sampleCount] = distribution.count();
        distributions[sampleCount] = distribution;
        sampleCount++;
        seriesStart[keys.size()] = sampleCount;
    }

    private void ensureCapacity() {
        if (keys.isEmpty()) {
            throw new IllegalStateException("beginSeries must come before the first sample");
        }
        if (sampleCount == timestamps.length) {
            int cap = timestamps.length * 2;
            timestamps = Arrays.copyOf(timestamps, cap);
            values = Arrays.copyOf(values, cap);
            if (distributions != null) {
                distributions = Arrays.copyOf(distributions, cap);
            }
        }
    }

    /** Counts {@code points} rejected points and keeps the reason (the first {@value #MAX_ERRORS} distinct ones). */
    public void reject(long points, String reason) {
        rejected += points;
        if (errors.size() < MAX_ERRORS && !errors.contains(reason)) {
            errors.add(reason);
        }
    }

    public int seriesCount() {
        return keys.size();
    }

    /**
     * The distinct metric names of the batch's series, in first-seen order; one pass, a set lookup per change of name
     * (senders usually group a metric's series together).
     */
    public java.util.Set<String> metricNames() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        String previous = null;
        for (SeriesKey k : keys) {
            if (!k.metric().equals(previous)) {
                previous = k.metric();
                out.add(previous);
            }
        }
        return out;
    }

    public SeriesKey key(int series) {
        return keys.get(series);
    }

    public MetricKind kind(int series) {
        return kinds.get(series);
    }

    /** The decoder's handle for a series, or null. */
    public SeriesHandle handle(int series) {
        return handles.get(series);
    }

    /** Index of the first sample of a series. */
    public int firstSample(int series) {
        return seriesStart[series];
    }

    /** Index after the last sample of a series. */
    public int endSample(int series) {
        return seriesStart[series + 1];
    }

    public long timestamp(int sample) {
        return timestamps[sample];
    }

    public double value(int sample) {
        return values[sample];
    }

    /** The distribution at a sample index, or null for a scalar sample. */
    public Distribution distribution(int sample) {
        return distributions == null ? null : distributions[sample];
    }

    /** Number of samples accepted by the decoder. */
    public int sampleCount() {
        return sampleCount;
    }

    /** Number of points the decoder rejected. */
    public long rejected() {
        return rejected;
    }

    /** Distinct rejection reasons, at most {@value #MAX_ERRORS}. */
    public List<String> errors() {
        return List.copyOf(errors);
    }
}
