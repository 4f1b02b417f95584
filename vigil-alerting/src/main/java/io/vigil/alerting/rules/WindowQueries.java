package io.vigil.alerting.rules;

import io.vigil.core.Stat;
import io.vigil.engine.query.QueryEngine;
import io.vigil.engine.query.QueryRequest;
import io.vigil.engine.query.QueryResult;
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
 * one pair and the short of another), and rules evaluated together at one instant often read the same statistic of
 * the same metric over the same window (the critical, high and medium rules of one family).
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
    private final Map<Key, Answer> cache = new HashMap<>();
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

    private record Key(String metric, Map<String, String> filters, List<String> by, Stat stat, long from, long to) {}

    /** One query's groups (label map to value, in the engine's order) and the range it covered after alignment. */
    private record Answer(Map<Map<String, String>, Double> groups, long fromMillis, long toMillis) {
        double seconds() {
            return (toMillis - fromMillis) / 1000.0;
        }
    }

    /** A batch answer split by the values of the filter labels, and the range the query covered. */
    private record Batch(Map<List<String>, Answer> slices, long fromMillis, long toMillis) {}

    /** The statistic per group of the rule's series over the window, in the engine's group order; NaN: no data. */
    Map<Map<String, String>, Double> values(Rule rule, Stat stat, TimeWindow window) {
        return answer(rule, stat, window).groups();
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
            double v = g.getValue() * rate.seconds();
            anyRate |= !Double.isNaN(v);
            out.put(g.getKey(), Double.isNaN(v) ? 0.0 : v);
        }
        if (!anyRate && !out.isEmpty()) {
            // A gauge has no rate (and one kind per metric is the rule): its traffic is its number of samples.
            out.putAll(values(rule, COUNT, window));
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
        Shape shape = Shape.of(rule);
        if (!batched.contains(shape)) {
            return cache.computeIfAbsent(new Key(rule.metric(), rule.filters(), rule.by(), stat, from, to), this::run);
        }
        List<String> groupBy = new ArrayList<>(rule.by());
        shape.filterNames().stream().filter(l -> !groupBy.contains(l)).forEach(groupBy::add);
        Key batch = new Key(rule.metric(), Map.of(), List.copyOf(groupBy), stat, from, to);
        Batch b = batches.computeIfAbsent(batch, k -> slice(run(k), shape));
        Answer a = b.slices().get(filterValues(shape, rule.filters()));
        return a != null ? a : new Answer(Map.of(), b.fromMillis(), b.toMillis());
    }

    /** Splits a batch answer by the values of the filter labels, each slice grouped by the rules' {@code by} only. */
    private static Batch slice(Answer whole, Shape shape) {
        Map<List<String>, Map<Map<String, String>, Double>> parts = new HashMap<>();
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
            List<Map.Entry<Map<String, String>, Double>> sorted = new ArrayList<>(groups.entrySet());
            sorted.sort(Comparator.comparing(e -> e.getKey().toString()));
            Map<Map<String, String>, Double> ordered = new LinkedHashMap<>();
            sorted.forEach(e -> ordered.put(e.getKey(), e.getValue()));
            out.put(values, new Answer(ordered, whole.fromMillis(), whole.toMillis()));
        });
        return new Batch(out, whole.fromMillis(), whole.toMillis());
    }

    private static List<String> filterValues(Shape shape, Map<String, String> labels) {
        List<String> values = new ArrayList<>(shape.filterNames().size());
        for (String l : shape.filterNames()) {
            values.add(labels.get(l));
        }
        return values;
    }

    private Answer run(Key k) {
        queries++;
        QueryResult r = engine.query(new QueryRequest(k.metric, k.filters, k.stat, k.from, k.to, 0, k.by));
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        for (QueryResult.Group g : r.series()) {
            out.put(g.labels(), g.value());
        }
        return new Answer(out, r.fromMillis(), r.toMillis());
    }
}
