package io.vigil.server.export;

import io.javalin.http.Context;
import io.vigil.alerting.service.AlertingService;
import io.vigil.calendar.WeddingCalendar;
import io.vigil.engine.StorageEngine;
import io.vigil.export.ExportEvent;
import io.vigil.export.ExportLabelPolicy;
import io.vigil.export.ExportPoint;
import io.vigil.export.ExportReader;
import io.vigil.export.ExportService;
import io.vigil.export.ExportSinks;
import io.vigil.export.ExportTags;
import io.vigil.export.config.ExportConfig;
import io.vigil.export.events.IncidentEvents;
import io.vigil.export.pipeline.ExportWorker;
import io.vigil.export.pipeline.ExporterHealth;
import io.vigil.export.prometheus.Family;
import io.vigil.export.prometheus.PrometheusExposition;
import io.vigil.store.Lease;
import io.vigil.store.StateStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The server's side of the exports (docs/export.md): the export service built from the config's {@code export}
 * section, P0/P1 incidents handed to it as events, the Prometheus exposition, {@code GET /api/v1/exporters} and
 * {@code GET /metrics}.
 */
public final class Exports implements AutoCloseable {
    private final ExportService service;
    private final PrometheusExposition exposition;

    private Exports(ExportService service, PrometheusExposition exposition) {
        this.service = service;
        this.exposition = exposition;
    }

    /** Starts the exports of the config with its exporters (built and checked by {@link ExportSinks#build}). */
    public static Exports start(ExportConfig config, ExportSinks.Built exporters, StorageEngine engine,
                                WeddingCalendar calendar, Lease lease, StateStore state, AlertingService alerting,
                                Clock clock) {
        ExportWorker.Settings settings = new ExportWorker.Settings(config.bufferPointsOrDefault(),
                ExportWorker.Settings.DEFAULT.linger(), ExportWorker.Settings.DEFAULT.retry(),
                config.giveUpAfterOrDefault());
        List<ExportWorker<ExportPoint>> metricWorkers = new ArrayList<>();
        exporters.metrics().forEach(s -> metricWorkers.add(new ExportWorker<>(s, settings, clock)));
        List<ExportWorker<ExportEvent>> eventWorkers = new ArrayList<>();
        exporters.events().forEach(s -> eventWorkers.add(new ExportWorker<>(s, settings, clock)));
        List<Consumer<List<ExportPoint>>> local = new ArrayList<>();
        PrometheusExposition exposition = null;
        if (config.prometheusEnabled()) {
            exposition = new PrometheusExposition();
            exposition.register(() -> ownFamilies(engine));
            local.add(exposition);
        }
        ExportReader reader = new ExportReader(engine, calendar,
                new ExportLabelPolicy(config.dropLabelsOrDefault(), config.maxSeriesPerMetricOrDefault()));
        ExportService service = new ExportService(reader, calendar, lease, state, metricWorkers, eventWorkers, local,
                engine::write, ExportService.Timing.DEFAULT, clock);
        if (service.active()) {
            service.start();
        }
        if (!eventWorkers.isEmpty()) {
            alerting.observeIntents(intents -> {
                ExportTags tags = ExportTags.of(calendar.now());
                intents.forEach(i -> {
                    ExportEvent e = IncidentEvents.from(i, tags);
                    if (e != null) {
                        service.publish(e);
                    }
                });
            });
        }
        return new Exports(service, exposition);
    }

    /** Vigil's own health, read at each scrape (the export and notification metrics are exported families). */
    private static List<Family> ownFamilies(StorageEngine engine) {
        return List.of(
                Family.gauge("vigil_up", "1 while this Vigil node serves.", Family.sample(1)),
                Family.gauge("vigil_series", "Series this node knows.", Family.sample(engine.registry().size())),
                Family.gauge("vigil_store_failing", "1 while the store refuses flushes (ingest is refused too).",
                        Family.sample(engine.storeFailure() == null ? 0 : 1)));
    }

    /**
     * {@code GET /metrics}: the Prometheus text exposition (read role; docs/export/prometheus.md), or 404 when
     * {@code export.prometheus.enabled} is false.
     */
    public void metrics(Context ctx) {
        if (exposition == null) {
            ctx.status(404).json(Map.of("error", "the Prometheus exposition is disabled (export.prometheus.enabled)"));
            return;
        }
        ctx.contentType(PrometheusExposition.CONTENT_TYPE).result(exposition.render());
    }

    /** {@code GET /api/v1/exporters}: each exporter's health (read role). */
    public void health(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ExporterHealth h : service.health()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", h.name());
            m.put("healthy", h.healthy());
            m.put("circuit", h.circuit());
            m.put("lastSuccess", h.lastSuccess() == null ? null : h.lastSuccess().toString());
            m.put("lastFailure", h.lastFailure() == null ? null : h.lastFailure().toString());
            m.put("lastError", h.lastError());
            m.put("backlog", h.backlog());
            m.put("sent", h.sent());
            m.put("dropped", h.dropped());
            m.put("failures", h.failures());
            m.put("details", h.details());
            out.add(m);
        }
        ctx.json(Map.of("exporters", out));
    }

    /** The service, for tests. */
    public ExportService service() {
        return service;
    }

    @Override
    public void close() {
        service.close();
    }
}
