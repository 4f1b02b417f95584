package io.vigil.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.Priority;
import io.vigil.alerting.Severity;
import io.vigil.core.Aggregate;
import io.vigil.core.MetricKind;
import io.vigil.core.wedding.Wedding;
import io.vigil.export.ExportEvent;
import io.vigil.export.ExportPoint;
import io.vigil.export.ExportTags;
import io.vigil.export.config.ExportConfig;
import io.vigil.export.events.IncidentEvents;
import io.vigil.export.events.WeddingDayEvents;
import io.vigil.export.grafana.Grafana;
import io.vigil.export.grafana.GrafanaAnnotationsSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/grafana/vigil.json: importable, and every series it queries is one the exposition renders. */
class GrafanaDashboardTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan");
    static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:$])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");
    static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
    static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");

    static JsonNode dashboard() throws Exception {
        Path file = Path.of("..", "docs", "grafana", "vigil.json");
        if (!Files.exists(file)) {
            file = Path.of("docs", "grafana", "vigil.json");
        }
        return JSON.readTree(Files.readString(file));
    }

    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add); // panels of collapsed rows
        }
        return out;
    }

    static List<String> expressions(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : panels(dashboard)) {
            p.path("targets").forEach(t -> out.add(t.path("expr").asText()));
        }
        return out;
    }

    /** The metric names a PromQL expression selects: not functions, keywords, labels, strings or durations. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> out = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            if (!PROMQL_WORDS.contains(m.group().toLowerCase(java.util.Locale.ROOT))) {
                out.add(m.group());
            }
        }
        return out;
    }

    @Test
    void metricNames_findsSelectorsOnly() {
        assertThat(metricNames("sum by (status) (rate(http_server_requests_total{status=~\"5..\"}[$__rate_interval]))"
                + " / max(x:y_z) * on() group_left(wedding_season) vigil_wedding_context offset 5m"))
                .containsExactly("http_server_requests_total", "vigil_wedding_context", "x:y_z");
    }

    @Test
    void dashboard_isImportable_withTheTemplatedPrometheusDatasourceOnEveryQuery() throws Exception {
        JsonNode d = dashboard();
        assertThat(d.path("uid").asText()).isEqualTo("vigil");
        assertThat(d.path("title").asText()).isEqualTo("Vigil");
        assertThat(d.path("__inputs")).singleElement().satisfies(i -> {
            assertThat(i.path("name").asText()).isEqualTo("DS_PROMETHEUS");
            assertThat(i.path("type").asText()).isEqualTo("datasource");
            assertThat(i.path("pluginId").asText()).isEqualTo("prometheus");
        });
        assertThat(d.path("templating").path("list")).anySatisfy(v -> {
            assertThat(v.path("name").asText()).isEqualTo("DS_PROMETHEUS");
            assertThat(v.path("type").asText()).isEqualTo("datasource");
            assertThat(v.path("query").asText()).isEqualTo("prometheus");
        });
        Set<Integer> ids = new HashSet<>();
        List<JsonNode> queried = panels(d).stream().filter(p -> !"row".equals(p.path("type").asText())).toList();
        assertThat(queried).hasSizeGreaterThanOrEqualTo(15);
        for (JsonNode p : queried) {
            assertThat(ids.add(p.path("id").asInt())).as("unique id of %s", p.path("title")).isTrue();
            assertThat(p.path("datasource").path("uid").asText()).as(p.path("title").asText())
                    .isEqualTo("${DS_PROMETHEUS}");
            assertThat(p.path("targets")).as(p.path("title").asText()).isNotEmpty().allSatisfy(t -> {
                assertThat(t.path("datasource").path("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
                assertThat(t.path("expr").asText()).isNotBlank();
            });
            JsonNode pos = p.path("gridPos");
            assertThat(pos.path("x").asInt() + pos.path("w").asInt()).as(p.path("title").asText())
                    .isLessThanOrEqualTo(24);
        }
    }

    @Test
    void dashboard_everyQueriedMetricAndMatchedLabel_isRenderedByTheExposition() throws Exception {
        List<String> exprs = expressions(dashboard());
        Set<String> referenced = new TreeSet<>();
        exprs.forEach(e -> referenced.addAll(metricNames(e)));
        assertThat(referenced).contains("http_server_request_duration_seconds", "http_server_requests_total",
                "wedding_photo_upload_seconds", "wedding_guest_list_access_seconds", "wedding_timeline_sync_seconds",
                "vigil_wedding_context", "vigil_wedding_season", "vigil_wedding_peak_time", "vigil_wedding_load_band",
                "vigil_export_backlog", "vigil_export_sent_total", "vigil_export_dropped_total",
                "vigil_export_failures_total", "vigil_exposition_series_dropped_total");

        ExpositionParser.Parsed p = ExpositionParser.parse(realisticExposition().render());
        assertThat(p.sampleNames()).containsAll(referenced);

        // Each label a selector matches on is one the metric's samples carry.
        for (String expr : exprs) {
            Matcher m = SELECTOR.matcher(expr);
            while (m.find()) {
                String metric = m.group(1);
                Matcher l = MATCHER_LABEL.matcher(m.group(2));
                while (l.find()) {
                    String label = l.group(1);
                    assertThat(p.named(metric)).as("%s in %s", label, expr)
                            .anySatisfy(s -> assertThat(s.labels()).containsKey(label));
                }
            }
        }
    }

    /** What Vigil's /metrics shows on a Saturday in June: HTTP, the wedding-critical families, export health. */
    static PrometheusExposition realisticExposition() {
        long t0 = Instant.parse("2026-06-13T15:00:00Z").toEpochMilli();
        ExportTags context = new ExportTags(true, true, "moderate");
        List<ExportPoint> points = new ArrayList<>();
        for (int b = 0; b < 6; b++) {
            long start = t0 + b * 10_000L;
            for (String route : List.of("/api/guests", "/api/photos")) {
                points.add(point("http_server_request_duration_seconds", MetricKind.DISTRIBUTION,
                        Map.of("route", route, "method", "GET"), start, context, 0.05, 0.12, 0.3, 1.8));
                for (String status : List.of("200", "404", "503")) {
                    points.add(point("http_server_requests_total", MetricKind.COUNTER,
                            Map.of("route", route, "method", "GET", "status", status), start, context,
                            100 * b, 100 * b + 40));
                }
            }
            points.add(point("wedding_photo_upload_seconds", MetricKind.DISTRIBUTION, Map.of("region", "eu"), start,
                    context, 0.8, 2.5));
            points.add(point("wedding_guest_list_access_seconds", MetricKind.DISTRIBUTION, Map.of(), start, context,
                    0.04, 0.09));
            points.add(point("wedding_timeline_sync_seconds", MetricKind.DISTRIBUTION, Map.of(), start, context,
                    0.2));
            for (String exporter : List.of("datadog", "grafana-annotations")) {
                Map<String, String> ex = Map.of("exporter", exporter);
                points.add(point("vigil_export_backlog", MetricKind.GAUGE, ex, start, context, 12));
                points.add(point("vigil_export_sent", MetricKind.COUNTER, ex, start, context, 1_000 * b,
                        1_000 * b + 500));
                points.add(point("vigil_export_dropped", MetricKind.COUNTER, Map.of("exporter", exporter, "reason",
                        "buffer_full"), start, context, 0, 3));
                points.add(point("vigil_export_failures", MetricKind.COUNTER, Map.of("exporter", exporter, "reason",
                        "http 503"), start, context, 1, 2));
            }
        }
        PrometheusExposition e = new PrometheusExposition();
        e.accept(points);
        return e;
    }

    static ExportPoint point(String metric, MetricKind kind, Map<String, String> labels, long start, ExportTags tags,
                             double... values) {
        Aggregate a = new Aggregate();
        for (int i = 0; i < values.length; i++) {
            a.add(start + i, values[i], kind);
        }
        return new ExportPoint(metric, kind, labels, start, 10_000L, a, tags);
    }

    @Test
    void dashboard_annotationsQueryTheTagsTheGrafanaExporterSends() throws Exception {
        JsonNode d = dashboard();
        Map<String, String> tagOf = new java.util.HashMap<>();
        for (JsonNode a : d.path("annotations").path("list")) {
            if (a.path("target").path("type").asText().equals("tags")) {
                assertThat(a.path("datasource").path("type").asText()).isEqualTo("grafana");
                tagOf.put(a.path("name").asText(), a.path("target").path("tags").get(0).asText());
            }
        }
        assertThat(tagOf).containsEntry("Wedding days", "vigil_event:wedding_day")
                .containsEntry("Incidents", "vigil_event:incident");

        ExportTags context = new ExportTags(true, true, "moderate");
        ExportEvent weddingDay = WeddingDayEvents.of(LocalDate.of(2026, 6, 13), List.of(
                new Wedding("w-1", null, ZoneId.of("Europe/London"), LocalDateTime.of(2026, 6, 13, 15, 0),
                        LocalDateTime.of(2026, 6, 13, 23, 0), 120, null, List.of(), null, null, null)), context);
        Instant at = Instant.parse("2026-06-13T18:20:00Z");
        ExportEvent incident = IncidentEvents.from(new NotificationIntent("key-1", "group-1",
                NotificationIntent.Kind.FIRING, Priority.P0, Impact.CRITICAL, List.of(
                new NotificationIntent.AlertSummary("fp", "http.p95.critical", Map.of("route", "/photos"),
                        Severity.CRITICAL, "p95 5.003 s > 5 s", "3 active weddings use photo upload", at)), Map.of(),
                at), context);
        GrafanaAnnotationsSink sink = Grafana.sink(new ExportConfig.Grafana(true, "http://grafana:3000", "glsa_t",
                null, null), Map.of());
        List<Set<String>> sentTags = new ArrayList<>();
        for (var payload : sink.encode(List.of(weddingDay, incident)).payloads()) {
            Set<String> tags = new HashSet<>();
            JSON.readTree(payload.body()).path("tags").forEach(t -> tags.add(t.asText()));
            sentTags.add(tags);
        }
        assertThat(sentTags.get(0)).contains(tagOf.get("Wedding days"));
        assertThat(sentTags.get(1)).contains(tagOf.get("Incidents"));
    }
}
