package io.vigil.server.calendar;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.calendar.CalendarSettings;
import io.vigil.calendar.ProximityTier;
import io.vigil.calendar.WeddingContext;
import io.vigil.core.wedding.Coordinator;
import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingStatus;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of weddings and of the wedding context in the HTTP API (see docs/calendar.md). Reading is strict:
 * an unknown field is refused, since couple and guest names have no place in Vigil.
 */
public final class WeddingJson {
    private static final Set<String> FIELDS = Set.of("id", "date", "timeZone", "ceremonyStart", "receptionEnd",
            "guestCount", "venue", "vendorIds", "status", "coordinator");
    private static final Set<String> COORDINATOR_FIELDS = Set.of("name", "email", "phone");

    private WeddingJson() {}

    /**
     * A wedding from a request body.
     *
     * @param pathId the id in the URL (PUT), or null (POST: the body's id)
     * @throws IllegalArgumentException saying which field is wrong and how
     */
    public static Wedding read(JsonNode body, String pathId) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object with id, timeZone, ceremonyStart,"
                    + " receptionEnd and optionally date, guestCount, venue, vendorIds, status, coordinator");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + io.vigil.server.http.Requests.shorten(f) + "': a wedding has " + String.join(", ",
                        List.of("id", "date", "timeZone", "ceremonyStart", "receptionEnd", "guestCount", "venue",
                                "vendorIds", "status", "coordinator"))
                        + " (Vigil keeps no couple or guest names)");
            }
        }
        String id = text(body, "id");
        if (pathId != null) {
            if (id != null && !id.equals(pathId)) {
                throw new IllegalArgumentException("the body's id '" + io.vigil.server.http.Requests.shorten(id) + "' differs from the URL's '"
                        + io.vigil.server.http.Requests.shorten(pathId) + "'");
            }
            id = pathId;
        }
        String zoneText = text(body, "timeZone");
        if (zoneText == null) {
            throw new IllegalArgumentException("timeZone is required: an IANA time zone id such as Europe/London");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneText);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("timeZone '" + io.vigil.server.http.Requests.shorten(zoneText)
                    + "' is not an IANA time zone id such as Europe/London or America/New_York");
        }
        LocalDateTime ceremony = localDateTime(body, "ceremonyStart");
        LocalDateTime reception = localDateTime(body, "receptionEnd");
        LocalDate date = null;
        String dateText = text(body, "date");
        if (dateText != null) {
            try {
                date = LocalDate.parse(dateText);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("date '" + io.vigil.server.http.Requests.shorten(dateText) + "' is not a date like 2026-06-13");
            }
        }
        int guests = 0;
        JsonNode g = body.get("guestCount");
        if (g != null && !g.isNull()) {
            if (!g.canConvertToInt() || !g.isIntegralNumber()) {
                throw new IllegalArgumentException("guestCount must be a whole number");
            }
            guests = g.intValue();
        }
        List<String> vendors = new ArrayList<>();
        JsonNode v = body.get("vendorIds");
        if (v != null && !v.isNull()) {
            if (!v.isArray()) {
                throw new IllegalArgumentException("vendorIds must be an array of vendor id strings");
            }
            if (v.size() > Wedding.MAX_VENDORS) {
                throw new IllegalArgumentException("vendorIds has " + v.size() + " entries but at most "
                        + Wedding.MAX_VENDORS + " are allowed");
            }
            for (JsonNode e : v) {
                if (!e.isTextual()) {
                    throw new IllegalArgumentException("vendorIds must be an array of vendor id strings");
                }
                vendors.add(e.asText());
            }
        }
        String statusText = text(body, "status");
        WeddingStatus status = statusText == null ? WeddingStatus.SCHEDULED : WeddingStatus.parse(statusText);
        return new Wedding(id, date, zone, ceremony, reception, guests, text(body, "venue"), vendors, status, "api",
                coordinator(body.get("coordinator")));
    }

    private static Coordinator coordinator(JsonNode c) {
        if (c == null || c.isNull()) {
            return null;
        }
        if (!c.isObject()) {
            throw new IllegalArgumentException("coordinator must be an object with name, email and/or phone");
        }
        for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!COORDINATOR_FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown field 'coordinator." + io.vigil.server.http.Requests.shorten(f)
                        + "': a coordinator has name, email, phone");
            }
        }
        return new Coordinator(text(c, "name"), text(c, "email"), text(c, "phone"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return v.asText();
    }

    private static LocalDateTime localDateTime(JsonNode body, String field) {
        String t = text(body, field);
        if (t == null) {
            throw new IllegalArgumentException(field + " is required: a local date-time in the wedding's time zone"
                    + " such as 2026-06-13T15:00");
        }
        try {
            return LocalDateTime.parse(t);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(field + " '" + io.vigil.server.http.Requests.shorten(t) + "' is not a local date-time such as"
                    + " 2026-06-13T15:00 (no offset: the time zone is the wedding's)");
        }
    }

    /**
     * A wedding as the API answers it, with its active window and proximity tier now; the coordinator only for
     * admin keys.
     */
    public static Map<String, Object> write(Wedding w, Instant now, CalendarSettings settings, boolean admin) {
        return write(w, now, settings, admin, null);
    }

    /** Like {@link #write(Wedding, Instant, CalendarSettings, boolean)}, with the wedding's last health check. */
    public static Map<String, Object> write(Wedding w, Instant now, CalendarSettings settings, boolean admin,
                                            WeddingHealthMonitor.WeddingHealth health) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", w.id());
        out.put("date", w.date().toString());
        out.put("timeZone", w.timeZone().getId());
        out.put("ceremonyStart", w.ceremonyStart().toString());
        out.put("receptionEnd", w.receptionEnd().toString());
        out.put("guestCount", w.guestCount());
        out.put("venue", w.venue());
        out.put("vendorIds", w.vendorIds());
        out.put("status", w.status().wireName());
        out.put("source", w.source());
        out.put("activeFrom", w.activeFrom().toString());
        out.put("activeUntil", w.receptionEndInstant().toString());
        ProximityTier tier = ProximityTier.of(w, now);
        out.put("proximityTier", tier.wireName());
        Duration interval = settings.interval(tier);
        out.put("checkIntervalSeconds", interval == null ? null : interval.toSeconds());
        if (health != null) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("status", health.status());
            h.put("checkedAt", health.checkedAt().toString());
            h.put("intervalSeconds", health.interval().toSeconds());
            List<Map<String, Object>> families = new ArrayList<>();
            for (WeddingHealthMonitor.FamilyHealth f : health.families()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("metric", f.metric());
                m.put("samples", f.samples());
                m.put("p95Seconds", f.p95Seconds());
                m.put("errorRate", f.errorRate());
                m.put("ok", f.ok());
                families.add(m);
            }
            h.put("families", families);
            out.put("health", h);
        }
        if (admin && w.coordinator() != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", w.coordinator().name());
            c.put("email", w.coordinator().email());
            c.put("phone", w.coordinator().phone());
            out.put("coordinator", c);
        }
        return out;
    }

    /** The wedding context as every answer carries it: ids, times and guest counts only. */
    public static Map<String, Object> write(WeddingContext c) {
        return io.vigil.calendar.ContextJson.write(c);
    }
}
