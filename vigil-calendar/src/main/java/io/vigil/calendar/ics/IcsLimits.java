package io.vigil.calendar.ics;

/**
 * Bounds that keep a hostile or broken iCalendar document from exhausting memory or the stack.
 *
 * @param maxBytes largest document accepted, in bytes
 * @param maxEvents most VEVENTs in one document
 * @param maxDepth deepest component nesting inside VCALENDAR (a VEVENT is 1, its VALARM 2)
 * @param maxValueLength longest property or parameter value, in characters
 */
public record IcsLimits(int maxBytes, int maxEvents, int maxDepth, int maxValueLength) {

    /** 10 MiB, 50,000 events, nesting 8 deep, values of 64 Ki characters. */
    public static final IcsLimits DEFAULTS = new IcsLimits(10 * 1024 * 1024, 50_000, 8, 64 * 1024);

    public IcsLimits {
        if (maxBytes < 1 || maxEvents < 1 || maxDepth < 1 || maxValueLength < 1) {
            throw new IllegalArgumentException("every ICS limit must be at least 1");
        }
    }
}
