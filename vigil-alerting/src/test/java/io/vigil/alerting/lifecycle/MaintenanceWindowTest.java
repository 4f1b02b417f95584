package io.vigil.alerting.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.Priority;
import io.vigil.alerting.Rating;
import io.vigil.core.time.SettableClock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaintenanceWindowTest {
    /** Every Tuesday 02:00-04:00 London time, from Tuesday 3 March 2026 (GMT). */
    static final MaintenanceWindow TUESDAYS = new MaintenanceWindow("db-maint", "database maintenance",
            List.of(LabelMatcher.parse("alertname=~\"db-.*\"")), "Europe/London",
            LocalDateTime.parse("2026-03-03T02:00"), LocalDateTime.parse("2026-03-03T04:00"),
            "FREQ=WEEKLY;BYDAY=TU", false, "sre", "weekly vacuum");

    static boolean active(MaintenanceWindow w, String instant) {
        return w.occurrenceAt(Instant.parse(instant)).isPresent();
    }

    @Test
    void aWeeklyWindowStaysAtTwoLocalAcrossTheMarchChange() {
        // Tuesday 24 March 2026: GMT, 02:00-04:00 local is 02:00-04:00 UTC.
        assertThat(active(TUESDAYS, "2026-03-24T01:59:59Z")).isFalse();
        assertThat(active(TUESDAYS, "2026-03-24T02:00:00Z")).isTrue();
        assertThat(active(TUESDAYS, "2026-03-24T03:59:59Z")).isTrue();
        assertThat(active(TUESDAYS, "2026-03-24T04:00:00Z")).isFalse();
        // Clocks go forward on Sunday 29 March. Tuesday 31 March: BST, 02:00-04:00 local is 01:00-03:00 UTC.
        assertThat(active(TUESDAYS, "2026-03-31T00:59:59Z")).isFalse();
        assertThat(active(TUESDAYS, "2026-03-31T01:00:00Z")).isTrue();
        assertThat(active(TUESDAYS, "2026-03-31T02:59:59Z")).isTrue();
        assertThat(active(TUESDAYS, "2026-03-31T03:00:00Z")).isFalse();
        // Not on other days.
        assertThat(active(TUESDAYS, "2026-03-29T01:30:00Z")).isFalse();
    }

    @Test
    void aWeeklyWindowStaysAtTwoLocalAcrossTheOctoberChange() {
        // Tuesday 20 October 2026: BST.
        assertThat(active(TUESDAYS, "2026-10-20T01:00:00Z")).isTrue();
        assertThat(active(TUESDAYS, "2026-10-20T03:00:00Z")).isFalse();
        // Clocks go back on Sunday 25 October. Tuesday 27 October: GMT again.
        assertThat(active(TUESDAYS, "2026-10-27T01:00:00Z")).isFalse();
        assertThat(active(TUESDAYS, "2026-10-27T02:00:00Z")).isTrue();
        assertThat(active(TUESDAYS, "2026-10-27T03:59:59Z")).isTrue();
        assertThat(active(TUESDAYS, "2026-10-27T04:00:00Z")).isFalse();
        assertThat(TUESDAYS.occurrences(Instant.parse("2026-10-19T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z")))
                .extracting(MaintenanceWindow.Occurrence::start)
                .containsExactly(Instant.parse("2026-10-20T01:00:00Z"), Instant.parse("2026-10-27T02:00:00Z"));
    }

    @Test
    void aWindowOnTheChangeoverSunday_keepsItsLocalEnd() {
        // Every Sunday 00:30-03:30 local. On 29 March 01:00-02:00 local does not exist: 3 h of wall clock are 2 h.
        MaintenanceWindow sundays = new MaintenanceWindow("cdn", "", List.of(), "Europe/London",
                LocalDateTime.parse("2026-03-01T00:30"), LocalDateTime.parse("2026-03-01T03:30"),
                "RRULE:FREQ=WEEKLY;BYDAY=SU", false, "", "");
        assertThat(sundays.occurrences(Instant.parse("2026-03-28T00:00:00Z"), Instant.parse("2026-03-30T00:00:00Z")))
                .containsExactly(new MaintenanceWindow.Occurrence(Instant.parse("2026-03-29T00:30:00Z"),
                        Instant.parse("2026-03-29T02:30:00Z")));
        // On 25 October 01:00-02:00 local happens twice: 3 h of wall clock are 4 h.
        assertThat(sundays.occurrences(Instant.parse("2026-10-24T00:00:00Z"), Instant.parse("2026-10-26T00:00:00Z")))
                .containsExactly(new MaintenanceWindow.Occurrence(Instant.parse("2026-10-24T23:30:00Z"),
                        Instant.parse("2026-10-25T03:30:00Z")));
    }

    @Test
    void aStartInTheSpringGap_movesLater_butTheWindowStillEndsAtItsLocalEnd() {
        MaintenanceWindow w = new MaintenanceWindow("gap", "", List.of(), "Europe/London",
                LocalDateTime.parse("2026-03-22T01:30"), LocalDateTime.parse("2026-03-22T03:30"),
                "FREQ=WEEKLY", false, "", "");
        // 29 March 01:30 local does not exist; the occurrence starts at 02:30 BST (01:30 UTC), ends 03:30 BST.
        assertThat(w.occurrenceAt(Instant.parse("2026-03-29T02:00:00Z"))).contains(
                new MaintenanceWindow.Occurrence(Instant.parse("2026-03-29T01:30:00Z"),
                        Instant.parse("2026-03-29T02:30:00Z")));
    }

    @Test
    void untilAndCountEndARecurringWindow_aOneOffWindowHappensOnce() {
        MaintenanceWindow twice = new MaintenanceWindow("t", "", List.of(), "Europe/London",
                LocalDateTime.parse("2026-03-03T02:00"), LocalDateTime.parse("2026-03-03T04:00"),
                "FREQ=WEEKLY;COUNT=2", false, "", "");
        assertThat(active(twice, "2026-03-10T02:30:00Z")).isTrue();
        assertThat(active(twice, "2026-03-17T02:30:00Z")).isFalse();

        MaintenanceWindow once = new MaintenanceWindow("o", "", List.of(), "Europe/Paris",
                LocalDateTime.parse("2026-06-02T22:00"), LocalDateTime.parse("2026-06-03T01:00"), null, false, "",
                "");
        assertThat(active(once, "2026-06-02T19:59:59Z")).isFalse();
        assertThat(active(once, "2026-06-02T20:00:00Z")).isTrue();
        assertThat(active(once, "2026-06-02T22:59:59Z")).isTrue();
        assertThat(active(once, "2026-06-02T23:00:00Z")).isFalse();
        assertThat(active(once, "2026-06-09T21:00:00Z")).isFalse();
    }

    @Test
    void badWindowsAreRefused() {
        assertThatThrownBy(() -> new MaintenanceWindow("x", "", List.of(), "Mars/Olympus",
                LocalDateTime.parse("2026-03-03T02:00"), LocalDateTime.parse("2026-03-03T04:00"), null, false, "",
                "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MaintenanceWindow("x", "", List.of(), "UTC",
                LocalDateTime.parse("2026-03-03T02:00"), LocalDateTime.parse("2026-03-03T04:00"), "FREQ=SOMETIMES",
                false, "", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MaintenanceWindow("x", "", List.of(), "UTC",
                LocalDateTime.parse("2026-03-03T04:00"), LocalDateTime.parse("2026-03-03T02:00"), null, false, "",
                "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MaintenanceWindow("x", "", List.of(), "UTC",
                LocalDateTime.parse("2026-03-03T02:00"), LocalDateTime.parse("2026-03-03T02:00:30"),
                "FREQ=MINUTELY", false, "", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWindowNeverMutesAP0DuringAnActiveWedding_unlessForced() {
        Map<String, String> labels = Map.of("alertname", "db-latency");
        Rating p0Critical = new Rating(Impact.CRITICAL, Priority.P0, "3 active weddings");
        assertThat(TUESDAYS.mutes(labels, p0Critical)).isFalse();
        assertThat(TUESDAYS.mutes(labels, new Rating(Impact.CRITICAL, Priority.P1, ""))).isTrue();
        assertThat(TUESDAYS.mutes(labels, new Rating(Impact.POTENTIAL, Priority.P0, ""))).isTrue();
        assertThat(TUESDAYS.mutes(Map.of("alertname", "api-latency"), new Rating(Impact.NONE, Priority.P3, "")))
                .isFalse();
        MaintenanceWindow forced = new MaintenanceWindow("f", "", TUESDAYS.matchers(), TUESDAYS.timeZone(),
                TUESDAYS.start(), TUESDAYS.end(), TUESDAYS.rrule(), true, "", "");
        assertThat(forced.mutes(labels, p0Critical)).isTrue();
    }

    @Test
    void inTheLifecycle_aWindowMutesItsAlertsWhileItLasts_butNotAP0WithAnActiveWedding() {
        Instant inWindow = Instant.parse("2026-03-31T01:30:00Z");
        AlertLifecycle lifecycle = new AlertLifecycle(LifecycleConfig.DEFAULTS, new SettableClock(inWindow));
        lifecycle.putMaintenanceWindow(TUESDAYS);
        Obs p1 = Obs.rule("db-latency").labels("wedding_id", "w-1");
        Obs p0 = Obs.rule("db-errors").labels("wedding_id", "w-2").rated(Priority.P0, Impact.CRITICAL);

        List<NotificationIntent> intents = lifecycle.evaluate(List.of(p1.breaching(inWindow), p0.breaching(inWindow)),
                inWindow).intents();

        assertThat(intents).singleElement().satisfies(i -> assertThat(i.priority()).isEqualTo(Priority.P0));
        assertThat(lifecycle.alert(p1.fingerprint()).orElseThrow().mutedBy()).containsExactly("db-maint");
        assertThat(lifecycle.alert(p0.fingerprint()).orElseThrow().mutedBy()).isEmpty();

        // The window ends at 03:00 UTC (04:00 BST): the P1 still firing is announced then (the P0 is repeated).
        Instant after = Instant.parse("2026-03-31T03:00:00Z");
        assertThat(lifecycle.evaluate(List.of(p1.breaching(after), p0.breaching(after)), after).intents())
                .filteredOn(i -> i.kind() == NotificationIntent.Kind.FIRING)
                .extracting(i -> i.alerts().get(0).fingerprint(), i -> i.context().get("repeat"))
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(p1.fingerprint(), false),
                        org.assertj.core.groups.Tuple.tuple(p0.fingerprint(), true));
    }

    @Test
    void aForcedWindowMutesEvenAP0() {
        Instant inWindow = Instant.parse("2026-03-31T01:30:00Z");
        AlertLifecycle lifecycle = new AlertLifecycle(LifecycleConfig.DEFAULTS, new SettableClock(inWindow));
        lifecycle.putMaintenanceWindow(new MaintenanceWindow("forced", "failover drill", List.of(),
                "Europe/London", TUESDAYS.start(), TUESDAYS.end(), TUESDAYS.rrule(), true, "sre", ""));
        Obs p0 = Obs.rule("db-errors").rated(Priority.P0, Impact.CRITICAL);
        assertThat(lifecycle.evaluate(List.of(p0.breaching(inWindow)), inWindow).intents()).isEmpty();
        assertThat(lifecycle.removeMaintenanceWindow("forced")).isTrue();
        assertThat(lifecycle.evaluate(List.of(p0.breaching(inWindow.plusSeconds(10))), inWindow.plusSeconds(10))
                .intents()).hasSize(1);
    }
}
