package io.vigil.alerting.rules;

import io.vigil.core.Stat;
import io.vigil.engine.query.QueryEngine;
import io.vigil.engine.query.WindowSummary;
import io.vigil.engine.query.WindowSummary.GroupSummary;
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
 * it finds a rule's series by scanning every series of the metric. Not thread-safe.
 */
final class WindowQueries {
    /** Fewer rules of one shape than this are queried one by one: a batch reads every series of the metric. */
    static final int BATCH_MIN = 16;
    private static final Stat RATE = new Stat(Stat.Type.RATE, 0);
    private static final Stat COUNT = new Stat(Stat.Type.COUNT, 0);

    private final QueryEngine engine;
    private final Set<Shape> batched;
    private final Map<Key, Answer> reads = new HashMap<>();
    private final Map<Key, Batch> batches = new HashMap<>();
    private int queries;

    /** Queries for rules evaluated one at a time. */
    WindowQueries(QueryEngine engine) {
        this(engine, List.of());
    }

    /** Queries for these rules evaluated together, batching the rules that differ only in their filters' values. */
    WindowQueries(QueryEngine engine, Collection<? extends Rule> rules) {
        this.engine = engine;
        Map<Shape, Set<Map<String, String>>> filterValues = new HashMap<>();
        for (Rule r : rules) {
            if (!r.filters().isEmpty()) {
                filterValues.computeIfAbsent(Shape.of(r), s -> new HashSet<>()).add(r.filters());
            }
        }
        batched = new HashSet<>();
        filterValues.forEach((shape, values) -> {
            if (values.size() >= BATCH_MIN) {
                batched.add(shape);
            }
        });
    }

    /** A rule's query without its filter values: metric, filter label names, {@code by}. */
    private record Shape(String metric, Set<String> filterNames, List<String> by) {
        static Shape of(Rule r) {
            return new Shape(r.metric(), new TreeSet<>(r.filters().keySet()), r.by());
        }
    }

    private record Key(String metric, Map<String, String> filters, List<String> by, long from, long to) {}

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

    /** A batch answer split by the values of the filter labels, the range the read covered, and with percentiles? */
    private record Batch(Map<List<String>, Answer> slices, long fromMillis, long toMillis, boolean quantiles) {}

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

    private Answer answer(Rule rule, Stat stat, TimeWindow window) {
        long from = window.from().toEpochMilli();
        long to = window.to().toEpochMilli();
        boolean quantiles = stat.type() == Stat.Type.QUANTILE;
        Shape shape = Shape.of(rule);
        if (!batched.contains(shape)) {
            Key key = new Key(rule.metric(), rule.filters(), rule.by(), from, to);
            Answer a = reads.get(key);
            if (a == null || (quantiles && !a.quantiles())) {
                a = run(key, quantiles);
                reads.put(key, a);
            }
            return a;
        }
        List<String> groupBy = new ArrayList<>(rule.by());
        shape.filterNames().stream().filter(l -> !groupBy.contains(l)).forEach(groupBy::add);
        Key key = new Key(rule.metric(), Map.of(), List.copyOf(groupBy), from, to);
        Batch b = batches.get(key);
        if (b == null || (quantiles && !b.quantiles())) {
            b = slice(run(key, quantiles), shape, quantiles);
            batches.put(key, b);
        }
        Answer a = b.slices().get(filterValues(shape, rule.filters()));
        return a != null ? a : new Answer(Map.of(), b.fromMillis(), b.toMillis(), b.quantiles());
    }

    /** Splits a batch answer by the values of the filter labels, each slice grouped by the rules' {@code by} only. */
    private static Batch slice(Answer whole, Shape shape, boolean quantiles) {
        Map<List<String>, Map<Map<String, String>, GroupSummary>> parts = new HashMap<>();
        for (var g : whole.groups().entrySet()) {
            List<String> values = filterValues(shape, g.getKey());
            if (values.contains(null)) {
                continue; // series without one of the filter labels match no rule of this shape
            }
            Map<String, String> projected = new TreeMap<>();
            for (String l : shape.by()) {
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
        return new Batch(out, whole.fromMillis(), whole.toMillis(), quantiles);
    }

    private static List<String> filterValues(Shape shape, Map<String, String> labels) {
        List<String> values = new ArrayList<>(shape.filterNames().size());
        for (String l : shape.filterNames()) {
            values.add(labels.get(l));
        }
        return values;
    }

    private Answer run(Key k, boolean quantiles) {
        queries++;
        WindowSummary r = engine.summarize(k.metric, k.filters, k.by, k.from, k.to, quantiles);
        Map<Map<String, String>, GroupSummary> out = new LinkedHashMap<>(r.groups().size() * 2);
        for (GroupSummary g : r.groups()) {
            out.put(g.labels(), g);
        }
        return new Answer(out, r.fromMillis(), r.toMillis(), quantiles);
    }
}
