package io.vigil.calendar.csv;

/** Told how far a CSV import has got, for a progress bar; called on the reading thread. */
@FunctionalInterface
public interface CsvProgress {

    /** A callback that ignores every report. */
    CsvProgress NONE = (rows, bytes) -> { };

    /**
     * @param rows wedding rows read so far (valid or not; blank lines are not counted)
     * @param bytes bytes consumed from the input stream so far, which runs a little ahead of the rows
     */
    void progress(long rows, long bytes);
}
