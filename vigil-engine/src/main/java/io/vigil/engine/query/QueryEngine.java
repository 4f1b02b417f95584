package io.vigil.engine.query;

import io.vigil.core.Aggregate;
import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.Stat;
import io.vigil.engine.Series;
import io.vigil.engine.StorageEngine;
import io.vigil.store.Tier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers {@link QueryRequest}s from the engine's tiers: the newest part of the range from the 10-second tier, older
 * parts from the 1-minute and 1-hour tiers as their retentions dictate. Per series the buckets of a window are merged
 * in order (counter increases stay exact across buckets), then series are combined per group. Thread-safe.
 */
public final class QueryEngine {
    private static final long HOUR = Tier.ONE_HOUR.widthMillis();
    /**
     * How far before {@code from} a counter's last value is looked for, so that the increase between the last sample
     * before a window and the first inside it counts in that window (as Prometheus' default lookback).
     */
    static final long COUNTER_LOOKBACK_MILLIS = 5 * 60_000L;
    private final StorageEngine engine;

    public QueryEngine(StorageEngine engine) {
        this.engine = engine;
    }

    /** Runs a query. @throws IllegalArgumentException when the request cannot be answered as asked */
    public QueryResult query(QueryRequest q) {
        List<Series> matched = select(q.metric(), q.filters());
        long step = q.stepMillis();
        long from = Tier.TEN_SECONDS.bucketStart(q.fromMillis());
        long to = -Tier.TEN_SECONDS.bucketStart(-q.toMillis());
        int windows = step == 0 ? 1 : (int) ((to - from + step - 1) / step);
        if (step > 0) {
            to = from + windows * step;
        }
        Map<Long, Series> byId = new HashMap<>(matched.size() * 2);
        long[] ids = new long[matched.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = matched.get(i).id();
            byId.put(ids[i], matched.get(i));
        }
        Map<Long, Aggregate[]> perSeries = new HashMap<>(matched.size() * 2);
        boolean scalarOnly = q.stat().type() != Stat.Type.QUANTILE;
        final long windowFrom = from;
        final int windowCount = windows;
        Map<Long, Aggregate> beforeFrom = new HashMap<>();
        boolean counters = matched.stream().anyMatch(m -> m.kind() == MetricKind.COUNTER);
        long readFrom = counters ? from - COUNTER_LOOKBACK_MILLIS : from;
        for (Piece piece : plan(readFrom, to)) {
            engine.read(piece.tier, ids, piece.from, piece.to, (seriesId, bucketStart, aggregate) -> {
                MetricKind kind = byId.get(seriesId).kind();
                if (bucketStart < windowFrom) {
                    // Only the last counter value before the range is wanted, for the increase into the first window.
                    if (kind == MetricKind.COUNTER) {
                        beforeFrom.merge(seriesId, aggregate, (earlier, later) -> {
                            earlier.merge(later, kind);
                            return earlier;
                        });
                    }
                    return;
                }
                int w = step == 0 ? 0 : (int) ((bucketStart - windowFrom) / step);
                if (w >= windowCount) {
                    return;
                }
                Aggregate[] slots = perSeries.computeIfAbsent(seriesId, k -> new Aggregate[windowCount]);
                if (slots[w] == null) {
                    slots[w] = aggregate;
                } else {
                    slots[w].merge(aggregate, kind);
                }
            });
        }
        Map<Labels, Group> groups = new LinkedHashMap<>();
        boolean bucketBounded = false;
        for (Series s : matched) {
            Aggregate[] slots = perSeries.get(s.id());
            Labels groupLabels = s.key().labels().keep(q.groupBy());
            Group g = groups.computeIfAbsent(groupLabels, l -> new Group(windowCount));
            if (slots == null) {
                continue;
            }
            boolean error = ErrorClassifier.isError(s.key().labels());
            Aggregate previous = beforeFrom.get(s.id());
            for (int w = 0; w < windowCount; w++) {
                Aggregate a = slots[w];
                if (a == null) {
                    continue;
                }
                bucketBounded |= !scalarOnly && a.bucketBounded();
                // A counter's increase from the last sample of the previous window to the first of this one belongs
                // to this window; without it every window boundary would lose one scrape interval of increase.
                double seam = s.kind() == MetricKind.COUNTER && previous != null
                        ? counterIncrease(previous.lastValue(), a.firstValue()) : 0;
                previous = a;
                double volume = volume(a, s.kind()) + seam;
                g.total[w] += volume;
                if (error) {
                    g.errors[w] += volume;
                }
                g.rate[w] += rateVolume(a, s.kind()) + seam;
                if (g.combined[w] == null) {
                    g.combined[w] = a;
                } else {
                    g.combined[w].combine(a);
                }
            }
        }
        double windowSeconds = (step == 0 ? to - from : step) / 1000.0;
        List<QueryResult.Group> out = new ArrayList<>(groups.size());
        for (Map.Entry<Labels, Group> e : groups.entrySet()) {
            Group g = e.getValue();
            if (step == 0) {
                out.add(new QueryResult.Group(e.getKey().toMap(), value(q.stat(), g, 0, windowSeconds), null));
            } else {
                List<double[]> points = new ArrayList<>(windowCount);
                for (int w = 0; w < windowCount; w++) {
                    points.add(new double[] {(from + w * step) / 1000.0, value(q.stat(), g, w, windowSeconds)});
                }
                out.add(new QueryResult.Group(e.getKey().toMap(), Double.NaN, points));
            }
        }
        out.sort(Comparator.comparing(gr -> gr.labels().toString()));
        return new QueryResult(out, from, to, bucketBounded);
    }

    /** The series of a metric whose labels equal every filter. */
    public List<Series> select(String metric, Map<String, String> filters) {
        List<Series> out = new ArrayList<>();
        for (Series s : engine.registry().ofMetric(metric)) {
            boolean ok = true;
            for (Map.Entry<String, String> f : filters.entrySet()) {
                if (!f.getValue().equals(s.key().labels().get(f.getKey()))) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                out.add(s);
            }
        }
        return out;
    }

    /** How much traffic an aggregate represents, for error rates: increases for counters, observations otherwise. */
    private static double volume(Aggregate a, MetricKind kind) {
        return switch (kind) {
            case COUNTER, DELTA -> a.increase();
            case DISTRIBUTION, HISTOGRAM -> a.observations();
            case GAUGE -> a.samples();
        };
    }

    private static double counterIncrease(double before, double after) {
        double delta = after - before;
        return delta >= 0 ? delta : after; // a reset: the counter restarted from zero
    }

    private static double rateVolume(Aggregate a, MetricKind kind) {
        return switch (kind) {
            case COUNTER, DELTA -> a.increase();
            case DISTRIBUTION, HISTOGRAM -> a.observations();
            case GAUGE -> Double.NaN;
        };
    }

    private static double value(Stat stat, Group g, int w, double windowSeconds) {
        Aggregate a = g.combined[w];
        if (a == null || a.samples() == 0) {
            return stat.type() == Stat.Type.COUNT ? 0 : Double.NaN;
        }
        return switch (stat.type()) {
            case COUNT -> a.samples();
            case SUM -> a.sum();
            case MIN -> a.min();
            case MAX -> a.max();
            case AVG -> a.sum() / (a.observations() > 0 ? a.observations() : a.samples());
            case RATE -> g.rate[w] / windowSeconds;
            case QUANTILE -> a.quantile(stat.quantile());
            case ERROR_RATE -> g.total[w] > 0 ? g.errors[w] / g.total[w] : Double.NaN;
            case AVAILABILITY -> g.total[w] > 0 ? 1 - g.errors[w] / g.total[w] : Double.NaN;
        };
    }

    private record Piece(Tier tier, long from, long to) {}

    /** Splits [from, to) by tier retention: coarse tiers for the old part, 10 s for the part still kept at 10 s. */
    private List<Piece> plan(long from, long to) {
        long now = engine.clock().millis();
        var cfg = engine.config();
        long b10 = ceilHour(now - cfg.retentionTenSeconds().toMillis());
        long b1m = ceilHour(now - cfg.retentionOneMinute().toMillis());
        List<Piece> pieces = new ArrayList<>(3);
        add(pieces, Tier.ONE_HOUR, from, Math.min(to, b1m));
        add(pieces, Tier.ONE_MINUTE, Math.max(from, b1m), Math.min(to, b10));
        add(pieces, Tier.TEN_SECONDS, Math.max(from, b10), to);
        return pieces;
    }

    private static void add(List<Piece> pieces, Tier tier, long from, long to) {
        if (from < to) {
            pieces.add(new Piece(tier, from, to));
        }
    }

    private static long ceilHour(long t) {
        return -Math.floorDiv(-t, HOUR) * HOUR;
    }

    private static final class Group {
        final Aggregate[] combined;
        final double[] total;
        final double[] errors;
        final double[] rate;

        Group(int windows) {
            combined = new Aggregate[windows];
            total = new double[windows];
            errors = new double[windows];
            rate = new double[windows];
        }
    }
}
