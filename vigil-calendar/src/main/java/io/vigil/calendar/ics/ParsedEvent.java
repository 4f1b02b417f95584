package io.vigil.calendar.ics;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import net.fortuna.ical4j.model.component.VEvent;

/** One top-level VEVENT as the content handler saw it: the kept properties, and what was wrong while reading it. */
final class ParsedEvent {
    final int index;
    /** The X-WR-TIMEZONE of the enclosing VCALENDAR, as written, or null. */
    final String calendarZone;
    /** Null when ical4j could not build the component. */
    VEvent component;
    boolean recurring;
    // A set: the messages come from a few fixed templates, so a hostile event cannot grow it without bound.
    final Set<String> problems = new LinkedHashSet<>();
    final Set<String> seenProperties = new HashSet<>();

    ParsedEvent(int index, String calendarZone) {
        this.index = index;
        this.calendarZone = calendarZone;
    }
}
