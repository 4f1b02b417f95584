package io.vigil.calendar.ics;

import static io.vigil.calendar.ics.Ics.calendar;
import static io.vigil.calendar.ics.Ics.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vigil.core.wedding.Wedding;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Names, e-mail addresses and phone numbers planted in a feed must not come out of the parser anywhere. */
class IcsPersonalDataTest {
    private static final List<String> PLANTED = List.of("Alice", "Wonderland", "Bartholomew", "carol.guest",
            "example.org", "7700 900123", "7700900123", "Dorothy", "Flat 4", "Secret Garden Lane");

    private static final String[] PERSONAL = {
        "SUMMARY:Wedding of Alice Wonderland & Bartholomew Builder",
        "DESCRIPTION:Call Dorothy on +44 7700 900123\\, she lives at Flat 4\\, Secret Garden Lane",
        "ATTENDEE;CN=\"Carol Guest\";ROLE=REQ-PARTICIPANT:mailto:carol.guest@example.org",
        "ORGANIZER;CN=Alice Wonderland:mailto:alice@example.org",
        "CONTACT:Dorothy\\, +447700900123",
        "COMMENT:Bartholomew is allergic to nuts",
        "X-COUPLE-NAMES:Alice Wonderland and Bartholomew Builder",
        "CATEGORIES:Alice,Bartholomew",
        "BEGIN:VALARM", "ACTION:EMAIL", "ATTENDEE:mailto:carol.guest@example.org",
        "SUMMARY:Remind Alice", "TRIGGER:-P1D", "END:VALARM"};

    @Test
    void personalDataNeverLeavesTheParser() {
        List<String> outputs = new ArrayList<>();
        byte[] feed = calendar("X-WR-CALNAME:Alice Wonderland's calendar", Ics.LONDON,
                event("valid-1", with("DTSTART;TZID=Europe/London:20260612T140000",
                        "DTEND;TZID=Europe/London:20260612T230000", "LOCATION:Hever Castle")),
                event("bad-time", with("DTSTART;TZID=Europe/London:Alice Wonderland", "DURATION:PT9H")),
                event("Alice Wonderland", with("DTSTART;TZID=Europe/London:20260612T140000", "DURATION:PT9H")),
                event("floating", with("DTSTART:20260612T140000", "DURATION:PT9H")),
                event("bad-zone", with("DTSTART;TZID=Alice Wonderland:20260612T140000", "DURATION:PT9H")),
                event("bad-vendor", with("DTSTART;TZID=Europe/London:20260612T140000", "DURATION:PT9H",
                        "X-VIGIL-VENDORS:florist-1,Dorothy's cousin", "X-VIGIL-GUEST-COUNT:Alice",
                        "STATUS:Alice")),
                event("long-personal", with("DTSTART;TZID=Europe/London:20260612T140000", "DURATION:PT9H",
                        "X-NOTE:Alice " + "Wonderland ".repeat(10_000))),
                event("valid-2", with("DTSTART:20260613T130000Z", "DTEND:20260613T220000Z")));

        IcsParseResult result = captureOutput(outputs, () -> new IcsWeddingParser().parse(feed, "ics:venue-feed"));

        assertThat(result.weddings()).extracting(Wedding::id).containsExactly("valid-1", "valid-2");
        assertThat(result.problems()).hasSize(6);
        outputs.add(result.toString());
        result.weddings().forEach(w -> outputs.add(w + " " + w.venue() + " " + w.vendorIds() + " " + w.coordinator()));
        result.problems().forEach(p -> outputs.add(p + " " + p.message()));

        // The bad-zone TZID is the one place document text is quoted; it is shown as a zone name, so planted there it
        // shows. Everything else must be clean.
        String all = String.join("\n", outputs).replace("TZID 'Alice Wonderland'", "TZID '<zone>'");
        for (String planted : PLANTED) {
            assertThat(all).doesNotContainIgnoringCase(planted);
        }
    }

    @Test
    void personalDataNeverAppearsInAnException() {
        List<byte[]> broken = List.of(
                Ics.text("BEGIN:VCALENDAR\r\nSUMMARY;CN=\"Alice Wonderland:x\r\nEND:VCALENDAR\r\n"),
                Ics.text("Alice Wonderland, carol.guest@example.org, +44 7700 900123\r\n"),
                Ics.text("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTENDEE:mailto:carol.guest@example.org\r\n"
                        + "END:Alice Wonderland\r\nEND:VCALENDAR\r\n"),
                Ics.text("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Bartholomew Builder\r\nDTSTART:Dorothy\r\n"),
                Ics.text("BEGIN:VCALENDAR\r\nBEGIN:Alice\r\nEND:Wonderland\r\nEND:VCALENDAR\r\n"));
        List<String> outputs = new ArrayList<>();
        for (byte[] document : broken) {
            Throwable thrown = captureOutput(outputs,
                    () -> catchThrowable(() -> new IcsWeddingParser().parse(document, "ics:venue-feed")));
            assertThat(thrown).isInstanceOf(IcsFormatException.class);
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            outputs.add(trace.toString());
        }

        String all = String.join("\n", outputs);
        for (String planted : PLANTED) {
            assertThat(all).doesNotContainIgnoringCase(planted);
        }
    }

    private static String[] with(String... lines) {
        List<String> all = new ArrayList<>(List.of(lines));
        all.addAll(List.of(PERSONAL));
        return all.toArray(String[]::new);
    }

    /** Runs the action with System.out and System.err captured into {@code outputs}, where logs would go. */
    private static <T> T captureOutput(List<String> outputs, java.util.function.Supplier<T> action) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            return action.get();
        } finally {
            System.setOut(out);
            System.setErr(err);
            outputs.add(captured.toString(StandardCharsets.UTF_8));
        }
    }
}
