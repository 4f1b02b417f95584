package io.vigil.calendar.ics;

import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingStatus;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.DateProperty;
import net.fortuna.ical4j.model.property.Duration;

/** Turns one parsed VEVENT into a wedding, or into the list of what is wrong with it. */
final class EventConverter {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,9}");
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final int MAX_VENUE = 200;

    private final String source;
    private final TimeZoneNames zones;

    EventConverter(String source, TimeZoneNames zones) {
        this.source = source;
        this.zones = zones;
    }

    /** The event's UID when it is a valid wedding id, else null. */
    static String validUid(ParsedEvent parsed) {
        if (parsed.component == null) {
            return null;
        }
        return parsed.component.getProperty(Property.UID).map(Property::getValue).map(String::trim)
                .filter(uid -> ID.matcher(uid).matches()).orElse(null);
    }

    /**
     * What became of one event: a wedding or a problem.
     *
     * @param zoneUnknown the event names a time zone not known (yet): a VTIMEZONE later in the document may define it
     */
    record Outcome(int index, String uid, Wedding wedding, IcsProblem problem, boolean zoneUnknown) { }

    /** The wedding, or the problem naming the event's position and its UID when valid. */
    Outcome convert(ParsedEvent parsed) {
        List<String> problems = new ArrayList<>(parsed.problems);
        String uid = validUid(parsed);
        VEvent event = parsed.component;
        if (event == null) {
            return problem(parsed, uid, problems, false);
        }
        if (event.getProperty(Property.UID).isEmpty()) {
            problems.add("UID is missing: each wedding needs a stable UID");
        } else if (uid == null) {
            problems.add("UID is not a valid wedding id: it must be 1-128 letters, digits or . _ - : @,"
                    + " starting with a letter or digit");
        }
        if (parsed.recurring) {
            problems.add("a recurring event (RRULE, RDATE, EXRULE or RECURRENCE-ID) is not a wedding");
        }
        TimeCheck check = new TimeCheck(problems);
        Times times = times(parsed, event, check);
        WeddingStatus status = status(event, problems);
        int guests = guests(event, problems);
        List<String> vendors = vendors(event, problems);
        if (!problems.isEmpty() || times == null) {
            return problem(parsed, uid, problems, check.zoneUnknown);
        }
        try {
            return new Outcome(parsed.index, uid, new Wedding(uid, null, times.zone, times.start, times.end, guests,
                    venue(event), vendors, status, source, null), null, false);
        } catch (IllegalArgumentException e) {
            // Safe to pass on: the id and vendor ids were checked above, so the message holds only dates and rules.
            problems.add(e.getMessage());
            return problem(parsed, uid, problems, false);
        }
    }

    private static Outcome problem(ParsedEvent parsed, String uid, List<String> problems, boolean zoneUnknown) {
        return new Outcome(parsed.index, uid, null, new IcsProblem(parsed.index, uid, problems.isEmpty()
                ? "the event could not be read" : String.join("; ", problems)), zoneUnknown);
    }

    private record Times(ZoneId zone, LocalDateTime start, LocalDateTime end) { }

    /** Where reading the times records what is wrong, and whether a time zone was missing. */
    private static final class TimeCheck {
        final List<String> problems;
        boolean zoneUnknown;

        TimeCheck(List<String> problems) {
            this.problems = problems;
        }
    }

    /** The wedding's zone and local times, or null after adding what is wrong. */
    private Times times(ParsedEvent parsed, VEvent event, TimeCheck check) {
        List<String> problems = check.problems;
        Optional<DateProperty<?>> dtStart = event.getProperty(Property.DTSTART);
        if (dtStart.isEmpty()) {
            problems.add("DTSTART is missing: a wedding needs a ceremony start");
            return null;
        }
        String startTzid = tzid(dtStart.get());
        ZoneId zone;
        if (startTzid != null) {
            zone = zones.resolve(startTzid);
            if (zone == null) {
                check.zoneUnknown = true;
                problems.add("DTSTART TZID " + TimeZoneNames.show(startTzid) + " is not a known time zone: use an"
                        + " IANA id such as Europe/London, or a VTIMEZONE with an X-LIC-LOCATION naming one");
                return null;
            }
        } else if (parsed.calendarZone != null) {
            zone = zones.resolve(parsed.calendarZone);
            if (zone == null) {
                problems.add(WeddingContentHandler.CALENDAR_ZONE + " " + TimeZoneNames.show(parsed.calendarZone)
                        + " is not a known time zone: use an IANA id such as Europe/London");
                return null;
            }
        } else {
            zone = UTC;
        }
        Temporal start = temporal(dtStart.get(), check);
        if (start == null || !isZoned(Property.DTSTART, start, problems)) {
            return null;
        }
        LocalDateTime localStart = local(start, startTzid, startTzid, zone);

        Optional<DateProperty<?>> dtEnd = event.getProperty(Property.DTEND);
        Optional<Duration> duration = event.getProperty(Property.DURATION);
        LocalDateTime localEnd;
        if (dtEnd.isPresent() && duration.isPresent()) {
            problems.add("DTEND and DURATION must not both be present");
            return null;
        } else if (dtEnd.isPresent()) {
            Temporal end = temporal(dtEnd.get(), check);
            if (end == null || !isZoned(Property.DTEND, end, problems)) {
                return null;
            }
            localEnd = local(end, tzid(dtEnd.get()), startTzid, zone);
        } else if (duration.isPresent()) {
            try {
                TemporalAmount amount = duration.get().getDuration();
                localEnd = local(start.plus(amount), startTzid, startTzid, zone);
            } catch (DateTimeException | ArithmeticException e) {
                problems.add("DURATION cannot be read");
                return null;
            }
        } else {
            problems.add("DTEND or DURATION is missing: a wedding needs a reception end");
            return null;
        }
        return new Times(zone, localStart, localEnd);
    }

    private static String tzid(DateProperty<?> property) {
        return property.getParameter(Parameter.TZID).map(Parameter::getValue).orElse(null);
    }

    private Temporal temporal(DateProperty<?> property, TimeCheck check) {
        try {
            return property.getDate();
        } catch (DateTimeException e) {
            String tzid = tzid(property);
            if (tzid != null && zones.resolve(tzid) == null) {
                check.zoneUnknown = true;
                check.problems.add(property.getName() + " TZID " + TimeZoneNames.show(tzid) + " is not a known time zone:"
                        + " use an IANA id such as Europe/London, or a VTIMEZONE with an X-LIC-LOCATION naming one");
            } else {
                check.problems.add(property.getName() + " cannot be read as a date-time such as "
                        + (tzid == null ? "20260612T130000Z" : "20260612T140000"));
            }
            return null;
        }
    }

    private static boolean isZoned(String name, Temporal t, List<String> problems) {
        if (t instanceof LocalDate) {
            problems.add(name + " is a date without a time (an all-day event): a wedding needs a ceremony and a"
                    + " reception time");
            return false;
        }
        if (t instanceof LocalDateTime) {
            problems.add(name + " is a floating time (no TZID and no Z suffix), which names no moment: add a TZID,"
                    + " as in " + name + ";TZID=Europe/London:20260612T140000");
            return false;
        }
        return t instanceof ZonedDateTime || t instanceof OffsetDateTime || t instanceof Instant;
    }

    /**
     * A time in the wedding's zone. One written in the ceremony's own TZID keeps its wall-clock time as written;
     * any other (UTC, another TZID) is converted through its instant.
     */
    private static LocalDateTime local(Temporal t, String tzid, String startTzid, ZoneId zone) {
        if (t instanceof ZonedDateTime zoned) {
            return tzid != null && tzid.equals(startTzid) ? zoned.toLocalDateTime()
                    : zoned.toInstant().atZone(zone).toLocalDateTime();
        }
        return Instant.from(t).atZone(zone).toLocalDateTime();
    }

    private static WeddingStatus status(VEvent event, List<String> problems) {
        String status = value(event, Property.STATUS);
        if (status == null) {
            return WeddingStatus.SCHEDULED;
        }
        return switch (status.toUpperCase(Locale.ROOT)) {
            case "TENTATIVE", "CONFIRMED" -> WeddingStatus.SCHEDULED;
            case "CANCELLED" -> WeddingStatus.CANCELLED;
            default -> {
                problems.add("STATUS must be TENTATIVE, CONFIRMED or CANCELLED");
                yield WeddingStatus.SCHEDULED;
            }
        };
    }

    private static int guests(VEvent event, List<String> problems) {
        String count = value(event, WeddingContentHandler.GUEST_COUNT);
        if (count == null) {
            return 0;
        }
        if (!COUNT.matcher(count).matches() || Integer.parseInt(count) > Wedding.MAX_GUESTS) {
            problems.add(WeddingContentHandler.GUEST_COUNT + " must be a whole number from 0 to " + Wedding.MAX_GUESTS);
            return 0;
        }
        return Integer.parseInt(count);
    }

    private static List<String> vendors(VEvent event, List<String> problems) {
        String list = value(event, WeddingContentHandler.VENDORS);
        List<String> vendors = new ArrayList<>();
        if (list == null) {
            return vendors;
        }
        String[] items = list.split(",", -1);
        for (int i = 0; i < items.length; i++) {
            String item = items[i].trim();
            if (item.isEmpty()) {
                continue;
            }
            if (!ID.matcher(item).matches()) {
                problems.add(WeddingContentHandler.VENDORS + " item " + (i + 1) + " is not a valid vendor id: it must be"
                        + " 1-128 letters, digits or . _ - : @");
            } else {
                vendors.add(item);
            }
        }
        if (vendors.size() > Wedding.MAX_VENDORS) {
            problems.add(WeddingContentHandler.VENDORS + " lists more than " + Wedding.MAX_VENDORS + " vendors");
        }
        return vendors;
    }

    /** The LOCATION, cut to the length a venue may have: it is a display name, not worth losing the wedding over. */
    private static String venue(VEvent event) {
        String venue = value(event, Property.LOCATION);
        if (venue == null || venue.length() <= MAX_VENUE) {
            return venue;
        }
        int end = Character.isHighSurrogate(venue.charAt(MAX_VENUE - 1)) ? MAX_VENUE - 1 : MAX_VENUE;
        return venue.substring(0, end);
    }

    private static String value(VEvent event, String name) {
        return event.getProperty(name).map(Property::getValue).map(String::trim).filter(v -> !v.isEmpty())
                .orElse(null);
    }
}
