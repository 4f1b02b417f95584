package io.vigil.calendar.csv;

import java.io.IOException;

/**
 * The CSV file as a whole cannot be imported: it is empty, has no usable header, is malformed, truncated or binary, or
 * breaks one of the {@link CsvLimits}. The message starts with the line number, says how to fix the file and never
 * repeats a value from it.
 */
public class CsvImportException extends IOException {
    private final int line;

    public CsvImportException(int line, String detail) {
        super("line " + line + ": " + detail);
        this.line = line;
    }

    /** The physical line where reading stopped; the header is line 1. */
    public int line() {
        return line;
    }
}
