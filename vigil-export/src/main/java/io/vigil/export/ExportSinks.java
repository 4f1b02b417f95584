package io.vigil.export;

import io.vigil.export.config.ExportConfig;
import io.vigil.export.datadog.Datadog;
import io.vigil.export.grafana.Grafana;
import io.vigil.export.newrelic.NewRelic;
import io.vigil.export.otlp.Otlp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The exporters the config enables, built with their credentials from the config or the environment. */
public final class ExportSinks {
    private ExportSinks() {}

    /** The metric and event exporters of a config, built once and checked together. */
    public record Built(List<ExportSink<ExportPoint>> metrics, List<ExportSink<ExportEvent>> events) {
        public Built {
            metrics = List.copyOf(metrics);
            events = List.copyOf(events);
        }
    }

    /**
     * Checks the export section and builds its exporters.
     *
     * @throws IllegalArgumentException naming every problem (a missing credential, a bad URL or header), never a
     *     secret
     */
    public static Built build(ExportConfig config, Map<String, String> env) {
        List<String> problems = new ArrayList<>(config.problems(env));
        if (problems.isEmpty()) {
            try {
                return new Built(metrics(config, env), events(config, env));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        throw new IllegalArgumentException("export config: " + String.join("; ", problems));
    }

    /** The metric exporters enabled in the config. */
    public static List<ExportSink<ExportPoint>> metrics(ExportConfig config, Map<String, String> env) {
        List<ExportSink<ExportPoint>> out = new ArrayList<>();
        if (config.datadog() != null && ExportConfig.on(config.datadog().enabled())) {
            out.add(Datadog.sinks(config.datadog(), env).metrics());
        }
        if (config.newrelic() != null && ExportConfig.on(config.newrelic().enabled())) {
            out.add(NewRelic.sink(config.newrelic(), env));
        }
        if (config.otlp() != null && ExportConfig.on(config.otlp().enabled())) {
            out.add(Otlp.sink(config.otlp(), env));
        }
        return out;
    }

    /** The event exporters enabled in the config (wedding days, P0/P1 incidents). */
    public static List<ExportSink<ExportEvent>> events(ExportConfig config, Map<String, String> env) {
        List<ExportSink<ExportEvent>> out = new ArrayList<>();
        if (config.datadog() != null && ExportConfig.on(config.datadog().enabled())) {
            Datadog.sinks(config.datadog(), env).events().ifPresent(out::add);
        }
        if (config.grafana() != null && ExportConfig.on(config.grafana().enabled())) {
            out.add(Grafana.sink(config.grafana(), env));
        }
        return out;
    }
}
