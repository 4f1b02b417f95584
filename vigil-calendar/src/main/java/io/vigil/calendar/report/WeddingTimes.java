package io.vigil.calendar.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransition;
import java.util.Locale;
import java.util.Objects;

/**
 * Shows instants in a wedding's own time zone (DST aware): ISO strings with the offset for machines, short clock
 * times for people.
 *
 * @param zone the wedding's zone
 * @param weddingDate the wedding day; clock times on another local date carry their date
 */
public record WeddingTimes(ZoneId zone, LocalDate weddingDate) {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM ", Locale.ENGLISH);
    private static final DateTimeFormatter ZONE_NAME = DateTimeFormatter.ofPattern(" zzz", Locale.US);

    public WeddingTimes {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(weddingDate, "weddingDate");
    }

    /** The local date-time with its offset, e.g. {@code 2026-11-01T01:10:00-05:00}; null for null. */
    public String iso(Instant at) {
        return at == null ? null : at.atZone(zone).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /**
     * The local clock time, e.g. {@code 15:25}; on another date than the wedding day prefixed with the date
     * ({@code 1 Nov 00:30}); in the hour that occurs twice when the clocks go back followed by the zone's name
     * ({@code 01:10 EST}), since the clock time alone would be ambiguous.
     */
    public String clock(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        String text = local.format(CLOCK);
        if (!local.toLocalDate().equals(weddingDate)) {
            text = local.format(DAY) + text;
        }
        if (zone.getRules().getValidOffsets(local.toLocalDateTime()).size() > 1) {
            text += local.format(ZONE_NAME);
        }
        return text;
    }

    /**
     * A sentence about a change of the clocks in {@code [from, to)}, e.g. "Clocks go back 1 h at 02:00 on 1 Nov
     * (UTC-04:00 becomes UTC-05:00)"; null when there is none.
     */
    public String clockChange(Instant from, Instant to) {
        ZoneOffsetTransition t = zone.getRules().nextTransition(from.minusNanos(1));
        if (t == null || !t.getInstant().isBefore(to)) {
            return null;
        }
        return "Clocks go " + (t.isOverlap() ? "back " : "forward ") + ReportText.duration(t.getDuration()) + " at "
                + t.getDateTimeBefore().format(CLOCK) + " on " + t.getDateTimeBefore().format(DAY).trim()
                + " (UTC" + offset(t.getOffsetBefore().getId()) + " becomes UTC" + offset(t.getOffsetAfter().getId())
                + ")";
    }

    private static String offset(String id) {
        return "Z".equals(id) ? "+00:00" : id;
    }
}
