package io.vigil.export;

import io.vigil.calendar.WeddingCalendar;
import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.core.WriteBatch;
import io.vigil.core.wedding.Wedding;
import io.vigil.export.events.WeddingDayEvents;
import io.vigil.export.pipeline.ExportWorker;
import io.vigil.export.pipeline.ExporterHealth;
import io.vigil.store.Lease;
import io.vigil.store.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the exports (docs/export.md): every 10 s the node holding the export lease reads the 10-second buckets that
 * have settled since its cursor (kept in the state store, so a restart or another node resumes where it stopped) and
 * hands the points to every exporter's {@link ExportWorker} and to local consumers (the Prometheus exposition);
 * wedding days become events once each. Nothing here runs on the ingest path: a slow or failing far side costs its own
 * worker's thread and buffer only.
 */
public final class ExportService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExportService.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    /** State-store kind of the export's own documents (cursor, events already sent). */
    static final String STATE_KIND = "export";
    static final String CURSOR_ID = "cursor";
    /** At most this many buckets are read at once when catching up. */
    static final int BUCKETS_PER_READ = 6;

    /** Timing: how long a bucket settles before it is read, and how far back a new or restarted exporter catches up. */
    public record Timing(Duration settle, Duration maxCatchUp, Duration tick) {
        /** 20 s to settle (late samples and other nodes' flushes), 10 min of catch-up, a tick every 10 s. */
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(20), Duration.ofMinutes(10),
                Duration.ofSeconds(10));
    }

    private final ExportReader reader;
    private final WeddingCalendar calendar;
    private final Lease lease;
    private final StateStore state;
    private final List<ExportWorker<ExportPoint>> metricWorkers;
    private final List<ExportWorker<ExportEvent>> eventWorkers;
    private final List<Consumer<List<ExportPoint>>> localConsumers;
    private final Consumer<WriteBatch> selfMetrics;
    private final Timing timing;
    private final Clock clock;
    private ScheduledExecutorService scheduler;
    private Long cursor; // only the scheduler thread touches these
    private Long localCursor;
    /** The bucket this service started in: without a stored cursor, export starts there. */
    private final long firstBucket;

    /**
     * @param selfMetrics writes Vigil's own export metrics ({@code vigil_export_*}) into the engine
     */
    public ExportService(ExportReader reader, WeddingCalendar calendar, Lease lease, StateStore state,
                         List<ExportWorker<ExportPoint>> metricWorkers, List<ExportWorker<ExportEvent>> eventWorkers,
                         List<Consumer<List<ExportPoint>>> localConsumers, Consumer<WriteBatch> selfMetrics,
                         Timing timing, Clock clock) {
        this.reader = reader;
        this.calendar = calendar;
        this.lease = lease;
        this.state = state;
        this.metricWorkers = List.copyOf(metricWorkers);
        this.eventWorkers = List.copyOf(eventWorkers);
        this.localConsumers = List.copyOf(localConsumers);
        this.selfMetrics = selfMetrics;
        this.timing = timing;
        this.clock = clock;
        this.firstBucket = Math.floorDiv(clock.millis(), ExportReader.INTERVAL_MILLIS) * ExportReader.INTERVAL_MILLIS;
    }

    /** Whether anything is exported at all (no exporter and no local consumer: the service need not run). */
    public boolean active() {
        return !metricWorkers.isEmpty() || !eventWorkers.isEmpty() || !localConsumers.isEmpty();
    }

    /** Starts the workers and the 10-second tick. */
    public ExportService start() {
        metricWorkers.forEach(ExportWorker::start);
        eventWorkers.forEach(ExportWorker::start);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("vigil-export")
                .unstarted(r));
        scheduler.scheduleWithFixedDelay(this::tickQuietly, timing.tick().toMillis(), timing.tick().toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("export round failed, will retry: {}", e.toString());
        }
    }

    /** One round: read what settled, hand it on, announce wedding days, record health. Visible for tests. */
    public void tick() {
        Instant now = clock.instant();
        long width = ExportReader.INTERVAL_MILLIS;
        long to = Math.floorDiv(now.minus(timing.settle()).toEpochMilli(), width) * width;
        boolean leader = lease.tryAcquire();
        if (!leader) {
            cursor = null; // another node exports; read its cursor when this one takes over
        } else if (!metricWorkers.isEmpty()) {
            exportSettled(to);
        }
        feedLocal(to);
        if (leader) {
            announceWeddingDays(now);
        }
        recordHealth(now);
    }

    /** Reads from the durable cursor up to {@code to} for the exporters (and the local consumers on the way). */
    private void exportSettled(long to) {
        long width = ExportReader.INTERVAL_MILLIS;
        if (cursor == null) {
            cursor = storedCursor().orElse(firstBucket);
        }
        long earliest = to - timing.maxCatchUp().toMillis();
        if (cursor < earliest) {
            LOG.warn("export skips {} s of data older than the catch-up limit ({})", (earliest - cursor) / 1000,
                    timing.maxCatchUp());
            cursor = earliest;
        }
        while (cursor < to) {
            long from = cursor;
            long until = Math.min(to, from + BUCKETS_PER_READ * width);
            List<ExportPoint> points = reader.read(from, until);
            for (ExportWorker<ExportPoint> w : metricWorkers) {
                w.offer(points);
            }
            if (localCursor != null && until > localCursor) {
                long fresh = localCursor;
                giveLocal(points.stream().filter(p -> p.startMillis() >= fresh).toList(), until);
            }
            cursor = until;
            state.put(STATE_KIND, Map.of(CURSOR_ID, "{\"until\":" + cursor + "}"));
        }
    }

    /**
     * Feeds the local consumers (the Prometheus exposition) up to {@code to} on every node, leader or not: settled
     * buckets are in the shared store, so every node exposes the same families. Each bucket is given once.
     */
    private void feedLocal(long to) {
        if (localConsumers.isEmpty()) {
            return;
        }
        long width = ExportReader.INTERVAL_MILLIS;
        if (localCursor == null) {
            localCursor = firstBucket;
        }
        if (localCursor < to - timing.maxCatchUp().toMillis()) {
            localCursor = to - width;
        }
        while (localCursor < to) {
            long until = Math.min(to, localCursor + BUCKETS_PER_READ * width);
            giveLocal(reader.read(localCursor, until), until);
        }
    }

    private void giveLocal(List<ExportPoint> points, long until) {
        for (Consumer<List<ExportPoint>> c : localConsumers) {
            try {
                c.accept(points);
            } catch (RuntimeException e) {
                LOG.warn("a local export consumer failed: {}", e.toString());
            }
        }
        localCursor = until;
    }

    private Optional<Long> storedCursor() {
        return state.get(STATE_KIND, CURSOR_ID).map(json -> {
            try {
                long until = JSON.readTree(json).path("until").asLong(0);
                return until > 0 ? until : null;
            } catch (java.io.IOException e) {
                LOG.warn("export cursor unreadable, starting from now: {}", e.getMessage());
                return null;
            }
        });
    }

    /** Publishes each date's wedding-day event once, when its first wedding becomes active. */
    private void announceWeddingDays(Instant now) {
        if (eventWorkers.isEmpty()) {
            return;
        }
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        List<Wedding> weddings = calendar.store().between(today.minusDays(1), today.plusDays(1));
        for (LocalDate date = today.minusDays(1); !date.isAfter(today.plusDays(1)); date = date.plusDays(1)) {
            ExportEvent e = WeddingDayEvents.of(date, weddings, ExportTags.of(calendar.contextAt(now)));
            if (e == null || e.start().isAfter(now) || e.end().isBefore(now)) {
                continue;
            }
            String id = "wedding-day:" + date;
            if (state.get(STATE_KIND, id).isPresent()) {
                continue;
            }
            state.put(STATE_KIND, Map.of(id, "{\"at\":\"" + now + "\"}"));
            publish(e);
        }
    }

    /** Queues an event for every event exporter (never blocks). */
    public void publish(ExportEvent event) {
        for (ExportWorker<ExportEvent> w : eventWorkers) {
            w.offer(List.of(event));
        }
    }

    /** The health of every exporter, metrics first. */
    public List<ExporterHealth> health() {
        List<ExporterHealth> out = new ArrayList<>();
        metricWorkers.forEach(w -> out.add(w.health()));
        eventWorkers.forEach(w -> out.add(w.health()));
        return out;
    }

    /** Writes {@code vigil_export_backlog}, {@code vigil_export_sent}, {@code vigil_export_dropped} and {@code vigil_export_failures}. */
    private void recordHealth(Instant now) {
        List<ExporterHealth> all = health();
        if (all.isEmpty()) {
            return;
        }
        WriteBatch b = new WriteBatch(all.size() * 4);
        long t = now.toEpochMilli();
        for (ExporterHealth h : all) {
            b.beginSeries(new SeriesKey("vigil_export_backlog", Labels.of("exporter", h.name())), MetricKind.GAUGE);
            b.addSample(t, h.backlog());
            b.beginSeries(new SeriesKey("vigil_export_sent", Labels.of("exporter", h.name())), MetricKind.COUNTER);
            b.addSample(t, h.sent());
            for (var e : new TreeMap<>(h.dropped()).entrySet()) {
                b.beginSeries(new SeriesKey("vigil_export_dropped", Labels.of("exporter", h.name(), "reason",
                        e.getKey())), MetricKind.COUNTER);
                b.addSample(t, e.getValue());
            }
            for (var e : new TreeMap<>(h.failures()).entrySet()) {
                b.beginSeries(new SeriesKey("vigil_export_failures", Labels.of("exporter", h.name(), "reason",
                        e.getKey())), MetricKind.COUNTER);
                b.addSample(t, e.getValue());
            }
        }
        try {
            selfMetrics.accept(b);
        } catch (RuntimeException e) {
            LOG.warn("export health metrics could not be written: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        metricWorkers.forEach(ExportWorker::close);
        eventWorkers.forEach(ExportWorker::close);
    }
}
