package io.vigil.export;

import io.vigil.calendar.WeddingCalendar;
import io.vigil.core.Aggregate;
import io.vigil.core.MetricKind;
import io.vigil.engine.Series;
import io.vigil.engine.StorageEngine;
import io.vigil.store.Tier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads closed 10-second buckets from the engine (the store and this node's head) and turns them into export points:
 * the rollups of one series in one bucket merged in order, then the series whose exported labels are equal combined.
 * A counter's bucket also counts the step from the counter's previous sample (within 5 minutes, as the query engine's
 * lookback) to its first one in the bucket: the reader remembers each counter's last value between reads that follow
 * each other, and reads the 5 minutes before a range otherwise (the first read, a gap, a range read again).
 * Not thread-safe: the export service calls it from its one thread.
 */
public final class ExportReader {
    /** The width of an exported interval: the engine's finest tier. */
    public static final long INTERVAL_MILLIS = Tier.TEN_SECONDS.widthMillis();
    /** How far back a counter's previous sample still counts (the query engine's lookback, as Prometheus'). */
    static final long COUNTER_LOOKBACK_MILLIS = 5 * 60_000L;
    /** Series read per call of the engine. */
    static final int READ_CHUNK = 10_000;

    /** A counter's last sample before a bucket. */
    private record Carry(long timestamp, double value) {}

    private Map<Long, Carry> carries = new HashMap<>();
    /** Each series' exported labels: a series' labels never change, and the policy's regular expressions are dear. */
    private final Map<Long, Map<String, String>> exportedLabels = new HashMap<>();
    /** The end of the range the carries are for; a read from there continues them. */
    private long carriedUntil = Long.MIN_VALUE;

    private final StorageEngine engine;
    private final WeddingCalendar calendar;
    private final ExportLabelPolicy policy;

    public ExportReader(StorageEngine engine, WeddingCalendar calendar, ExportLabelPolicy policy) {
        this.engine = engine;
        this.calendar = calendar;
        this.policy = policy;
    }

    private record Group(long bucket, String metric, MetricKind kind, Map<String, String> labels) {}

    /** Adds to each counter bucket the step from the counter's previous sample, and keeps the carries for the next read. */
    private void continueCounters(long from, long to, Map<Long, Series> byId,
                                  Map<Long, java.util.TreeMap<Long, Aggregate>> perSeries) {
        Map<Long, Carry> before = from == carriedUntil ? carries : lookback(from, byId);
        perSeries.forEach((seriesId, buckets) -> {
            if (byId.get(seriesId).kind() != MetricKind.COUNTER) {
                return;
            }
            Carry c = before.get(seriesId);
            for (Aggregate a : buckets.values()) {
                if (a.samples() == 0) {
                    continue;
                }
                if (c != null && a.firstTimestamp() - c.timestamp() <= COUNTER_LOOKBACK_MILLIS) {
                    a.continueCounterFrom(c.value());
                }
                c = new Carry(a.lastTimestamp(), a.lastValue());
            }
            before.put(seriesId, c);
        });
        if (to >= carriedUntil) {
            before.values().removeIf(c -> c.timestamp() < to - COUNTER_LOOKBACK_MILLIS);
            carries = before;
            carriedUntil = to;
        }
    }

    /** Each counter's last sample in the 5 minutes before {@code from}. */
    private Map<Long, Carry> lookback(long from, Map<Long, Series> byId) {
        long[] counters = byId.values().stream().filter(s -> s.kind() == MetricKind.COUNTER).mapToLong(Series::id)
                .toArray();
        Map<Long, Carry> out = new HashMap<>();
        if (counters.length == 0) {
            return out;
        }
        engine.read(Tier.TEN_SECONDS, counters, from - COUNTER_LOOKBACK_MILLIS, from, false, (id, bucket, a) -> {
            Carry known = out.get(id);
            if (a.samples() > 0 && (known == null || a.lastTimestamp() >= known.timestamp())) {
                out.put(id, new Carry(a.lastTimestamp(), a.lastValue()));
            }
        });
        return out;
    }

    /** The points of every series for the buckets starting in [from, to), both multiples of 10 s. */
    public List<ExportPoint> read(long from, long to) {
        Collection<Series> all = engine.registry().all();
        Map<Long, Series> byId = new HashMap<>(all.size() * 2);
        long[] ids = new long[all.size()];
        int n = 0;
        for (Series s : all) {
            if (n == ids.length) {
                break; // registered while we copied: exported from the next read on
            }
            ids[n++] = s.id();
            byId.put(s.id(), s);
        }
        if (n < ids.length) {
            ids = java.util.Arrays.copyOf(ids, n);
        }
        // One series may come as several rollups of a bucket (stored, being committed, head): merged in order first.
        // Read in chunks of series, so that the engine's view lock (which a flush waits for) is held briefly at a time;
        // each series is wholly in one chunk, where the engine shows each of its samples exactly once.
        Map<Long, java.util.TreeMap<Long, Aggregate>> perSeries = new HashMap<>();
        for (int i = 0; i < ids.length; i += READ_CHUNK) {
            long[] chunk = java.util.Arrays.copyOfRange(ids, i, Math.min(ids.length, i + READ_CHUNK));
            engine.read(Tier.TEN_SECONDS, chunk, from, to, true, (seriesId, bucket, aggregate) -> {
                Series s = byId.get(seriesId);
                java.util.TreeMap<Long, Aggregate> buckets = perSeries.computeIfAbsent(seriesId,
                        k -> new java.util.TreeMap<>());
                Aggregate known = buckets.get(bucket);
                if (known == null) {
                    buckets.put(bucket, aggregate); // the visitor's own (StorageEngine#read): no copy needed
                } else {
                    known.merge(aggregate, s.kind());
                }
            });
        }
        continueCounters(from, to, byId, perSeries);
        Map<Group, Aggregate> groups = new LinkedHashMap<>();
        perSeries.forEach((seriesId, buckets) -> {
            Series s = byId.get(seriesId);
            Map<String, String> labels = exportedLabels.computeIfAbsent(seriesId,
                    id -> policy.apply(s.key().metric(), s.key().labels()));
            buckets.forEach((bucket, aggregate) -> {
                Group g = new Group(bucket, s.key().metric(), s.kind(), labels);
                Aggregate known = groups.get(g);
                if (known == null) {
                    groups.put(g, aggregate);
                } else {
                    known.combine(aggregate);
                }
            });
        });
        Map<Long, ExportTags> tags = new HashMap<>();
        List<ExportPoint> out = new ArrayList<>(groups.size());
        groups.forEach((g, aggregate) -> {
            if (aggregate.samples() == 0) {
                return;
            }
            ExportTags t = tags.computeIfAbsent(g.bucket(), b ->
                    ExportTags.of(calendar.contextAt(Instant.ofEpochMilli(b + INTERVAL_MILLIS))));
            out.add(new ExportPoint(g.metric(), g.kind(), g.labels(), g.bucket(), INTERVAL_MILLIS, aggregate, t));
        });
        out.sort(java.util.Comparator.comparingLong(ExportPoint::startMillis));
        return out;
    }
}
