package io.vigil.alerting.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alerting.Condition;
import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent.Kind;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.Observation;
import io.vigil.alerting.Priority;
import io.vigil.alerting.Rating;
import io.vigil.alerting.Severity;
import io.vigil.alerting.lifecycle.AlertHistoryEntry.Event;
import io.vigil.core.time.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InhibitionTest {
    static final Instant T0 = Instant.parse("2026-06-13T18:00:00Z");
    static final String P95 = "threshold|wedding_photo_upload_seconds|{}|[wedding_id]|p95|PT5M|GT";
    final SettableClock clock = new SettableClock(T0);
    final AlertLifecycle lifecycle = new AlertLifecycle(LifecycleConfig.DEFAULTS, clock);

    static RatedObservation obs(String rule, Severity severity, String family, String wedding, Condition c,
                                Instant at) {
        return new RatedObservation(new Observation(rule, "wedding_photo_upload_seconds",
                Map.of("wedding_id", wedding), c, 6.0, 5.0, Duration.ZERO, severity, "p95 6 s > 5 s", at, family),
                new Rating(Impact.CRITICAL, Priority.P0, "photo upload during an active wedding"));
    }

    List<NotificationIntent> tick(Instant at, RatedObservation... observations) {
        clock.set(at);
        return lifecycle.evaluate(List.of(observations), at).intents();
    }

    static List<String> firedRules(List<NotificationIntent> intents) {
        List<String> out = new ArrayList<>();
        for (NotificationIntent i : intents) {
            if (i.kind() == Kind.FIRING) {
                i.alerts().forEach(a -> out.add(a.ruleId()));
            }
        }
        return out;
    }

    @Test
    void theMostSevereAlertOfAFamilyNotifies_theLesserOnesOnTheSameLabelsAreInhibited() {
        List<NotificationIntent> first = tick(T0,
                obs("upload.p95.critical", Severity.CRITICAL, P95, "w-1", Condition.BREACHING, T0),
                obs("upload.p95.high", Severity.HIGH, P95, "w-1", Condition.BREACHING, T0),
                obs("upload.p95.medium", Severity.MEDIUM, P95, "w-1", Condition.BREACHING, T0),
                // another wedding: not inhibited by w-1's alert
                obs("upload.p95.high", Severity.HIGH, P95, "w-2", Condition.BREACHING, T0),
                // another family on the same labels: not inhibited either
                obs("upload.errors.high", Severity.HIGH, "errors", "w-1", Condition.BREACHING, T0));

        assertThat(firedRules(first)).containsExactlyInAnyOrder("upload.p95.critical", "upload.p95.high",
                "upload.errors.high");
        assertThat(lifecycle.alerts()).filteredOn(a -> a.ruleId().equals("upload.p95.medium")).singleElement()
                .satisfies(a -> {
                    assertThat(a.state()).isEqualTo(AlertState.FIRING);
                    assertThat(a.inhibitedBy()).containsExactly("upload.p95.critical", "upload.p95.high");
                });
    }

    @Test
    void aLesserAlertStaysQuietForFiveMinutesAfterTheSevereOneResolved_thenIsAnnouncedIfItStillFires() {
        tick(T0, obs("upload.p95.critical", Severity.CRITICAL, P95, "w-1", Condition.BREACHING, T0),
                obs("upload.p95.high", Severity.HIGH, P95, "w-1", Condition.BREACHING, T0));
        tick(T0.plusSeconds(60), obs("upload.p95.critical", Severity.CRITICAL, P95, "w-1", Condition.CLEAR,
                T0.plusSeconds(60)));
        List<NotificationIntent> quiet = new ArrayList<>();
        for (int s = 120; s < 360; s += 60) {
            Instant at = T0.plusSeconds(s);
            quiet.addAll(tick(at, obs("upload.p95.high", Severity.HIGH, P95, "w-1", Condition.BREACHING, at)));
        }
        assertThat(quiet).isEmpty();
        Instant later = T0.plusSeconds(60 + 300);
        var out = lifecycle.evaluate(List.of(
                obs("upload.p95.high", Severity.HIGH, P95, "w-1", Condition.BREACHING, later)), later);

        assertThat(firedRules(out.intents())).containsExactly("upload.p95.high");
        assertThat(out.history()).anySatisfy(h -> {
            assertThat(h.ruleId()).isEqualTo("upload.p95.high");
            assertThat(h.event()).isEqualTo(Event.UNINHIBITED);
        });
    }

    @Test
    void aPendingSevereAlertInhibitsNothing() {
        RatedObservation critical = new RatedObservation(new Observation("upload.p95.critical",
                "wedding_photo_upload_seconds", Map.of("wedding_id", "w-1"), Condition.BREACHING, 6, 5,
                Duration.ofMinutes(5), Severity.CRITICAL, "p95 6 s > 5 s", T0, P95),
                new Rating(Impact.CRITICAL, Priority.P0, ""));

        List<NotificationIntent> out = tick(T0, critical,
                obs("upload.p95.high", Severity.HIGH, P95, "w-1", Condition.BREACHING, T0));

        assertThat(firedRules(out)).containsExactly("upload.p95.high");
    }
}
