package io.vigil.alerting.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent.Kind;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.Priority;
import io.vigil.alerting.lifecycle.AlertHistoryEntry.Event;
import io.vigil.alerting.lifecycle.LabelMatcher.Op;
import io.vigil.core.time.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SilenceTest {
    static final Instant T0 = Instant.parse("2026-06-13T14:00:00Z");
    final SettableClock clock = new SettableClock(T0);
    final AlertLifecycle lifecycle = new AlertLifecycle(LifecycleConfig.DEFAULTS, clock);

    List<NotificationIntent> tick(Instant at, RatedObservation... observations) {
        clock.set(at);
        return lifecycle.evaluate(List.of(observations), at).intents();
    }

    static Silence silence(String id, Duration length, String... matchers) {
        return new Silence(id, java.util.Arrays.stream(matchers).map(LabelMatcher::parse).toList(), T0,
                T0.plus(length), "sre", "deploying the photo service");
    }

    @Test
    void matchers_equalityAndAnchoredRegex_missingLabelsReadAsEmpty() {
        Map<String, String> labels = Map.of("wedding_id", "w-42", "route", "/photos/upload");
        assertThat(LabelMatcher.parse("wedding_id=w-42").matches(labels)).isTrue();
        assertThat(LabelMatcher.parse("wedding_id=\"w-4\"").matches(labels)).isFalse();
        assertThat(LabelMatcher.parse("wedding_id!=w-1").matches(labels)).isTrue();
        assertThat(LabelMatcher.parse("route=~\"/photos/.*\"").matches(labels)).isTrue();
        assertThat(LabelMatcher.parse("route=~photos").matches(labels)).as("anchored").isFalse();
        assertThat(LabelMatcher.parse("route!~\"/guests.*\"").matches(labels)).isTrue();
        assertThat(LabelMatcher.parse("vendor=\"\"").matches(labels)).isTrue();
        assertThat(LabelMatcher.parse("vendor!~\".+\"").matches(labels)).isTrue();
        assertThat(LabelMatcher.parse(" route =~ \"/photos/(upload|list)\" "))
                .isEqualTo(new LabelMatcher("route", Op.RE, "/photos/(upload|list)"));
        assertThatThrownBy(() -> LabelMatcher.parse("route=~\"(\"")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LabelMatcher.parse("no operator")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void matchersSeeThePseudoLabels_alertnameAndPriority() {
        Map<String, String> labels = MatchLabels.of("checkout-latency", Map.of("wedding_id", "w-1"),
                new io.vigil.alerting.Rating(Impact.CRITICAL, Priority.P0, ""), io.vigil.alerting.Severity.HIGH);
        assertThat(LabelMatcher.parse("alertname=checkout-latency").matches(labels)).isTrue();
        assertThat(LabelMatcher.parse("priority=~\"P[01]\"").matches(labels)).isTrue();
        assertThat(LabelMatcher.parse("priority!=P0").matches(labels)).isFalse();
        assertThat(LabelMatcher.parse("impact=critical").matches(labels)).isTrue();
        assertThat(LabelMatcher.parse("severity=high").matches(labels)).isTrue();
    }

    @Test
    void aSilencedAlertIsTrackedButWritesNoIntents() {
        lifecycle.putSilence(silence("s1", Duration.ofHours(2), "alertname=errors", "wedding_id=~\"w-.*\""));
        Obs errors = Obs.rule("errors").rated(Priority.P0, Impact.CRITICAL);

        for (int m = 0; m < 30; m++) {
            Instant at = T0.plusSeconds(60L * m);
            assertThat(tick(at, errors.breaching(at))).isEmpty();
        }

        AlertView view = lifecycle.alert(errors.fingerprint()).orElseThrow();
        assertThat(view.state()).isEqualTo(AlertState.FIRING);
        assertThat(view.silencedBy()).containsExactly("s1");
        assertThat(view.escalationLevel()).isZero();
        assertThat(tick(T0.plusSeconds(1800), errors.clear(T0.plusSeconds(1800)))).isEmpty();
    }

    @Test
    void aSilenceOnlyMutesWhatAllItsMatchersMatch() {
        lifecycle.putSilence(silence("s1", Duration.ofHours(2), "alertname=errors", "priority=P3"));
        assertThat(tick(T0, Obs.rule("errors").breaching(T0))).hasSize(1);
        assertThat(tick(T0, Obs.rule("latency").rated(Priority.P3, Impact.NONE).breaching(T0))).isEmpty();
        assertThat(lifecycle.alerts()).filteredOn(a -> a.ruleId().equals("latency"))
                .singleElement().extracting(AlertView::silencedBy).isEqualTo(List.of());
    }

    @Test
    void whenASilenceEnds_anAlertStillFiringIsAnnounced() {
        lifecycle.putSilence(silence("s1", Duration.ofMinutes(30), "wedding_id=w-1"));
        Obs errors = Obs.rule("errors");
        assertThat(tick(T0, errors.breaching(T0))).isEmpty();
        assertThat(tick(T0.plusSeconds(1799), errors.breaching(T0.plusSeconds(1799)))).isEmpty();

        var out = lifecycle.evaluate(List.of(errors.breaching(T0.plusSeconds(1800))), T0.plusSeconds(1800));

        assertThat(out.intents()).singleElement().extracting(NotificationIntent::kind).isEqualTo(Kind.FIRING);
        assertThat(out.history()).extracting(AlertHistoryEntry::event).contains(Event.UNSILENCED);
        assertThat(lifecycle.alert(errors.fingerprint()).orElseThrow().silencedBy()).isEmpty();
    }

    @Test
    void expiringASilenceByHand_endsItNow() {
        lifecycle.putSilence(silence("s1", Duration.ofHours(2), "wedding_id=w-1"));
        Obs errors = Obs.rule("errors");
        tick(T0, errors.breaching(T0));
        clock.set(T0.plusSeconds(600));

        assertThat(lifecycle.expireSilence("s1")).get().extracting(Silence::endsAt).isEqualTo(T0.plusSeconds(600));
        assertThat(lifecycle.expireSilence("nope")).isEmpty();
        assertThat(tick(T0.plusSeconds(600), errors.breaching(T0.plusSeconds(600)))).hasSize(1);
    }

    @Test
    void aNotifiedAlertSilencedLater_neitherRepeatsNorEscalatesNorResolves() {
        Obs errors = Obs.rule("errors").rated(Priority.P0, Impact.CRITICAL);
        assertThat(tick(T0, errors.breaching(T0))).hasSize(1);
        lifecycle.putSilence(new Silence("s1", List.of(LabelMatcher.parse("alertname=errors")), T0.plusSeconds(30),
                T0.plus(Duration.ofHours(1)), "sre", "known"));
        for (int m = 1; m <= 30; m++) {
            Instant at = T0.plusSeconds(60L * m);
            assertThat(tick(at, errors.breaching(at))).isEmpty();
        }
        assertThat(tick(T0.plusSeconds(1860), errors.clear(T0.plusSeconds(1860)))).isEmpty();
    }

    @Test
    void aSilencePausesEscalation_whichStartsOverWhenTheAlertIsAnnouncedAgain() {
        Obs errors = Obs.rule("errors").rated(Priority.P0, Impact.CRITICAL);
        tick(T0, errors.breaching(T0));
        assertThat(tick(T0.plusSeconds(120), errors.breaching(T0.plusSeconds(120))))
                .extracting(NotificationIntent::kind).containsExactly(Kind.ESCALATED);
        lifecycle.putSilence(new Silence("s1", List.of(LabelMatcher.parse("alertname=errors")), T0,
                T0.plusSeconds(600), "sre", ""));
        for (int s = 180; s < 600; s += 60) {
            assertThat(tick(T0.plusSeconds(s), errors.breaching(T0.plusSeconds(s)))).isEmpty();
        }

        assertThat(tick(T0.plusSeconds(600), errors.breaching(T0.plusSeconds(600))))
                .extracting(NotificationIntent::kind).containsExactly(Kind.FIRING);
        assertThat(tick(T0.plusSeconds(719), errors.breaching(T0.plusSeconds(719)))).isEmpty();
        assertThat(tick(T0.plusSeconds(720), errors.breaching(T0.plusSeconds(720)))).singleElement()
                .satisfies(i -> assertThat(i.context()).containsEntry("escalation_level", 1));
    }

    @Test
    void aSilenceThatHasNotStarted_doesNotMute_andExpiredSilencesAreForgottenAfter24Hours() {
        lifecycle.putSilence(new Silence("later", List.of(LabelMatcher.parse("wedding_id=w-1")),
                T0.plusSeconds(3600), T0.plusSeconds(7200), "sre", ""));
        assertThat(tick(T0, Obs.rule("errors").breaching(T0))).hasSize(1);
        tick(T0.plusSeconds(7200).plus(Duration.ofHours(24)).minusSeconds(1));
        assertThat(lifecycle.silences()).hasSize(1);
        tick(T0.plusSeconds(7200).plus(Duration.ofHours(24)));
        assertThat(lifecycle.silences()).isEmpty();
    }

    @Test
    void aSilenceNeedsAMatcherAndAnEndAfterItsStart() {
        assertThatThrownBy(() -> new Silence("s", List.of(), T0, T0.plusSeconds(1), "", ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Silence("s", List.of(LabelMatcher.parse("a=b")), T0, T0.minusSeconds(1), "",
                "")).isInstanceOf(IllegalArgumentException.class);
    }
}
