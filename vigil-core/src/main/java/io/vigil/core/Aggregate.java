package io.vigil.core;

import com.datadoghq.sketch.ddsketch.DDSketch;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The rolled-up state of one series over one time bucket: sample count, sum, min, max, first and last sample, the
 * counter increase, and the distribution of values as a DDSketch and/or explicit buckets. Aggregates of the same
 * series merge in arrival order ({@link #merge}); aggregates of different series or nodes merge for every statistic
 * but the counter increase, which is summed.
 *
 * <p>Not thread-safe: callers synchronise.
 */
public final class Aggregate {
    private static final byte VERSION = 1;

    private long samples;
    private long observations;
    private double sum;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private long firstTs;
    private double firstValue;
    private long lastTs;
    private double lastValue;
    private double increase;
    private DDSketch sketch;
    private double[] bounds;
    private long[] bucketCounts;

    /**
     * Empties this aggregate for reuse, keeping its sketch's bins array: the engine recycles the aggregates of a
     * committed flush instead of allocating 100,000 new ones every flush interval.
     */
    public void reset() {
        samples = 0;
        observations = 0;
        sum = 0;
        min = Double.POSITIVE_INFINITY;
        max = Double.NEGATIVE_INFINITY;
        firstTs = 0;
        firstValue = 0;
        lastTs = 0;
        lastValue = 0;
        increase = 0;
        if (sketch != null) {
            sketch.clear();
        }
        bounds = null;
        bucketCounts = null;
    }

    /** Adds one scalar sample of a series of the given kind. */
    public void add(long timestampMillis, double value, MetricKind kind) {
        switch (kind) {
            case COUNTER -> {
                if (samples > 0) {
                    double delta = value - lastValue;
                    increase += delta >= 0 ? delta : value;
                }
            }
            case DELTA -> increase += value;
            case GAUGE, DISTRIBUTION, HISTOGRAM -> {
                sketch().accept(value);
                observations++;
            }
        }
        noteSample(timestampMillis, value);
        sum += value;
        min = Math.min(min, value);
        max = Math.max(max, value);
    }

    /** Adds one distribution data point (delta counts). */
    public void add(long timestampMillis, Distribution d) {
        if (d.isExplicit()) {
            addBuckets(d.bounds(), d.bucketCounts());
        } else {
            sketch().mergeWith(d.sketch());
        }
        observations += d.count();
        sum += d.sum();
        if (d.count() > 0) {
            // An unknown (NaN) min or max leaves ours as it is: OTLP omits them when the point did not widen the
            // range already seen, so the known extremes of the series still bound its values.
            double lo = Double.isNaN(d.min()) ? lowestKnown(d) : d.min();
            double hi = Double.isNaN(d.max()) ? highestKnown(d) : d.max();
            if (!Double.isNaN(lo)) {
                min = Math.min(min, lo);
            }
            if (!Double.isNaN(hi)) {
                max = Math.max(max, hi);
            }
        }
        noteSample(timestampMillis, d.count());
    }

    private static double lowestKnown(Distribution d) {
        return d.isExplicit() ? Double.NaN : d.sketch().getMinValue();
    }

    private static double highestKnown(Distribution d) {
        return d.isExplicit() ? Double.NaN : d.sketch().getMaxValue();
    }

    private void noteSample(long ts, double value) {
        if (samples == 0) {
            firstTs = ts;
            firstValue = value;
        }
        lastTs = ts;
        lastValue = value;
        samples++;
    }

    private DDSketch sketch() {
        if (sketch == null) {
            sketch = Sketches.newSketch();
        }
        return sketch;
    }

    private void addBuckets(double[] otherBounds, long[] otherCounts) {
        if (bounds == null) {
            bounds = otherBounds.clone();
            bucketCounts = otherCounts.clone();
        } else if (Arrays.equals(bounds, otherBounds)) {
            for (int i = 0; i < otherCounts.length; i++) {
                bucketCounts[i] += otherCounts[i];
            }
        } else {
            // Different layouts: each foreign bucket goes to our bucket holding its upper bound (documented as lossy).
            for (int i = 0; i < otherCounts.length; i++) {
                double upper = i < otherBounds.length ? otherBounds[i] : Double.POSITIVE_INFINITY;
                int at = Arrays.binarySearch(bounds, upper);
                int idx = at >= 0 ? at : -at - 1;
                bucketCounts[idx] += otherCounts[i];
            }
        }
    }

    /**
     * Merges a later aggregate of the same series into this one: counts, sums and distributions add up, the counter
     * increase across the seam between the two is added, first stays, last moves.
     */
    public void merge(Aggregate later, MetricKind kind) {
        merge(later, kind, true);
    }

    /**
     * Like {@link #merge(Aggregate, MetricKind)}; without {@code distributions} only the scalar statistics merge and
     * this aggregate's distribution (which then no longer describes it) must not be read: for queries of counts,
     * rates and error rates, which would otherwise pay for merging sketches they never look at.
     */
    public void merge(Aggregate later, MetricKind kind, boolean distributions) {
        if (later.samples == 0) {
            return;
        }
        if (samples > 0 && kind == MetricKind.COUNTER) {
            double delta = later.firstValue - lastValue;
            increase += delta >= 0 ? delta : later.firstValue;
        }
        mergeStats(later, distributions);
        if (samples == 0) {
            firstTs = later.firstTs;
            firstValue = later.firstValue;
        }
        lastTs = later.lastTs;
        lastValue = later.lastValue;
        samples += later.samples;
    }

    /**
     * Combines aggregates of different series (for grouping): every statistic adds up, counter increases are summed,
     * first and last are those of the earliest and latest sample.
     */
    public void combine(Aggregate other) {
        combine(other, true);
    }

    /**
     * Like {@link #combine(Aggregate)}; without {@code distributions} only the scalar statistics combine, as for
     * {@link #merge(Aggregate, MetricKind, boolean)}.
     */
    public void combine(Aggregate other, boolean distributions) {
        if (other.samples == 0) {
            return;
        }
        mergeStats(other, distributions);
        if (samples == 0 || other.firstTs < firstTs) {
            firstTs = other.firstTs;
            firstValue = other.firstValue;
        }
        if (samples == 0 || other.lastTs >= lastTs) {
            lastTs = other.lastTs;
            lastValue = other.lastValue;
        }
        samples += other.samples;
    }

    private void mergeStats(Aggregate o, boolean distributions) {
        observations += o.observations;
        increase += o.increase;
        sum += o.sum;
        min = Math.min(min, o.min);
        max = Math.max(max, o.max);
        if (!distributions) {
            return;
        }
        if (o.sketch != null) {
            sketch().mergeWith(o.sketch);
        }
        if (o.bounds != null) {
            addBuckets(o.bounds, o.bucketCounts);
        }
    }

    /**
     * Counts into the increase the step from a counter's value before this bucket (the last sample of an earlier
     * bucket) to this bucket's first sample, as a query's lookback does: a smaller first value is a reset, and then
     * the first value itself is the step. A bucket alone cannot know that step; a reader that walks buckets in order
     * can.
     */
    public void continueCounterFrom(double previousValue) {
        if (samples == 0) {
            return;
        }
        double delta = firstValue - previousValue;
        increase += delta >= 0 ? delta : firstValue;
    }

    /** Receives one bin of a distribution: a value within 1 % of every observation in the bin, and their count. */
    @FunctionalInterface
    public interface BinConsumer {
        void accept(double value, double count);
    }

    /**
     * Calls the consumer for each non-empty DDSketch bin in ascending order of value (negative bins, then zero, then
     * positive), for exporters that rebuild a distribution in another format. Nothing without a sketch.
     */
    public void forEachSketchBin(BinConsumer consumer) {
        if (sketch == null || sketch.isEmpty()) {
            return;
        }
        var mapping = sketch.getIndexMapping();
        double nonZero = 0;
        var negative = sketch.getNegativeValueStore().getDescendingIterator();
        while (negative.hasNext()) {
            var bin = negative.next();
            consumer.accept(-mapping.value(bin.getIndex()), bin.getCount());
            nonZero += bin.getCount();
        }
        double positiveTotal = sketch.getPositiveValueStore().getTotalCount();
        double zeros = sketch.getCount() - nonZero - positiveTotal;
        if (zeros > 0) {
            consumer.accept(0, zeros);
        }
        var positive = sketch.getPositiveValueStore().getAscendingIterator();
        while (positive.hasNext()) {
            var bin = positive.next();
            consumer.accept(mapping.value(bin.getIndex()), bin.getCount());
        }
    }

    /** The explicit bucket upper bounds (OTLP or Prometheus histograms; the last bucket is +Inf), a copy, or null. */
    public double[] explicitBounds() {
        return bounds == null ? null : bounds.clone();
    }

    /** The counts of the explicit buckets, one more than {@link #explicitBounds()}, a copy, or null. */
    public long[] explicitCounts() {
        return bucketCounts == null ? null : bucketCounts.clone();
    }

    /** A deep copy. */
    public Aggregate copy() {
        Aggregate c = new Aggregate();
        c.samples = samples;
        c.observations = observations;
        c.sum = sum;
        c.min = min;
        c.max = max;
        c.firstTs = firstTs;
        c.firstValue = firstValue;
        c.lastTs = lastTs;
        c.lastValue = lastValue;
        c.increase = increase;
        c.sketch = sketch == null ? null : sketch.copy();
        c.bounds = bounds == null ? null : bounds.clone();
        c.bucketCounts = bucketCounts == null ? null : bucketCounts.clone();
        return c;
    }

    /** Number of samples (data points) stored. */
    public long samples() {
        return samples;
    }

    /** Number of observations in the distribution (one per gauge or latency sample, the count of a histogram point). */
    public long observations() {
        return observations;
    }

    public double sum() {
        return sum;
    }

    /** The smallest value, NaN when no value was seen (no samples, or only distribution points of count 0). */
    public double min() {
        return samples == 0 || min > max ? Double.NaN : min;
    }

    /** The largest value, NaN when no value was seen (no samples, or only distribution points of count 0). */
    public double max() {
        return samples == 0 || min > max ? Double.NaN : max;
    }

    public long firstTimestamp() {
        return firstTs;
    }

    public long lastTimestamp() {
        return lastTs;
    }

    public double firstValue() {
        return firstValue;
    }

    public double lastValue() {
        return lastValue;
    }

    /** Counter increase (reset-aware), sum of deltas, or observation count for distributions. */
    public double increase() {
        return increase;
    }

    /** True when percentiles come only from explicit buckets (accuracy bounded by bucket width, not 1 %). */
    public boolean bucketBounded() {
        return (sketch == null || sketch.isEmpty()) && bounds != null;
    }

    /**
     * The value at quantile q in [0, 1]: from the DDSketch (1 % relative accuracy) when there is one, otherwise by
     * linear interpolation inside the explicit bucket holding the rank, clamped to the observed min and max.
     * NaN when there are no observations.
     */
    public double quantile(double q) {
        if (!(q >= 0 && q <= 1)) { // also NaN, which the sketch would answer with NoSuchElementException
            throw new IllegalArgumentException("quantile must be within [0, 1] but was " + q);
        }
        if (sketch != null && !sketch.isEmpty()) {
            return sketch.getValueAtQuantile(q);
        }
        if (bounds == null) {
            return Double.NaN;
        }
        long total = 0;
        for (long c : bucketCounts) {
            total += c;
        }
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        long seen = 0;
        for (int i = 0; i < bucketCounts.length; i++) {
            if (bucketCounts[i] == 0) {
                continue;
            }
            if (seen + bucketCounts[i] >= rank) {
                double lower = i == 0 ? Math.min(0, bounds.length > 0 ? bounds[0] : 0) : bounds[i - 1];
                double upper = i < bounds.length ? bounds[i] : (Double.isFinite(max) ? max : lastBound());
                if (Double.isNaN(upper)) {
                    return Double.NaN; // only the +Inf bucket of a histogram without bounds, and no known max
                }
                if (i == 0 && Double.isFinite(min)) {
                    lower = Math.min(min, upper);
                }
                double v = lower + (upper - lower) * ((rank - seen) / bucketCounts[i]);
                if (Double.isFinite(min)) {
                    v = Math.max(v, min);
                }
                if (Double.isFinite(max)) {
                    v = Math.min(v, max);
                }
                return v;
            }
            seen += bucketCounts[i];
        }
        return Double.isFinite(max) ? max : lastBound();
    }

    /** The highest explicit bound, or NaN for a histogram with no bounds (a single +Inf bucket, valid in OTLP). */
    private double lastBound() {
        return bounds.length > 0 ? bounds[bounds.length - 1] : Double.NaN;
    }

    /** Serialises for storage; {@link #decode} reads it back exactly. */
    public byte[] encode() {
        byte[] sk = sketch == null || sketch.isEmpty() ? null : Sketches.encode(sketch);
        int size = 2 + 8 * 11 + (sk == null ? 0 : 4 + sk.length)
                + (bounds == null ? 0 : 4 + 8 * bounds.length + 8 * bucketCounts.length);
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(VERSION);
        b.put((byte) ((sk != null ? 1 : 0) | (bounds != null ? 2 : 0)));
        b.putLong(samples).putLong(observations).putDouble(sum).putDouble(min).putDouble(max)
                .putLong(firstTs).putDouble(firstValue).putLong(lastTs).putDouble(lastValue).putDouble(increase);
        b.putLong(0); // reserved
        if (sk != null) {
            b.putInt(sk.length).put(sk);
        }
        if (bounds != null) {
            b.putInt(bounds.length);
            for (double d : bounds) {
                b.putDouble(d);
            }
            for (long c : bucketCounts) {
                b.putLong(c);
            }
        }
        return b.array();
    }

    /**
     * Reads {@link #encode} output.
     *
     * @throws IllegalArgumentException if the bytes are truncated or of an unknown version
     */
    public static Aggregate decode(byte[] bytes) {
        return decode(bytes, true);
    }

    /**
     * Reads {@link #encode} output; without {@code distributions} the sketch and explicit buckets are skipped, which costs a few nanoseconds instead of the microseconds of decoding a sketch.
     *
     * @throws IllegalArgumentException if the bytes are truncated or of an unknown version
     */
    public static Aggregate decode(byte[] bytes, boolean distributions) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            byte version = b.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown aggregate encoding version " + version);
            }
            int flags = b.get();
            Aggregate a = new Aggregate();
            a.samples = b.getLong();
            a.observations = b.getLong();
            a.sum = b.getDouble();
            a.min = b.getDouble();
            a.max = b.getDouble();
            a.firstTs = b.getLong();
            a.firstValue = b.getDouble();
            a.lastTs = b.getLong();
            a.lastValue = b.getDouble();
            a.increase = b.getDouble();
            b.getLong();
            if ((flags & 1) != 0) {
                int len = b.getInt();
                if (len < 0 || len > b.remaining()) {
                    throw new IllegalArgumentException("sketch length " + len + " but " + b.remaining() + " bytes remain");
                }
                if (distributions) {
                    a.sketch = Sketches.decode(bytes, b.position(), len);
                }
                b.position(b.position() + len);
            }
            if ((flags & 2) != 0 && distributions) {
                int n = b.getInt();
                if (n < 0 || n > 10_000) {
                    throw new IllegalArgumentException("bad bucket count " + n);
                }
                a.bounds = new double[n];
                a.bucketCounts = new long[n + 1];
                for (int i = 0; i < n; i++) {
                    a.bounds[i] = b.getDouble();
                }
                for (int i = 0; i <= n; i++) {
                    a.bucketCounts[i] = b.getLong();
                }
            }
            return a;
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated aggregate encoding", e);
        }
    }
}
