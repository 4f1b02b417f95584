package io.vigil.calendar.ics;

import static io.vigil.calendar.ics.Ics.calendar;
import static io.vigil.calendar.ics.Ics.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class IcsWeddingParserTest {
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private final IcsWeddingParser parser = new IcsWeddingParser();

    private IcsParseResult parse(byte[] document) {
        return parser.parse(document, "ics:venue-feed");
    }

    private Wedding only(byte[] document) {
        IcsParseResult result = parse(document);
        assertThat(result.problems()).isEmpty();
        assertThat(result.weddings()).hasSize(1);
        return result.weddings().get(0);
    }

    @Test
    void readsTheFieldsOfAWedding() {
        Wedding w = only(calendar(Ics.LONDON, event("w-1@venue.example",
                "DTSTART;TZID=Europe/London:20260612T140000",
                "DTEND;TZID=Europe/London:20260612T230000",
                "LOCATION:The Old Barn\\, Kent",
                "STATUS:CONFIRMED",
                "X-VIGIL-GUEST-COUNT:120",
                "X-VIGIL-VENDORS:florist-7, band-2,,caterer.9")));

        assertThat(w.id()).isEqualTo("w-1@venue.example");
        assertThat(w.timeZone()).isEqualTo(LONDON);
        assertThat(w.date()).hasToString("2026-06-12");
        assertThat(w.ceremonyStart()).isEqualTo(LocalDateTime.of(2026, 6, 12, 14, 0));
        assertThat(w.receptionEnd()).isEqualTo(LocalDateTime.of(2026, 6, 12, 23, 0));
        assertThat(w.venue()).isEqualTo("The Old Barn, Kent");
        assertThat(w.status()).isEqualTo(WeddingStatus.SCHEDULED);
        assertThat(w.guestCount()).isEqualTo(120);
        assertThat(w.vendorIds()).containsExactly("florist-7", "band-2", "caterer.9");
        assertThat(w.source()).isEqualTo("ics:venue-feed");
        assertThat(w.coordinator()).isNull();
    }

    @Test
    void guestCountDefaultsToZeroAndVendorsToNone() {
        Wedding w = only(calendar(event("w-2", "DTSTART;TZID=Europe/London:20260612T140000",
                "DTEND;TZID=Europe/London:20260612T230000")));

        assertThat(w.guestCount()).isZero();
        assertThat(w.vendorIds()).isEmpty();
        assertThat(w.venue()).isNull();
    }

    @Test
    void weddingOnTheNightTheClocksGoForwardInLondon() {
        // 2026-03-29 01:00 GMT becomes 02:00 BST: the night is an hour shorter than the wall clock says.
        for (byte[] document : List.of(
                calendar(Ics.LONDON, event("spring", "DTSTART;TZID=Europe/London:20260328T160000",
                        "DTEND;TZID=Europe/London:20260329T023000")),
                calendar(event("spring", "DTSTART;TZID=Europe/London:20260328T160000",
                        "DTEND;TZID=Europe/London:20260329T023000")))) {
            Wedding w = only(document);

            assertThat(w.ceremonyStart()).isEqualTo(LocalDateTime.of(2026, 3, 28, 16, 0));
            assertThat(w.receptionEnd()).isEqualTo(LocalDateTime.of(2026, 3, 29, 2, 30));
            assertThat(w.ceremonyStartInstant()).isEqualTo(Instant.parse("2026-03-28T16:00:00Z"));
            assertThat(w.receptionEndInstant()).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
            assertThat(Duration.between(w.ceremonyStartInstant(), w.receptionEndInstant()))
                    .isEqualTo(Duration.ofMinutes(9 * 60 + 30));
        }
    }

    @Test
    void weddingOnTheNightTheClocksGoBackInLondon() {
        // 2026-10-25 02:00 BST becomes 01:00 GMT: the night is an hour longer than the wall clock says.
        for (byte[] document : List.of(
                calendar(Ics.LONDON, event("autumn", "DTSTART;TZID=Europe/London:20261024T150000",
                        "DTEND;TZID=Europe/London:20261025T030000")),
                calendar(event("autumn", "DTSTART;TZID=Europe/London:20261024T150000",
                        "DTEND;TZID=Europe/London:20261025T030000")))) {
            Wedding w = only(document);

            assertThat(w.ceremonyStart()).isEqualTo(LocalDateTime.of(2026, 10, 24, 15, 0));
            assertThat(w.receptionEnd()).isEqualTo(LocalDateTime.of(2026, 10, 25, 3, 0));
            assertThat(w.ceremonyStartInstant()).isEqualTo(Instant.parse("2026-10-24T14:00:00Z"));
            assertThat(w.receptionEndInstant()).isEqualTo(Instant.parse("2026-10-25T03:00:00Z"));
            assertThat(Duration.between(w.ceremonyStartInstant(), w.receptionEndInstant())).isEqualTo(Duration.ofHours(13));
        }
    }

    @Test
    void aDurationAcrossTheClockChangeCountsElapsedTime() {
        Wedding w = only(calendar(Ics.LONDON, event("autumn-duration",
                "DTSTART;TZID=Europe/London:20261024T150000", "DURATION:PT13H")));

        assertThat(w.receptionEnd()).isEqualTo(LocalDateTime.of(2026, 10, 25, 3, 0));
        assertThat(w.receptionEndInstant()).isEqualTo(Instant.parse("2026-10-25T03:00:00Z"));
    }

    @Test
    void receptionEndingAfterMidnightEndsOnTheNextDate() {
        Wedding w = only(calendar(Ics.LONDON, event("late", "DTSTART;TZID=Europe/London:20260725T150000",
                "DTEND;TZID=Europe/London:20260726T013000")));

        assertThat(w.date()).hasToString("2026-07-25");
        assertThat(w.receptionEnd()).isEqualTo(LocalDateTime.of(2026, 7, 26, 1, 30));
        assertThat(w.isWeddingDay(Instant.parse("2026-07-25T22:00:00Z"))).isTrue();
        assertThat(w.isActiveAt(Instant.parse("2026-07-26T00:15:00Z"))).isTrue();
    }

    @Test
    void threeZonesInOneFeedWithTheirVtimezones() {
        IcsParseResult result = parse(calendar(Ics.LONDON, Ics.NEW_YORK, Ics.KOLKATA,
                event("london", "DTSTART;TZID=Europe/London:20260704T130000",
                        "DTEND;TZID=Europe/London:20260704T233000"),
                event("new-york", "DTSTART;TZID=America/New_York:20260704T160000",
                        "DTEND;TZID=America/New_York:20260705T010000"),
                event("kolkata", "DTSTART;TZID=Asia/Kolkata:20261212T190000",
                        "DTEND;TZID=Asia/Kolkata:20261213T020000")));

        assertThat(result.problems()).isEmpty();
        assertThat(result.weddings()).extracting(Wedding::id).containsExactly("london", "new-york", "kolkata");
        Wedding london = result.weddings().get(0);
        Wedding newYork = result.weddings().get(1);
        Wedding kolkata = result.weddings().get(2);
        assertThat(london.timeZone()).isEqualTo(LONDON);
        assertThat(newYork.timeZone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(kolkata.timeZone()).isEqualTo(ZoneId.of("Asia/Kolkata"));
        assertThat(london.ceremonyStartInstant()).isEqualTo(Instant.parse("2026-07-04T12:00:00Z"));
        assertThat(newYork.ceremonyStart()).isEqualTo(LocalDateTime.of(2026, 7, 4, 16, 0));
        assertThat(newYork.ceremonyStartInstant()).isEqualTo(Instant.parse("2026-07-04T20:00:00Z"));
        assertThat(newYork.receptionEndInstant()).isEqualTo(Instant.parse("2026-07-05T05:00:00Z"));
        assertThat(kolkata.ceremonyStartInstant()).isEqualTo(Instant.parse("2026-12-12T13:30:00Z"));
        assertThat(kolkata.receptionEnd()).isEqualTo(LocalDateTime.of(2026, 12, 13, 2, 0));
    }

    @Test
    void anEndInAnotherZoneIsConvertedIntoTheWeddingsZone() {
        Wedding w = only(calendar(Ics.LONDON, Ics.NEW_YORK, event("mixed",
                "DTSTART;TZID=Europe/London:20260704T130000",
                "DTEND;TZID=America/New_York:20260704T183000")));

        assertThat(w.timeZone()).isEqualTo(LONDON);
        assertThat(w.receptionEnd()).isEqualTo(LocalDateTime.of(2026, 7, 4, 23, 30));
    }

    @Test
    void quotedTzidAndLowerCasePropertyNamesAreRead() {
        Wedding w = only(calendar(event("quoted", "dtstart;TZID=\"America/New_York\":20260704T160000",
                "Duration:PT9H", "location:Loft")));

        assertThat(w.timeZone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(w.ceremonyStart()).isEqualTo(LocalDateTime.of(2026, 7, 4, 16, 0));
        assertThat(w.venue()).isEqualTo("Loft");
    }

    @Test
    void cancelledEventIsACancelledWedding() {
        Wedding w = only(calendar(event("off", "DTSTART;TZID=Europe/London:20260612T140000",
                "DTEND;TZID=Europe/London:20260612T230000", "STATUS:CANCELLED")));

        assertThat(w.status()).isEqualTo(WeddingStatus.CANCELLED);
    }

    @Test
    void tentativeIsScheduledAndAnUnknownStatusIsAProblem() {
        IcsParseResult result = parse(calendar(
                event("maybe", "DTSTART;TZID=Europe/London:20260612T140000",
                        "DTEND;TZID=Europe/London:20260612T230000", "STATUS:TENTATIVE"),
                event("odd", "DTSTART;TZID=Europe/London:20260612T140000",
                        "DTEND;TZID=Europe/London:20260612T230000", "STATUS:POSTPONED")));

        assertThat(result.weddings()).singleElement().satisfies(w -> {
            assertThat(w.id()).isEqualTo("maybe");
            assertThat(w.status()).isEqualTo(WeddingStatus.SCHEDULED);
        });
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.uid()).isEqualTo("odd");
            assertThat(p.message()).isEqualTo("STATUS must be TENTATIVE, CONFIRMED or CANCELLED");
        });
    }

    @Test
    void floatingTimeIsRejectedWithAdviceToAddATzid() {
        IcsParseResult result = parse(calendar(event("floating", "DTSTART:20260612T140000",
                "DTEND:20260612T230000")));

        assertThat(result.weddings()).isEmpty();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.event()).isEqualTo(1);
            assertThat(p.uid()).isEqualTo("floating");
            assertThat(p.message()).isEqualTo("DTSTART is a floating time (no TZID and no Z suffix), which names no"
                    + " moment: add a TZID, as in DTSTART;TZID=Europe/London:20260612T140000");
        });
    }

    @Test
    void floatingEndIsRejectedToo() {
        IcsParseResult result = parse(calendar(event("floating-end", "DTSTART;TZID=Europe/London:20260612T140000",
                "DTEND:20260612T230000")));

        assertThat(result.problems()).singleElement().extracting(IcsProblem::message).asString()
                .startsWith("DTEND is a floating time").contains("add a TZID");
    }

    @Test
    void unknownTzidIsRejectedNamingIt() {
        IcsParseResult result = parse(calendar(event("mars", "DTSTART;TZID=Mars/Olympus_Mons:20260612T140000",
                "DTEND;TZID=Mars/Olympus_Mons:20260612T230000")));

        assertThat(result.weddings()).isEmpty();
        assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.message()).isEqualTo(
                "DTSTART TZID 'Mars/Olympus_Mons' is not a known time zone: use an IANA id such as Europe/London, or"
                        + " a VTIMEZONE with an X-LIC-LOCATION naming one"));
    }

    @Test
    void utcTimeIsTakenInTheCalendarsXWrTimezone() {
        Wedding w = only(calendar("X-WR-TIMEZONE:America/New_York", event("utc",
                "DTSTART:20260704T200000Z", "DTEND:20260705T050000Z")));

        assertThat(w.timeZone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(w.ceremonyStart()).isEqualTo(LocalDateTime.of(2026, 7, 4, 16, 0));
        assertThat(w.receptionEnd()).isEqualTo(LocalDateTime.of(2026, 7, 5, 1, 0));
        assertThat(w.date()).hasToString("2026-07-04");
    }

    @Test
    void utcTimeWithoutXWrTimezoneStaysInUtc() {
        Wedding w = only(calendar(event("utc", "DTSTART:20260704T200000Z", "DTEND:20260705T050000Z")));

        assertThat(w.timeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(w.ceremonyStart()).isEqualTo(LocalDateTime.of(2026, 7, 4, 20, 0));
    }

    @Test
    void unknownXWrTimezoneIsAProblemForUtcEvents() {
        IcsParseResult result = parse(calendar("X-WR-TIMEZONE:Nowhere/Special", event("utc",
                "DTSTART:20260704T200000Z", "DTEND:20260705T050000Z")));

        assertThat(result.problems()).singleElement().extracting(IcsProblem::message).asString()
                .startsWith("X-WR-TIMEZONE 'Nowhere/Special' is not a known time zone");
    }

    @Test
    void windowsAndPrefixedZoneNamesAndXLicLocationMapToIanaZones() {
        String custom = Ics.LONDON.replace("TZID:Europe/London", "TZID:Venue Local Time");
        IcsParseResult result = parse(calendar(custom,
                event("windows", "DTSTART;TZID=Eastern Standard Time:20260704T160000", "DURATION:PT8H"),
                Ics.KOLKATA.replace("TZID:Asia/Kolkata", "TZID:/citadel.org/20190101_1/Asia/Kolkata"),
                event("prefixed", "DTSTART;TZID=/citadel.org/20190101_1/Asia/Kolkata:20260704T160000",
                        "DURATION:PT8H"),
                event("licensed", "DTSTART;TZID=Venue Local Time:20260704T160000", "DURATION:PT8H")));

        assertThat(result.problems()).isEmpty();
        // ical4j's Windows table names the backward-compatible link US/Eastern: an IANA id with New York's rules.
        assertThat(result.weddings().get(0).timeZone().getRules()).isEqualTo(ZoneId.of("America/New_York").getRules());
        assertThat(result.weddings().get(0).ceremonyStartInstant()).isEqualTo(Instant.parse("2026-07-04T20:00:00Z"));
        assertThat(result.weddings().get(1).timeZone()).isEqualTo(ZoneId.of("Asia/Kolkata"));
        assertThat(result.weddings().get(2).timeZone()).isEqualTo(LONDON);
        assertThat(result.weddings().get(2).ceremonyStartInstant()).isEqualTo(Instant.parse("2026-07-04T15:00:00Z"));
    }

    @Test
    void allDayEventIsRejected() {
        IcsParseResult result = parse(calendar(event("all-day", "DTSTART;VALUE=DATE:20260612",
                "DTEND;VALUE=DATE:20260613")));

        assertThat(result.problems()).singleElement().extracting(IcsProblem::message).asString()
                .startsWith("DTSTART is a date without a time (an all-day event)");
    }

    @Test
    void recurringEventsAreNotWeddings() {
        IcsParseResult result = parse(calendar(
                event("weekly", "DTSTART;TZID=Europe/London:20260612T140000", "DURATION:PT2H",
                        "RRULE:FREQ=WEEKLY;COUNT=10"),
                event("extra", "DTSTART;TZID=Europe/London:20260612T140000", "DURATION:PT2H",
                        "RDATE;TZID=Europe/London:20260619T140000")));

        assertThat(result.weddings()).isEmpty();
        assertThat(result.problems()).hasSize(2).allSatisfy(p -> assertThat(p.message())
                .isEqualTo("a recurring event (RRULE, RDATE, EXRULE or RECURRENCE-ID) is not a wedding"));
    }

    @Test
    void missingTimesAreProblems() {
        IcsParseResult result = parse(calendar(
                event("no-start", "DTEND;TZID=Europe/London:20260612T230000"),
                event("no-end", "DTSTART;TZID=Europe/London:20260612T140000"),
                event("both", "DTSTART;TZID=Europe/London:20260612T140000", "DTEND;TZID=Europe/London:20260612T230000",
                        "DURATION:PT9H"),
                event("backwards", "DTSTART;TZID=Europe/London:20260612T140000",
                        "DTEND;TZID=Europe/London:20260612T130000")));

        assertThat(result.weddings()).isEmpty();
        assertThat(result.problems()).extracting(IcsProblem::message).satisfiesExactly(
                m -> assertThat(m).startsWith("DTSTART is missing"),
                m -> assertThat(m).startsWith("DTEND or DURATION is missing"),
                m -> assertThat(m).isEqualTo("DTEND and DURATION must not both be present"),
                m -> assertThat(m).contains("receptionEnd 2026-06-12T13:00 must be after ceremonyStart"));
    }

    @Test
    void invalidUidIsNamedByPositionNotContent() {
        IcsParseResult result = parse(calendar(
                event("fine", "DTSTART;TZID=Europe/London:20260612T140000", "DURATION:PT9H"),
                event("Jane Doe {wedding}", "DTSTART;TZID=Europe/London:20260612T140000", "DURATION:PT9H"),
                Ics.eventWithoutUid("DTSTART;TZID=Europe/London:20260612T140000", "DURATION:PT9H")));

        assertThat(result.weddings()).extracting(Wedding::id).containsExactly("fine");
        assertThat(result.problems()).satisfiesExactly(
                p -> {
                    assertThat(p.event()).isEqualTo(2);
                    assertThat(p.uid()).isNull();
                    assertThat(p.message()).startsWith("UID is not a valid wedding id");
                    assertThat(p.toString()).startsWith("event 2: ").doesNotContain("Jane", "Doe", "wedding}");
                },
                p -> {
                    assertThat(p.event()).isEqualTo(3);
                    assertThat(p.message()).startsWith("UID is missing");
                });
    }

    @Test
    void oneBadEventDoesNotStopTheOthers() {
        IcsParseResult result = parse(calendar(Ics.LONDON,
                event("before", "DTSTART;TZID=Europe/London:20260612T140000", "DURATION:PT9H"),
                event("broken", "DTSTART;TZID=Europe/London:not-a-date", "DTEND:also-not-a-date",
                        "X-VIGIL-GUEST-COUNT:lots", "X-VIGIL-VENDORS:ok-1,not ok"),
                event("after", "DTSTART;TZID=Europe/London:20260613T140000", "DURATION:PT9H")));

        assertThat(result.weddings()).extracting(Wedding::id).containsExactly("before", "after");
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.event()).isEqualTo(2);
            assertThat(p.uid()).isEqualTo("broken");
            assertThat(p.message()).contains("DTSTART cannot be read as a date-time such as 20260612T140000",
                    "DTEND cannot be read", "X-VIGIL-GUEST-COUNT must be a whole number",
                    "X-VIGIL-VENDORS item 2 is not a valid vendor id").doesNotContain("not-a-date", "lots", "not ok");
        });
    }

    @Test
    void aUidUsedTwiceRejectsEveryCopy() {
        IcsParseResult result = parse(calendar(
                event("twice", "DTSTART;TZID=Europe/London:20260612T140000", "DURATION:PT9H"),
                event("once", "DTSTART;TZID=Europe/London:20260612T140000", "DURATION:PT9H"),
                event("twice", "DTSTART;TZID=Europe/London:20260619T140000", "DURATION:PT9H")));

        assertThat(result.weddings()).extracting(Wedding::id).containsExactly("once");
        assertThat(result.problems()).extracting(IcsProblem::event).containsExactly(1, 3);
        assertThat(result.problems()).allSatisfy(p -> assertThat(p.message())
                .isEqualTo("the UID is used by 2 events (1, 3): each wedding must appear once"));
    }

    @Test
    void aRepeatedPropertyIsAProblem() {
        IcsParseResult result = parse(calendar(event("double", "DTSTART;TZID=Europe/London:20260612T140000",
                "DTSTART;TZID=Europe/London:20260613T140000", "DURATION:PT9H")));

        assertThat(result.problems()).singleElement().extracting(IcsProblem::message)
                .isEqualTo("DTSTART appears more than once");
    }

    @Test
    void aLongLocationIsCutToAVenueName() {
        Wedding w = only(calendar(event("long-venue", "DTSTART;TZID=Europe/London:20260612T140000",
                "DURATION:PT9H", "LOCATION:" + "x".repeat(300))));

        assertThat(w.venue()).hasSize(200);
    }

    @Test
    void alarmsAndOtherComponentsAreIgnored() {
        IcsParseResult result = parse(calendar(
                "BEGIN:VTODO\nUID:todo-1\nSUMMARY:Order cake\nEND:VTODO",
                event("with-alarm", "DTSTART;TZID=Europe/London:20260612T140000", "DURATION:PT9H",
                        "BEGIN:VALARM\nACTION:DISPLAY\nDESCRIPTION:Leave now\nTRIGGER:-PT1H\nEND:VALARM")));

        assertThat(result.problems()).isEmpty();
        assertThat(result.weddings()).extracting(Wedding::id).containsExactly("with-alarm");
    }

    @Test
    void foldedLinesAreUnfolded() {
        Wedding w = only(calendar(event("folded-uid", "DTSTART;TZID=Europe/London:2026061", " 2T140000",
                "DURATION:PT9H", "LOCATION:The Or", " angery")));

        assertThat(w.ceremonyStart()).isEqualTo(LocalDateTime.of(2026, 6, 12, 14, 0));
        assertThat(w.venue()).isEqualTo("The Orangery");
    }

    @Test
    void aByteOrderMarkAndBareLineFeedsAreAccepted() {
        String text = Ics.calendarText(event("lf", "DTSTART;TZID=Europe/London:20260612T140000", "DURATION:PT9H"));
        byte[] body = Ics.text(text.replace("\r\n", "\n"));
        byte[] document = new byte[body.length + 3];
        document[0] = (byte) 0xEF;
        document[1] = (byte) 0xBB;
        document[2] = (byte) 0xBF;
        System.arraycopy(body, 0, document, 3, body.length);

        assertThat(only(document).id()).isEqualTo("lf");
    }

    @Test
    void emptyCalendarHasNoWeddings() {
        IcsParseResult result = parse(calendar());

        assertThat(result.weddings()).isEmpty();
        assertThat(result.problems()).isEmpty();
    }
}
