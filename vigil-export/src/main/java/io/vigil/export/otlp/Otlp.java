package io.vigil.export.otlp;

import io.vigil.export.config.ExportConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Builds the OTLP/HTTP metrics exporter from its config block (docs/export/otlp.md). */
public final class Otlp {
    /** The collector's base URL when none is configured. */
    public static final String DEFAULT_URL = "http://localhost:4318";
    /** The {@code service.name} resource attribute when none is configured. */
    public static final String DEFAULT_SERVICE_NAME = "vigil";
    /** How long one request may take, connecting and answering included. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Headers the exporter sets itself or the HTTP client owns: configuring them is an error. */
    private static final Set<String> RESERVED = Set.of("content-type", "content-length", "content-encoding", "host",
            "connection", "expect", "upgrade", "transfer-encoding", "te", "trailer", "keep-alive");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private Otlp() {}

    /**
     * The OTLP/HTTP sink of a config block: {@code <url>/v1/metrics} (url default {@value #DEFAULT_URL};
     * {@code /v1/metrics} is not appended twice), {@code service.name} = {@code serviceName} (default
     * {@value #DEFAULT_SERVICE_NAME}), and the extra headers of {@code headers} plus those of {@code headersEnv}, whose
     * values are read from the environment variables it names (looked up in {@code env}).
     *
     * @throws IllegalArgumentException naming every problem of the block (bad URL, a header that is not a token or
     *     is set by the exporter, a value with control characters, an environment variable that is not set); header
     *     values never appear in it
     */
    public static OtlpMetricsSink sink(ExportConfig.Otlp config, Map<String, String> env) {
        return sink(config, env, TIMEOUT, Clock.systemUTC());
    }

    static OtlpMetricsSink sink(ExportConfig.Otlp config, Map<String, String> env, Duration timeout, Clock clock) {
        if (config == null) {
            throw new IllegalArgumentException("export.otlp is not configured");
        }
        List<String> problems = new ArrayList<>();
        URI endpoint = endpoint(config.url() == null ? DEFAULT_URL : config.url(), problems);
        String service = config.serviceName() == null ? DEFAULT_SERVICE_NAME : config.serviceName().strip();
        if (service.isEmpty()) {
            problems.add("export.otlp.serviceName must not be blank");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (config.headers() != null) {
            config.headers().forEach((name, value) -> header("export.otlp.headers." + name, name, value, headers,
                    problems));
        }
        if (config.headersEnv() != null) {
            config.headersEnv().forEach((name, variable) -> {
                String value = variable == null ? null : env.get(variable);
                if (value == null) {
                    problems.add("export.otlp.headersEnv." + name + " names " + variable + ", which is not set");
                } else {
                    header("export.otlp.headersEnv." + name, name, value, headers, problems);
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new OtlpMetricsSink(endpoint, service, headers, timeout, clock);
    }

    private static void header(String path, String name, String value, Map<String, String> headers,
                               List<String> problems) {
        if (name == null || !TOKEN.matcher(name).matches()) {
            problems.add(path + " is not a valid header name");
        } else if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            problems.add(path + " is set by the exporter or the HTTP client and cannot be configured");
        } else if (value == null || value.chars().anyMatch(c -> c < ' ' && c != '\t' || c == 127)) {
            problems.add(path + " has a value with control characters or none (the value is not shown)");
        } else if (headers.keySet().stream().anyMatch(n -> n.equalsIgnoreCase(name))) {
            problems.add(path + " is configured twice (in headers and headersEnv)");
        } else {
            headers.put(name, value);
        }
    }

    private static URI endpoint(String url, List<String> problems) {
        try {
            URI u = URI.create(url.strip());
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                problems.add("export.otlp.url was '" + url + "' but it must be an http(s) URL with a host");
                return null;
            }
            String base = u.toString();
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            return URI.create(base.endsWith("/v1/metrics") ? base : base + "/v1/metrics");
        } catch (IllegalArgumentException e) {
            problems.add("export.otlp.url was '" + url + "' but it is not a URL");
            return null;
        }
    }
}
