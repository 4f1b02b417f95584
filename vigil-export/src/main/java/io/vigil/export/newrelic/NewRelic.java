package io.vigil.export.newrelic;

import io.vigil.export.config.ExportConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the New Relic exporter from its config block (docs/export/newrelic.md). */
public final class NewRelic {
    /** How long one request may take, connecting and answering included. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private NewRelic() {}

    /**
     * The Metric API sink of a config block: the endpoint of {@code region} ({@code us}, the default, or {@code eu})
     * unless {@code url} names a base URL ({@code /metric/v1} is appended unless it is there already), and the API key
     * given directly or by the environment variable {@code apiKeyEnv} names (looked up in {@code env}).
     *
     * @throws IllegalArgumentException naming every problem of the block (missing key, unknown region, bad URL); the
     *     key's value never appears in it
     */
    public static NewRelicMetricsSink sink(ExportConfig.NewRelic config, Map<String, String> env) {
        return sink(config, env, TIMEOUT, Clock.systemUTC());
    }

    static NewRelicMetricsSink sink(ExportConfig.NewRelic config, Map<String, String> env, Duration timeout,
                                    Clock clock) {
        if (config == null) {
            throw new IllegalArgumentException("export.newrelic is not configured");
        }
        List<String> problems = new ArrayList<>();
        String key = ExportConfig.secret(config.apiKey(), config.apiKeyEnv(), env);
        if (key == null || key.isBlank()) {
            problems.add(config.apiKey() == null && config.apiKeyEnv() != null
                    ? "export.newrelic.apiKeyEnv names " + config.apiKeyEnv() + ", which is not set"
                    : "export.newrelic needs apiKeyEnv (the environment variable holding the apiKey) or apiKey");
        } else if (!key.strip().chars().allMatch(c -> c > ' ' && c < 127)) {
            problems.add("export.newrelic.apiKey must be printable ASCII without spaces (its value is not shown)");
        }
        String region = config.region() == null ? "us" : config.region();
        if (!region.equals("us") && !region.equals("eu")) {
            problems.add("export.newrelic.region was '" + config.region() + "' but it must be us or eu");
        }
        URI endpoint = region.equals("eu") ? NewRelicMetricsSink.EU : NewRelicMetricsSink.US;
        if (config.url() != null) {
            endpoint = endpoint(config.url(), problems);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new NewRelicMetricsSink(endpoint, key.strip(), timeout, clock);
    }

    private static URI endpoint(String url, List<String> problems) {
        try {
            URI u = URI.create(url.strip());
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                problems.add("export.newrelic.url was '" + url + "' but it must be an http(s) URL with a host");
                return null;
            }
            String base = u.toString();
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            return URI.create(base.endsWith("/metric/v1") ? base : base + "/metric/v1");
        } catch (IllegalArgumentException e) {
            problems.add("export.newrelic.url was '" + url + "' but it is not a URL");
            return null;
        }
    }
}
