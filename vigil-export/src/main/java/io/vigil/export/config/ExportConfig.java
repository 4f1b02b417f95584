package io.vigil.export.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code export} section of the config (docs/export.md): one block per exporter, each enabled by its
 * {@code enabled} key, credentials given directly or (better) by the name of an environment variable, plus the common
 * settings. Absent fields take the defaults. Credentials are never logged or shown by any API.
 *
 * @param bufferPoints items each exporter buffers before it drops the oldest (default 100,000)
 * @param maxSeriesPerMetric label sets exported per metric before the rest are combined (default 1,000)
 * @param dropLabels label names never exported (default {@code wedding_id}, {@code load_test_run})
 * @param giveUpAfter how long a payload is retried before it is dropped (default {@code 10m})
 */
public record ExportConfig(Integer bufferPoints, Integer maxSeriesPerMetric, List<String> dropLabels,
                           String giveUpAfter, Datadog datadog, NewRelic newrelic, Otlp otlp, Grafana grafana,
                           Prometheus prometheus) {

    /** Nothing configured: no exporter runs; {@code /metrics} is served. */
    public static final ExportConfig NONE = new ExportConfig(null, null, null, null, null, null, null, null, null);

    /**
     * Datadog (metrics API v2, distribution points, events).
     *
     * @param site the Datadog site, e.g. {@code datadoghq.eu} (default {@code datadoghq.com}); the API host is
     *     {@code api.<site>}
     * @param url overrides the site with a base URL (a proxy, or a stand-in in tests)
     * @param distributions export latency families as distribution points (default true)
     * @param events export wedding days and P0/P1 incidents as events (default true)
     * @param tags extra {@code name:value} tags on everything, such as {@code env:prod}
     */
    public record Datadog(Boolean enabled, String site, String url, String apiKey, String apiKeyEnv,
                          Boolean distributions, Boolean events, List<String> tags) {}

    /**
     * New Relic Metric API.
     *
     * @param region {@code us} (default) or {@code eu}
     * @param url overrides the region's endpoint with a base URL
     */
    public record NewRelic(Boolean enabled, String region, String url, String apiKey, String apiKeyEnv) {}

    /**
     * OTLP/HTTP metrics export (protobuf).
     *
     * @param url the collector's base URL (default {@code http://localhost:4318}); {@code /v1/metrics} is appended
     * @param headers extra request headers, such as an auth header for a SaaS collector
     * @param headersEnv extra request headers whose values come from these environment variables
     * @param serviceName the {@code service.name} resource attribute (default {@code vigil})
     */
    public record Otlp(Boolean enabled, String url, Map<String, String> headers, Map<String, String> headersEnv,
                       String serviceName) {}

    /**
     * Grafana annotations (wedding days, P0/P1 incidents, load tests).
     *
     * @param url Grafana's base URL
     * @param token a service-account token, or {@code tokenEnv} naming its environment variable
     * @param dashboardUid annotate this dashboard only (default: organisation-wide annotations)
     */
    public record Grafana(Boolean enabled, String url, String token, String tokenEnv, String dashboardUid) {}

    /** The Prometheus exposition at {@code GET /metrics} (default enabled). */
    public record Prometheus(Boolean enabled) {}

    /** Items buffered per exporter. */
    public int bufferPointsOrDefault() {
        return bufferPoints == null ? 100_000 : bufferPoints;
    }

    /** Label sets per metric. */
    public int maxSeriesPerMetricOrDefault() {
        return maxSeriesPerMetric == null ? 1_000 : maxSeriesPerMetric;
    }

    /** Labels never exported. */
    public Set<String> dropLabelsOrDefault() {
        return dropLabels == null ? io.vigil.export.ExportLabelPolicy.DEFAULT_DROPPED : Set.copyOf(dropLabels);
    }

    /** Retry give-up time. */
    public Duration giveUpAfterOrDefault() {
        return giveUpAfter == null ? Duration.ofMinutes(10) : Durations.parse("export.giveUpAfter", giveUpAfter);
    }

    /** Whether {@code GET /metrics} is served (unless {@code prometheus.enabled} is false). */
    public boolean prometheusEnabled() {
        return prometheus == null || prometheus.enabled() == null || prometheus.enabled();
    }

    /** Whether a block is present and enabled. */
    public static boolean on(Boolean enabled) {
        return Boolean.TRUE.equals(enabled);
    }

    /**
     * Every problem of the section at once, each naming its path and what to fix; empty when it is valid. Secrets
     * are looked up in {@code env} (their values never appear in a problem).
     */
    public List<String> problems(Map<String, String> env) {
        List<String> out = new ArrayList<>();
        if (bufferPoints != null && (bufferPoints < 1_000 || bufferPoints > 10_000_000)) {
            out.add("export.bufferPoints was " + bufferPoints + " but it must be within 1000..10000000");
        }
        if (maxSeriesPerMetric != null && (maxSeriesPerMetric < 1 || maxSeriesPerMetric > 100_000)) {
            out.add("export.maxSeriesPerMetric was " + maxSeriesPerMetric + " but it must be within 1..100000");
        }
        if (giveUpAfter != null) {
            try {
                giveUpAfterOrDefault();
            } catch (IllegalArgumentException e) {
                out.add(e.getMessage());
            }
        }
        if (datadog != null && on(datadog.enabled())) {
            secret("export.datadog", datadog.apiKey(), datadog.apiKeyEnv(), env, out);
            url("export.datadog.url", datadog.url(), out);
            if (datadog.site() != null && !datadog.site().matches("[a-z0-9.-]+\\.(com|eu)")) {
                out.add("export.datadog.site was '" + datadog.site() + "' but it must be a Datadog site such as "
                        + "datadoghq.com or datadoghq.eu");
            }
        }
        if (newrelic != null && on(newrelic.enabled())) {
            secret("export.newrelic", newrelic.apiKey(), newrelic.apiKeyEnv(), env, out);
            url("export.newrelic.url", newrelic.url(), out);
            if (newrelic.region() != null && !Set.of("us", "eu").contains(newrelic.region())) {
                out.add("export.newrelic.region was '" + newrelic.region() + "' but it must be us or eu");
            }
        }
        if (otlp != null && on(otlp.enabled())) {
            url("export.otlp.url", otlp.url(), out);
            if (otlp.headersEnv() != null) {
                otlp.headersEnv().forEach((header, variable) -> {
                    if (env.get(variable) == null) {
                        out.add("export.otlp.headersEnv." + header + " names " + variable + ", which is not set");
                    }
                });
            }
        }
        if (grafana != null && on(grafana.enabled())) {
            if (grafana.url() == null) {
                out.add("export.grafana.url is required: Grafana's base URL, such as http://grafana:3000");
            }
            url("export.grafana.url", grafana.url(), out);
            secret("export.grafana", grafana.token(), grafana.tokenEnv(), env, out);
        }
        return out;
    }

    /** The secret given directly or by environment variable; null when neither is set. */
    public static String secret(String direct, String envName, Map<String, String> env) {
        if (direct != null && !direct.isBlank()) {
            return direct;
        }
        return envName == null ? null : env.get(envName);
    }

    private static void secret(String path, String direct, String envName, Map<String, String> env, List<String> out) {
        String key = path.endsWith("grafana") ? "token" : "apiKey";
        if (direct == null && envName == null) {
            out.add(path + " needs " + key + "Env (the environment variable holding the " + key + ") or " + key);
        } else if (direct == null && env.get(envName) == null) {
            out.add(path + "." + key + "Env names " + envName + ", which is not set");
        }
    }

    private static void url(String path, String url, List<String> out) {
        if (url == null) {
            return;
        }
        try {
            URI u = URI.create(url);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                out.add(path + " was '" + url + "' but it must be an http(s) URL with a host");
            }
        } catch (IllegalArgumentException e) {
            out.add(path + " was '" + url + "' but it is not a URL");
        }
    }
}
