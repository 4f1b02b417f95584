package io.vigil.server.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.vigil.alerting.lifecycle.AckLinks;
import io.vigil.alerting.lifecycle.AckTarget;
import io.vigil.alerting.lifecycle.Alert;
import io.vigil.alerting.lifecycle.LabelMatcher;
import io.vigil.alerting.lifecycle.LifecycleJson;
import io.vigil.alerting.lifecycle.LifecycleState;
import io.vigil.alerting.lifecycle.MaintenanceWindow;
import io.vigil.alerting.lifecycle.Silence;
import io.vigil.alerting.rules.Rule;
import io.vigil.alerting.rules.RuleEvaluator;
import io.vigil.alerting.rules.RuleParser;
import io.vigil.alerting.rules.RuleWriter;
import io.vigil.alerting.rules.SloRule;
import io.vigil.alerting.service.AlertingRequests;
import io.vigil.alerting.service.AlertingService;
import io.vigil.calendar.ContextJson;
import io.vigil.calendar.WeddingCalendar;
import io.vigil.server.http.HttpProblem;
import io.vigil.server.http.Requests;
import io.vigil.store.StateStore;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The alerting API: alerts with their rating and wedding context, acknowledgement (with a key or a signed link),
 * silences, maintenance windows, rules, error budgets and history. See docs/alerting.md.
 */
public final class AlertRoutes {
    private final AlertingRequests requests;
    private final StateStore state;
    private final WeddingCalendar calendar;
    private final java.util.function.Supplier<AckLinks> links;
    private final RuleEvaluator evaluator;
    private final java.util.function.Supplier<List<Rule>> rules;
    private final Function<Context, String> caller;

    /**
     * @param rules the rules in force (configured and stored)
     * @param caller names who makes a request (the API key's name), for acknowledgements and silences
     */
    public AlertRoutes(StateStore state, WeddingCalendar calendar, java.util.function.Supplier<AckLinks> links,
                       RuleEvaluator evaluator,
                       java.util.function.Supplier<List<Rule>> rules, Function<Context, String> caller) {
        this.requests = new AlertingRequests(state);
        this.state = state;
        this.calendar = calendar;
        this.links = links;
        this.evaluator = evaluator;
        this.rules = rules;
        this.caller = caller;
    }

    /** {@code GET /api/v1/alerts?state=firing}: every tracked alert, most urgent first, with the context now. */
    public void alerts(Context ctx) {
        String wanted = ctx.queryParam("state");
        List<Map<String, Object>> out = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>(requests.snapshot().map(LifecycleState::alerts).orElse(List.of()));
        alerts.sort(java.util.Comparator.comparing((Alert a) -> a.rating() == null ? "P9" : a.rating().priority().name())
                .thenComparing(Alert::fingerprint));
        for (Alert a : alerts) {
            if (wanted == null || a.state().name().equalsIgnoreCase(wanted)) {
                out.add(write(a));
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("alerts", out);
        answer.put("context", ContextJson.write(calendar.now()));
        ctx.json(answer);
    }

    static Map<String, Object> write(Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", a.fingerprint());
        m.put("rule", a.ruleId());
        m.put("labels", a.labels());
        m.put("state", a.state().name().toLowerCase(java.util.Locale.ROOT));
        m.put("since", str(a.since()));
        m.put("firingSince", str(a.firingSince()));
        if (a.rating() != null) {
            m.put("impact", a.rating().impact().wireName());
            m.put("priority", a.rating().priority().name());
            m.put("explanation", a.rating().explanation());
        }
        m.put("severity", a.severity() == null ? null : a.severity().wireName());
        m.put("summary", a.summary());
        m.put("acknowledgedBy", a.acknowledgement() == null ? null : a.acknowledgement().by());
        m.put("silencedBy", a.silencedBy());
        m.put("mutedBy", a.mutedBy());
        m.put("inhibitedBy", a.inhibitedBy());
        m.put("flapping", a.flapping());
        m.put("escalationLevel", a.escalationLevel());
        m.put("group", a.groupKey());
        return m;
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }

    /** {@code POST /api/v1/alerts/{fingerprint}/ack}: applied by the evaluating node within a second (202). */
    public void acknowledge(Context ctx) {
        String fp = ctx.pathParam("fingerprint");
        if (requests.snapshot().map(s -> s.alerts().stream().noneMatch(a -> a.fingerprint().equals(fp))).orElse(true)) {
            throw new HttpProblem(404, "no alert with fingerprint '" + Requests.shorten(fp) + "'");
        }
        JsonNode body = optionalBody(ctx);
        requests.acknowledge(new AckTarget(AckTarget.Scope.ALERT, fp), caller.apply(ctx),
                body.path("comment").asText(null), "api", calendar.clock().instant());
        ctx.status(202).json(Map.of("status", "accepted", "fingerprint", fp));
    }

    /** {@code GET /api/v1/ack?token=...}: the signed link of a notification; needs no key. */
    public void acknowledgeLink(Context ctx) {
        String token = ctx.queryParam("token");
        if (token == null || token.isBlank()) {
            throw new HttpProblem(400, "the link has no token");
        }
        Instant now = calendar.clock().instant();
        if (!(links.get().verify(token, now) instanceof AckLinks.Accepted accepted)) {
            throw new HttpProblem(403, "this acknowledgement link is invalid or expired; acknowledge in Vigil instead");
        }
        requests.acknowledge(accepted.target(), accepted.issuedTo(), null, "link", now);
        ctx.contentType("text/html; charset=utf-8").result("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                + "<title>Acknowledged</title></head><body><p>Acknowledged. Escalation stops within a second.</p>"
                + "</body></html>");
    }

    /** {@code GET /api/v1/silences}. */
    public void silences(Context ctx) {
        ctx.json(Map.of("silences", values(requests.silences())));
    }

    /**
     * {@code POST /api/v1/silences}: {@code {"matchers": ["alertname=guest-list-slow", "wedding_id=~w-06.*"],
     * "endsAt": "...", "startsAt": "..." (default now), "comment": "..."}}; the creator is the key's name.
     */
    public void createSilence(Context ctx) {
        JsonNode body = body(ctx);
        Instant now = calendar.clock().instant();
        Silence s = Requests.badRequest(() -> new Silence(body.path("id").asText(UUID.randomUUID().toString()),
                matchers(body),
                body.hasNonNull("startsAt") ? Requests.instant("startsAt", body.get("startsAt").asText()) : now,
                Requests.instant("endsAt", body.path("endsAt").asText("")), caller.apply(ctx),
                body.path("comment").asText(null)));
        requests.putSilence(s);
        ctx.status(201).json(LifecycleJson.mapper().valueToTree(s));
    }

    /** {@code DELETE /api/v1/silences/{id}}. */
    public void deleteSilence(Context ctx) {
        if (!requests.deleteSilence(ctx.pathParam("id"))) {
            throw new HttpProblem(404, "no silence with id '" + Requests.shorten(ctx.pathParam("id")) + "'");
        }
        ctx.status(204);
    }

    /** {@code GET /api/v1/maintenance-windows}. */
    public void windows(Context ctx) {
        ctx.json(Map.of("maintenanceWindows", values(requests.windows())));
    }

    /**
     * {@code POST /api/v1/maintenance-windows}: {@code {"name", "matchers": [...], "timeZone": "Europe/London",
     * "start": "2026-06-02T02:00", "end": "2026-06-02T04:00", "rrule": "FREQ=WEEKLY;BYDAY=TU", "force": false}}.
     */
    public void createWindow(Context ctx) {
        JsonNode body = body(ctx);
        MaintenanceWindow w = Requests.badRequest(() -> new MaintenanceWindow(body.path("id").asText(UUID.randomUUID().toString()),
                body.path("name").asText(""), matchers(body), zone(body.path("timeZone").asText("")),
                local(body, "start"), local(body, "end"), body.hasNonNull("rrule") ? body.get("rrule").asText() : null,
                body.path("force").asBoolean(false), caller.apply(ctx), body.path("comment").asText(null)));
        requests.putWindow(w);
        ctx.status(201).json(LifecycleJson.mapper().valueToTree(w));
    }

    /** {@code DELETE /api/v1/maintenance-windows/{id}}. */
    public void deleteWindow(Context ctx) {
        if (!requests.deleteWindow(ctx.pathParam("id"))) {
            throw new HttpProblem(404, "no maintenance window with id '" + Requests.shorten(ctx.pathParam("id")) + "'");
        }
        ctx.status(204);
    }

    /** {@code GET /api/v1/rules}: every rule in force, configured and created through the API. */
    public void rules(Context ctx) {
        List<Object> out = new ArrayList<>();
        for (Rule r : rules.get()) {
            out.add(RuleWriter.toTree(r));
        }
        ctx.json(Map.of("rules", out));
    }

    /** {@code PUT /api/v1/rules/{id}}: validates and stores a rule; evaluation picks it up within 5 s. */
    public void putRule(Context ctx) {
        String id = ctx.pathParam("id");
        Rule r = Requests.badRequest(() -> RuleParser.parseRule(ctx.body()));
        if (!r.id().equals(id)) {
            throw new HttpProblem(400, "the rule's id '" + Requests.shorten(r.id()) + "' differs from the URL's '"
                    + Requests.shorten(id) + "'");
        }
        requests.putRule(id, RuleWriter.toJson(r));
        ctx.json(RuleWriter.toTree(r));
    }

    /** {@code DELETE /api/v1/rules/{id}}: only rules created through the API can be deleted. */
    public void deleteRule(Context ctx) {
        if (!requests.deleteRule(ctx.pathParam("id"))) {
            throw new HttpProblem(404, "no rule '" + Requests.shorten(ctx.pathParam("id"))
                    + "' was created through the API (rules of the config file are changed there)");
        }
        ctx.status(204);
    }

    /** {@code GET /api/v1/slo}: the error budget of every SLO rule now. */
    public void errorBudgets(Context ctx) {
        Instant now = calendar.clock().instant();
        List<Object> out = new ArrayList<>();
        for (Rule r : rules.get()) {
            if (r instanceof SloRule slo) {
                evaluator.errorBudget(slo, now).forEach(b -> out.add(LifecycleJson.mapper().valueToTree(b)));
            }
        }
        ctx.json(Map.of("budgets", out));
    }

    /** {@code GET /api/v1/alerts/history?from=&to=&limit=}: transitions, acknowledgements, escalations, newest first. */
    public void history(Context ctx) {
        Instant now = calendar.clock().instant();
        Instant from = ctx.queryParam("from") == null ? now.minus(Duration.ofDays(1)) : Requests.instant("from", ctx.queryParam("from"));
        Instant to = ctx.queryParam("to") == null ? now.plusSeconds(1) : Requests.instant("to", ctx.queryParam("to"));
        int limit = Requests.intParam(ctx, "limit", 500, 1, 10_000);
        List<JsonNode> out = new ArrayList<>();
        for (StateStore.HistoryEntry e : state.history(AlertingService.HISTORY, from, to, limit)) {
            out.add(tree(e.json()));
        }
        ctx.json(Map.of("history", out));
    }

    private static List<LabelMatcher> matchers(JsonNode body) {
        JsonNode m = body.get("matchers");
        if (m == null || !m.isArray() || m.isEmpty()) {
            throw new IllegalArgumentException("matchers must be a non-empty array such as"
                    + " [\"alertname=guest-list-slow\", \"wedding_id=~w-06.*\"]");
        }
        List<LabelMatcher> out = new ArrayList<>();
        for (JsonNode n : m) {
            out.add(LabelMatcher.parse(n.asText()));
        }
        return out;
    }

    private static String zone(String text) {
        try {
            return ZoneId.of(text).getId();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("timeZone '" + Requests.shorten(text) + "' is not an IANA time zone id");
        }
    }

    private static LocalDateTime local(JsonNode body, String field) {
        try {
            return LocalDateTime.parse(body.path(field).asText(""));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(field + " must be a local date-time such as 2026-06-02T02:00");
        }
    }

    private static List<JsonNode> values(Map<String, String> docs) {
        return docs.values().stream().map(AlertRoutes::tree).toList();
    }

    private static JsonNode tree(String json) {
        try {
            return LifecycleJson.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode body(Context ctx) {
        try {
            JsonNode n = LifecycleJson.mapper().readTree(ctx.bodyAsBytes());
            if (n == null || !n.isObject()) {
                throw new HttpProblem(400, "the body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new HttpProblem(400, "the body is not valid JSON");
        }
    }

    private static JsonNode optionalBody(Context ctx) {
        return ctx.bodyAsBytes().length == 0 ? LifecycleJson.mapper().createObjectNode() : body(ctx);
    }
}
