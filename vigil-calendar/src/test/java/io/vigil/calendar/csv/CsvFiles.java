package io.vigil.calendar.csv;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Helpers shared by the CSV tests. */
final class CsvFiles {
    static final String HEADER = "id,time_zone,ceremony_start,reception_end";

    private CsvFiles() {
    }

    static InputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    static CsvImport read(String text) throws IOException {
        return new WeddingCsvReader().read(utf8(text));
    }

    static CsvImport read(CsvLimits limits, String text) throws IOException {
        return new WeddingCsvReader(limits).read(utf8(text));
    }

    /** A valid row for {@link #HEADER}. */
    static String row(String id) {
        return id + ",Europe/London,2026-06-13 15:00,2026-06-13 23:30";
    }
}
