package io.vigil.calendar.ics;

import java.nio.charset.StandardCharsets;

/**
 * Documents at the edge of {@link IcsLimits#DEFAULTS}, each shaped to stress one part of the parser. Run as a main
 * class in a small JVM by {@link IcsHostileInputTest}: it exits 0 only when every shape was read or rejected cleanly.
 */
final class HostileDocuments {
    static final int SIZE = IcsLimits.DEFAULTS.maxBytes();
    private static final String HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n";
    private static final String TAIL = "END:VCALENDAR\r\n";

    private HostileDocuments() {
    }

    static byte[] shape(String name) {
        return switch (name) {
            case "full-events" -> events("Europe/London");
            case "unknown-zones" -> events("Nowhere/Zone");
            case "tiny-properties" -> fill(HEAD + "BEGIN:VEVENT\r\n", "X:1\r\n", "END:VEVENT\r\n" + TAIL);
            case "tiny-parameters" -> fill(HEAD + "BEGIN:VEVENT\r\nDTSTART", ";A=1", ":20260101T000000Z\r\nEND:VEVENT\r\n"
                    + TAIL);
            case "one-long-line" -> fill(HEAD + "BEGIN:VEVENT\r\nDESCRIPTION:", "x", "\r\nEND:VEVENT\r\n" + TAIL);
            case "nested" -> fill(HEAD, "BEGIN:VEVENT\r\n", TAIL);
            case "observances" -> fill(HEAD + "BEGIN:VTIMEZONE\r\nTZID:A\r\n", "BEGIN:STANDARD\r\nEND:STANDARD\r\n",
                    "END:VTIMEZONE\r\n" + TAIL);
            case "alarms" -> fill(HEAD + "BEGIN:VEVENT\r\n", "BEGIN:VALARM\r\nEND:VALARM\r\n", "END:VEVENT\r\n" + TAIL);
            case "empty-events" -> fill(HEAD, "BEGIN:VEVENT\r\nEND:VEVENT\r\n", TAIL);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** The most events the limits allow, each with every property Vigil keeps. */
    private static byte[] events(String zone) {
        StringBuilder sb = new StringBuilder(SIZE).append(HEAD);
        for (int i = 0; i < IcsLimits.DEFAULTS.maxEvents(); i++) {
            sb.append("BEGIN:VEVENT\r\nUID:u").append(i).append("\r\nDTSTART;TZID=").append(zone)
                    .append(":20260612T140000\r\nDTEND;TZID=").append(zone).append(":20260612T230000\r\n")
                    .append("STATUS:CONFIRMED\r\nLOCATION:Barn\r\nX-VIGIL-GUEST-COUNT:1\r\nX-VIGIL-VENDORS:a,b\r\n")
                    .append("END:VEVENT\r\n");
        }
        return sb.append(TAIL).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] fill(String head, String unit, String tail) {
        StringBuilder sb = new StringBuilder(SIZE).append(head);
        while (sb.length() + unit.length() + tail.length() <= SIZE) {
            sb.append(unit);
        }
        return sb.append(tail).toString().getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] shapes) {
        IcsWeddingParser parser = new IcsWeddingParser();
        for (String shape : shapes) {
            byte[] document = shape(shape);
            try {
                IcsParseResult result = parser.parse(document, "ics:hostile");
                System.out.println(shape + ": " + result.weddings().size() + " weddings, " + result.problems().size()
                        + " problems");
            } catch (IcsFormatException e) {
                System.out.println(shape + ": rejected: " + e.getMessage());
            }
        }
    }
}
