package io.vigil.calendar.ics;

import java.time.ZoneId;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import net.fortuna.ical4j.model.TimeZoneRegistry;

/**
 * Finds the IANA zone a TZID names. A wedding keeps an IANA zone, while a feed may name its zones after Windows
 * ({@code GMT Standard Time}), a vendor prefix ({@code /citadel.org/20190101_1/Europe/London}) or anything its
 * VTIMEZONE's X-LIC-LOCATION explains.
 */
final class TimeZoneNames {
    private static final Set<String> IANA = ZoneId.getAvailableZoneIds();
    private static final Pattern SHOWABLE = Pattern.compile("[A-Za-z0-9 _+\\-/.():,]{1,64}");

    private final Map<String, String> locations;

    /** @param locations X-LIC-LOCATION of the document's VTIMEZONEs, by TZID */
    TimeZoneNames(Map<String, String> locations) {
        this.locations = locations;
    }

    /** The IANA zone for a TZID, or null when none is known. */
    ZoneId resolve(String tzid) {
        if (tzid == null || tzid.isBlank()) {
            return null;
        }
        String id = tzid.trim();
        String found = iana(id);
        if (found == null) {
            found = iana(TimeZoneRegistry.ZONE_ALIASES.get(id));
        }
        if (found == null) {
            found = iana(locations.get(tzid));
        }
        if (found == null) {
            String[] parts = id.split("/");
            for (int n = Math.min(3, parts.length - 1); n >= 2 && found == null; n--) {
                found = iana(String.join("/", Arrays.copyOfRange(parts, parts.length - n, parts.length)));
            }
        }
        return found == null ? null : ZoneId.of(found);
    }

    private static String iana(String id) {
        return id != null && IANA.contains(id.trim()) ? id.trim() : null;
    }

    /** The TZID quoted for a message when it looks like a zone name, else a placeholder. */
    static String show(String tzid) {
        return tzid != null && SHOWABLE.matcher(tzid).matches() ? "'" + tzid + "'" : "(not shown)";
    }
}
