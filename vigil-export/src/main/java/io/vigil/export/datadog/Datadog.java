package io.vigil.export.datadog;

import io.vigil.export.config.ExportConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the Datadog exporters from the {@code export.datadog} config block (docs/export/datadog.md): the metrics sink
 * always, the events sink when {@code events} is on (the default). The caller decides whether the block is enabled
 * and puts each sink in an {@link io.vigil.export.pipeline.ExportWorker} of its own.
 */
public final class Datadog {
    /** The site when none is configured (US1). */
    public static final String DEFAULT_SITE = "datadoghq.com";
    /** Connect and answer timeout of every request. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Datadog() {}

    /**
     * The Datadog sinks.
     *
     * @param metrics points to {@code /api/v2/series} and {@code /api/v1/distribution_points}
     * @param events events to {@code /api/v1/events}, empty when {@code events} is off
     */
    public record Sinks(DatadogMetricsSink metrics, Optional<DatadogEventsSink> events) {}

    /**
     * The sinks of a config block.
     *
     * @param env the environment, where {@code apiKeyEnv} is looked up
     * @throws IllegalArgumentException when there is no API key or the URL is not an http(s) URL; the message names
     *     the setting and never holds the key
     */
    public static Sinks sinks(ExportConfig.Datadog config, Map<String, String> env) {
        String secret = ExportConfig.secret(config.apiKey(), config.apiKeyEnv(), env);
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException(config.apiKeyEnv() == null
                    ? "export.datadog needs apiKeyEnv (the environment variable holding the API key) or apiKey"
                    : "export.datadog.apiKeyEnv names " + config.apiKeyEnv() + ", which is not set");
        }
        DatadogApiKey key = new DatadogApiKey(secret);
        URI base = base(config);
        List<String> tags = config.tags() == null ? List.of() : config.tags();
        DatadogMetricsSink metrics = new DatadogMetricsSink(base, key, !Boolean.FALSE.equals(config.distributions()),
                tags, TIMEOUT);
        Optional<DatadogEventsSink> events = Boolean.FALSE.equals(config.events()) ? Optional.empty()
                : Optional.of(new DatadogEventsSink(base, key, tags, TIMEOUT, Clock.systemUTC()));
        return new Sinks(metrics, events);
    }

    /** The API's base URL: {@code url} when set, else {@code https://api.<site>}. */
    static URI base(ExportConfig.Datadog config) {
        if (config.url() != null && !config.url().isBlank()) {
            URI u;
            try {
                u = URI.create(config.url().strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("export.datadog.url was '" + config.url() + "' but it is not a URL");
            }
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("export.datadog.url was '" + config.url()
                        + "' but it must be an http(s) URL with a host");
            }
            return u;
        }
        String site = config.site() == null || config.site().isBlank() ? DEFAULT_SITE : config.site().strip();
        return URI.create("https://api." + site);
    }
}
