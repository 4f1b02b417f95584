package io.vigil.export.events;

import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingStatus;
import io.vigil.export.ExportEvent;
import io.vigil.export.ExportTags;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A wedding day as an export event: a region from the first wedding's active window to the end of the last reception
 * of the date, with how many weddings and guests and in which time zones. No wedding id, venue or name.
 */
public final class WeddingDayEvents {
    private WeddingDayEvents() {}

    /** The event of a date's weddings (cancelled ones left out), or null when none take place. */
    public static ExportEvent of(LocalDate date, List<Wedding> weddings, ExportTags context) {
        List<Wedding> held = weddings.stream().filter(w -> w.date().equals(date))
                .filter(w -> w.status() != WeddingStatus.CANCELLED).toList();
        if (held.isEmpty()) {
            return null;
        }
        Instant start = held.stream().map(Wedding::activeFrom).min(Instant::compareTo).orElseThrow();
        Instant end = held.stream().map(Wedding::receptionEndInstant).max(Instant::compareTo).orElseThrow();
        long guests = held.stream().mapToLong(Wedding::guestCount).sum();
        Map<String, Integer> zones = new TreeMap<>();
        held.forEach(w -> zones.merge(w.timeZone().getId(), 1, Integer::sum));
        StringBuilder where = new StringBuilder();
        zones.forEach((zone, n) -> where.append(where.isEmpty() ? "" : ", ").append(zone).append(' ').append(n));
        String title = "Wedding day " + date + ": " + held.size() + (held.size() == 1 ? " wedding, " : " weddings, ")
                + guests + " guests";
        String text = "Weddings active from " + start + " to " + end + " (" + where + "). Load tests are refused "
                + "while weddings are active.";
        return new ExportEvent(ExportEvent.Kind.WEDDING_DAY, title, text, start, end, "info",
                "vigil-wedding-day-" + date, List.of("vigil_event:wedding_day", "weddings:" + bucket(held.size())),
                context);
    }

    /** A bounded tag value for a count of weddings. */
    static String bucket(int n) {
        return n <= 5 ? "1-5" : n <= 20 ? "6-20" : n <= 100 ? "21-100" : "over-100";
    }
}
