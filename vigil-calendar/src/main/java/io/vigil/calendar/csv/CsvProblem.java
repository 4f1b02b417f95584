package io.vigil.calendar.csv;

import java.util.Objects;

/**
 * Why one row of a CSV file was not imported, and how to fix it. The message may quote an invalid id, zone, date or
 * number (at most 40 characters of it), never a personal value or one from a dropped column.
 *
 * @param line the physical line where the row starts; the header is line 1
 * @param column the column at fault ({@code time_zone}), or null when the row as a whole is wrong
 * @param message what is wrong and how to fix it, without the line number
 */
public record CsvProblem(int line, String column, String message) {

    public CsvProblem {
        Objects.requireNonNull(message, "message");
    }

    /** {@code line 7: time_zone 'Europe/Londn' is not an IANA time zone id such as Europe/London}. */
    @Override
    public String toString() {
        return "line " + line + ": " + message;
    }
}
