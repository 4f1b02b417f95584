package io.vigil.server.calendar;

import io.vigil.calendar.CalendarSettings;
import io.vigil.calendar.ProximityTier;
import io.vigil.calendar.WeddingCalendar;
import io.vigil.calendar.WeddingLabelPolicy;
import io.vigil.core.Stat;
import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingStatus;
import io.vigil.engine.query.QueryEngine;
import io.vigil.engine.query.QueryRequest;
import io.vigil.engine.query.QueryResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-wedding check (C4): for each scheduled wedding around its day, at the interval its proximity tier sets
 * (10 s on the wedding day with enhanced monitoring, 1 min otherwise), reads its wedding-operation families
 * ({@code wedding_id} = the wedding) and rates it against the platform's wedding-day commitments: p95 under 500 ms
 * (photo uploads: 5 s) and errors under 0.1 %. Nothing runs while {@code monitoring_enabled} is off. Thread-safe.
 */
public final class WeddingHealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WeddingHealthMonitor.class);
    static final Duration TICK = Duration.ofSeconds(10);
    /** The shortest window a check reads, so that a 10 s check still sees a few minutes of traffic. */
    static final Duration MIN_WINDOW = Duration.ofMinutes(5);
    static final double ERROR_RATE_TARGET = 0.001;

    /** A wedding-operation family the check reads, with its p95 target in seconds. */
    record Family(String metric, double p95TargetSeconds) {}

    static final List<Family> FAMILIES = List.of(
            new Family("wedding_guest_list_access_seconds", 0.5),
            new Family("wedding_timeline_sync_seconds", 0.5),
            new Family("wedding_photo_upload_seconds", 5.0),
            new Family("wedding_photo_processing_seconds", 5.0),
            new Family("wedding_mobile_app_response_seconds", 0.5));

    /** What one family showed in the last check. */
    public record FamilyHealth(String metric, long samples, double p95Seconds, double errorRate, boolean ok) {}

    /**
     * The last check of a wedding.
     *
     * @param status {@code ok}, {@code degraded} (a family missed its target) or {@code no_data}
     * @param interval the interval of its tier when checked
     */
    public record WeddingHealth(String weddingId, Instant checkedAt, String status, Duration interval,
                                List<FamilyHealth> families) {}

    private final WeddingCalendar calendar;
    private final QueryEngine queries;
    private final Map<String, WeddingHealth> last = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    public WeddingHealthMonitor(WeddingCalendar calendar, QueryEngine queries) {
        this.calendar = calendar;
        this.queries = queries;
    }

    public WeddingHealthMonitor start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("vigil-wedding-checks").daemon(true).factory());
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                checkDue();
            } catch (RuntimeException e) {
                LOG.warn("wedding checks failed, will retry: {}", e.toString());
            }
        }, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Checks every wedding whose interval has passed since its last check; returns how many were checked. */
    public int checkDue() {
        CalendarSettings settings = calendar.settings();
        if (!settings.monitoringEnabled()) {
            return 0;
        }
        Instant now = calendar.clock().instant();
        int checked = 0;
        for (Wedding w : calendar.weddingsAroundNow()) {
            if (w.status() != WeddingStatus.SCHEDULED) {
                continue;
            }
            Duration interval = settings.interval(ProximityTier.of(w, now));
            WeddingHealth previous = last.get(w.id());
            if (interval == null || (previous != null
                    && Duration.between(previous.checkedAt(), now).compareTo(interval) < 0)) {
                continue;
            }
            last.put(w.id(), check(w, now, interval));
            checked++;
        }
        return checked;
    }

    private WeddingHealth check(Wedding w, Instant now, Duration interval) {
        Duration window = interval.compareTo(MIN_WINDOW) < 0 ? MIN_WINDOW : interval;
        long from = now.minus(window).toEpochMilli();
        long to = now.toEpochMilli();
        Map<String, String> filter = Map.of(WeddingLabelPolicy.LABEL, w.id());
        List<FamilyHealth> families = new ArrayList<>();
        boolean degraded = false;
        for (Family f : FAMILIES) {
            long samples = (long) value(queries.query(new QueryRequest(f.metric(), filter, new Stat(Stat.Type.COUNT, 0),
                    from, to, 0, List.of())));
            if (samples == 0) {
                continue;
            }
            double p95 = value(queries.query(new QueryRequest(f.metric(), filter, Stat.parse("p95"), from, to, 0,
                    List.of())));
            double errors = value(queries.query(new QueryRequest(f.metric(), filter,
                    new Stat(Stat.Type.ERROR_RATE, 0), from, to, 0, List.of())));
            boolean ok = p95 <= f.p95TargetSeconds() && !(errors > ERROR_RATE_TARGET);
            degraded |= !ok;
            families.add(new FamilyHealth(f.metric(), samples, p95, Double.isNaN(errors) ? 0 : errors, ok));
        }
        String status = families.isEmpty() ? "no_data" : degraded ? "degraded" : "ok";
        return new WeddingHealth(w.id(), now, status, interval, families);
    }

    private static double value(QueryResult r) {
        return r.series().isEmpty() ? 0 : r.series().get(0).value();
    }

    /** The last check of a wedding, or null when it has not been checked. */
    public WeddingHealth health(String weddingId) {
        return last.get(weddingId);
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
