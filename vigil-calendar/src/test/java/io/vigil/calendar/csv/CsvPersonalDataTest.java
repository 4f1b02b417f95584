package io.vigil.calendar.csv;

import static io.vigil.calendar.csv.CsvFiles.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.vigil.core.wedding.Wedding;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Couple and guest data in dropped columns, and the coordinator's contact, never come back out of an import. */
class CsvPersonalDataTest {
    private static final String NAME = "Amelia Hartwell";
    private static final String EMAIL = "amelia.hartwell@example.com";
    private static final String PHONE = "+44 7700 900123";
    private static final String HEADER = "id,couple_name,time_zone,ceremony_start,reception_end,guest_email,"
            + "coordinator_name,coordinator_email,coordinator_phone,guest_phone,Couple_Name";
    private static final String PLANTED = NAME + "," + "Europe/London,2026-06-13 15:00,2026-06-13 23:30,";

    @Test
    void dropsUnknownColumnsOnceAsNoticesAndNeverRepeatsTheirValues() throws IOException {
        CsvImport result = read(HEADER + "\n"
                + "w-1," + PLANTED + EMAIL + "," + NAME + "," + EMAIL + "," + PHONE + "," + PHONE + "," + NAME + "\n"
                + "w-2," + NAME + ",Europe/Londn,2026-06-13 15:00,2026-06-13 23:30," + EMAIL + ",,,," + PHONE
                + "," + NAME + "\n"
                + "w-1," + PLANTED + EMAIL + ",,,," + PHONE + "," + NAME + "\n"
                + "w-4," + PLANTED + EMAIL + ",," + NAME + "," + EMAIL + " " + PHONE + "," + PHONE + "," + NAME
                + "\n"
                + "w-5," + PLANTED + EMAIL + ",,,," + PHONE + "," + NAME + "," + EMAIL + "\n");

        assertThat(result.notices()).containsExactly(
                "column 'couple_name' is not a wedding column: its values were dropped and not stored",
                "column 'guest_email' is not a wedding column: its values were dropped and not stored",
                "column 'guest_phone' is not a wedding column: its values were dropped and not stored");
        assertThat(result.weddings()).extracting(CsvWedding::line).containsExactly(2);
        assertThat(result.problems()).extracting(CsvProblem::line, CsvProblem::column).containsExactly(
                tuple(3, "time_zone"),
                tuple(4, "id"),
                tuple(5, "coordinator_email"),
                tuple(5, "coordinator_phone"),
                tuple(6, null));
        assertThat(result.problems().get(2).message()).isEqualTo("coordinator_email is not an email address such as"
                + " name@example.com of at most 254 characters (the value is personal data and is not shown)");

        Wedding stored = result.weddings().get(0).wedding();
        assertThat(stored.coordinator().name()).isEqualTo(NAME);
        List<String> texts = new ArrayList<>();
        texts.add(result.toString());
        texts.add(stored.toString());
        texts.add(result.weddings().get(0).toString());
        texts.addAll(result.notices());
        result.problems().forEach(p -> {
            texts.add(p.toString());
            texts.add(p.message());
        });
        assertThat(texts).allSatisfy(CsvPersonalDataTest::assertNothingPlanted);
        assertThat(stored.toString()).doesNotContain(NAME, EMAIL, PHONE);
    }

    @Test
    void aFileWithoutAHeaderDoesNotEchoItsFirstRow() {
        String csv = "w-1," + PLANTED + EMAIL + "," + PHONE + "\n";

        assertThatExceptionOfType(CsvImportException.class).isThrownBy(() -> read(csv)).satisfies(e -> {
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.getMessage()).startsWith("line 1: the first line is not a header");
            assertNothingPlanted(e.getMessage());
            assertNothingPlanted(e.toString());
        });
    }

    @Test
    void fileErrorsNeverRepeatPersonalValues() {
        String header = HEADER + "\n";
        String row = "w-1," + PLANTED + EMAIL + "," + NAME + "," + EMAIL + "," + PHONE + "," + PHONE + ",";
        List<String> broken = List.of(
                header + row + NAME + "\u0000\n",
                header + row + "\"" + NAME + "\"" + EMAIL + "\n",
                header + row + "\"" + NAME + " " + EMAIL + " " + PHONE + "\n",
                header + row + NAME.repeat(1_000) + "\n",
                header + row + NAME + ",,,," + EMAIL + "," + PHONE + ",x".repeat(100) + "\n");

        for (String csv : broken) {
            assertThatExceptionOfType(CsvImportException.class).isThrownBy(() -> read(csv)).satisfies(e -> {
                assertThat(e.line()).isEqualTo(2);
                assertNothingPlanted(e.getMessage());
                assertThat(e.getCause()).isNull();
            });
        }
    }

    private static void assertNothingPlanted(String text) {
        assertThat(text).doesNotContain(NAME, EMAIL, PHONE, "Amelia", "Hartwell", "7700", "900123");
    }
}
