package io.vigil.calendar.csv;

import static io.vigil.calendar.csv.CsvFiles.HEADER;
import static io.vigil.calendar.csv.CsvFiles.read;
import static io.vigil.calendar.csv.CsvFiles.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vigil.core.wedding.Coordinator;
import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeddingCsvReaderTest {

    @Test
    void readsEveryColumnOfAGoodFile() throws IOException {
        CsvImport result = read("""
                id,date,time_zone,ceremony_start,reception_end,guest_count,venue,vendor_ids,status,\
                coordinator_name,coordinator_email,coordinator_phone
                w-1001,2026-06-13,Europe/London,2026-06-13T15:00,2026-06-13T23:30,120,Ashdown Barn,florist-7;dj-2,\
                scheduled,Sam Coordinator,sam@example.com,+44 20 7946 0000
                w-1002,,America/New_York,2026-07-04 16:00,2026-07-04 22:00,80,,,cancelled,,,
                """);

        assertThat(result.isClean()).isTrue();
        assertThat(result.problems()).isEmpty();
        assertThat(result.notices()).isEmpty();
        assertThat(result.rows()).isEqualTo(2);
        assertThat(result.weddings()).extracting(CsvWedding::line).containsExactly(2, 3);
        Wedding first = result.weddings().get(0).wedding();
        assertThat(first).isEqualTo(new Wedding("w-1001", LocalDate.of(2026, 6, 13), ZoneId.of("Europe/London"),
                LocalDateTime.of(2026, 6, 13, 15, 0), LocalDateTime.of(2026, 6, 13, 23, 30), 120, "Ashdown Barn",
                List.of("florist-7", "dj-2"), WeddingStatus.SCHEDULED, "csv",
                new Coordinator("Sam Coordinator", "sam@example.com", "+44 20 7946 0000")));
        Wedding second = result.weddings().get(1).wedding();
        assertThat(second.status()).isEqualTo(WeddingStatus.CANCELLED);
        assertThat(second.date()).isEqualTo(LocalDate.of(2026, 7, 4));
        assertThat(second.venue()).isNull();
        assertThat(second.vendorIds()).isEmpty();
        assertThat(second.coordinator()).isNull();
        assertThat(second.source()).isEqualTo("csv");
        assertThat(result.validWeddings()).containsExactly(first, second);
    }

    @Test
    void readsColumnsInAnyOrderAndCase() throws IOException {
        CsvImport result = read("Reception_End , VENUE,Time_Zone,ID,ceremony_START\n"
                + "2026-06-13 23:30,Ashdown Barn,Europe/London,w-1,2026-06-13 15:00\n");

        assertThat(result.isClean()).isTrue();
        Wedding wedding = result.weddings().get(0).wedding();
        assertThat(wedding.id()).isEqualTo("w-1");
        assertThat(wedding.venue()).isEqualTo("Ashdown Barn");
        assertThat(wedding.ceremonyStart()).isEqualTo(LocalDateTime.of(2026, 6, 13, 15, 0));
        assertThat(wedding.receptionEnd()).isEqualTo(LocalDateTime.of(2026, 6, 13, 23, 30));
    }

    @Test
    void acceptsEveryDateTimeForm() throws IOException {
        CsvImport result = read(HEADER + "\n"
                + "w-1,Europe/London,2026-06-13T15:00,2026-06-13T23:30\n"
                + "w-2,Europe/London,2026-06-13T15:00:00,2026-06-13T23:30:00\n"
                + "w-3,Europe/London,2026-06-13 15:00,2026-06-13 23:30\n"
                + "w-4,Europe/London,2026-06-13 15:00:00,2026-06-13 23:30:00\n");

        assertThat(result.problems()).isEmpty();
        assertThat(result.weddings()).extracting(w -> w.wedding().ceremonyStart(), w -> w.wedding().receptionEnd())
                .containsOnly(tuple(LocalDateTime.of(2026, 6, 13, 15, 0), LocalDateTime.of(2026, 6, 13, 23, 30)))
                .hasSize(4);
    }

    @Test
    void acceptsAByteOrderMarkAndCrlfLineEnds() throws IOException {
        CsvImport result = read("\uFEFF" + HEADER + "\r\n" + row("w-1") + "\r\n" + row("w-2") + "\r\n");

        assertThat(result.problems()).isEmpty();
        assertThat(result.notices()).isEmpty();
        assertThat(result.weddings()).extracting(w -> w.wedding().id()).containsExactly("w-1", "w-2");
        assertThat(result.weddings()).extracting(CsvWedding::line).containsExactly(2, 3);
    }

    @Test
    void readsQuotedValuesWithCommasQuotesAndLineBreaksAndCountsPhysicalLines() throws IOException {
        CsvImport result = read(HEADER + ",venue\r\n"
                + row("w-1") + ",\"Barn, \"\"The Old\"\"\r\nHall\"\r\n"
                + "\"w-2\",\"Europe/London\",\"2026-06-13 15:00\",\"2026-06-13 23:30\",\"A\nB\nC\"\n"
                + row("w-3") + ",Plain\n"
                + "w-4,Europe/Londn,2026-06-13 15:00,2026-06-13 23:30,\n");

        assertThat(result.weddings()).extracting(CsvWedding::line, w -> w.wedding().venue())
                .containsExactly(tuple(2, "Barn, \"The Old\"\r\nHall"), tuple(4, "A\nB\nC"), tuple(7, "Plain"));
        assertThat(result.problems()).extracting(CsvProblem::line).containsExactly(8);
    }

    @Test
    void fillsDefaultsForOptionalColumns() throws IOException {
        Wedding wedding = read(HEADER + ",guest_count,status,vendor_ids,date\n" + row("w-1") + ",,,,\n")
                .weddings().get(0).wedding();

        assertThat(wedding.guestCount()).isZero();
        assertThat(wedding.status()).isEqualTo(WeddingStatus.SCHEDULED);
        assertThat(wedding.vendorIds()).isEmpty();
        assertThat(wedding.date()).isEqualTo(LocalDate.of(2026, 6, 13));
        assertThat(wedding.coordinator()).isNull();
    }

    @Test
    void skipsBlankLinesAndTrailingEmptyValues() throws IOException {
        CsvImport result = read("\n" + HEADER + "\n\n" + row("w-1") + ",,,\n,,,\n   \n" + row("w-2") + "\n\n");

        assertThat(result.problems()).isEmpty();
        assertThat(result.rows()).isEqualTo(2);
        assertThat(result.weddings()).extracting(CsvWedding::line).containsExactly(4, 7);
    }

    @Test
    void acceptsAReceptionEndingAfterMidnight() throws IOException {
        CsvImport result = read(HEADER + "\nw-1,Europe/London,2026-06-13 15:00,2026-06-14 01:30\n");

        assertThat(result.problems()).isEmpty();
        Wedding wedding = result.weddings().get(0).wedding();
        assertThat(wedding.date()).isEqualTo(LocalDate.of(2026, 6, 13));
        assertThat(wedding.receptionEnd()).isEqualTo(LocalDateTime.of(2026, 6, 14, 1, 30));
    }

    @Test
    void reportsAReceptionBeforeTheCeremony() throws IOException {
        CsvImport result = read(HEADER + "\n"
                + "w-1,Europe/London,2026-06-13 15:00,2026-06-13 01:30\n"
                + "w-2,Europe/London,2026-06-13 15:00,2026-06-13 15:00\n"
                + "w-3,Europe/London,2026-06-13 15:00,2026-06-15 15:00\n");

        assertThat(result.weddings()).isEmpty();
        assertThat(result.problems()).extracting(CsvProblem::line, CsvProblem::column).containsExactly(
                tuple(2, "reception_end"), tuple(3, "reception_end"), tuple(4, "reception_end"));
        assertThat(result.problems().get(0)).hasToString("line 2: reception_end 2026-06-13T01:30 is not after"
                + " ceremony_start 2026-06-13T15:00; a reception that ends after midnight ends on the next date,"
                + " such as 2026-06-14 01:00");
        assertThat(result.problems().get(2).message()).contains("more than 36 hours");
    }

    @Test
    void reportsBadDatesWithTheFix() throws IOException {
        CsvImport result = read(HEADER + ",date\n"
                + "w-1,Europe/London,13/06/2026 15:00,2026-06-13 23:30,\n"
                + "w-2,Europe/London,2026-06-13 15:00,2026-02-30 23:30,\n"
                + "w-3,Europe/London,2026-06-13,2026-06-13 23:30,\n"
                + "w-4,Europe/London,2026-06-13T15:00+02:00,2026-06-13 23:30,\n"
                + "w-5,Europe/London,2026-06-13 15:00,2026-06-13 23:30,2026-06-14\n"
                + "w-6,Europe/London,2026-06-13 15:00,2026-06-13 23:30,13.06.2026\n"
                + "w-7,Europe/London,,2026-06-13 23:30,\n");

        assertThat(result.weddings()).isEmpty();
        assertThat(result.problems()).extracting(CsvProblem::line, CsvProblem::column).containsExactly(
                tuple(2, "ceremony_start"), tuple(3, "reception_end"), tuple(4, "ceremony_start"),
                tuple(5, "ceremony_start"), tuple(6, "date"), tuple(7, "date"), tuple(8, "ceremony_start"));
        assertThat(result.problems()).extracting(CsvProblem::toString).containsExactly(
                "line 2: ceremony_start '13/06/2026 15:00' is not a local date and time such as 2026-06-13T15:00"
                        + " or 2026-06-13 15:00",
                "line 3: reception_end '2026-02-30 23:30' is not a real date and time; check the day, month and"
                        + " hour",
                "line 4: ceremony_start '2026-06-13' has no time of day; write it such as 2026-06-13T15:00 or"
                        + " 2026-06-13 15:00",
                "line 5: ceremony_start '2026-06-13T15:00+02:00' has a time zone offset; write the local time"
                        + " without it, such as 2026-06-13T15:00 or 2026-06-13 15:00 (the zone comes from time_zone)",
                "line 6: date 2026-06-14 is not the date of ceremony_start 2026-06-13T15:00; date is the ceremony's"
                        + " day (leave it empty to use it)",
                "line 7: date '13.06.2026' is not a date such as 2026-06-13; leave it empty to use the date of"
                        + " ceremony_start",
                "line 8: ceremony_start is missing; give the local date and time such as 2026-06-13T15:00 or"
                        + " 2026-06-13 15:00");
    }

    @Test
    void reportsUnknownTimeZones() throws IOException {
        CsvImport result = read(HEADER + "\n"
                + "w-1,Europe/Londn,2026-06-13 15:00,2026-06-13 23:30\n"
                + "w-2,+02:00,2026-06-13 15:00,2026-06-13 23:30\n"
                + "w-3,,2026-06-13 15:00,2026-06-13 23:30\n"
                + "w-4,europe/london,2026-06-13 15:00,2026-06-13 23:30\n");

        assertThat(result.problems()).extracting(CsvProblem::toString).containsExactly(
                "line 2: time_zone 'Europe/Londn' is not an IANA time zone id such as Europe/London",
                "line 3: time_zone '+02:00' is a fixed offset, not an IANA time zone id such as Europe/London (a zone"
                        + " id follows the venue's daylight saving time)",
                "line 4: time_zone is missing; give the venue's IANA time zone id such as Europe/London");
        assertThat(result.problems()).extracting(CsvProblem::column).containsOnly("time_zone");
        assertThat(result.weddings()).singleElement()
                .satisfies(w -> assertThat(w.wedding().timeZone()).isEqualTo(ZoneId.of("Europe/London")));
    }

    @Test
    void reportsADuplicateIdOnItsLaterLineWithTheEarlierLine() throws IOException {
        CsvImport result = read(HEADER + "\n" + row("w-1") + "\n" + row("w-2") + "\n" + row("w-1") + "\n"
                + row("w-1") + "\n");

        assertThat(result.weddings()).extracting(CsvWedding::line, w -> w.wedding().id())
                .containsExactly(tuple(2, "w-1"), tuple(3, "w-2"));
        assertThat(result.problems()).extracting(CsvProblem::toString).containsExactly(
                "line 4: id 'w-1' is already used on line 2; each wedding needs its own id",
                "line 5: id 'w-1' is already used on line 2; each wedding needs its own id");
        assertThat(result.problems()).extracting(CsvProblem::column).containsOnly("id");
    }

    @Test
    void reportsAGuestCountThatIsNotAWholeNumberInRange() throws IOException {
        CsvImport result = read(HEADER + ",guest_count\n"
                + row("w-1") + ",about 120\n"
                + row("w-2") + ",-5\n"
                + row("w-3") + ",250000\n"
                + row("w-4") + ",99999999999999999999\n"
                + row("w-5") + ",12.5\n"
                + row("w-6") + ",0120\n");

        assertThat(result.problems()).extracting(CsvProblem::toString).containsExactly(
                "line 2: guest_count 'about 120' is not a whole number such as 120",
                "line 3: guest_count '-5' is negative; give the expected number of guests, 0 or more",
                "line 4: guest_count '250000' is more than the 100000 allowed",
                "line 5: guest_count '99999999999999999999' is more than the 100000 allowed",
                "line 6: guest_count '12.5' is not a whole number such as 120");
        assertThat(result.weddings()).singleElement()
                .satisfies(w -> assertThat(w.wedding().guestCount()).isEqualTo(120));
    }

    @Test
    void reportsBadIdsVendorsAndStatus() throws IOException {
        CsvImport result = read(HEADER + ",vendor_ids,status\n"
                + ",Europe/London,2026-06-13 15:00,2026-06-13 23:30,,\n"
                + "w 1,Europe/London,2026-06-13 15:00,2026-06-13 23:30,,\n"
                + row("w-3") + ",florist-7;acme florist,\n"
                + row("w-4") + ",,postponed\n");

        assertThat(result.problems()).extracting(CsvProblem::line, CsvProblem::column).containsExactly(
                tuple(2, "id"), tuple(3, "id"), tuple(4, "vendor_ids"), tuple(5, "status"));
        assertThat(result.problems().get(2).message()).startsWith("vendor_ids has 'acme florist', which is not a"
                + " vendor id");
        assertThat(result.problems().get(3)).hasToString("line 5: status 'postponed' must be scheduled or cancelled"
                + " (empty means scheduled)");
    }

    @Test
    void reportsEveryProblemOfARowAndKeepsTheValidRows() throws IOException {
        CsvImport result = read(HEADER + ",guest_count\n"
                + row("w-1") + ",10\n"
                + "w-2,Mars/Olympus,June 13th,2026-06-13 23:30,lots\n"
                + row("w-3") + ",30\n");

        assertThat(result.isClean()).isFalse();
        assertThat(result.rows()).isEqualTo(3);
        assertThat(result.weddings()).extracting(w -> w.wedding().id()).containsExactly("w-1", "w-3");
        assertThat(result.problems()).extracting(CsvProblem::line, CsvProblem::column).containsExactly(
                tuple(3, "time_zone"), tuple(3, "ceremony_start"), tuple(3, "guest_count"));
    }

    @Test
    void reportsARowWithMoreValuesThanTheHeader() throws IOException {
        CsvImport result = read(HEADER + ",venue\n" + row("w-1") + ",Barn, Ashdown\n");

        assertThat(result.weddings()).isEmpty();
        assertThat(result.problems()).extracting(CsvProblem::toString).containsExactly(
                "line 2: the row has 6 values but the header names 5 columns; quote values that contain commas");
    }

    @Test
    void shortensLongValuesInProblemsToFortyCharacters() throws IOException {
        String longZone = "Europe/" + "X".repeat(300);
        String longId = "w " + "y".repeat(300);
        CsvImport result = read(HEADER + "\n" + longId + "," + longZone + ",2026-06-13 15:00,2026-06-13 23:30\n");

        assertThat(result.problems()).hasSize(2).allSatisfy(p -> {
            String quoted = p.message().substring(p.message().indexOf('\''), p.message().indexOf('\'',
                    p.message().indexOf('\'') + 1) + 1);
            assertThat(quoted.length() - 2).isLessThanOrEqualTo(40);
            assertThat(p.message()).doesNotContain("X".repeat(40)).doesNotContain("y".repeat(40));
        });
    }

    @Test
    void reportsProgressEveryNRowsAndAtTheEndForTenThousandRows() throws IOException {
        StringBuilder csv = new StringBuilder(HEADER + ",guest_count,venue,vendor_ids\r\n");
        for (int i = 0; i < 10_000; i++) {
            LocalDateTime start = LocalDateTime.of(2026, 1, 1, 14, 0).plusDays(i % 700);
            csv.append("w-").append(i).append(',').append(i % 2 == 0 ? "Europe/London" : "America/Chicago")
                    .append(',').append(start).append(',').append(start.plusHours(11)).append(',').append(i % 300)
                    .append(",\"Venue ").append(i).append(", Hall\",florist-").append(i % 17).append(";dj-1\r\n");
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        List<long[]> calls = new ArrayList<>();

        CsvImport result = new WeddingCsvReader().read(new ByteArrayInputStream(bytes), 1_000,
                (rows, read) -> calls.add(new long[] {rows, read}));

        assertThat(result.isClean()).isTrue();
        assertThat(result.weddings()).hasSize(10_000);
        assertThat(result.weddings().get(9_999).line()).isEqualTo(10_001);
        assertThat(result.rows()).isEqualTo(10_000);
        assertThat(result.bytes()).isEqualTo(bytes.length);
        // The end-of-file call is left out when the call at row 10,000 already had the totals.
        assertThat(calls).extracting(c -> c[0]).startsWith(1_000L, 2_000L, 3_000L, 4_000L, 5_000L, 6_000L, 7_000L,
                8_000L, 9_000L, 10_000L).hasSizeBetween(10, 11);
        assertThat(calls).extracting(c -> c[1]).isSorted().allSatisfy(b -> assertThat(b).isPositive()
                .isLessThanOrEqualTo(bytes.length));
        assertThat(calls.get(0)[1]).isLessThan(bytes.length / 2);
        assertThat(calls.get(calls.size() - 1)).containsExactly(10_000, bytes.length);
    }

    @Test
    void reportsProgressOnceForASmallFile() throws IOException {
        List<long[]> calls = new ArrayList<>();
        String csv = HEADER + "\n" + row("w-1") + "\n";

        new WeddingCsvReader().read(CsvFiles.utf8(csv), 1_000, (rows, read) -> calls.add(new long[] {rows, read}));

        assertThat(calls).singleElement().satisfies(c -> assertThat(c).containsExactly(1, csv.length()));
    }

    @Test
    void leavesTheStreamOpen() throws IOException {
        boolean[] closed = {false};
        byte[] csv = (HEADER + "\n" + row("w-1")).getBytes(StandardCharsets.UTF_8);
        ByteArrayInputStream in = new ByteArrayInputStream(csv) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        new WeddingCsvReader().read(in);

        assertThat(closed[0]).isFalse();
    }

    @Test
    void describesEveryColumnForTheDocs() {
        assertThat(CsvColumn.fullHeader()).isEqualTo("id,date,time_zone,ceremony_start,reception_end,guest_count,"
                + "venue,vendor_ids,status,coordinator_name,coordinator_email,coordinator_phone");
        assertThat(CsvColumn.required()).extracting(CsvColumn::header)
                .containsExactly("id", "time_zone", "ceremony_start", "reception_end");
        assertThat(CsvColumn.forHeader(" Time_Zone ")).contains(CsvColumn.TIME_ZONE);
        assertThat(CsvColumn.forHeader("couple_name")).isEmpty();
        assertThat(CsvColumn.values()).filteredOn(CsvColumn::isPersonalData).extracting(CsvColumn::header)
                .containsExactly("coordinator_name", "coordinator_email", "coordinator_phone");
        assertThat(CsvColumn.values()).allSatisfy(c -> assertThat(c.description()).isNotBlank());
    }
}
