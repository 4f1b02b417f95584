package io.vigil.calendar;

import static io.vigil.calendar.ContextCalculatorTest.wedding;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProximityTierTest {
    /** Saturday 24 October 2026 in London, the night before the clocks go back; the reception ends at 01:30 BST. */
    static final Wedding DST_NIGHT = wedding("dst-1", "Europe/London", "2026-10-24T16:00", "2026-10-25T01:30", 90);

    @Test
    void tiers_byDaysUntilTheWeddingDay_inTheWeddingsZone() {
        assertThat(ProximityTier.of(DST_NIGHT, Instant.parse("2026-09-01T12:00:00Z"))).isEqualTo(ProximityTier.LATER);
        assertThat(ProximityTier.of(DST_NIGHT, Instant.parse("2026-09-24T12:00:00Z")))
                .isEqualTo(ProximityTier.WITHIN_MONTH);
        assertThat(ProximityTier.of(DST_NIGHT, Instant.parse("2026-10-16T12:00:00Z")))
                .as("8 days before").isEqualTo(ProximityTier.WITHIN_MONTH);
        assertThat(ProximityTier.of(DST_NIGHT, Instant.parse("2026-10-17T12:00:00Z")))
                .as("7 days before").isEqualTo(ProximityTier.WITHIN_WEEK);
        assertThat(ProximityTier.of(DST_NIGHT, Instant.parse("2026-10-23T22:59:59Z")))
                .as("23:59:59 BST on the day before").isEqualTo(ProximityTier.WITHIN_WEEK);
        assertThat(ProximityTier.of(DST_NIGHT, Instant.parse("2026-10-23T23:00:00Z")))
                .as("midnight BST: the wedding day").isEqualTo(ProximityTier.WEDDING_DAY);
    }

    @Test
    void receptionPastMidnight_onTheNightClocksGoBack_staysWeddingDayUntilItEnds() {
        // 01:30 BST on the 25th is 00:30 UTC; the clocks go back at 01:00 UTC.
        assertThat(DST_NIGHT.receptionEndInstant()).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(ProximityTier.of(DST_NIGHT, Instant.parse("2026-10-25T00:29:59Z")))
                .isEqualTo(ProximityTier.WEDDING_DAY);
        assertThat(ProximityTier.of(DST_NIGHT, Instant.parse("2026-10-25T00:30:00Z"))).isEqualTo(ProximityTier.PAST);
    }

    @Test
    void ceremonyInTheSpringGap_movesForward() {
        // 29 March 2026, 01:30 does not exist in London: the clocks jump from 01:00 to 02:00.
        Wedding w = wedding("gap-1", "Europe/London", "2026-03-29T01:30", "2026-03-29T06:00", 20);
        assertThat(w.ceremonyStartInstant()).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
        assertThat(ProximityTier.of(w, Instant.parse("2026-03-28T23:59:00Z"))).isEqualTo(ProximityTier.WEDDING_DAY);
    }

    @Test
    void cancelledWedding_isPast_andSwitchesSetTheInterval() {
        assertThat(ProximityTier.of(DST_NIGHT.withStatus(WeddingStatus.CANCELLED),
                Instant.parse("2026-10-24T12:00:00Z"))).isEqualTo(ProximityTier.PAST);
        CalendarSettings s = CalendarSettings.DEFAULTS;
        assertThat(s.interval(ProximityTier.WEDDING_DAY)).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.withSwitches(true, false, true).interval(ProximityTier.WEDDING_DAY)).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.withSwitches(false, true, true).interval(ProximityTier.LATER)).isNull();
        assertThat(s.interval(ProximityTier.LATER)).isEqualTo(Duration.ofMinutes(15));
    }
}
