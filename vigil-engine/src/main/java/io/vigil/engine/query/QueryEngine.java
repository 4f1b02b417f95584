package io.vigil.engine.query;

import io.vigil.core.Aggregate;
import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.Stat;
import io.vigil.engine.Series;
import io.vigil.engine.StorageEngine;
import io.vigil.store.Tier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
        long from = alignDown(q.fromMillis());
        long to = alignUp(q.toMillis());
        long step = q.stepMillis();
        long[] starts;
        if (step == 0) {
            starts = new long[] {from};
        } else {
            starts = new long[(int) ((to - from + step - 1) / step)];
            for (int w = 0; w < starts.length; w++) {
                starts[w] = from + w * step;
            }
            to = from + starts.length * step;
        }
        Collected c = collect(q.metric(), q.filters(), q.groupBy(), starts, to, false, distributions);
        List<QueryResult.Group> out = new ArrayList<>(c.groups.size());
        for (Map.Entry<Labels, Group> e : c.groups.entrySet()) {
            Group g = e.getValue();
            if (step == 0) {
                out.add(new QueryResult.Group(e.getKey().toMap(), g.value(q.stat(), 0, c.seconds(0)), null));
            } else {
                List<double[]> points = new ArrayList<>(starts.length);
                for (int w = 0; w < starts.length; w++) {
                    points.add(new double[] {starts[w] / 1000.0, g.value(q.stat(), w, c.seconds(w))});
                }
                out.add(new QueryResult.Group(e.getKey().toMap(), Double.NaN, points));
            }
        }
        out.sort(Comparator.comparing(gr -> gr.labels().toString()));
        return new QueryResult(out, from, to, distributions && c.bucketBounded);
    }

    /**
     * Every statistic of each group over each of several windows that end together (the 5m to 3d windows of an SLO
     * evaluated now), from a single read of the longest: what several queries of the same series (a percentile and
     * the traffic behind it, an error rate and the request rate, the same over a shorter window) would each read
     * again. Each window's summary is what its own queries would answer, up to the order in which sums are added.
     * Percentiles only when {@code quantiles}: without, the sketches are neither decoded nor merged.
     *
     * @param froms the windows' inclusive starts, epoch milliseconds (aligned to 10 s as a query's), in any order; at
     *     least one
     * @param to the windows' common exclusive end, epoch milliseconds
     * @return one summary per start, in the order of {@code froms}
     */
    public List<WindowSummary> summarize(String metric, Map<String, String> filters, List<String> groupBy,
                                         long[] froms, long to, boolean quantiles) {
        if (froms.length == 0) {
            throw new IllegalArgumentException("at least one window is needed");
        }
        long[] starts = Arrays.stream(froms).map(QueryEngine::alignDown).sorted().distinct().toArray();
        long end = alignUp(to);
        Collected c = collect(metric, filters, groupBy, starts, end, true, quantiles);
        List<Map.Entry<Map<String, String>, Group>> sorted = new ArrayList<>(c.groups.size());
        c.groups.forEach((labels, g) -> sorted.add(Map.entry(Collections.unmodifiableMap(labels.toMap()), g)));
        sorted.sort(Comparator.comparing(e -> e.getKey().toString()));
        List<WindowSummary> out = new ArrayList<>(froms.length);
        for (long from : froms) {
            int w = Arrays.binarySearch(starts, alignDown(from));
            double seconds = c.seconds(w);
            List<WindowSummary.GroupSummary> groups = new ArrayList<>(sorted.size());
            for (Map.Entry<Map<String, String>, Group> e : sorted) {
                Group g = e.getValue();
                groups.add(new WindowSummary.GroupSummary(e.getKey(), stat -> {
                    if (stat.type() == Stat.Type.QUANTILE && !quantiles) {
                        throw new IllegalStateException("this summary was made without percentiles");
                    }
                    return g.value(stat, w, seconds);
                }));
            }
            out.add(new WindowSummary(groups, starts[w], end, quantiles));
        }
        return out;
    }

    /**
     * The groups of a read, each with its per-window aggregates; window {@code w} starts at {@code starts[w]} and
     * ends at the next start (steps) or at {@code to} (nested windows).
     */
    private record Collected(Map<Labels, Group> groups, long[] starts, long to, boolean nested,
                             boolean bucketBounded) {
        double seconds(int w) {
            long end = nested || w + 1 == starts.length ? to : starts[w + 1];
            return (end - starts[w]) / 1000.0;
        }
    }

    /**
     * Reads the matched series over [starts[0], to) once, merging each series' buckets per segment between
     * consecutive starts, then builds every window from its segments: window {@code w} is segment {@code w} alone
     * ({@code nested} false: the steps of a query) or segments {@code w} to the last (nested windows ending at
     * {@code to}). Each window of a group gets its own aggregate, so no window sees another's merges.
     *
     * @param starts ascending, distinct, aligned to 10 s
     */
    private Collected collect(String metric, Map<String, String> filters, List<String> groupBy, long[] starts,
                              long to, boolean nested, boolean distributions) {
        List<Series> matched = select(metric, filters);
        int windows = starts.length;
        Map<Long, Series> byId = new HashMap<>(matched.size() * 2);
        long[] ids = new long[matched.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = matched.get(i).id();
            byId.put(ids[i], matched.get(i));
        }
        Map<Long, SeriesSegments> perSeries = new HashMap<>(matched.size() * 2);
        boolean counters = matched.stream().anyMatch(m -> m.kind() == MetricKind.COUNTER);
        long readFrom = counters ? starts[0] - COUNTER_LOOKBACK_MILLIS : starts[0];
        for (Piece piece : plan(readFrom, to)) {
            engine.read(piece.tier, ids, piece.from, piece.to, distributions, (seriesId, bucketStart, aggregate) -> {
                MetricKind kind = byId.get(seriesId).kind();
                int segment = segmentOf(starts, bucketStart);
                // Before the range only the last counter value is wanted, for the increase into the first window.
                if (bucketStart >= to || (segment < 0 && kind != MetricKind.COUNTER)) {
                    return;
                }
                perSeries.computeIfAbsent(seriesId, k -> new SeriesSegments(windows))
                        .add(segment + 1, bucketStart, aggregate, kind, distributions);
            });
        }
        Map<Labels, Group> groups = new LinkedHashMap<>();
        boolean bucketBounded = false;
        for (Series s : matched) {
            SeriesSegments segments = perSeries.get(s.id());
            Labels groupLabels = s.key().labels().keep(groupBy);
            Group g = groups.computeIfAbsent(groupLabels, l -> new Group(windows));
            if (segments == null) {
                continue;
            }
            boolean error = ErrorClassifier.isError(s.key().labels());
            boolean counter = s.kind() == MetricKind.COUNTER;
            int before = segments.merged[0] != null ? 0 : -1; // the last segment with data before window w
            for (int w = 0; w < windows; w++) {
                // A counter's increase from its last sample before a window to the first inside it belongs to the
                // window, as the increase from one segment to the next does; without it every boundary would lose
                // one scrape interval of increase. A nested window looks back only as far as its own read would.
                Aggregate previous = before >= 0
                        && (!nested || segments.lastBucket[before] >= starts[w] - COUNTER_LOOKBACK_MILLIS)
                        ? segments.merged[before] : null;
                double volume = 0;
                double rate = 0;
                for (int i = w + 1; i <= (nested ? windows : w + 1); i++) {
                    Aggregate a = segments.merged[i];
                    if (a == null) {
                        continue;
                    }
                    double seam = counter && previous != null
                            ? counterIncrease(previous.lastValue(), a.firstValue()) : 0;
                    previous = a;
                    volume += volume(a, s.kind()) + seam;
                    rate += rateVolume(a, s.kind()) + seam;
                }
                if (segments.merged[w + 1] != null) {
                    before = w + 1;
                }
                g.total[w] += volume;
                if (error) {
                    g.errors[w] += volume;
                }
                g.rate[w] += rate;
            }
            // Only now, the seams above having read this series' segments: a group's first series lends them.
            for (int i = 1; i <= windows; i++) {
                Aggregate a = segments.merged[i];
                if (a == null) {
                    continue;
                }
                bucketBounded |= distributions && a.bucketBounded();
                if (g.segments[i - 1] == null) {
                    g.segments[i - 1] = a;
                } else {
                    g.segments[i - 1].combine(a, distributions);
                }
            }
        }
        for (Group g : groups.values()) {
            g.windows(nested, distributions);
        }
        return new Collected(groups, starts, to, nested, bucketBounded);
    }

    /** The index of the last start at or before {@code bucketStart}; -1 before the first. */
    private static int segmentOf(long[] starts, long bucketStart) {
        int i = Arrays.binarySearch(starts, bucketStart);
        return i >= 0 ? i : -i - 2;
    }

    /**
     * One series' buckets merged per segment (index 0: the counter lookback before the first start, then one per
     * start), with the start of the last bucket merged into each.
     */
    private static final class SeriesSegments {
        final Aggregate[] merged;
        final long[] lastBucket;

        SeriesSegments(int starts) {
            merged = new Aggregate[starts + 1];
            lastBucket = new long[starts + 1];
        }

        void add(int segment, long bucketStart, Aggregate a, MetricKind kind, boolean distributions) {
            if (merged[segment] == null) {
                merged[segment] = a;
            } else {
                merged[segment].merge(a, kind, distributions);
            }
            lastBucket[segment] = bucketStart;
        }
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

    private static long alignDown(long t) {
        return Tier.TEN_SECONDS.bucketStart(t);
    }

    private static long alignUp(long t) {
        return -Tier.TEN_SECONDS.bucketStart(-t);
    }

    private static long ceilHour(long t) {
        return -Math.floorDiv(-t, HOUR) * HOUR;
    }

    private static final class Group {
        /** The group's series combined per segment, of which {@link #windows} makes each window's aggregate. */
        final Aggregate[] segments;
        Aggregate[] combined;
        final double[] total;
        final double[] errors;
        final double[] rate;

        Group(int windows) {
            segments = new Aggregate[windows];
            total = new double[windows];
            errors = new double[windows];
            rate = new double[windows];
        }

        /**
         * Makes each window's aggregate from the segments: its own, or (nested) a new one combining the next window's
         * and its own segment, so that no window's aggregate is another's (and a scalar read copies no sketch).
         */
        void windows(boolean nested, boolean distributions) {
            if (!nested) {
                combined = segments;
                return;
            }
            combined = new Aggregate[segments.length];
            for (int w = segments.length - 1; w >= 0; w--) {
                Aggregate later = w + 1 < segments.length ? combined[w + 1] : null;
                if (later == null) {
                    combined[w] = segments[w];
                } else {
                    combined[w] = new Aggregate();
                    combined[w].combine(later, distributions);
                    if (segments[w] != null) {
                        combined[w].combine(segments[w], distributions);
                    }
                }
            }
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
