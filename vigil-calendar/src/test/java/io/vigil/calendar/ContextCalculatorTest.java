package io.vigil.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextCalculatorTest {
    static final ContextCalculator UTC = new ContextCalculator(CalendarSettings.DEFAULTS);

    static Wedding wedding(String id, String zone, String ceremony, String receptionEnd, int guests) {
        return new Wedding(id, null, ZoneId.of(zone), LocalDateTime.parse(ceremony), LocalDateTime.parse(receptionEnd),
                guests, "Venue " + id, List.of(), WeddingStatus.SCHEDULED, "api", null);
    }

    /** Saturday 13 June 2026: three weddings in three zones, one cancelled, one next weekend. */
    static final List<Wedding> JUNE = List.of(
            wedding("london-1", "Europe/London", "2026-06-13T14:00", "2026-06-13T23:30", 120),
            wedding("ny-1", "America/New_York", "2026-06-13T16:00", "2026-06-14T00:30", 200),
            wedding("kolkata-1", "Asia/Kolkata", "2026-06-14T10:00", "2026-06-14T22:00", 400),
            wedding("london-2", "Europe/London", "2026-06-13T15:00", "2026-06-13T22:00", 80)
                    .withStatus(WeddingStatus.CANCELLED),
            wedding("paris-1", "Europe/Paris", "2026-06-20T15:00", "2026-06-21T01:00", 150));

    @Test
    void saturdayInJune_afternoonInLondon_exactContext() {
        // 15:00 UTC = 16:00 London (ceremony at 14:00, active since 12:00); 11:00 in New York (active from 14:00 local
        // = 18:00 UTC, within 24 h: upcoming); Kolkata 10:00 local on the 14th = 04:30 UTC on the 14th, active from
        // 02:30 UTC: upcoming.
        WeddingContext c = UTC.at(Instant.parse("2026-06-13T15:00:00Z"), JUNE);

        assertThat(c.weddingSeason()).isTrue();
        assertThat(c.peakTime()).isTrue();
        assertThat(c.activeWeddings()).extracting(WeddingContext.WeddingRef::id).containsExactly("london-1");
        assertThat(c.upcomingWeddings()).extracting(WeddingContext.WeddingRef::id).containsExactly("ny-1", "kolkata-1");
        assertThat(c.estimatedWeddingLoad()).isEqualTo((120 + 0.5 * (200 + 400)) * 1.5);
        assertThat(c.activeWeddings().get(0).tier()).isEqualTo(ProximityTier.WEDDING_DAY);
        assertThat(c.activeWeddings().get(0).activeFrom()).isEqualTo(Instant.parse("2026-06-13T11:00:00Z"));
    }

    @Test
    void newYorkReceptionPastMidnight_isStillActive_onSundayMorningUtc() {
        // 00:30 New York on the 14th = 04:30 UTC; at 04:00 UTC the reception is still going, and Kolkata's wedding
        // (active from 02:30 UTC) too. Sunday: no peak.
        WeddingContext c = UTC.at(Instant.parse("2026-06-14T04:00:00Z"), JUNE);

        assertThat(c.activeWeddings()).extracting(WeddingContext.WeddingRef::id).containsExactly("ny-1", "kolkata-1");
        assertThat(c.peakTime()).isFalse();
        assertThat(c.weddingSeason()).isTrue();
        assertThat(c.estimatedWeddingLoad()).isEqualTo(600.0);
    }

    @Test
    void tuesdayInJanuary_noSeasonNoPeakNoWeddings() {
        WeddingContext c = UTC.at(Instant.parse("2027-01-12T12:00:00Z"), JUNE);

        assertThat(c.weddingSeason()).isFalse();
        assertThat(c.peakTime()).isFalse();
        assertThat(c.activeWeddings()).isEmpty();
        assertThat(c.upcomingWeddings()).isEmpty();
        assertThat(c.estimatedWeddingLoad()).isZero();
    }

    @Test
    void cancelledWedding_isNeitherActiveNorUpcoming() {
        WeddingContext c = UTC.at(Instant.parse("2026-06-13T16:00:00Z"), JUNE);
        assertThat(c.activeWeddings()).extracting(WeddingContext.WeddingRef::id).doesNotContain("london-2");
    }

    @Test
    void activeWindow_startsTwoHoursBeforeTheCeremony_andEndsWithTheReception() {
        Wedding w = JUNE.get(0);
        assertThat(UTC.at(Instant.parse("2026-06-13T10:59:59Z"), List.of(w)).activeWeddings()).isEmpty();
        assertThat(UTC.at(Instant.parse("2026-06-13T11:00:00Z"), List.of(w)).activeWeddings()).hasSize(1);
        assertThat(UTC.at(Instant.parse("2026-06-13T22:29:59Z"), List.of(w)).activeWeddings()).hasSize(1);
        assertThat(UTC.at(Instant.parse("2026-06-13T22:30:00Z"), List.of(w)).activeWeddings()).isEmpty();
    }

    @Test
    void seasonAndPeak_areJudgedInThePlatformsZone() {
        // Friday 30 October 2026, 23:30 UTC is Saturday 31 October 10:30 in Sydney, and Friday 19:30 in New York.
        Instant at = Instant.parse("2026-10-30T23:30:00Z");
        ContextCalculator sydney = new ContextCalculator(new CalendarSettings(ZoneId.of("Australia/Sydney"),
                Duration.ofHours(24), true, true, true));
        assertThat(UTC.at(at, List.of()).peakTime()).isTrue();
        assertThat(sydney.at(at, List.of()).peakTime()).isTrue();
        // 1 November in Sydney is out of season; in UTC it is still 31 October.
        Instant sundayInSydney = Instant.parse("2026-10-31T14:00:00Z");
        assertThat(sydney.at(sundayInSydney, List.of()).weddingSeason()).isFalse();
        assertThat(UTC.at(sundayInSydney, List.of()).weddingSeason()).isTrue();
    }
}
