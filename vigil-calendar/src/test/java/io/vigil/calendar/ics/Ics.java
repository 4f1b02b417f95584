package io.vigil.calendar.ics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds iCalendar test documents with CRLF line ends. */
final class Ics {
    static final String LONDON = """
            BEGIN:VTIMEZONE
            TZID:Europe/London
            X-LIC-LOCATION:Europe/London
            BEGIN:DAYLIGHT
            TZOFFSETFROM:+0000
            TZOFFSETTO:+0100
            TZNAME:BST
            DTSTART:19810329T010000
            RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
            END:DAYLIGHT
            BEGIN:STANDARD
            TZOFFSETFROM:+0100
            TZOFFSETTO:+0000
            TZNAME:GMT
            DTSTART:19961027T020000
            RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
            END:STANDARD
            END:VTIMEZONE""";

    static final String NEW_YORK = """
            BEGIN:VTIMEZONE
            TZID:America/New_York
            BEGIN:DAYLIGHT
            TZOFFSETFROM:-0500
            TZOFFSETTO:-0400
            TZNAME:EDT
            DTSTART:20070311T020000
            RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
            END:DAYLIGHT
            BEGIN:STANDARD
            TZOFFSETFROM:-0400
            TZOFFSETTO:-0500
            TZNAME:EST
            DTSTART:20071104T020000
            RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
            END:STANDARD
            END:VTIMEZONE""";

    static final String KOLKATA = """
            BEGIN:VTIMEZONE
            TZID:Asia/Kolkata
            BEGIN:STANDARD
            TZOFFSETFROM:+0530
            TZOFFSETTO:+0530
            TZNAME:IST
            DTSTART:19451015T000000
            END:STANDARD
            END:VTIMEZONE""";

    private Ics() {
    }

    /** A VCALENDAR holding the given blocks (components or calendar properties), as UTF-8 bytes. */
    static byte[] calendar(String... blocks) {
        return text(calendarText(blocks));
    }

    static String calendarText(String... blocks) {
        List<String> lines = new ArrayList<>(List.of("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Vigil//Test//EN"));
        for (String block : blocks) {
            lines.addAll(block.lines().toList());
        }
        lines.add("END:VCALENDAR");
        return String.join("\r\n", lines) + "\r\n";
    }

    /** A VEVENT with a UID and the given property lines. */
    static String event(String uid, String... properties) {
        List<String> lines = new ArrayList<>(List.of("BEGIN:VEVENT", "UID:" + uid, "DTSTAMP:20260101T000000Z"));
        lines.addAll(List.of(properties));
        lines.add("END:VEVENT");
        return String.join("\n", lines);
    }

    /** A VEVENT without a UID line. */
    static String eventWithoutUid(String... properties) {
        List<String> lines = new ArrayList<>(List.of("BEGIN:VEVENT"));
        lines.addAll(List.of(properties));
        lines.add("END:VEVENT");
        return String.join("\n", lines);
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
