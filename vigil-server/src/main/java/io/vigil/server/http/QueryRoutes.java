package io.vigil.server.http;

import io.javalin.http.Context;
import io.vigil.core.Stat;
import io.vigil.engine.Series;
import io.vigil.engine.query.QueryEngine;
import io.vigil.engine.query.QueryRequest;
import io.vigil.engine.query.QueryResult;
import io.vigil.server.config.DurationText;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code GET /api/v1/query} and {@code GET /api/v1/series}; see docs/api.md. */
final class QueryRoutes {
    private static final Set<String> RESERVED = Set.of("metric", "stat", "from", "to", "step", "by");
    static final int MAX_SERIES_LISTED = 10_000;

    private final QueryEngine queries;
    private final io.vigil.engine.SeriesRegistry registry;
    private final Clock clock;

    private final java.util.function.Function<Instant, Map<String, Object>> context;

    /** @param context the wedding context of an instant, as every answer carries it */
    QueryRoutes(QueryEngine queries, io.vigil.engine.SeriesRegistry registry, Clock clock,
                java.util.function.Function<Instant, Map<String, Object>> context) {
        this.context = context;
        this.queries = queries;
        this.registry = registry;
        this.clock = clock;
    }

    void query(Context ctx) {
        String metric = ctx.queryParam("metric");
        if (metric == null || metric.isBlank()) {
            throw new HttpProblem(400, "query parameter 'metric' is required, e.g. metric=http_request_duration_seconds");
        }
        Stat stat;
        try {
            stat = Stat.parse(ctx.queryParam("stat") == null ? "count" : ctx.queryParam("stat"));
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, e.getMessage());
        }
        long to = ctx.queryParam("to") == null ? clock.millis() : Requests.time("to", ctx.queryParam("to"));
        long from = ctx.queryParam("from") == null ? to - 3_600_000L : Requests.time("from", ctx.queryParam("from"));
        long step = 0;
        String stepText = ctx.queryParam("step");
        if (stepText != null) {
            step = stepText.matches("\\d+") ? Long.parseLong(stepText) * 1000
                    : Requests.badRequest(() -> DurationText.parse("step", stepText).toMillis());
        }
        List<String> by = new ArrayList<>();
        String byText = ctx.queryParam("by");
        if (byText != null && !byText.isBlank()) {
            by.addAll(Arrays.stream(byText.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        }
        Map<String, String> filters = new LinkedHashMap<>();
        ctx.queryParamMap().forEach((k, v) -> {
            if (!RESERVED.contains(k) && !v.isEmpty()) {
                filters.put(k, v.get(0));
            }
        });
        final long fromF = from;
        final long toF = to;
        final long stepF = step;
        QueryRequest request = Requests.badRequest(() -> new QueryRequest(metric, filters, stat, fromF, toF, stepF, by));
        QueryResult result = queries.query(request);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("metric", metric);
        answer.put("stat", ctx.queryParam("stat") == null ? "count" : ctx.queryParam("stat"));
        answer.put("from", Instant.ofEpochMilli(result.fromMillis()).toString());
        answer.put("to", Instant.ofEpochMilli(result.toMillis()).toString());
        if (step > 0) {
            answer.put("step", step / 1000);
        }
        if (result.bucketBounded()) {
            answer.put("bucketBounded", true);
        }
        List<Map<String, Object>> series = new ArrayList<>();
        for (QueryResult.Group g : result.series()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("labels", g.labels());
            if (g.points() == null) {
                s.put("value", number(g.value()));
            } else {
                List<Object[]> points = new ArrayList<>(g.points().size());
                for (double[] p : g.points()) {
                    points.add(new Object[] {(long) p[0], number(p[1])});
                }
                s.put("points", points);
            }
            series.add(s);
        }
        answer.put("series", series);
        // The context of the window's end (or of now, for a window reaching into the future).
        answer.put("context", context.apply(Instant.ofEpochMilli(Math.min(result.toMillis(), clock.millis()))));
        ctx.json(answer);
    }

    void series(Context ctx) {
        String metric = ctx.queryParam("metric");
        List<Map<String, Object>> out = new ArrayList<>();
        Iterable<Series> source = metric == null ? registry.all() : registry.ofMetric(metric);
        boolean truncated = false;
        for (Series s : source) {
            if (out.size() >= MAX_SERIES_LISTED) {
                truncated = true;
                break;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", s.key().metric());
            m.put("labels", s.key().labels().toMap());
            m.put("kind", s.kind().name().toLowerCase());
            out.add(m);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("series", out);
        answer.put("truncated", truncated);
        ctx.json(answer);
    }

    private static Object number(double v) {
        return Double.isFinite(v) ? (Object) v : null;
    }
}
