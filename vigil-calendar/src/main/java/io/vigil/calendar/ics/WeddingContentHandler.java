package io.vigil.calendar.ics;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import net.fortuna.ical4j.data.DefaultContentHandler;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.component.CalendarComponent;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VTimeZone;

/**
 * ical4j's content handler narrowed to what a wedding needs. Only VEVENTs, VTIMEZONEs and their observances reach
 * ical4j's builder, and of those only the properties Vigil reads: everything else (names, e-mails, alarms, to-dos)
 * is dropped as it streams past, so it never enters memory, an exception or a log. It enforces {@link IcsLimits}
 * and turns a bad property into a problem of its event instead of a failure of the whole document.
 */
final class WeddingContentHandler extends DefaultContentHandler {
    static final String GUEST_COUNT = "X-VIGIL-GUEST-COUNT";
    static final String VENDORS = "X-VIGIL-VENDORS";
    static final String CALENDAR_ZONE = "X-WR-TIMEZONE";
    static final String TIME_ZONE_LOCATION = "X-LIC-LOCATION";
    /** ical4j allocates each registered VTIMEZONE an id from a JVM-wide pool of 1,500. */
    static final int MAX_TIME_ZONES = 100;
    /** Observances and their properties, over all VTIMEZONEs. */
    static final int MAX_TIME_ZONE_ITEMS = 10_000;
    static final int MAX_PARAMETERS = 32;

    private static final Set<String> EVENT_PROPERTIES = Set.of(Property.UID, Property.DTSTART, Property.DTEND,
            Property.DURATION, Property.STATUS, Property.LOCATION, GUEST_COUNT, VENDORS);
    private static final Set<String> RECURRENCE_PROPERTIES = Set.of(Property.RRULE, Property.RDATE, Property.EXRULE,
            Property.RECURRENCE_ID);
    private static final Set<String> TIME_ZONE_PROPERTIES = Set.of(Property.TZID, Property.TZOFFSETFROM,
            Property.TZOFFSETTO, Property.DTSTART, Property.RRULE, Property.RDATE, Property.TZNAME, TIME_ZONE_LOCATION);

    private enum Kind { EVENT, TIME_ZONE, OBSERVANCE, SKIPPED }

    /** An open component; {@code event} is the top-level VEVENT it belongs to, if any. */
    private record Frame(Kind kind, ParsedEvent event) {
        boolean delegated() {
            return kind != Kind.SKIPPED;
        }
    }

    private final IcsLimits limits;
    private final Consumer<ParsedEvent> onEvent;
    private final Deque<Frame> frames = new ArrayDeque<>();
    private final Map<String, String> timeZoneLocations;
    private String calendarZone;
    private int events;
    private int timeZones;
    private int timeZoneItems;

    private String property;
    private boolean propertyDelegated;
    private boolean propertyIsCalendarZone;
    private int parameters;

    /**
     * @param timeZoneLocations receives the X-LIC-LOCATION of each VTIMEZONE that has one, by TZID
     * @param onEvent receives each top-level VEVENT as soon as it ends, in document order
     */
    WeddingContentHandler(IcsLimits limits, TimeZoneRegistry registry, Map<String, String> timeZoneLocations,
                          Consumer<ParsedEvent> onEvent) {
        super(calendar -> { }, registry);
        this.limits = limits;
        this.timeZoneLocations = timeZoneLocations;
        this.onEvent = onEvent;
    }

    @Override
    public void startCalendar() {
        super.startCalendar();
        frames.clear();
        calendarZone = null;
    }

    @Override
    public void startComponent(String name) {
        if (frames.size() >= limits.maxDepth()) {
            throw new Rejected("components are nested more than " + limits.maxDepth() + " deep");
        }
        String upper = name.toUpperCase(Locale.ROOT);
        Frame parent = frames.peek();
        Frame frame;
        if (parent == null && upper.equals(CalendarComponent.VEVENT)) {
            if (events >= limits.maxEvents()) {
                throw new Rejected("the document has more than " + limits.maxEvents() + " events");
            }
            ParsedEvent event = new ParsedEvent(++events, calendarZone);
            frame = new Frame(Kind.EVENT, event);
        } else if (parent == null && upper.equals(CalendarComponent.VTIMEZONE)) {
            if (++timeZones > MAX_TIME_ZONES) {
                throw new Rejected("the document has more than " + MAX_TIME_ZONES + " VTIMEZONE components");
            }
            frame = new Frame(Kind.TIME_ZONE, null);
        } else if (parent != null && parent.kind() == Kind.TIME_ZONE
                && (upper.equals("STANDARD") || upper.equals("DAYLIGHT"))) {
            countTimeZoneItem();
            frame = new Frame(Kind.OBSERVANCE, null);
        } else {
            frame = new Frame(Kind.SKIPPED, parent == null ? null : parent.event());
        }
        frames.push(frame);
        if (frame.delegated()) {
            super.startComponent(name);
        }
    }

    @Override
    public void endComponent(String name) {
        Frame frame = frames.pop();
        if (!frame.delegated()) {
            return;
        }
        boolean built = true;
        try {
            super.endComponent(name);
        } catch (RuntimeException e) {
            // A broken VTIMEZONE or observance is left out: events naming an IANA zone still resolve it, the others
            // are reported as having an unknown TZID.
            built = false;
        }
        if (frame.kind() == Kind.EVENT) {
            if (built && calendarComponents.remove(calendarComponents.size() - 1) instanceof VEvent event) {
                frame.event().component = event;
            } else {
                frame.event().problems.add("the event could not be read as iCalendar");
            }
            onEvent.accept(frame.event());
        } else if (built && frame.kind() == Kind.TIME_ZONE
                && calendarComponents.remove(calendarComponents.size() - 1) instanceof VTimeZone zone) {
            zone.getProperty(Property.TZID).ifPresent(tzid -> zone.getProperty(TIME_ZONE_LOCATION)
                    .ifPresent(location -> timeZoneLocations.put(tzid.getValue(), location.getValue())));
        }
    }

    @Override
    public void startProperty(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.equals("BEGIN") || upper.equals("END")) {
            // ical4j only knows upper-case BEGIN and END and would read a lower-case component as properties: its
            // events would silently vanish, and a feed refresh would cancel their weddings.
            throw new Rejected("BEGIN and END must be written in upper case");
        }
        Frame frame = frames.peek();
        property = upper;
        propertyIsCalendarZone = frame == null && upper.equals(CALENDAR_ZONE);
        propertyDelegated = false;
        parameters = 0;
        if (frame == null) {
            return;
        }
        switch (frame.kind()) {
            case EVENT -> {
                ParsedEvent event = frame.event();
                if (RECURRENCE_PROPERTIES.contains(upper)) {
                    event.recurring = true;
                } else if (EVENT_PROPERTIES.contains(upper)) {
                    if (event.seenProperties.add(upper)) {
                        propertyDelegated = true;
                    } else {
                        event.problems.add(upper + " appears more than once");
                    }
                }
            }
            case TIME_ZONE, OBSERVANCE -> {
                if (TIME_ZONE_PROPERTIES.contains(upper)) {
                    countTimeZoneItem();
                    propertyDelegated = true;
                }
            }
            case SKIPPED -> { }
        }
        if (propertyDelegated) {
            super.startProperty(name);
        }
    }

    @Override
    public void parameter(String name, String value) {
        if (value.length() > limits.maxValueLength()) {
            tooLong();
            return;
        }
        if (propertyDelegated && ++parameters > MAX_PARAMETERS) {
            dropProperty(property + " has more than " + MAX_PARAMETERS + " parameters");
        }
        if (propertyDelegated) {
            try {
                super.parameter(name, value);
            } catch (RuntimeException e) {
                dropProperty(property + " has a parameter that cannot be read");
            }
        }
    }

    @Override
    public void propertyValue(String value) {
        if (value.length() > limits.maxValueLength()) {
            tooLong();
            return;
        }
        if (propertyIsCalendarZone) {
            calendarZone = value.trim();
        }
        if (propertyDelegated) {
            super.propertyValue(value);
        }
    }

    @Override
    public void endProperty(String name) {
        if (propertyDelegated) {
            try {
                super.endProperty(name);
            } catch (RuntimeException e) {
                dropProperty(property + " cannot be read");
            }
        }
        propertyDelegated = false;
        propertyIsCalendarZone = false;
    }

    private void countTimeZoneItem() {
        if (++timeZoneItems > MAX_TIME_ZONE_ITEMS) {
            throw new Rejected("the VTIMEZONE components hold more than " + MAX_TIME_ZONE_ITEMS
                    + " observances and properties");
        }
    }

    private void tooLong() {
        ParsedEvent event = frames.isEmpty() ? null : frames.peek().event();
        if (event == null) {
            throw new Rejected("a value outside any VEVENT is longer than " + limits.maxValueLength()
                    + " characters");
        }
        // Only names Vigil reads are quoted: any other name is the document's own text.
        String what = propertyDelegated ? property : "a property";
        event.problems.add(what + " has a value longer than " + limits.maxValueLength() + " characters");
        propertyDelegated = false;
        propertyIsCalendarZone = false;
    }

    private void dropProperty(String problem) {
        Frame frame = frames.peek();
        if (frame != null && frame.kind() == Kind.EVENT) {
            frame.event().problems.add(problem);
        }
        propertyDelegated = false;
    }

    /** The whole document is refused; thrown from inside ical4j's parser, which adds the line number. */
    static final class Rejected extends RuntimeException {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }
}
