package io.vigil.alerting.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alerting.Condition;
import io.vigil.alerting.NotificationIntent.Kind;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.lifecycle.AlertHistoryEntry.Event;
import io.vigil.core.time.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertStateMachineTest {
    static final Instant T0 = Instant.parse("2026-06-13T14:00:00Z");
    final AlertLifecycle lifecycle = new AlertLifecycle(LifecycleConfig.DEFAULTS, new SettableClock(T0));
    final Obs latency = Obs.rule("checkout-latency").pendingFor(Duration.ofMinutes(2));

    AlertState state(Obs o) {
        return lifecycle.alert(o.fingerprint()).orElseThrow().state();
    }

    List<NotificationIntent> tick(Instant at, RatedObservation... observations) {
        return lifecycle.evaluate(List.of(observations), at).intents();
    }

    @Test
    void breachWaitsForTheRulesFor_thenFiresOnce() {
        assertThat(tick(T0, latency.breaching(T0))).isEmpty();
        assertThat(state(latency)).isEqualTo(AlertState.PENDING);
        assertThat(tick(T0.plusSeconds(60), latency.breaching(T0.plusSeconds(60)))).isEmpty();
        assertThat(tick(T0.plusSeconds(119), latency.breaching(T0.plusSeconds(119)))).isEmpty();

        List<NotificationIntent> fired = tick(T0.plusSeconds(120), latency.breaching(T0.plusSeconds(120)));

        assertThat(fired).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo(Kind.FIRING);
            assertThat(i.alerts()).singleElement().satisfies(a -> {
                assertThat(a.fingerprint()).isEqualTo(latency.fingerprint());
                assertThat(a.since()).isEqualTo(T0.plusSeconds(120));
            });
        });
        assertThat(state(latency)).isEqualTo(AlertState.FIRING);
    }

    @Test
    void zeroFor_firesOnTheFirstBreach() {
        Obs now = Obs.rule("errors");
        assertThat(tick(T0, now.breaching(T0))).singleElement().extracting(NotificationIntent::kind)
                .isEqualTo(Kind.FIRING);
    }

    @Test
    void pendingAlert_clearOrNoDataCancelsIt_andTheForClockRestarts() {
        tick(T0, latency.breaching(T0));
        tick(T0.plusSeconds(60), latency.clear(T0.plusSeconds(60)));
        assertThat(state(latency)).isEqualTo(AlertState.INACTIVE);

        tick(T0.plusSeconds(90), latency.breaching(T0.plusSeconds(90)));
        assertThat(tick(T0.plusSeconds(150), latency.breaching(T0.plusSeconds(150)))).isEmpty();
        assertThat(tick(T0.plusSeconds(210), latency.breaching(T0.plusSeconds(210)))).hasSize(1);

        Obs other = Obs.rule("photo-upload").pendingFor(Duration.ofMinutes(2));
        tick(T0, other.breaching(T0));
        tick(T0.plusSeconds(30), other.at(T0.plusSeconds(30), Condition.NO_DATA));
        assertThat(state(other)).isEqualTo(AlertState.INACTIVE);
    }

    @Test
    void holdingKeepsAPendingAlertPending_itFiresOnTheNextBreach() {
        tick(T0, latency.breaching(T0));
        assertThat(tick(T0.plusSeconds(150), latency.at(T0.plusSeconds(150), Condition.HOLDING))).isEmpty();
        assertThat(state(latency)).isEqualTo(AlertState.PENDING);
        assertThat(tick(T0.plusSeconds(160), latency.breaching(T0.plusSeconds(160)))).hasSize(1);
    }

    @Test
    void holdingKeepsAFiringAlertFiring_clearResolvesIt() {
        Obs errors = Obs.rule("errors");
        tick(T0, errors.breaching(T0));
        for (int m = 1; m <= 5; m++) {
            Instant at = T0.plusSeconds(60L * m);
            assertThat(tick(at, errors.at(at, Condition.HOLDING))).isEmpty();
        }
        assertThat(state(errors)).isEqualTo(AlertState.FIRING);

        List<NotificationIntent> resolved = tick(T0.plusSeconds(360), errors.clear(T0.plusSeconds(360)));

        assertThat(resolved).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo(Kind.RESOLVED);
            assertThat(i.context()).containsEntry("group_resolved", true);
        });
        assertThat(lifecycle.alert(errors.fingerprint()).orElseThrow().resolution()).isEqualTo(Resolution.CLEARED);
        assertThat(lifecycle.groups()).isEmpty();
    }

    @Test
    void holdingNeverOpensAClosedAlert() {
        Obs errors = Obs.rule("errors");
        assertThat(tick(T0, errors.at(T0, Condition.HOLDING))).isEmpty();
        assertThat(lifecycle.alert(errors.fingerprint())).isEmpty();
        tick(T0.plusSeconds(60), errors.breaching(T0.plusSeconds(60)));
        tick(T0.plusSeconds(120), errors.clear(T0.plusSeconds(120)));
        assertThat(tick(T0.plusSeconds(180), errors.at(T0.plusSeconds(180), Condition.HOLDING))).isEmpty();
        assertThat(state(errors)).isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void aFiringAlertFiresOnce_howeverManyBreachesFollow() {
        Obs errors = Obs.rule("errors");
        assertThat(tick(T0, errors.breaching(T0))).hasSize(1);
        for (int s = 10; s < 600; s += 10) {
            Instant at = T0.plusSeconds(s);
            assertThat(tick(at, errors.breaching(at), errors.breaching(at))).isEmpty();
        }
    }

    @Test
    void noDataKeepsAFiringAlertFiringFor10Minutes_thenResolvesItAsNoData() {
        Obs errors = Obs.rule("errors");
        tick(T0, errors.breaching(T0));
        for (int m = 1; m < 10; m++) {
            Instant at = T0.plusSeconds(60L * m);
            assertThat(tick(at, errors.at(at, Condition.NO_DATA))).isEmpty();
            assertThat(state(errors)).isEqualTo(AlertState.FIRING);
        }

        List<NotificationIntent> resolved = tick(T0.plusSeconds(660), errors.at(T0.plusSeconds(660),
                Condition.NO_DATA));

        assertThat(resolved).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo(Kind.RESOLVED);
            assertThat(i.context().get("resolutions").toString()).contains("no_data");
        });
        assertThat(lifecycle.alert(errors.fingerprint()).orElseThrow().resolution()).isEqualTo(Resolution.NO_DATA);
    }

    @Test
    void dataInBetweenRestartsTheNoDataCount() {
        Obs errors = Obs.rule("errors");
        tick(T0, errors.breaching(T0));
        tick(T0.plusSeconds(60), errors.at(T0.plusSeconds(60), Condition.NO_DATA));
        tick(T0.plusSeconds(500), errors.breaching(T0.plusSeconds(500)));
        tick(T0.plusSeconds(560), errors.at(T0.plusSeconds(560), Condition.NO_DATA));
        assertThat(tick(T0.plusSeconds(700))).isEmpty();
        assertThat(state(errors)).isEqualTo(AlertState.FIRING);
    }

    @Test
    void aGroupMissingFromItsEvaluatedRule_countsAsNoData() {
        Obs w1 = Obs.rule("errors");
        Obs w2 = Obs.rule("errors").labels("wedding_id", "w-2");
        tick(T0, w1.breaching(T0), w2.breaching(T0));
        // w-1 no longer reported by its rule, w-2 still breaching.
        for (int m = 1; m <= 9; m++) {
            Instant at = T0.plusSeconds(60L * m);
            tick(at, w2.breaching(at));
        }
        assertThat(state(w1)).isEqualTo(AlertState.FIRING);
        tick(T0.plusSeconds(660), w2.breaching(T0.plusSeconds(660)));
        assertThat(state(w1)).isEqualTo(AlertState.RESOLVED);
        assertThat(state(w2)).isEqualTo(AlertState.FIRING);
    }

    @Test
    void anAlertNothingReportsOnForAnHour_resolvesAsStale_butOneWhoseRuleRunsRarelyDoesNot() {
        Obs errors = Obs.rule("errors");
        tick(T0, errors.breaching(T0));
        // Its rule runs every 15 minutes (a wedding more than 30 days away): no observation between runs.
        for (int m = 15; m <= 45; m += 15) {
            Instant at = T0.plusSeconds(60L * m);
            tick(at.minusSeconds(60));
            tick(at, errors.breaching(at));
        }
        assertThat(state(errors)).isEqualTo(AlertState.FIRING);

        tick(T0.plusSeconds(45 * 60 + 3599));
        assertThat(state(errors)).isEqualTo(AlertState.FIRING);
        List<NotificationIntent> resolved = tick(T0.plusSeconds(45 * 60 + 3600));
        assertThat(resolved).extracting(NotificationIntent::kind).containsExactly(Kind.RESOLVED);
        assertThat(lifecycle.alert(errors.fingerprint()).orElseThrow().resolution()).isEqualTo(Resolution.STALE);
    }

    @Test
    void historyRecordsEveryTransition() {
        List<AlertHistoryEntry> history = new java.util.ArrayList<>();
        history.addAll(lifecycle.evaluate(List.of(latency.breaching(T0)), T0).history());
        history.addAll(lifecycle.evaluate(List.of(latency.breaching(T0.plusSeconds(120))), T0.plusSeconds(120))
                .history());
        history.addAll(lifecycle.evaluate(List.of(latency.clear(T0.plusSeconds(180))), T0.plusSeconds(180))
                .history());

        assertThat(history).allSatisfy(h -> assertThat(h.event()).isEqualTo(Event.TRANSITION))
                .extracting(AlertHistoryEntry::from, AlertHistoryEntry::to, AlertHistoryEntry::at)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(AlertState.INACTIVE, AlertState.PENDING, T0),
                        org.assertj.core.groups.Tuple.tuple(AlertState.PENDING, AlertState.FIRING,
                                T0.plusSeconds(120)),
                        org.assertj.core.groups.Tuple.tuple(AlertState.FIRING, AlertState.RESOLVED,
                                T0.plusSeconds(180)));
    }

    @Test
    void resolvedAlertsAreForgottenAfterAnHour() {
        Obs errors = Obs.rule("errors");
        tick(T0, errors.breaching(T0));
        tick(T0.plusSeconds(60), errors.clear(T0.plusSeconds(60)));
        tick(T0.plusSeconds(60 + 3599));
        assertThat(lifecycle.alert(errors.fingerprint())).isPresent();
        tick(T0.plusSeconds(60 + 3600));
        assertThat(lifecycle.alert(errors.fingerprint())).isEmpty();
    }
}
