package io.vigil.calendar.csv;

/**
 * Bounds that protect a CSV import against hostile or mistaken input; breaking one stops the import with a
 * {@link CsvImportException}.
 *
 * @param maxBytes largest file, in bytes; reading stops as soon as more arrive
 * @param maxRows most wedding rows after the header
 * @param maxFieldChars longest single value, in characters
 * @param maxColumns most values on one line (the header included)
 */
public record CsvLimits(long maxBytes, int maxRows, int maxFieldChars, int maxColumns) {

    /** 50 MiB, 100,000 rows, 10,000 characters a value, 100 columns. */
    public static final CsvLimits DEFAULT = new CsvLimits(50L * 1024 * 1024, 100_000, 10_000, 100);

    public CsvLimits {
        if (maxBytes < 1 || maxRows < 1 || maxFieldChars < 1 || maxColumns < 1) {
            throw new IllegalArgumentException("every CSV limit must be at least 1");
        }
    }
}
