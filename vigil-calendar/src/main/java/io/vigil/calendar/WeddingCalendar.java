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
 * store. The weddings around now are cached for {@link #REFRESH} (so a query or an alert does not read the store),
 * and reloaded at once after this node changes the calendar; another node's change is seen within
 * {@link #REFRESH}. Thread-safe.
 */
public final class WeddingCalendar {
    /** How long the cached weddings around now are used before they are read again. */
    public static final Duration REFRESH = Duration.ofSeconds(5);
    /** Days either side of an instant whose weddings can matter to it (time zones shift local dates by a day). */
    private static final int MARGIN_DAYS = 2;

    private final WeddingStore store;
    private final Clock clock;
    private volatile CalendarSettings settings;
    private volatile Cached cached;

    private record Cached(LocalDate from, LocalDate to, List<Wedding> weddings, long loadedNanos) {}

    public WeddingCalendar(WeddingStore store, CalendarSettings settings, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
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
        if (c != null && now - c.loadedNanos() < REFRESH.toNanos() && !from.isBefore(c.from()) && !to.isAfter(c.to())) {
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
