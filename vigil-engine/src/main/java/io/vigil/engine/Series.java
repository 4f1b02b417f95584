package io.vigil.engine;

import io.vigil.core.Aggregate;
import io.vigil.core.Distribution;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.store.Rollup;
import io.vigil.store.Tier;
import java.util.List;

/**
 * One series known to this node, with its head: the 10-second aggregates not yet committed to the store (usually one
 * or two buckets). Head access is synchronised on the instance.
 */
public final class Series {
    private static final long WIDTH = Tier.TEN_SECONDS.widthMillis();

    final long id;
    final SeriesKey key;
    final MetricKind kind;
    /** Sequence of a WAL record holding this series' definition, 0 while none was written. */
    volatile long definedAt;
    /** True once the store has the series row. */
    volatile boolean persisted;

    private long[] bucketStarts = new long[2];
    private Aggregate[] aggregates = new Aggregate[2];
    private int buckets;
    private long lastStart;
    private Aggregate lastAggregate;
    /** A committed aggregate given back for reuse by the next new bucket, or null. */
    private Aggregate spare;

    /** The registry that made it, so a handle cached by a decoder shared between engines is never misused. */
    final SeriesRegistry registry;

    Series(SeriesKey key, MetricKind kind, long id, SeriesRegistry registry) {
        this.key = key;
        this.kind = kind;
        this.id = id;
        this.registry = registry;
    }

    public long id() {
        return id;
    }

    public SeriesKey key() {
        return key;
    }

    public MetricKind kind() {
        return kind;
    }

    private Aggregate bucket(long ts) {
        long start = Math.floorDiv(ts, WIDTH) * WIDTH;
        if (start == lastStart && lastAggregate != null) {
            return lastAggregate; // the common case, without touching the bucket arrays
        }
        lastAggregate = findOrAdd(start);
        lastStart = start;
        return lastAggregate;
    }

    private Aggregate findOrAdd(long start) {
        for (int i = buckets - 1; i >= 0; i--) {
            if (bucketStarts[i] == start) {
                return aggregates[i];
            }
        }
        if (buckets == bucketStarts.length) {
            bucketStarts = java.util.Arrays.copyOf(bucketStarts, buckets * 2);
            aggregates = java.util.Arrays.copyOf(aggregates, buckets * 2);
        }
        Aggregate a = spare != null ? spare : new Aggregate();
        spare = null;
        bucketStarts[buckets] = start;
        aggregates[buckets] = a;
        buckets++;
        return a;
    }

    synchronized void add(long ts, double value) {
        bucket(ts).add(ts, value, kind);
    }

    synchronized void add(long ts, Distribution d) {
        bucket(ts).add(ts, d);
    }

    /** Moves the head into {@code out} as rollups and empties it. */
    synchronized void drainTo(List<Rollup> out) {
        for (int i = 0; i < buckets; i++) {
            out.add(new Rollup(id, kind, bucketStarts[i], aggregates[i]));
            aggregates[i] = null;
        }
        buckets = 0;
        lastAggregate = null;
        if (bucketStarts.length > 4) {
            bucketStarts = new long[2];
            aggregates = new Aggregate[2];
        }
    }

    /** Takes back an aggregate whose flush was committed (nothing else refers to it), emptied, for reuse. */
    synchronized void recycle(Aggregate committed) {
        if (spare == null) {
            committed.reset();
            spare = committed;
        }
    }

    /** Copies of the head buckets starting in [from, to), for queries. */
    synchronized void copyHead(long from, long to, List<Rollup> out) {
        for (int i = 0; i < buckets; i++) {
            if (bucketStarts[i] >= from && bucketStarts[i] < to) {
                out.add(new Rollup(id, kind, bucketStarts[i], aggregates[i].copy()));
            }
        }
    }

    /** Puts back a drained rollup whose commit failed; it is older than anything added since, so it merges first. */
    synchronized void putBack(Rollup r) {
        Aggregate current = null;
        for (int i = 0; i < buckets; i++) {
            if (bucketStarts[i] == r.bucketStart()) {
                current = aggregates[i];
                Aggregate older = r.aggregate();
                older.merge(current, kind);
                aggregates[i] = older;
                lastAggregate = null;
                return;
            }
        }
        findOrAdd(r.bucketStart());
        aggregates[buckets - 1] = r.aggregate();
        lastAggregate = null;
    }
}
