package io.vigil.calendar.ics;

import static io.vigil.calendar.ics.Ics.calendar;
import static io.vigil.calendar.ics.Ics.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IcsHostileInputTest {
    private final IcsWeddingParser parser = new IcsWeddingParser();

    private IcsParseResult parse(byte[] document) {
        return parser.parse(document, "ics:hostile");
    }

    @Test
    void malformedStructureIsOneClearErrorWithItsLine() {
        byte[] document = Ics.text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:secret-uid-1\r\n"
                + "END:VTODO\r\nEND:VCALENDAR\r\n");

        assertThatThrownBy(() -> parse(document)).isInstanceOfSatisfying(IcsFormatException.class, e -> {
            assertThat(e.getMessage()).startsWith("not a valid iCalendar document: the structure is broken");
            assertThat(e.line()).isEqualTo(5);
            assertThat(e.getMessage()).endsWith("(line 5)").doesNotContain("VTODO", "secret-uid-1");
            assertThat(e.getCause()).isNull();
        });
    }

    @Test
    void somethingElseThanICalendarIsRejected() {
        for (String text : List.of("<!DOCTYPE html><html><body>Sign in</body></html>", "{\"events\": []}",
                "BEGIN:VCARD\r\nFN:Jane Doe\r\nEND:VCARD\r\n")) {
            assertThatThrownBy(() -> parse(Ics.text(text))).isInstanceOf(IcsFormatException.class)
                    .hasMessageStartingWith("not a valid iCalendar document")
                    .message().doesNotContain("Sign in", "Jane", "events");
        }
    }

    @Test
    void lowerCaseComponentsAreRejectedRatherThanSilentlyDropped() {
        byte[] document = calendar(event("upper", "DTSTART;TZID=Europe/London:20260612T140000", "DURATION:PT9H"),
                "begin:vevent\nuid:lower\ndtstart;tzid=Europe/London:20260612T140000\nduration:PT9H\nend:vevent");

        assertThatThrownBy(() -> parse(document)).isInstanceOf(IcsFormatException.class)
                .hasMessage("BEGIN and END must be written in upper case (line 10)");
    }

    @Test
    void emptyDocumentIsRejected() {
        assertThatThrownBy(() -> parse(new byte[0])).isInstanceOf(IcsFormatException.class)
                .hasMessageStartingWith("the document is empty");
        assertThatThrownBy(() -> parse(Ics.text("\r\n \r\n"))).isInstanceOf(IcsFormatException.class)
                .hasMessageStartingWith("the document is empty");
    }

    @Test
    void truncatedDocumentIsRejectedWhole() {
        byte[] whole = calendar(Ics.LONDON,
                event("first", "DTSTART;TZID=Europe/London:20260612T140000", "DURATION:PT9H"),
                event("second", "DTSTART;TZID=Europe/London:20260613T140000", "DURATION:PT9H"));
        for (int cut : List.of(whole.length - 5, whole.length / 2, 40)) {
            byte[] truncated = Arrays.copyOf(whole, cut);

            // Half a feed must not look like a feed whose other weddings were removed.
            assertThatThrownBy(() -> parse(truncated)).isInstanceOf(IcsFormatException.class)
                    .hasMessageStartingWith("not a valid iCalendar document")
                    .satisfies(e -> assertThat(((IcsFormatException) e).line()).isPositive());
        }
    }

    @Test
    void documentOverTheSizeLimitIsRejectedBeforeParsing() {
        byte[] huge = new byte[IcsLimits.DEFAULTS.maxBytes() + 1];
        Arrays.fill(huge, (byte) 'A');

        long started = System.nanoTime();
        assertThatThrownBy(() -> parse(huge)).isInstanceOf(IcsFormatException.class)
                .hasMessage("the document is 10485761 bytes, more than the limit of 10485760");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(1_000);
    }

    @Test
    void deeplyNestedDocumentIsRejectedWithoutExhaustingTheStack() {
        StringBuilder sb = new StringBuilder("BEGIN:VCALENDAR\r\n");
        sb.append("BEGIN:VEVENT\r\n".repeat(200_000));
        sb.append("END:VEVENT\r\n".repeat(200_000)).append("END:VCALENDAR\r\n");

        assertThatThrownBy(() -> parse(Ics.text(sb.toString()))).isInstanceOfSatisfying(IcsFormatException.class,
                e -> {
                    assertThat(e.getMessage()).isEqualTo("components are nested more than 8 deep (line 10)");
                    assertThat(e.line()).isEqualTo(10);
                });
    }

    @Test
    void nestingWithinTheLimitIsRead() {
        IcsParseResult result = parse(calendar(event("nested-ok", "DTSTART;TZID=Europe/London:20260612T140000",
                "DURATION:PT9H", "BEGIN:VALARM", "BEGIN:X-A", "BEGIN:X-B", "BEGIN:X-C", "BEGIN:X-D", "BEGIN:X-E",
                "BEGIN:X-F", "END:X-F", "END:X-E", "END:X-D", "END:X-C", "END:X-B", "END:X-A", "END:VALARM")));

        assertThat(result.weddings()).hasSize(1);
    }

    @Test
    void binaryGarbageIsRejected() {
        Random random = new Random(42);
        for (int size : List.of(1, 100, 1 << 20)) {
            byte[] garbage = new byte[size];
            random.nextBytes(garbage);
            garbage[0] = 0; // not whitespace, so not taken for an empty document

            assertThatThrownBy(() -> parse(garbage)).isInstanceOf(IcsFormatException.class)
                    .hasMessageStartingWith("not a valid iCalendar document");
        }
    }

    @Test
    void garbageInsideAValidCalendarIsRejected() {
        byte[] head = Ics.text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n");
        byte[] garbage = new byte[64 * 1024];
        new Random(7).nextBytes(garbage);
        byte[] document = Arrays.copyOf(head, head.length + garbage.length);
        System.arraycopy(garbage, 0, document, head.length, garbage.length);

        assertThatThrownBy(() -> parse(document)).isInstanceOf(IcsFormatException.class)
                .hasMessageStartingWith("not a valid iCalendar document");
    }

    @Test
    void tooManyEventsIsRejected() {
        IcsWeddingParser small = new IcsWeddingParser(new IcsLimits(1 << 20, 3, 8, 1000));
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.add(event("e" + i, "DTSTART;TZID=Europe/London:20260612T140000", "DURATION:PT9H"));
        }

        assertThatThrownBy(() -> small.parse(calendar(events.toArray(String[]::new)), "ics:x"))
                .isInstanceOf(IcsFormatException.class).hasMessageStartingWith("the document has more than 3 events");
        assertThat(small.parse(calendar(events.subList(0, 3).toArray(String[]::new)), "ics:x").weddings())
                .hasSize(3);
    }

    @Test
    void overlongValueInAnEventRejectsThatEventOnly() {
        IcsWeddingParser small = new IcsWeddingParser(new IcsLimits(1 << 20, 100, 8, 100));
        IcsParseResult result = small.parse(calendar(
                event("long", "DTSTART;TZID=Europe/London:20260612T140000", "DURATION:PT9H",
                        "DESCRIPTION:" + "y".repeat(101)),
                event("long-venue", "DTSTART;TZID=Europe/London:20260612T140000", "DURATION:PT9H",
                        "LOCATION:" + "y".repeat(101)),
                event("short", "DTSTART;TZID=Europe/London:20260612T140000", "DURATION:PT9H",
                        "DESCRIPTION:" + "y".repeat(100))), "ics:x");

        assertThat(result.weddings()).extracting(w -> w.id()).containsExactly("short");
        assertThat(result.problems()).extracting(IcsProblem::message).containsExactly(
                "a property has a value longer than 100 characters",
                "LOCATION has a value longer than 100 characters");
    }

    @Test
    void overlongValueOutsideEventsRejectsTheDocument() {
        IcsWeddingParser small = new IcsWeddingParser(new IcsLimits(1 << 20, 100, 8, 100));

        assertThatThrownBy(() -> small.parse(calendar("X-WR-CALNAME:" + "z".repeat(101)), "ics:x"))
                .isInstanceOf(IcsFormatException.class)
                .hasMessage("a value outside any VEVENT is longer than 100 characters (line 4)");
    }

    @Test
    void tooManyTimeZonesIsRejected() {
        List<String> zones = new ArrayList<>();
        for (int i = 0; i <= WeddingContentHandler.MAX_TIME_ZONES; i++) {
            zones.add(Ics.KOLKATA.replace("TZID:Asia/Kolkata", "TZID:Zone-" + i));
        }

        assertThatThrownBy(() -> parse(calendar(zones.toArray(String[]::new)))).isInstanceOf(IcsFormatException.class)
                .hasMessageStartingWith("the document has more than 100 VTIMEZONE components");
    }

    @Test
    void manyParsesDoNotExhaustIcal4jsTimeZonePool() {
        // ical4j lends each registered VTIMEZONE one of 1,500 JVM-wide zone ids; each parse gives its ids back.
        byte[] document = calendar(Ics.LONDON, Ics.NEW_YORK, Ics.KOLKATA,
                event("pool", "DTSTART;TZID=Asia/Kolkata:20260612T140000", "DURATION:PT9H"));
        List<IcsParseResult> kept = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            kept.add(parse(document));
        }

        assertThat(kept).allSatisfy(r -> assertThat(r.weddings()).hasSize(1));
    }

    @Test
    void aVtimezoneAfterTheEventsIsStillHonoured() {
        String custom = Ics.KOLKATA.replace("TZID:Asia/Kolkata", "TZID:Venue Zone")
                .replace("BEGIN:STANDARD", "X-LIC-LOCATION:Asia/Kolkata\nBEGIN:STANDARD");
        IcsParseResult result = parse(calendar(
                event("early", "DTSTART;TZID=Venue Zone:20260612T140000", "DTEND;TZID=Venue Zone:20260612T230000"),
                custom));

        assertThat(result.problems()).isEmpty();
        assertThat(result.weddings()).singleElement().satisfies(w -> {
            assertThat(w.timeZone()).hasToString("Asia/Kolkata");
            assertThat(w.ceremonyStartInstant()).hasToString("2026-06-12T08:30:00Z");
        });
    }

    /**
     * Every worst case the default limits allow, parsed in a JVM with a 96 MiB heap and a 256 KiB stack: none may end
     * in an OutOfMemoryError or StackOverflowError.
     */
    @Test
    void worstCaseDocumentsFitInASmallHeap(@TempDir Path dir) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> shapes = List.of("full-events", "unknown-zones", "tiny-properties", "tiny-parameters",
                "one-long-line", "nested", "observances", "alarms", "empty-events");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx96m", "-Xss256k", "-cp",
                System.getProperty("java.class.path"), HostileDocuments.class.getName()));
        command.addAll(shapes);
        Path output = dir.resolve("output.txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .start();

        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        assertThat(text).doesNotContain("OutOfMemoryError", "StackOverflowError").contains(
                "full-events: 50000 weddings, 0 problems",
                "unknown-zones: 0 weddings, 50000 problems",
                "tiny-properties: 0 weddings, 1 problems",
                "tiny-parameters: 0 weddings, 1 problems",
                "one-long-line: 0 weddings, 1 problems",
                "nested: rejected: components are nested more than 8 deep",
                "observances: rejected: the VTIMEZONE components hold more than 10000 observances and properties",
                "alarms: 0 weddings, 1 problems",
                "empty-events: rejected: the document has more than 50000 events");
    }
}
