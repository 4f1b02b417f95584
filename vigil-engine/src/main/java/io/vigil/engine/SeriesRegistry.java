package io.vigil.engine;

import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every series this node knows, by key, by id and by metric name, with the per-metric series limit (C5): a new series
 * past the limit is refused, existing series keep flowing. Thread-safe; lookups of known series take no lock.
 */
public final class SeriesRegistry {
    private final int limitPerMetric;
    private final ConcurrentHashMap<SeriesKey, Series> byKey = new ConcurrentHashMap<>();
    private final SeriesById byId = new SeriesById();
    private final ConcurrentHashMap<String, List<Series>> byMetric = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    /** @param limitPerMetric most series one metric name may have; at least 1 */
    public SeriesRegistry(int limitPerMetric) {
        if (limitPerMetric < 1) {
            throw new IllegalArgumentException("series limit per metric was " + limitPerMetric + " but it must be >= 1");
        }
        this.limitPerMetric = limitPerMetric;
    }

    public int limitPerMetric() {
        return limitPerMetric;
    }

    /**
     * The series for a key, created if new and under the limit; null when the metric already has
     * {@link #limitPerMetric()} series. A known series keeps the kind it was created with.
     */
    public Series resolve(SeriesKey key, MetricKind kind) {
        return resolve(key, kind, null);
    }

    /**
     * Like {@link #resolve(SeriesKey, MetricKind)}, first trying what an earlier call cached in the decoder's
     * handle (no map lookup), and caching the result there.
     */
    public Series resolve(SeriesKey key, MetricKind kind, io.vigil.core.SeriesHandle handle) {
        if (handle != null && handle.resolved() instanceof Series cached && cached.registry == this) {
            return cached;
        }
        Series s = resolveByKey(key, kind);
        if (handle != null && s != null) {
            handle.resolve(s);
        }
        return s;
    }

    private Series resolveByKey(SeriesKey key, MetricKind kind) {
        Series s = byKey.get(key);
        if (s != null) {
            return s;
        }
        AtomicInteger count = counts.computeIfAbsent(key.metric(), m -> new AtomicInteger());
        while (true) {
            int c = count.get();
            if (c >= limitPerMetric) {
                return byKey.get(key);
            }
            if (count.compareAndSet(c, c + 1)) {
                break;
            }
        }
        Series created = new Series(key.interned(), kind, key.id(), this);
        Series existing = byKey.putIfAbsent(created.key, created);
        if (existing != null) {
            count.decrementAndGet();
            return existing;
        }
        index(created);
        return created;
    }

    /** Registers a series read from the store or the WAL, bypassing the limit (it was admitted before). */
    public Series restore(SeriesKey key, MetricKind kind, boolean persisted) {
        Series created = new Series(key.interned(), kind, key.id(), this);
        Series existing = byKey.putIfAbsent(key, created);
        if (existing != null) {
            return existing;
        }
        created.persisted = persisted;
        counts.computeIfAbsent(key.metric(), m -> new AtomicInteger()).incrementAndGet();
        index(created);
        return created;
    }

    private void index(Series s) {
        byId.put(s);
        List<Series> ofMetric = byMetric.computeIfAbsent(s.key.metric(), m -> new ArrayList<>());
        synchronized (ofMetric) {
            ofMetric.add(s);
        }
    }

    public Series byId(long id) {
        return byId.get(id);
    }

    /** The series of one metric name (a snapshot). */
    public List<Series> ofMetric(String metric) {
        List<Series> m = byMetric.get(metric);
        if (m == null) {
            return List.of();
        }
        synchronized (m) {
            return List.copyOf(m);
        }
    }

    public Collection<Series> all() {
        return byKey.values();
    }

    public int size() {
        return byKey.size();
    }
}
