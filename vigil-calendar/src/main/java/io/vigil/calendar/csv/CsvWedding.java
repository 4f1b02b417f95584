package io.vigil.calendar.csv;

import io.vigil.core.wedding.Wedding;
import java.util.Objects;

/**
 * A valid wedding read from a CSV file and the line it came from.
 *
 * @param line the physical line where the row starts; the header is line 1
 * @param wedding the wedding, with source {@code csv}
 */
public record CsvWedding(int line, Wedding wedding) {

    public CsvWedding {
        Objects.requireNonNull(wedding, "wedding");
    }
}
