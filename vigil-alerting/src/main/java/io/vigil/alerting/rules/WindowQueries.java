package io.vigil.alerting.rules;

import io.vigil.core.Stat;
import io.vigil.engine.query.QueryEngine;
import io.vigil.engine.query.WindowSummary;
import io.vigil.engine.query.WindowSummary.GroupSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The queries of one evaluation, each asked of the engine once: the SLO pairs share windows (6h is the long window of
 * one pair and the short of another), and rules evaluated together at one instant often read the same metric over the
 * same window (the critical, high and medium rules of one family; a percentile and the traffic behind it; an error
 * rate and the request rate). One read of a metric's series over a window answers every statistic of it
 * ({@link QueryEngine#summarize}); percentiles are read only when a rule asks for one.
 *
 * <p>Rules that differ only in the values of their filters (one rule per wedding, per vendor, per route) are answered
 * together when there are at least {@value #BATCH_MIN} of them: one query grouped by the filter labels as well as the
 * rules' {@code by} labels, then sliced per rule. Each group of a slice is made of exactly the series the rule's own
 * filtered query would combine, so the values are the same; the engine is asked once instead of once per rule, and
 * it finds a rule's series by scanning every series of the metric.
 *
 * <p>Given the rules and the instant of the evaluation, the windows ending then that the rules will ask of one read
 * (an SLO's 5m, 30m, 1h, 6h and 3d) are read together the first time one of them is asked, in one read of the longest
 * (one more for those of them that need percentiles). Not thread-safe.
 */
final class WindowQueries {
    /** Fewer rules of one shape than this are queried one by one: a batch reads every series of the metric. */
    static final int BATCH_MIN = 16;
    private static final Stat RATE = new Stat(Stat.Type.RATE, 0);
    private static final Stat COUNT = new Stat(Stat.Type.COUNT, 0);

    private final QueryEngine engine;
    private final Set<Shape> batched = new HashSet<>();
    private final Instant at;
    /** Per read, the lengths of the windows ending {@link #at} that the rules ask of it: with percentiles? */
    private final Map<Read, Map<Duration, Boolean>> planned = new HashMap<>();
    private final Map<Key, Sliced> reads = new HashMap<>();
    private int queries;

    /** Queries for rules evaluated one at a time, each window read when it is first asked. */
    WindowQueries(QueryEngine engine) {
        this(engine, List.of(), null);
    }

    /**
     * Queries for these rules evaluated together at {@code at}, batching the rules that differ only in their filters'
     * values and reading the windows ending at {@code at} that share a read together.
     */
    WindowQueries(QueryEngine engine, Collection<? extends Rule> rules, Instant at) {
        this.engine = engine;
        this.at = at;
        Map<Shape, Set<Map<String, String>>> filterValues = new HashMap<>();
        for (Rule r : rules) {
            if (!r.filters().isEmpty()) {
                filterValues.computeIfAbsent(Shape.of(r), s -> new HashSet<>()).add(r.filters());
            }
        }
        filterValues.forEach((shape, values) -> {
            if (values.size() >= BATCH_MIN) {
                batched.add(shape);
            }
        });
        for (Rule r : rules) {
            Map<Duration, Boolean> lengths = planned.computeIfAbsent(read(r), k -> new HashMap<>());
            switch (r) {
                case ThresholdRule threshold -> lengths.merge(threshold.window(),
                        threshold.stat().type() == Stat.Type.QUANTILE, Boolean::logicalOr);
                case RegressionRule regression -> lengths.put(regression.window(), true);
                case SloRule slo -> slo.pairs().forEach(p -> {
                    lengths.putIfAbsent(p.longWindow(), false);
                    lengths.putIfAbsent(p.shortWindow(), false);
                });
            }
        }
    }

    /** A rule's query without its filter values: metric, filter label names, {@code by}. */
    private record Shape(String metric, Set<String> filterNames, List<String> by) {
        static Shape of(Rule r) {
            return new Shape(r.metric(), new TreeSet<>(r.filters().keySet()), r.by());
        }
    }

    /**
     * What one read selects and how its groups are split: a rule's own filters and {@code by}, or for a batch no
     * filters and slices per value of the {@code sliced} labels.
     */
    private record Read(String metric, Map<String, String> filters, List<String> by, Set<String> sliced) {}

    private record Key(Read read, long from, long to) {}

    /**
     * One read's groups (labels to summary, in the engine's order), the range it covered after alignment, and whether
     * it read percentiles.
     */
    private record Answer(Map<Map<String, String>, GroupSummary> groups, long fromMillis, long toMillis,
                          boolean quantiles) {
        double seconds() {
            return (toMillis - fromMillis) / 1000.0;
        }

        Map<Map<String, String>, Double> values(Stat stat) {
            Map<Map<String, String>, Double> out = new LinkedHashMap<>(groups.size() * 2);
            groups.forEach((labels, summary) -> out.put(labels, summary.value(stat)));
            return out;
        }
    }

    /**
     * A read's answer split by the values of the sliced labels (one slice under no values when nothing is sliced),
     * the range the read covered, and with percentiles?
     */
    private record Sliced(Map<List<String>, Answer> slices, long fromMillis, long toMillis, boolean quantiles) {}

    /** The statistic per group of the rule's series over the window, in the engine's group order; NaN: no data. */
    Map<Map<String, String>, Double> values(Rule rule, Stat stat, TimeWindow window) {
        return answer(rule, stat, window).values(stat);
    }

    /**
     * The traffic per group over the window: observations of a latency metric, the increase of a counter, the samples
     * of a gauge (which has no rate). Zero for a group without data.
     */
    Map<Map<String, String>, Double> traffic(Rule rule, TimeWindow window) {
        Answer rate = answer(rule, RATE, window);
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        boolean anyRate = false;
        for (var g : rate.groups().entrySet()) {
            double v = g.getValue().value(RATE) * rate.seconds();
            anyRate |= !Double.isNaN(v);
            out.put(g.getKey(), Double.isNaN(v) ? 0.0 : v);
        }
        if (!anyRate && !out.isEmpty()) {
            // A gauge has no rate (and one kind per metric is the rule): its traffic is its number of samples.
            out.putAll(rate.values(COUNT));
        }
        return out;
    }

    /** How many queries went to the engine. */
    int queries() {
        return queries;
    }

    private Read read(Rule rule) {
        Shape shape = Shape.of(rule);
        return batched.contains(shape)
                ? new Read(rule.metric(), Map.of(), rule.by(), shape.filterNames())
                : new Read(rule.metric(), rule.filters(), rule.by(), Set.of());
    }

    private Answer answer(Rule rule, Stat stat, TimeWindow window) {
        boolean quantiles = stat.type() == Stat.Type.QUANTILE;
        Read read = read(rule);
        Key key = new Key(read, window.from().toEpochMilli(), window.to().toEpochMilli());
        Sliced s = reads.get(key);
        if (s == null || (quantiles && !s.quantiles())) {
            readPlanned(read, window, quantiles);
            s = reads.get(key);
        }
        if (s == null || (quantiles && !s.quantiles())) {
            s = run(read, new long[] {key.from()}, key.to(), quantiles).getFirst();
            reads.put(key, s);
        }
        Answer a = s.slices().get(filterValues(read.sliced(), rule.filters()));
        return a != null ? a : new Answer(Map.of(), s.fromMillis(), s.toMillis(), s.quantiles());
    }

    /**
     * When the window is one the rules will ask of this read at the evaluation instant, reads it together with the
     * others that need percentiles as much and are not read yet.
     */
    private void readPlanned(Read read, TimeWindow window, boolean quantiles) {
        Boolean percentiles = window.to().equals(at) ? planned.getOrDefault(read, Map.of()).get(window.length()) : null;
        if (percentiles == null || (quantiles && !percentiles)) {
            return;
        }
        long to = at.toEpochMilli();
        long[] froms = planned.get(read).entrySet().stream()
                .filter(e -> e.getValue().equals(percentiles))
                .mapToLong(e -> at.minus(e.getKey()).toEpochMilli())
                .filter(from -> {
                    Sliced done = reads.get(new Key(read, from, to));
                    return done == null || (percentiles && !done.quantiles());
                })
                .toArray();
        List<Sliced> answers = run(read, froms, to, percentiles);
        for (int i = 0; i < froms.length; i++) {
            reads.put(new Key(read, froms[i], to), answers.get(i));
        }
    }

    /** Splits a read's answer by the values of the sliced labels, each slice grouped by the rules' {@code by} only. */
    private static Sliced slice(Answer whole, Read read, boolean quantiles) {
        if (read.sliced().isEmpty()) {
            return new Sliced(Map.of(List.of(), whole), whole.fromMillis(), whole.toMillis(), quantiles);
        }
        Map<List<String>, Map<Map<String, String>, GroupSummary>> parts = new HashMap<>();
        for (var g : whole.groups().entrySet()) {
            List<String> values = filterValues(read.sliced(), g.getKey());
            if (values.contains(null)) {
                continue; // series without one of the filter labels match no rule of this shape
            }
            Map<String, String> projected = new TreeMap<>();
            for (String l : read.by()) {
                String v = g.getKey().get(l);
                if (v != null) {
                    projected.put(l, v);
                }
            }
            parts.computeIfAbsent(values, v -> new LinkedHashMap<>()).put(projected, g.getValue());
        }
        Map<List<String>, Answer> out = new HashMap<>(parts.size() * 2);
        parts.forEach((values, groups) -> {
            // The engine sorts a query's groups by their labels' text; a slice keeps that order.
            List<Map.Entry<Map<String, String>, GroupSummary>> sorted = new ArrayList<>(groups.entrySet());
            sorted.sort(Comparator.comparing(e -> e.getKey().toString()));
            Map<Map<String, String>, GroupSummary> ordered = new LinkedHashMap<>();
            sorted.forEach(e -> ordered.put(e.getKey(), e.getValue()));
            out.put(values, new Answer(ordered, whole.fromMillis(), whole.toMillis(), quantiles));
        });
        return new Sliced(out, whole.fromMillis(), whole.toMillis(), quantiles);
    }

    private static List<String> filterValues(Set<String> names, Map<String, String> labels) {
        List<String> values = new ArrayList<>(names.size());
        for (String l : names) {
            values.add(labels.get(l));
        }
        return values;
    }

    /** One read of the windows [from, to) for each of {@code froms}, sliced; in the order of {@code froms}. */
    private List<Sliced> run(Read read, long[] froms, long to, boolean quantiles) {
        queries++;
        List<String> groupBy = new ArrayList<>(read.by());
        read.sliced().stream().filter(l -> !groupBy.contains(l)).forEach(groupBy::add);
        List<Sliced> out = new ArrayList<>(froms.length);
        for (WindowSummary r : engine.summarize(read.metric(), read.filters(), groupBy, froms, to, quantiles)) {
            Map<Map<String, String>, GroupSummary> groups = new LinkedHashMap<>(r.groups().size() * 2);
            for (GroupSummary g : r.groups()) {
                groups.put(g.labels(), g);
            }
            out.add(slice(new Answer(groups, r.fromMillis(), r.toMillis(), quantiles), read, quantiles));
        }
        return out;
    }
}
