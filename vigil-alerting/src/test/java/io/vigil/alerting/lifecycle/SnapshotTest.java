package io.vigil.alerting.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.alerting.Condition;
import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent.Kind;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.Priority;
import io.vigil.core.time.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotTest {
    static final Instant T0 = Instant.parse("2026-06-13T14:00:00Z");
    final SettableClock clock = new SettableClock(T0);

    final Obs p0 = Obs.rule("checkout-errors").rated(Priority.P0, Impact.CRITICAL);
    final Obs p1 = Obs.rule("photo-upload").labels("wedding_id", "w-2");
    final Obs p2 = Obs.rule("load-test").labels("wedding_id", "", "test", "lt-7").rated(Priority.P2,
            Impact.POTENTIAL);
    final Obs pending = Obs.rule("guest-list").pendingFor(Duration.ofHours(1));
    final Obs silenced = Obs.rule("vendor-sms").labels("wedding_id", "w-3");
    final Obs flappy = Obs.rule("timeline-sync").rated(Priority.P0, Impact.CRITICAL);

    List<RatedObservation> observations(int minute) {
        Instant at = at(minute);
        return List.of(p0.breaching(at), p1.breaching(at), p2.breaching(at), pending.breaching(at),
                silenced.breaching(at), flappy.at(at, minute % 2 == 0 ? Condition.BREACHING : Condition.CLEAR));
    }

    static Instant at(int minute) {
        return T0.plusSeconds(60L * minute);
    }

    /** A lifecycle with something of everything: firing, acknowledged, escalated, pending, silenced, flapping. */
    AlertLifecycle busyLifecycle(int minutes) {
        AlertLifecycle lifecycle = new AlertLifecycle(LifecycleConfig.DEFAULTS, clock);
        lifecycle.putSilence(new Silence("s1", List.of(LabelMatcher.parse("alertname=~\"vendor-.*\"")), T0,
                T0.plus(Duration.ofHours(2)), "sre", "SMS provider incident"));
        lifecycle.putMaintenanceWindow(new MaintenanceWindow("w1", "db", List.of(LabelMatcher.parse("alertname=db")),
                "Europe/London", LocalDateTime.parse("2026-06-02T02:00"), LocalDateTime.parse("2026-06-02T04:00"),
                "FREQ=WEEKLY;BYDAY=TU", false, "sre", ""));
        for (int m = 0; m <= minutes; m++) {
            lifecycle.evaluate(observations(m), at(m));
            if (m == 1) {
                lifecycle.acknowledge(AckTarget.alert(p1.fingerprint()), "alice", "on it", "api", at(1));
            }
        }
        return lifecycle;
    }

    @Test
    void aSnapshotSurvivesJson() {
        LifecycleState state = busyLifecycle(6).snapshot();

        String json = LifecycleJson.writeState(state);
        LifecycleState back = LifecycleJson.readState(json);

        assertThat(back).isEqualTo(state);
        assertThat(LifecycleJson.writeState(back)).isEqualTo(json);
        assertThat(state.alerts()).extracting(Alert::state).contains(AlertState.FIRING, AlertState.PENDING);
        assertThat(state.alerts()).anySatisfy(a -> assertThat(a.flapping()).isTrue());
        assertThat(state.alerts()).anySatisfy(a -> assertThat(a.acknowledgement()).isNotNull());
        assertThat(state.alerts()).anySatisfy(a -> assertThat(a.silencedBy()).containsExactly("s1"));
        assertThat(state.alerts()).anySatisfy(a -> assertThat(a.escalationLevel()).isPositive());
    }

    @Test
    void theSnapshotJsonHasAStableShape() throws Exception {
        String json = LifecycleJson.writeState(busyLifecycle(3).snapshot());
        JsonNode root = LifecycleJson.mapper().readTree(json);

        assertThat(root.fieldNames()).toIterable()
                .containsExactly("version", "at", "alerts", "groups", "silences", "maintenanceWindows");
        assertThat(root.get("version").asInt()).isEqualTo(1);
        assertThat(root.get("at").asText()).isEqualTo("2026-06-13T14:03:00Z");
        JsonNode alert = root.get("alerts").get(0);
        assertThat(alert.fieldNames()).toIterable().contains("fingerprint", "ruleId", "labels", "groupKey", "state",
                "since", "rating", "acknowledgement", "escalationLevel", "flapping", "silencedBy", "mutedBy");
        assertThat(alert.get("rating").fieldNames()).toIterable()
                .containsExactly("impact", "priority", "explanation");
        JsonNode group = root.get("groups").get(0);
        assertThat(group.fieldNames()).toIterable().containsExactly("key", "labels", "createdAt", "sequence",
                "lastFlushAt", "lastFiringAt", "notified", "notifiedPriority");
        JsonNode matcher = root.get("silences").get(0).get("matchers").get(0);
        assertThat(matcher.toString()).isEqualTo("{\"name\":\"alertname\",\"op\":\"=~\",\"value\":\"vendor-.*\"}");
        assertThat(root.get("maintenanceWindows").get(0).get("start").asText()).isEqualTo("2026-06-02T02:00:00");
    }

    @Test
    void aRestartFromASnapshot_neitherForgetsAFiringAlertNorAnnouncesItAgain() {
        AlertLifecycle before = busyLifecycle(6);
        String json = LifecycleJson.writeState(before.snapshot());

        AlertLifecycle after = AlertLifecycle.restore(LifecycleJson.readState(json), LifecycleConfig.DEFAULTS,
                clock);

        assertThat(after.alerts()).isEqualTo(before.alerts());
        assertThat(after.alert(p0.fingerprint()).orElseThrow().state()).isEqualTo(AlertState.FIRING);
        // The evaluation the snapshot was taken after, fed again: nothing new to say.
        assertThat(after.evaluate(observations(6), at(6)).intents()).isEmpty();
        assertThat(before.evaluate(observations(6), at(6)).intents()).isEmpty();
    }

    @Test
    void aRestartedLifecycleCarriesOnExactlyLikeTheOriginal() {
        AlertLifecycle original = busyLifecycle(6);
        AlertLifecycle restarted = AlertLifecycle.restore(LifecycleJson.readState(
                LifecycleJson.writeState(original.snapshot())), LifecycleConfig.DEFAULTS, clock);

        List<NotificationIntent> fromOriginal = new ArrayList<>();
        List<NotificationIntent> fromRestarted = new ArrayList<>();
        for (int m = 7; m <= 30; m++) {
            fromOriginal.addAll(original.evaluate(observations(m), at(m)).intents());
            fromRestarted.addAll(restarted.evaluate(observations(m), at(m)).intents());
        }

        assertThat(fromRestarted).isEqualTo(fromOriginal);
        assertThat(fromOriginal).extracting(NotificationIntent::kind).contains(Kind.ESCALATED)
                .doesNotContain(Kind.RESOLVED);
        assertThat(fromOriginal).filteredOn(i -> i.kind() == Kind.FIRING)
                .allSatisfy(i -> assertThat(i.context()).containsEntry("repeat", true));
    }

    @Test
    void anEvaluationReplayedAfterACrash_writesTheSameIdempotencyKeys() {
        Obs pending = Obs.rule("guest-list").pendingFor(Duration.ofMinutes(5));
        AlertLifecycle lifecycle = new AlertLifecycle(LifecycleConfig.DEFAULTS, clock);
        lifecycle.evaluate(List.of(pending.breaching(at(0))), at(0));
        String saved = LifecycleJson.writeState(lifecycle.snapshot());

        // The next evaluation writes its intents to the outbox, then the node dies before saving its state.
        List<RatedObservation> next = List.of(pending.breaching(at(5)), p0.breaching(at(5)));
        List<NotificationIntent> written = lifecycle.evaluate(next, at(5)).intents();
        AlertLifecycle replay = AlertLifecycle.restore(LifecycleJson.readState(saved), LifecycleConfig.DEFAULTS,
                clock);
        List<NotificationIntent> rewritten = replay.evaluate(next, at(5)).intents();

        assertThat(written).hasSize(2);
        assertThat(rewritten).extracting(NotificationIntent::idempotencyKey)
                .containsExactlyElementsOf(written.stream().map(NotificationIntent::idempotencyKey).toList());
        assertThat(rewritten).isEqualTo(written);
    }

    @Test
    void silencesAndWindowsAreDocumentsOfTheirOwn() {
        Silence s = new Silence("s1", List.of(LabelMatcher.parse("priority!=P0")), T0, T0.plusSeconds(60), "a", "b");
        assertThat(LifecycleJson.read(LifecycleJson.write(s), Silence.class)).isEqualTo(s);
        MaintenanceWindow w = MaintenanceWindowTest.TUESDAYS;
        assertThat(LifecycleJson.read(LifecycleJson.write(w), MaintenanceWindow.class)).isEqualTo(w);
        assertThatThrownBy(() -> LifecycleJson.readState("{\"version\":99}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LifecycleJson.readState("not json")).isInstanceOf(IllegalArgumentException.class);
    }
}
