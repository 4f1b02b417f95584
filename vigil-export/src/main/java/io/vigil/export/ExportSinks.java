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
                return built(config, env);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        throw new IllegalArgumentException("export config: " + String.join("; ", problems));
    }

    /** Each enabled exporter built once (Datadog gives a metrics and an events sink from one factory call). */
    private static Built built(ExportConfig config, Map<String, String> env) {
        List<ExportSink<ExportPoint>> metrics = new ArrayList<>();
        List<ExportSink<ExportEvent>> events = new ArrayList<>();
        if (config.datadog() != null && ExportConfig.on(config.datadog().enabled())) {
            Datadog.Sinks datadog = Datadog.sinks(config.datadog(), env);
            metrics.add(datadog.metrics());
            datadog.events().ifPresent(events::add);
        }
        if (config.newrelic() != null && ExportConfig.on(config.newrelic().enabled())) {
            metrics.add(NewRelic.sink(config.newrelic(), env));
        }
        if (config.otlp() != null && ExportConfig.on(config.otlp().enabled())) {
            metrics.add(Otlp.sink(config.otlp(), env));
        }
        if (config.grafana() != null && ExportConfig.on(config.grafana().enabled())) {
            events.add(Grafana.sink(config.grafana(), env));
        }
        return new Built(metrics, events);
    }
}
