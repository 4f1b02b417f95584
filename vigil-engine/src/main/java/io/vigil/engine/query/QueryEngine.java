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
        boolean distributions = q.stat().type() == Stat.Type.QUANTILE;
        Collected c = collect(q.metric(), q.filters(), q.groupBy(), q.fromMillis(), q.toMillis(), q.stepMillis(),
                distributions);
        List<QueryResult.Group> out = new ArrayList<>(c.groups.size());
        for (Map.Entry<Labels, Group> e : c.groups.entrySet()) {
            Group g = e.getValue();
            if (q.stepMillis() == 0) {
                out.add(new QueryResult.Group(e.getKey().toMap(), g.value(q.stat(), 0, c.windowSeconds), null));
            } else {
                List<double[]> points = new ArrayList<>(c.windows);
                for (int w = 0; w < c.windows; w++) {
                    points.add(new double[] {(c.from + w * c.step) / 1000.0, g.value(q.stat(), w, c.windowSeconds)});
                }
                out.add(new QueryResult.Group(e.getKey().toMap(), Double.NaN, points));
            }
        }
        out.sort(Comparator.comparing(gr -> gr.labels().toString()));
        return new QueryResult(out, c.from, c.to, distributions && c.bucketBounded);
    }

    /**
     * Every statistic of each group over one window, from a single read: what several queries of the same series and
     * window (a percentile and the traffic behind it, an error rate and the request rate) would each read again.
     * Percentiles only when {@code quantiles}: without, the sketches are neither decoded nor merged.
     *
     * @param from inclusive start, epoch milliseconds (aligned to 10 s as a query's)
     * @param to exclusive end, epoch milliseconds
     */
    public WindowSummary summarize(String metric, Map<String, String> filters, List<String> groupBy, long from,
                                   long to, boolean quantiles) {
        Collected c = collect(metric, filters, groupBy, from, to, 0, quantiles);
        List<WindowSummary.GroupSummary> out = new ArrayList<>(c.groups.size());
        for (Map.Entry<Labels, Group> e : c.groups.entrySet()) {
            Group g = e.getValue();
            out.add(new WindowSummary.GroupSummary(e.getKey().toMap(), stat -> {
                if (stat.type() == Stat.Type.QUANTILE && !quantiles) {
                    throw new IllegalStateException("this summary was made without percentiles");
                }
                return g.value(stat, 0, c.windowSeconds);
            }));
        }
        out.sort(Comparator.comparing(gr -> gr.labels().toString()));
        return new WindowSummary(out, c.from, c.to, quantiles);
    }

    /** The groups of a query, each with its per-window aggregates, and the range covered after alignment. */
    private record Collected(Map<Labels, Group> groups, long from, long to, long step, int windows,
                             double windowSeconds, boolean bucketBounded) {}

    private Collected collect(String metric, Map<String, String> filters, List<String> groupBy, long fromMillis,
                              long toMillis, long step, boolean distributions) {
        List<Series> matched = select(metric, filters);
        long from = Tier.TEN_SECONDS.bucketStart(fromMillis);
        long to = -Tier.TEN_SECONDS.bucketStart(-toMillis);
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
        final long windowFrom = from;
        final int windowCount = windows;
        Map<Long, Aggregate> beforeFrom = new HashMap<>();
        boolean counters = matched.stream().anyMatch(m -> m.kind() == MetricKind.COUNTER);
        long readFrom = counters ? from - COUNTER_LOOKBACK_MILLIS : from;
        for (Piece piece : plan(readFrom, to)) {
            engine.read(piece.tier, ids, piece.from, piece.to, distributions, (seriesId, bucketStart, aggregate) -> {
                MetricKind kind = byId.get(seriesId).kind();
                if (bucketStart < windowFrom) {
                    // Only the last counter value before the range is wanted, for the increase into the first window.
                    if (kind == MetricKind.COUNTER) {
                        beforeFrom.merge(seriesId, aggregate, (earlier, later) -> {
                            earlier.merge(later, kind, false);
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
                    slots[w].merge(aggregate, kind, distributions);
                }
            });
        }
        Map<Labels, Group> groups = new LinkedHashMap<>();
        boolean bucketBounded = false;
        for (Series s : matched) {
            Aggregate[] slots = perSeries.get(s.id());
            Labels groupLabels = s.key().labels().keep(groupBy);
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
                bucketBounded |= distributions && a.bucketBounded();
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
                    g.combined[w].combine(a, distributions);
                }
            }
        }
        double windowSeconds = (step == 0 ? to - from : step) / 1000.0;
        return new Collected(groups, from, to, step, windows, windowSeconds, bucketBounded);
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

        double value(Stat stat, int w, double windowSeconds) {
            Aggregate a = combined[w];
            if (a == null || a.samples() == 0) {
                return stat.type() == Stat.Type.COUNT ? 0 : Double.NaN;
            }
            return switch (stat.type()) {
                case COUNT -> a.samples();
                case SUM -> a.sum();
                case MIN -> a.min();
                case MAX -> a.max();
                case AVG -> a.sum() / (a.observations() > 0 ? a.observations() : a.samples());
                case RATE -> rate[w] / windowSeconds;
                case QUANTILE -> a.quantile(stat.quantile());
                case ERROR_RATE -> total[w] > 0 ? errors[w] / total[w] : Double.NaN;
                case AVAILABILITY -> total[w] > 0 ? 1 - errors[w] / total[w] : Double.NaN;
            };
        }
    }
}
