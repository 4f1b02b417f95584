package io.vigil.server.calendar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.vigil.calendar.CalendarSettings;
import io.vigil.calendar.WeddingCalendar;
import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingStatus;
import io.vigil.server.http.HttpProblem;
import io.vigil.server.http.Requests;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The calendar API: weddings ({@code /api/v1/weddings}), the wedding context ({@code /api/v1/context}) and the
 * monitoring switches ({@code /api/v1/settings}); see docs/calendar.md.
 */
public final class WeddingRoutes {
    /** Longest date range one list request may cover. */
    static final int MAX_LIST_DAYS = 400;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WeddingCalendar calendar;
    private final Predicate<Context> isAdmin;
    private final WeddingHealthMonitor health;

    /**
     * @param isAdmin whether the request's key has the admin role (only admins see coordinator contacts)
     * @param health the per-wedding checks, whose last result each wedding answer carries
     */
    public WeddingRoutes(WeddingCalendar calendar, Predicate<Context> isAdmin, WeddingHealthMonitor health) {
        this.calendar = calendar;
        this.isAdmin = isAdmin;
        this.health = health;
    }

    /** {@code GET /api/v1/weddings?from=&to=&status=}: by wedding date, default from yesterday for 90 days. */
    public void list(Context ctx) {
        LocalDate today = calendar.clock().instant().atZone(calendar.settings().timeZone()).toLocalDate();
        LocalDate from = date(ctx, "from", today.minusDays(1));
        LocalDate to = date(ctx, "to", from.plusDays(90));
        if (to.isBefore(from)) {
            throw new HttpProblem(400, "to " + to + " is before from " + from);
        }
        if (from.plusDays(MAX_LIST_DAYS).isBefore(to)) {
            throw new HttpProblem(400, "from " + from + " to " + to + " spans more than " + MAX_LIST_DAYS
                    + " days; ask for a shorter range");
        }
        String statusText = ctx.queryParam("status");
        WeddingStatus status = statusText == null ? null : Requests.badRequest(() -> WeddingStatus.parse(statusText));
        boolean admin = isAdmin.test(ctx);
        Instant now = calendar.clock().instant();
        CalendarSettings s = calendar.settings();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Wedding w : calendar.store().between(from, to)) {
            if (status == null || w.status() == status) {
                out.add(WeddingJson.write(w, now, s, admin, health.health(w.id())));
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("from", from.toString());
        answer.put("to", to.toString());
        answer.put("weddings", out);
        ctx.json(answer);
    }

    /** {@code GET /api/v1/weddings/{id}}. */
    public void get(Context ctx) {
        Wedding w = find(ctx.pathParam("id"));
        ctx.json(WeddingJson.write(w, calendar.clock().instant(), calendar.settings(), isAdmin.test(ctx),
                health.health(w.id())));
    }

    /** {@code POST /api/v1/weddings}: creates; 409 when the id exists. */
    public void create(Context ctx) {
        Wedding w = Requests.badRequest(() -> WeddingJson.read(body(ctx), null));
        if (calendar.store().get(w.id()).isPresent()) {
            throw new HttpProblem(409, "wedding " + w.id() + " exists; PUT /api/v1/weddings/" + w.id()
                    + " replaces it");
        }
        calendar.store().upsert(List.of(w));
        calendar.invalidate();
        ctx.status(201).json(WeddingJson.write(w, calendar.clock().instant(), calendar.settings(), true));
    }

    /** {@code PUT /api/v1/weddings/{id}}: creates or replaces (a reschedule is a PUT with the new times). */
    public void put(Context ctx) {
        String id = ctx.pathParam("id");
        Wedding w = Requests.badRequest(() -> WeddingJson.read(body(ctx), id));
        boolean created = calendar.store().upsert(List.of(w)) == 1;
        calendar.invalidate();
        ctx.status(created ? 201 : 200).json(WeddingJson.write(w, calendar.clock().instant(), calendar.settings(),
                true));
    }

    /** {@code POST /api/v1/weddings/{id}/cancel}: keeps the wedding, with status cancelled. */
    public void cancel(Context ctx) {
        Wedding w = find(ctx.pathParam("id")).withStatus(WeddingStatus.CANCELLED);
        calendar.store().upsert(List.of(w));
        calendar.invalidate();
        ctx.json(WeddingJson.write(w, calendar.clock().instant(), calendar.settings(), true));
    }

    /** {@code POST /api/v1/weddings/{id}/events}: critical-path events of the day; a repeated event id counts once. */
    public void events(Context ctx) {
        Wedding w = find(ctx.pathParam("id"));
        List<io.vigil.core.wedding.WeddingEvent> events = Requests.badRequest(() -> WeddingEventJson.read(body(ctx), w.id()));
        int added = calendar.store().appendEvents(events);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accepted", added);
        answer.put("duplicates", events.size() - added);
        ctx.json(answer);
    }

    /**
     * {@code GET /api/v1/weddings/{id}/report}: the critical path of the wedding day from its events, as JSON, or as
     * a printable HTML page with {@code ?format=html} or {@code Accept: text/html}.
     */
    public void report(Context ctx) {
        Wedding w = find(ctx.pathParam("id"));
        io.vigil.calendar.report.CriticalPathReport report = io.vigil.calendar.report.CriticalPathReport.of(w,
                calendar.store().events(w.id()), calendar.clock().instant());
        String format = ctx.queryParam("format");
        String accept = ctx.header("Accept");
        boolean html = "html".equalsIgnoreCase(format)
                || (format == null && accept != null && accept.contains("text/html"));
        if (format != null && !html && !"json".equalsIgnoreCase(format)) {
            throw new HttpProblem(400, "format '" + io.vigil.server.http.Requests.shorten(format) + "' is not html or json");
        }
        if (html) {
            ctx.contentType("text/html; charset=utf-8").result(io.vigil.calendar.report.CriticalPathHtml.render(report));
        } else {
            ctx.json(io.vigil.calendar.report.CriticalPathJson.write(report));
        }
    }

    /** {@code GET /api/v1/context?at=}: the wedding context of an instant (default now). */
    public void context(Context ctx) {
        String at = ctx.queryParam("at");
        Instant instant = at == null ? calendar.clock().instant() : Requests.instant("at", at);
        ctx.json(WeddingJson.write(calendar.contextAt(instant)));
    }

    /** {@code GET /api/v1/settings}: the monitoring switches. */
    public void settings(Context ctx) {
        ctx.json(switches(calendar.settings()));
    }

    /** {@code PUT /api/v1/settings}: changes any of the three switches. */
    public void putSettings(Context ctx) {
        JsonNode body = body(ctx);
        if (!body.isObject()) {
            throw new HttpProblem(400, "the body must be a JSON object of monitoring switches");
        }
        CalendarSettings s = calendar.settings();
        boolean monitoring = s.monitoringEnabled();
        boolean enhanced = s.weddingDayEnhancedMonitoring();
        boolean predictive = s.predictiveScalingEnabled();
        for (var it = body.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isBoolean()) {
                throw new HttpProblem(400, "'" + io.vigil.server.http.Requests.shorten(e.getKey()) + "' must be true or false");
            }
            boolean v = e.getValue().booleanValue();
            switch (e.getKey()) {
                case "monitoring_enabled" -> monitoring = v;
                case "wedding_day_enhanced_monitoring" -> enhanced = v;
                case "predictive_scaling_enabled" -> predictive = v;
                default -> throw new HttpProblem(400, "unknown switch '" + io.vigil.server.http.Requests.shorten(e.getKey())
                        + "': the switches are monitoring_enabled, wedding_day_enhanced_monitoring,"
                        + " predictive_scaling_enabled");
            }
        }
        calendar.settings(s.withSwitches(monitoring, enhanced, predictive));
        ctx.json(switches(calendar.settings()));
    }

    private static Map<String, Object> switches(CalendarSettings s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("monitoring_enabled", s.monitoringEnabled());
        out.put("wedding_day_enhanced_monitoring", s.weddingDayEnhancedMonitoring());
        out.put("predictive_scaling_enabled", s.predictiveScalingEnabled());
        return out;
    }

    private Wedding find(String id) {
        return calendar.store().get(id).orElseThrow(() -> new HttpProblem(404, "no wedding with id '"
                + io.vigil.server.http.Requests.shorten(id) + "'"));
    }

    static JsonNode body(Context ctx) {
        try {
            JsonNode n = JSON.readTree(ctx.bodyAsBytes());
            if (n == null || n.isMissingNode()) {
                throw new HttpProblem(400, "the body is empty; send a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new HttpProblem(400, "the body is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return io.vigil.server.http.Requests.shorten(nl < 0 ? s : s.substring(0, nl));
    }

    private static LocalDate date(Context ctx, String name, LocalDate dflt) {
        String t = ctx.queryParam(name);
        if (t == null) {
            return dflt;
        }
        try {
            return LocalDate.parse(t);
        } catch (DateTimeException e) {
            throw new HttpProblem(400, name + " '" + io.vigil.server.http.Requests.shorten(t) + "' is not a date like 2026-06-13");
        }
    }

}
