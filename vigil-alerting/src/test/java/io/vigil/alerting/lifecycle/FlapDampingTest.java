package io.vigil.alerting.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alerting.Condition;
import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent.Kind;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.Priority;
import io.vigil.alerting.lifecycle.AlertHistoryEntry.Event;
import io.vigil.core.time.SettableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlapDampingTest {
    static final Instant T0 = Instant.parse("2026-06-13T14:00:00Z");
    final AlertLifecycle lifecycle = new AlertLifecycle(LifecycleConfig.DEFAULTS, new SettableClock(T0));
    // P0: no group interval, so every change would notify at once without damping.
    final Obs flappy = Obs.rule("checkout-errors").rated(Priority.P0, Impact.CRITICAL);
    final List<NotificationIntent> intents = new ArrayList<>();
    final List<AlertHistoryEntry> history = new ArrayList<>();

    void tick(int minute, Condition c) {
        Instant at = T0.plusSeconds(60L * minute);
        LifecycleOutput out = lifecycle.evaluate(List.of(flappy.at(at, c)), at);
        // Only changes: escalations and the P0's 15-minute repeats go on while it is held firing.
        intents.addAll(out.intents().stream()
                .filter(i -> i.kind() != Kind.ESCALATED && !Boolean.TRUE.equals(i.context().get("repeat"))).toList());
        history.addAll(out.history());
    }

    AlertView view() {
        return lifecycle.alert(flappy.fingerprint()).orElseThrow();
    }

    @Test
    void theFifthTransitionIn15Minutes_marksItFlapping_andHoldsItFiring() {
        for (int m = 0; m < 4; m++) {
            tick(m, m % 2 == 0 ? Condition.BREACHING : Condition.CLEAR); // F R F R: 4 transitions
        }
        assertThat(view().flapping()).isFalse();
        tick(4, Condition.BREACHING); // 5th: fires, and is flapping
        assertThat(view().flapping()).isTrue();
        assertThat(history).extracting(AlertHistoryEntry::event).contains(Event.FLAPPING_STARTED);

        for (int m = 5; m < 20; m++) {
            tick(m, m % 2 == 0 ? Condition.BREACHING : Condition.CLEAR);
            assertThat(view().state()).isEqualTo(AlertState.FIRING);
        }
        assertThat(intents).extracting(NotificationIntent::kind)
                .containsExactly(Kind.FIRING, Kind.RESOLVED, Kind.FIRING, Kind.RESOLVED, Kind.FIRING);
        assertThat(intents.get(4).context()).containsEntry("flapping", true);
    }

    @Test
    void aResolveThatWouldBeTheFifthTransition_isHeldInstead() {
        tick(0, Condition.BREACHING);
        tick(1, Condition.CLEAR);
        tick(2, Condition.BREACHING);
        tick(3, Condition.CLEAR);
        tick(10, Condition.BREACHING); // 5 min later: still within 15 min of the first
        tick(11, Condition.CLEAR);
        assertThat(view().state()).isEqualTo(AlertState.FIRING);
        assertThat(view().flapping()).isTrue();
    }

    @Test
    void aFlappingAlertResolvesAfter10MinutesClear_andHoldingOrBreachingRestartsTheCount() {
        for (int m = 0; m < 5; m++) {
            tick(m, m % 2 == 0 ? Condition.BREACHING : Condition.CLEAR);
        }
        intents.clear();
        tick(5, Condition.CLEAR);
        tick(10, Condition.CLEAR);
        tick(14, Condition.HOLDING); // not clear: the 10 minutes start again
        tick(15, Condition.CLEAR);
        tick(24, Condition.CLEAR);
        assertThat(view().state()).isEqualTo(AlertState.FIRING);
        assertThat(intents).isEmpty();

        tick(25, Condition.CLEAR);

        assertThat(view().state()).isEqualTo(AlertState.RESOLVED);
        assertThat(view().flapping()).isFalse();
        assertThat(intents).extracting(NotificationIntent::kind).containsExactly(Kind.RESOLVED);
        assertThat(history).extracting(AlertHistoryEntry::event).contains(Event.FLAPPING_ENDED);
    }

    @Test
    void aSteadyAlertIsNeverFlapping() {
        tick(0, Condition.BREACHING);
        tick(10, Condition.CLEAR);
        tick(30, Condition.BREACHING);
        tick(40, Condition.CLEAR);
        tick(60, Condition.BREACHING);
        tick(70, Condition.CLEAR);
        assertThat(view().state()).isEqualTo(AlertState.RESOLVED);
        assertThat(history).extracting(AlertHistoryEntry::event).doesNotContain(Event.FLAPPING_STARTED);
    }
}
