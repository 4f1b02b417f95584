package io.vigil.server.dashboard;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The web dashboard (docs/dashboard.md): static files served at {@code /} from the class path, uPlot from its WebJar,
 * and {@code GET /api/v1/whoami} so the page knows whether to offer admin actions. The page itself needs no key;
 * every API call it makes does.
 */
public final class Dashboard {
    /** The class-path directory of the page's files. */
    static final String CLASSPATH_DIR = "/dashboard";

    /**
     * Scripts, styles and connections only from this origin, no framing: a key typed into the page can only go back
     * to the server it came from.
     */
    static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                    + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-cache");

    private Dashboard() {}

    /** Adds the page and its assets to a Javalin configuration. */
    public static void install(JavalinConfig cfg) {
        cfg.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = CLASSPATH_DIR;
            files.location = Location.CLASSPATH;
            files.headers = HEADERS;
        });
        cfg.staticFiles.enableWebjars();
    }

    /** Whether a path is part of the page rather than the API (served without a key). */
    public static boolean isPagePath(String path) {
        return !path.startsWith("/api/") && !path.startsWith("/v1/") && !path.equals("/metrics");
    }

    /** {@code GET /api/v1/whoami}: the calling key's configured name and roles, never the key. */
    public static void whoami(Context ctx, String keyName, Set<? extends Enum<?>> roles) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", keyName);
        out.put("roles", roles.stream().map(Enum::name).sorted().toList());
        ctx.header("Cache-Control", "no-store").json(out);
    }
}
