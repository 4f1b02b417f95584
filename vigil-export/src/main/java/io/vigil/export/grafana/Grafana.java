package io.vigil.export.grafana;

import io.vigil.core.outbound.HttpDelivery;
import io.vigil.export.config.ExportConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Builds the Grafana annotations exporter from the {@code export.grafana} config block (docs/export/grafana.md). */
public final class Grafana {
    /** How long a request may take (connecting and the whole answer) before it is retried. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Grafana() {}

    /**
     * The sink for an enabled {@code export.grafana} block: {@code url} + {@code /api/annotations}, the token given
     * directly or by {@code tokenEnv}, the optional {@code dashboardUid}; requests time out after {@link #TIMEOUT}.
     * Wrap it in an {@link io.vigil.export.pipeline.ExportWorker} of events.
     *
     * @param env the environment variables ({@code System.getenv()}), where {@code tokenEnv} is looked up
     * @throws IllegalArgumentException if the block is absent or disabled, or invalid: every problem is named at once
     *     (never the token's value)
     */
    public static GrafanaAnnotationsSink sink(ExportConfig.Grafana config, Map<String, String> env) {
        return sink(config, env, TIMEOUT);
    }

    /** Like {@link #sink(ExportConfig.Grafana, Map)} with another timeout (tests). */
    static GrafanaAnnotationsSink sink(ExportConfig.Grafana config, Map<String, String> env, Duration timeout) {
        if (config == null || !ExportConfig.on(config.enabled())) {
            throw new IllegalArgumentException("export.grafana is not enabled");
        }
        List<String> problems = new ExportConfig(null, null, null, null, null, null, null, config, null)
                .problems(env);
        String token = ExportConfig.secret(config.token(), config.tokenEnv(), env);
        if (problems.isEmpty() && (token == null || !token.matches("[\\x21-\\x7e]+"))) {
            problems = List.of("export.grafana token must be a service-account token: printable characters without "
                    + "spaces");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        String base = config.url().strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String uid = config.dashboardUid() == null || config.dashboardUid().isBlank() ? null
                : config.dashboardUid().strip();
        return new GrafanaAnnotationsSink(URI.create(base + "/api/annotations"), token, uid, new HttpDelivery(timeout));
    }
}
