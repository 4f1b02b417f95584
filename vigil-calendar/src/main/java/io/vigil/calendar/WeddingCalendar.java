package io.vigil.calendar;

import io.vigil.core.wedding.Wedding;
import io.vigil.store.WeddingStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * The calendar as the rest of Vigil sees it: the wedding context of any instant, computed from the weddings in the
 * store. The weddings around now are cached (so a query, an alert or an ingest request does not read the store):
 * once the cache is older than {@link #REFRESH} a caller still gets it at once while one background thread reads the
 * store again, so that no caller (ingest threads included) waits for the store except on the first use and after
 * this node changed the calendar ({@link #invalidate}). Another node's change is seen within {@link #REFRESH} and one
 * read. Thread-safe.
 */
public final class WeddingCalendar {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WeddingCalendar.class);
    /** How long the cached weddings around now are used before they are read again. */
    public static final Duration REFRESH = Duration.ofSeconds(5);
    /** Days either side of an instant whose weddings can matter to it (time zones shift local dates by a day). */
    private static final int MARGIN_DAYS = 2;

    private final WeddingStore store;
    private final Clock clock;
    private volatile CalendarSettings settings;
    private volatile Cached cached;
    private final long refreshNanos;
    private final java.util.concurrent.atomic.AtomicBoolean refreshing = new java.util.concurrent.atomic.AtomicBoolean();

    private record Cached(LocalDate from, LocalDate to, List<Wedding> weddings, long loadedNanos) {}

    public WeddingCalendar(WeddingStore store, CalendarSettings settings, Clock clock) {
        this(store, settings, clock, REFRESH);
    }

    /** With another refresh interval (tests). */
    WeddingCalendar(WeddingStore store, CalendarSettings settings, Clock clock, Duration refresh) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.refreshNanos = refresh.toNanos();
    }

    public WeddingStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    public CalendarSettings settings() {
        return settings;
    }

    /** Replaces the settings (the monitoring switches change at run time through the API). */
    public void settings(CalendarSettings newSettings) {
        this.settings = Objects.requireNonNull(newSettings, "settings");
    }

    /** The context now. */
    public WeddingContext now() {
        return contextAt(clock.instant());
    }

    /** The context at any instant, past or future. */
    public WeddingContext contextAt(Instant at) {
        CalendarSettings s = settings;
        return new ContextCalculator(s).at(at, weddingsAround(at, s));
    }

    /** The scheduled and cancelled weddings whose date is within two days of today (cached like the context's). */
    public List<Wedding> weddingsAroundNow() {
        return weddingsAround(clock.instant(), settings);
    }

    /** Reads the cached range again on a background thread, one read at a time; callers meanwhile use the cache. */
    private void refreshInBackground(Cached stale) {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("vigil-calendar-refresh").start(() -> {
            try {
                List<Wedding> loaded = store.between(stale.from(), stale.to());
                if (cached == stale) { // not invalidated or replaced meanwhile
                    cached = new Cached(stale.from(), stale.to(), loaded, System.nanoTime());
                }
            } catch (RuntimeException e) {
                LOG.warn("could not refresh the weddings around now, keeping the cached ones: {}", e.toString());
            } finally {
                refreshing.set(false);
            }
        });
    }

    /** Forgets the cached weddings; call after changing the calendar. */
    public void invalidate() {
        cached = null;
    }

    private List<Wedding> weddingsAround(Instant at, CalendarSettings s) {
        LocalDate day = at.atZone(s.timeZone()).toLocalDate();
        LocalDate from = day.minusDays(MARGIN_DAYS);
        LocalDate to = day.plusDays(MARGIN_DAYS + s.upcomingHorizon().toDays() + 1);
        Cached c = cached;
        long now = System.nanoTime();
        if (c != null && !from.isBefore(c.from()) && !to.isAfter(c.to())) {
            if (now - c.loadedNanos() >= refreshNanos) {
                refreshInBackground(c);
            }
            return c.weddings();
        }
        boolean aroundNow = Math.abs(Duration.between(clock.instant(), at).toDays()) < 1;
        if (!aroundNow) {
            return store.between(from, to); // an instant far from now: read, do not disturb the cache
        }
        // Cache a little more than needed, so that the next calls in the coming days' range hit it.
        LocalDate cacheTo = to.plusDays(1);
        List<Wedding> loaded = store.between(from, cacheTo);
        cached = new Cached(from, cacheTo, loaded, now);
        return loaded;
    }
}
