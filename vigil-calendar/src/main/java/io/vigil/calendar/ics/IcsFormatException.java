package io.vigil.calendar.ics;

/**
 * The document as a whole cannot be read: not iCalendar, broken structure, or over an {@link IcsLimits} bound. The
 * message never quotes the document.
 */
public final class IcsFormatException extends RuntimeException {
    private final int line;

    // No cause is kept: ical4j's exceptions quote the offending text, which may be personal data.
    IcsFormatException(String message, int line) {
        super(line > 0 ? message + " (line " + line + ")" : message);
        this.line = line;
    }

    IcsFormatException(String message) {
        this(message, 0);
    }

    /** The line where reading stopped, from 1, or 0 when unknown. */
    public int line() {
        return line;
    }
}
