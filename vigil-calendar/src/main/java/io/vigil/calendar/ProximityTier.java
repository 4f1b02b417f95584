package io.vigil.calendar;

import io.vigil.core.wedding.Wedding;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * How close a wedding is, which sets how often its checks and rollups run (C4): more than 30 days away every
 * 15 minutes, 8-30 days every 5 minutes, 1-7 days every minute, on the wedding day (and while it is active, past
 * midnight included) every 10 seconds. Days are counted in the wedding's own time zone.
 */
public enum ProximityTier {
    WEDDING_DAY(Duration.ofSeconds(10)),
    WITHIN_WEEK(Duration.ofMinutes(1)),
    WITHIN_MONTH(Duration.ofMinutes(5)),
    LATER(Duration.ofMinutes(15)),
    /** The wedding is over (or cancelled): nothing to watch. */
    PAST(null);

    private final Duration interval;

    ProximityTier(Duration interval) {
        this.interval = interval;
    }

    /** The monitoring interval of the tier; null for {@link #PAST}. */
    public Duration interval() {
        return interval;
    }

    /** The tier of a wedding at an instant. */
    public static ProximityTier of(Wedding w, Instant at) {
        if (w.status() != io.vigil.core.wedding.WeddingStatus.SCHEDULED || !at.isBefore(w.receptionEndInstant())) {
            return PAST;
        }
        if (w.isActiveAt(at)) {
            return WEDDING_DAY;
        }
        LocalDate today = at.atZone(w.timeZone()).toLocalDate();
        long days = ChronoUnit.DAYS.between(today, w.date());
        if (days <= 0) {
            return WEDDING_DAY;
        }
        if (days <= 7) {
            return WITHIN_WEEK;
        }
        return days <= 30 ? WITHIN_MONTH : LATER;
    }

    /** The lower-case name used in JSON. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
