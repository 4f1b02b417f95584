package io.vigil.server.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.vigil.engine.StorageEngine;
import io.vigil.engine.query.QueryEngine;
import io.vigil.ingest.json.JsonBatchDecoder;
import io.vigil.ingest.otlp.OtlpMetricsDecoder;
import io.vigil.ingest.remotewrite.RemoteWriteDecoder;
import io.vigil.server.auth.ApiKeys;
import io.vigil.server.auth.Role;
import io.vigil.store.CheckResult;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: every endpoint on one port, Jetty on virtual threads, {@code Authorization: Bearer <key>} checked
 * on everything but {@code /healthz} and {@code /readyz}. Errors are JSON {@code {"error": "..."}}.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private final Javalin app;

    /** The parts the API serves. */
    public record Parts(StorageEngine engine, QueryEngine queries, RemoteWriteDecoder remoteWrite,
                        OtlpMetricsDecoder otlp, JsonBatchDecoder json, ApiKeys keys, long maxBodyBytes,
                        int maxConcurrentIngest, NodeInfo node, io.vigil.calendar.WeddingCalendar calendar,
                        java.util.function.Supplier<java.util.List<io.vigil.server.calendar.FeedPoller.FeedStatus>> feeds,
                        io.vigil.server.calendar.WeddingHealthMonitor weddingHealth,
                        io.vigil.server.alerting.AlertRoutes alerts,
                        io.vigil.server.notify.NotificationRoutes notifications,
                        java.util.function.Consumer<io.vigil.core.WriteBatch> ingested,
                        io.vigil.server.stream.StreamRoutes streams,
                        io.vigil.server.export.Exports exports) {}

    /** This node's identity, and whether it evaluates alerts now (holds the {@code alerting} lease). */
    public record NodeInfo(String nodeId, String storageBackend, java.util.function.BooleanSupplier evaluatingAlerts) {}

    public HttpApi(Parts parts) {
        IngestRoutes ingest = new IngestRoutes(parts.engine(), parts.remoteWrite(), parts.otlp(), parts.json(),
                parts.maxBodyBytes(), parts.maxConcurrentIngest(),
                new io.vigil.calendar.WeddingLabelPolicy(parts.calendar())::apply, parts.ingested());
        QueryRoutes query = new QueryRoutes(parts.queries(), parts.engine().registry(), parts.engine().clock(),
                at -> io.vigil.server.calendar.WeddingJson.write(parts.calendar().contextAt(at)));
        io.vigil.server.calendar.WeddingRoutes weddings = new io.vigil.server.calendar.WeddingRoutes(parts.calendar(),
                HttpApi::isAdmin, parts.weddingHealth());
        ApiKeys keys = parts.keys();
        this.app = Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = parts.maxBodyBytes();
            io.vigil.server.stream.StreamRoutes streams = parts.streams();
            io.vigil.server.dashboard.Dashboard.install(cfg);
            cfg.routes.before(ctx -> authorize(ctx, keys, streams));
            cfg.routes.wsBeforeUpgrade(io.vigil.server.stream.StreamRoutes.WS_PATH, ctx -> authorize(ctx, keys, streams));
            cfg.routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
            cfg.routes.get("/readyz", ctx -> {
                CheckResult check = parts.engine().check();
                ctx.status(check.ok() ? 200 : 503).json(check.ok() ? Map.of("status", "ready")
                        : Map.of("status", "not ready", "detail", check.detail()));
            });
            cfg.routes.post("/api/v1/write", ingest::remoteWrite);
            cfg.routes.post("/v1/metrics", ingest::otlp);
            cfg.routes.post("/api/v1/metrics", ingest::json);
            cfg.routes.get("/api/v1/query", query::query);
            cfg.routes.get("/api/v1/series", query::series);
            cfg.routes.get("/api/v1/status", ctx -> status(ctx, parts));
            cfg.routes.get("/api/v1/whoami", ctx -> io.vigil.server.dashboard.Dashboard.whoami(ctx, keyName(ctx),
                    ctx.attribute(ROLES)));
            cfg.routes.get("/api/v1/weddings", weddings::list);
            cfg.routes.post("/api/v1/weddings", weddings::create);
            cfg.routes.post("/api/v1/weddings/import", new io.vigil.server.calendar.WeddingImport(parts.calendar())::handle);
            cfg.routes.get("/api/v1/weddings/{id}", weddings::get);
            cfg.routes.put("/api/v1/weddings/{id}", weddings::put);
            cfg.routes.post("/api/v1/weddings/{id}/cancel", weddings::cancel);
            cfg.routes.post("/api/v1/weddings/{id}/events", weddings::events);
            cfg.routes.get("/api/v1/weddings/{id}/report", weddings::report);
            cfg.routes.get("/api/v1/context", weddings::context);
            io.vigil.server.alerting.AlertRoutes alerts = parts.alerts();
            cfg.routes.get("/api/v1/alerts", alerts::alerts);
            cfg.routes.get("/api/v1/alerts/history", alerts::history);
            cfg.routes.post("/api/v1/alerts/{fingerprint}/ack", alerts::acknowledge);
            cfg.routes.get("/api/v1/ack", alerts::acknowledgeLink);
            cfg.routes.get("/api/v1/silences", alerts::silences);
            cfg.routes.post("/api/v1/silences", alerts::createSilence);
            cfg.routes.delete("/api/v1/silences/{id}", alerts::deleteSilence);
            cfg.routes.get("/api/v1/maintenance-windows", alerts::windows);
            cfg.routes.post("/api/v1/maintenance-windows", alerts::createWindow);
            cfg.routes.delete("/api/v1/maintenance-windows/{id}", alerts::deleteWindow);
            cfg.routes.get("/api/v1/rules", alerts::rules);
            cfg.routes.put("/api/v1/rules/{id}", alerts::putRule);
            cfg.routes.delete("/api/v1/rules/{id}", alerts::deleteRule);
            cfg.routes.get("/api/v1/slo", alerts::errorBudgets);
            io.vigil.server.notify.NotificationRoutes notifications = parts.notifications();
            cfg.routes.get("/api/v1/incidents", notifications::incidents);
            cfg.routes.get("/api/v1/incidents/{id}", notifications::incident);
            cfg.routes.get("/api/v1/notifications", notifications::status);
            cfg.routes.get("/api/v1/integrations", ctx -> ctx.json(
                    io.vigil.server.calendar.IntegrationsJson.write(parts.feeds().get())));
            cfg.routes.get("/api/v1/settings", weddings::settings);
            cfg.routes.get("/api/v1/exporters", parts.exports()::health);
            cfg.routes.get("/metrics", parts.exports()::metrics);
            cfg.routes.post(io.vigil.server.stream.StreamRoutes.TOKEN_PATH, streams::token);
            cfg.routes.get(io.vigil.server.stream.StreamRoutes.SSE_PATH, streams::sse);
            cfg.routes.ws(io.vigil.server.stream.StreamRoutes.WS_PATH, streams::websocket);
            cfg.routes.put("/api/v1/settings", weddings::putSettings);
            cfg.routes.exception(HttpProblem.class, (e, ctx) -> problem(ctx, e));
            cfg.routes.exception(io.vigil.store.StorageException.class, (e, ctx) -> {
                LOG.warn("{} {} failed: the store is unavailable: {}", ctx.method(), ctx.path(), e.getMessage());
                problem(ctx, new HttpProblem(503, "storage is unavailable; retry later", 5));
            });
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
                ctx.status(500).json(Map.of("error", "internal error; the server log has details"));
            });
        });
    }

    private static void status(Context ctx, Parts parts) {
        StorageEngine engine = parts.engine();
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("node", parts.node().nodeId());
        out.put("storage", parts.node().storageBackend());
        out.put("series", engine.registry().size());
        out.put("leases", Map.of("maintenance", engine.holdsMaintenanceLease(),
                "alerting", parts.node().evaluatingAlerts().getAsBoolean()));
        String failure = engine.storeFailure();
        out.put("writable", failure == null);
        out.put("flushIntervalSeconds", engine.config().flushInterval().toSeconds());
        ctx.json(out);
    }

    /** Starts listening; returns the bound port (useful with port 0). */
    public int start(String host, int port) {
        app.start(host, port);
        return app.port();
    }

    public int port() {
        return app.port();
    }

    private static void problem(Context ctx, HttpProblem e) {
        if (e.retryAfterSeconds() != null) {
            ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
        }
        ctx.status(e.status()).json(Map.of("error", e.getMessage()));
    }

    private static Role requiredRole(Context ctx) {
        String path = ctx.path();
        if (path.equals("/api/v1/write") || path.equals("/v1/metrics") || path.equals("/api/v1/metrics")) {
            return Role.INGEST;
        }
        boolean reads = ctx.method() == io.javalin.http.HandlerType.GET || ctx.method() == io.javalin.http.HandlerType.HEAD;
        if (path.startsWith("/api/v1/weddings/") && path.endsWith("/events") && !reads) {
            return Role.INGEST; // the platform reports critical-path events as it reports metrics
        }
        if ((path.startsWith("/api/v1/weddings") || path.equals("/api/v1/settings") || path.startsWith("/api/v1/alerts")
                || path.startsWith("/api/v1/silences") || path.startsWith("/api/v1/maintenance-windows")
                || path.startsWith("/api/v1/rules")) && !reads) {
            return Role.ADMIN;
        }
        return Role.READ;
    }

    private static final String ROLES = "vigil.roles";
    private static final String KEY_NAME = "vigil.keyName";

    /** The configured name of the request's key (for who acknowledged or silenced), never the key itself. */
    public static String keyName(Context ctx) {
        String name = ctx.attribute(KEY_NAME);
        return name == null ? "unknown" : name;
    }

    /** Whether the request's key has the admin role (set by the authorization step). */
    static boolean isAdmin(Context ctx) {
        Set<Role> roles = ctx.attribute(ROLES);
        return roles != null && roles.contains(Role.ADMIN);
    }

    private static void authorize(Context ctx, ApiKeys keys, io.vigil.server.stream.StreamRoutes streams) {
        String path = ctx.path();
        if (path.equals("/healthz") || path.equals("/readyz") || path.equals("/api/v1/ack")
                || io.vigil.server.dashboard.Dashboard.isPagePath(path)) {
            return; // the acknowledgement link carries its own signature; the dashboard page asks for a key itself
        }
        String header = ctx.header("Authorization");
        String token = ctx.queryParam("token");
        if (header == null && token != null && io.vigil.server.stream.StreamRoutes.acceptsToken(path)) {
            // Browsers' EventSource and WebSocket cannot send headers: the two stream endpoints take a short-lived
            // stream token (POST /api/v1/stream/token) in the query string. It grants the read role only.
            String name = streams.verifyToken(token);
            if (name == null) {
                ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                throw new HttpProblem(401, "stream token invalid or expired; get a new one from POST "
                        + io.vigil.server.stream.StreamRoutes.TOKEN_PATH);
            }
            ctx.attribute(ROLES, java.util.EnumSet.of(Role.READ));
            ctx.attribute(KEY_NAME, name);
            return;
        }
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new HttpProblem(401, "missing API key: send the header 'Authorization: Bearer <key>'");
        }
        Set<Role> roles = keys.rolesOf(header.substring(7).trim());
        if (roles.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            throw new HttpProblem(401, "API key not recognised");
        }
        ctx.attribute(ROLES, roles);
        ctx.attribute(KEY_NAME, keys.nameOf(header.substring(7).trim()));
        Role required = requiredRole(ctx);
        if (!ApiKeys.permits(roles, required)) {
            throw new HttpProblem(403, "this API key lacks the '" + required.name().toLowerCase()
                    + "' role needed for " + path);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
