package io.vigil.alerting.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent.Kind;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.Priority;
import io.vigil.core.time.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EscalationTest {
    static final Instant T0 = Instant.parse("2026-06-13T14:00:00Z");
    final AlertLifecycle lifecycle = new AlertLifecycle(LifecycleConfig.DEFAULTS, new SettableClock(T0));

    List<NotificationIntent> escalations(Instant at, Obs o) {
        return lifecycle.evaluate(List.of(o.breaching(at)), at).intents().stream()
                .filter(i -> i.kind() == Kind.ESCALATED).toList();
    }

    @ParameterizedTest
    @CsvSource({"P0, PT2M", "P1, PT15M", "P2, PT1H"})
    void anUnacknowledgedAlertEscalatesAtExactlyItsPrioritysTime_thenEveryPeriod(Priority p, Duration period) {
        Obs o = Obs.rule("errors").rated(p, p == Priority.P0 ? Impact.CRITICAL : Impact.POTENTIAL);
        // First notified after the group wait (30 s for P2, none for P0 and P1): the clock starts there.
        Instant notified = T0.plus(LifecycleConfig.DEFAULTS.timing(p).groupWait());
        List<NotificationIntent> fired = new java.util.ArrayList<>(
                lifecycle.evaluate(List.of(o.breaching(T0)), T0).intents());
        fired.addAll(lifecycle.evaluate(List.of(o.breaching(notified)), notified).intents());
        assertThat(fired).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo(Kind.FIRING);
            assertThat(i.at()).isEqualTo(notified);
        });

        assertThat(escalations(notified.plus(period).minusSeconds(1), o)).isEmpty();
        assertThat(escalations(notified.plus(period), o)).singleElement().satisfies(i -> {
            assertThat(i.context()).containsEntry("escalation_level", 1);
            assertThat(i.priority()).isEqualTo(p);
            assertThat(i.alerts()).singleElement().extracting(a -> a.fingerprint()).isEqualTo(o.fingerprint());
        });
        assertThat(escalations(notified.plus(period).plusSeconds(1), o)).isEmpty();
        assertThat(escalations(notified.plus(period.multipliedBy(2)).minusSeconds(1), o)).isEmpty();
        assertThat(escalations(notified.plus(period.multipliedBy(2)), o)).singleElement()
                .satisfies(i -> assertThat(i.context()).containsEntry("escalation_level", 2));
        assertThat(lifecycle.alert(o.fingerprint()).orElseThrow().escalationLevel()).isEqualTo(2);
    }

    @Test
    void p3NeverEscalates() {
        Obs o = Obs.rule("dev").rated(Priority.P3, Impact.NONE);
        for (int h = 0; h <= 48; h++) {
            assertThat(escalations(T0.plus(Duration.ofHours(h)), o)).isEmpty();
        }
    }

    @Test
    void aTickThatSkipsPeriods_escalatesOnceToTheCurrentLevel() {
        Obs o = Obs.rule("down").rated(Priority.P0, Impact.CRITICAL);
        lifecycle.evaluate(List.of(o.breaching(T0)), T0);
        assertThat(escalations(T0.plus(Duration.ofMinutes(7)), o)).singleElement()
                .satisfies(i -> assertThat(i.context()).containsEntry("escalation_level", 3));
    }

    @Test
    void acknowledgingStopsEscalation() {
        Obs o = Obs.rule("down").rated(Priority.P0, Impact.CRITICAL);
        lifecycle.evaluate(List.of(o.breaching(T0)), T0);
        assertThat(escalations(T0.plus(Duration.ofMinutes(2)), o)).hasSize(1);
        lifecycle.acknowledge(AckTarget.alert(o.fingerprint()), "oncall", "", "api", T0.plusSeconds(150));
        for (int m = 3; m <= 30; m++) {
            assertThat(escalations(T0.plus(Duration.ofMinutes(m)), o)).isEmpty();
        }
    }

    @Test
    void aResolvedAndRefiredAlert_startsAFreshEscalationClock() {
        Obs o = Obs.rule("down").rated(Priority.P0, Impact.CRITICAL);
        lifecycle.evaluate(List.of(o.breaching(T0)), T0);
        escalations(T0.plus(Duration.ofMinutes(2)), o);
        Instant clear = T0.plus(Duration.ofMinutes(3));
        lifecycle.evaluate(List.of(o.clear(clear)), clear);
        Instant again = T0.plus(Duration.ofMinutes(4));
        lifecycle.evaluate(List.of(o.breaching(again)), again);
        assertThat(escalations(again.plus(Duration.ofMinutes(2)).minusSeconds(1), o)).isEmpty();
        assertThat(escalations(again.plus(Duration.ofMinutes(2)), o)).singleElement()
                .satisfies(i -> assertThat(i.context()).containsEntry("escalation_level", 1));
    }

    @Test
    void aPriorityChangeRestartsTheClockAtTheNewPriority() {
        Obs p2 = Obs.rule("latency").rated(Priority.P2, Impact.POTENTIAL);
        lifecycle.evaluate(List.of(p2.breaching(T0)), T0);
        lifecycle.evaluate(List.of(p2.breaching(T0.plusSeconds(30))), T0.plusSeconds(30));
        // 40 minutes in, the wedding becomes active: P0, to be acknowledged within 2 minutes from now.
        Obs p0 = p2.rated(Priority.P0, Impact.CRITICAL);
        Instant change = T0.plus(Duration.ofMinutes(40));
        assertThat(escalations(change, p0)).isEmpty();
        assertThat(escalations(change.plus(Duration.ofMinutes(2)).minusSeconds(1), p0)).isEmpty();
        assertThat(escalations(change.plus(Duration.ofMinutes(2)), p0)).singleElement()
                .satisfies(i -> assertThat(i.context()).containsEntry("escalation_level", 1));
    }
}
