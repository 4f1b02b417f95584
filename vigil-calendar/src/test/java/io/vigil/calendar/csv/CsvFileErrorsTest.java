package io.vigil.calendar.csv;

import static io.vigil.calendar.csv.CsvFiles.HEADER;
import static io.vigil.calendar.csv.CsvFiles.read;
import static io.vigil.calendar.csv.CsvFiles.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Files that cannot be imported as a whole, and the limits against hostile input. */
class CsvFileErrorsTest {
    private static final CsvLimits SMALL = new CsvLimits(64 * 1024, 5, 10_000, 100);

    @Test
    void defaultLimitsAreFiftyMebibytesAHundredThousandRowsTenThousandCharactersAndAHundredColumns() {
        assertThat(new WeddingCsvReader().limits()).isEqualTo(CsvLimits.DEFAULT)
                .isEqualTo(new CsvLimits(52_428_800, 100_000, 10_000, 100));
    }

    @Test
    void stopsReadingAFileLargerThanTheSizeLimit() {
        EndlessRows endless = new EndlessRows();

        assertThatExceptionOfType(CsvImportException.class)
                .isThrownBy(() -> new WeddingCsvReader(new CsvLimits(64 * 1024, 100_000, 10_000, 100)).read(endless))
                .satisfies(e -> {
                    assertThat(e.getMessage()).matches("line \\d+: the file is larger than 65536 bytes, so reading"
                            + " stopped; split it into smaller files");
                    assertThat(e.line()).isGreaterThan(1000);
                });
        assertThat(endless.served).isGreaterThan(64 * 1024).isLessThan(64 * 1024 + 16 * 1024);
    }

    @Test
    void acceptsAFileOfExactlyTheSizeLimit() throws IOException {
        String csv = HEADER + "\n" + row("w-1") + "\n";
        int size = csv.getBytes(StandardCharsets.UTF_8).length;

        assertThat(read(new CsvLimits(size, 5, 100, 10), csv).isClean()).isTrue();
        assertThatExceptionOfType(CsvImportException.class)
                .isThrownBy(() -> read(new CsvLimits(size - 1, 5, 100, 10), csv))
                .withMessageContaining("larger than " + (size - 1) + " bytes");
    }

    @Test
    void stopsAtTheRowAfterTheRowLimit() throws IOException {
        String five = HEADER + "\n" + IntStream.rangeClosed(1, 5).mapToObj(i -> row("w-" + i) + "\n\n")
                .collect(Collectors.joining());

        assertThat(read(SMALL, five).weddings()).hasSize(5);
        assertThatExceptionOfType(CsvImportException.class).isThrownBy(() -> read(SMALL, five + row("w-6") + "\n"))
                .satisfies(e -> {
                    assertThat(e.line()).isEqualTo(12);
                    assertThat(e).hasMessage("line 12: the file has more than 5 wedding rows; split it into files"
                            + " of at most 5 rows");
                });
    }

    @Test
    void stopsAtAValueLongerThanTheFieldLimit() throws IOException {
        String header = HEADER + ",notes\n";

        assertThat(read(header + row("w-1") + "," + "n".repeat(10_000) + "\n").weddings()).hasSize(1);
        assertThat(read(header + row("w-1") + ",\"" + "n\n".repeat(5_000) + "\"\n").weddings()).hasSize(1);
        assertFails(() -> read(header + row("w-1") + "\n" + row("w-2") + "," + "n".repeat(10_001) + "\n"), 3,
                "line 3: a value in column 'notes' is longer than 10000 characters; shorten it, or close the quoted"
                        + " value before it");
        assertFails(() -> read(header + row("w-1") + ",\"" + "n\n".repeat(5_001) + "\"\n"), 2,
                "line 2: a value in column 'notes' is longer than 10000 characters; shorten it, or close the quoted"
                        + " value before it");
        assertFails(() -> read("id," + "h".repeat(20_000) + "\n"), 1,
                "line 1: a value in the header is longer than 10000 characters; shorten it, or close the quoted value"
                        + " before it");
    }

    @Test
    void stopsAtALineWithMoreColumnsThanTheLimit() throws IOException {
        String hundred = HEADER + IntStream.rangeClosed(5, 100).mapToObj(i -> ",extra" + i)
                .collect(Collectors.joining()) + "\n";

        CsvImport result = read(hundred + row("w-1") + ",x".repeat(96) + "\n");
        assertThat(result.weddings()).hasSize(1);
        assertThat(result.notices()).hasSize(96);
        assertFails(() -> read(hundred + row("w-1") + "\n" + row("w-2") + ",x".repeat(97) + "\n"), 3,
                "line 3: the line has more than 100 values; a wedding CSV file has 12 columns and at most 100 are"
                        + " read (is the file separated by commas?)");
        assertFails(() -> read(HEADER + ",".repeat(1_000_000) + "\n"), 1, null);
    }

    @Test
    void namesTheMissingRequiredColumnsOfAHeader() {
        assertFails(() -> read("id,ceremony_start,venue\n" + row("w-1") + "\n"), 1,
                "line 1: the header lacks the required columns time_zone, reception_end; a header names at least"
                        + " id,time_zone,ceremony_start,reception_end");
        assertFails(() -> read("ID,Time_Zone,ceremony_start\n"), 1,
                "line 1: the header lacks the required column reception_end; a header names at least"
                        + " id,time_zone,ceremony_start,reception_end");
    }

    @Test
    void refusesAFileWithoutAHeader() {
        assertFails(() -> read(row("w-1") + "\n" + row("w-2") + "\n"), 1,
                "line 1: the first line is not a header: it names none of the wedding columns. A wedding CSV file"
                        + " starts with a header row such as id,time_zone,ceremony_start,reception_end");
        assertFails(() -> read("id;time_zone;ceremony_start;reception_end\n"), 1,
                "line 1: the first line is not a header: it names none of the wedding columns. A wedding CSV file"
                        + " starts with a header row such as id,time_zone,ceremony_start,reception_end; the line seems"
                        + " separated by ; or tabs, but columns are separated by commas");
    }

    @Test
    void refusesAHeaderNamingAColumnTwice() {
        assertFails(() -> read(HEADER + ",Time_Zone\n"), 1,
                "line 1: column time_zone appears twice in the header (columns 2 and 5); keep one of them");
    }

    @Test
    void refusesMalformedQuotingWithItsLine() {
        assertFails(() -> read(HEADER + "\n" + row("w-1") + "\n\"w-2\"x,Europe/London,2026-06-13 15:00,"
                        + "2026-06-13 23:30\n" + row("w-3") + "\n"), 3,
                "line 3: the row is not valid CSV (near line 3): a closing quote must be followed by a comma or the"
                        + " end of the line, and a quote inside a quoted value is written twice (\"\")");
    }

    @Test
    void refusesATruncatedFileEndingInsideAQuotedValue() {
        assertFails(() -> read(HEADER + ",venue\n" + row("w-1") + ",Barn\n" + row("w-2") + ",\"The Old\nHall\n"
                        + "w-3,Europe/Lon"), 3,
                "line 3: a quoted value on this row is never closed: the file ends inside it (at line 5). The file"
                        + " may be truncated, or a quote inside a value is not written twice (\"\")");
        assertFails(() -> read(HEADER + "\n" + row("w-1") + "\n\"w-2"), 3, null);
    }

    @Test
    void refusesBinaryGarbageWithAClearError() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'};
        assertFails(() -> new WeddingCsvReader().read(new ByteArrayInputStream(png)), 1,
                "line 1: the header holds binary data or text that is not UTF-8; a wedding CSV file is UTF-8 text"
                        + " (save it as \"CSV UTF-8\")");

        byte[] utf16 = (HEADER + "\n" + row("w-1") + "\n").getBytes(StandardCharsets.UTF_16);
        assertFails(() -> new WeddingCsvReader().read(new ByteArrayInputStream(utf16)), 1, null);

        Random random = new Random(20260613);
        for (int i = 0; i < 200; i++) {
            byte[] garbage = new byte[1 + random.nextInt(100_000)];
            random.nextBytes(garbage);
            assertThatExceptionOfType(CsvImportException.class)
                    .isThrownBy(() -> new WeddingCsvReader().read(new ByteArrayInputStream(garbage)))
                    .satisfies(e -> assertThat(e.line()).isPositive());
        }
    }

    @Test
    void refusesBytesThatAreNotUtf8OnTheLineTheyAreOn() throws IOException {
        ByteArrayOutputStream latin1 = new ByteArrayOutputStream();
        latin1.writeBytes((HEADER + ",venue\n" + row("w-1") + ",Barn\n").getBytes(StandardCharsets.UTF_8));
        latin1.writeBytes((row("w-2") + ",Château\n").getBytes(StandardCharsets.ISO_8859_1));

        assertFails(() -> new WeddingCsvReader().read(new ByteArrayInputStream(latin1.toByteArray())), 3,
                "line 3: column venue holds binary data or text that is not UTF-8; a wedding CSV file is UTF-8 text"
                        + " (save it as \"CSV UTF-8\")");
        assertThat(read(HEADER + ",venue\n" + row("w-1") + ",Château\tde Fleur\n").weddings().get(0).wedding()
                .venue()).isEqualTo("Château\tde Fleur");
    }

    @Test
    void refusesAnEmptyFile() {
        String empty = "line 1: the file is empty; a wedding CSV file starts with a header row such as"
                + " id,date,time_zone,ceremony_start,reception_end,guest_count,venue,vendor_ids,status,"
                + "coordinator_name,coordinator_email,coordinator_phone";
        assertFails(() -> read(""), 1, empty);
        assertFails(() -> read("\uFEFF"), 1, empty);
        assertFails(() -> read("\n\r\n  \n"), 1,
                empty.replace("the file is empty", "the file has only blank lines"));
    }

    @Test
    void acceptsAHeaderWithoutRowsAsACleanEmptyImport() throws IOException {
        CsvImport result = read("\uFEFF" + HEADER + "\r\n");

        assertThat(result.isClean()).isTrue();
        assertThat(result.weddings()).isEmpty();
        assertThat(result.rows()).isZero();
        assertThat(result.notices()).containsExactly("the file has a header but no wedding rows");
    }

    private static void assertFails(ThrowingCallable read, int line, String message) {
        assertThatExceptionOfType(CsvImportException.class).isThrownBy(read).satisfies(e -> {
            assertThat(e.line()).isEqualTo(line);
            assertThat(e.getMessage()).startsWith("line " + line + ": ");
            if (message != null) {
                assertThat(e).hasMessage(message);
            }
        });
    }

    /** A header, then valid rows without end. */
    private static final class EndlessRows extends InputStream {
        private byte[] chunk = (HEADER + "\n").getBytes(StandardCharsets.UTF_8);
        private int at;
        private long rows;
        long served;

        @Override
        public int read() {
            if (at == chunk.length) {
                chunk = (row("w-" + rows++) + "\n").getBytes(StandardCharsets.UTF_8);
                at = 0;
            }
            served++;
            return chunk[at++] & 0xFF;
        }
    }
}
