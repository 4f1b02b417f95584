package io.vigil.alerting.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent.AlertSummary;
import io.vigil.alerting.NotificationIntent.Kind;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.Priority;
import io.vigil.core.time.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupingTest {
    static final Instant T0 = Instant.parse("2026-06-13T14:00:00Z");
    AlertLifecycle lifecycle = new AlertLifecycle(LifecycleConfig.DEFAULTS, new SettableClock(T0));

    List<NotificationIntent> tick(Instant at, RatedObservation... observations) {
        return lifecycle.evaluate(List.of(observations), at).intents();
    }

    static List<String> fingerprints(NotificationIntent i) {
        return i.alerts().stream().map(AlertSummary::fingerprint).toList();
    }

    @Test
    void alertsOfOneRuleAndWedding_shareAGroup_otherWeddingsHaveTheirOwn() {
        Obs route1 = Obs.rule("latency").labels("wedding_id", "w-1", "route", "/guests");
        Obs route2 = Obs.rule("latency").labels("wedding_id", "w-1", "route", "/photos");
        Obs otherWedding = Obs.rule("latency").labels("wedding_id", "w-2", "route", "/guests");

        List<NotificationIntent> intents = tick(T0, route1.breaching(T0), route2.breaching(T0),
                otherWedding.breaching(T0));

        assertThat(intents).extracting(NotificationIntent::groupKey)
                .containsExactly("{alertname=\"latency\",wedding_id=\"w-1\"}",
                        "{alertname=\"latency\",wedding_id=\"w-2\"}");
        assertThat(intents.get(0).alerts()).hasSize(2);
        assertThat(lifecycle.groups()).extracting(g -> g.labels())
                .containsExactly(Map.of("alertname", "latency", "wedding_id", "w-1"),
                        Map.of("alertname", "latency", "wedding_id", "w-2"));
    }

    @Test
    void groupByIsConfigurable() {
        lifecycle = new AlertLifecycle(LifecycleConfig.DEFAULTS.withGroupBy(List.of("wedding_id")),
                new SettableClock(T0));
        List<NotificationIntent> intents = tick(T0, Obs.rule("latency").breaching(T0),
                Obs.rule("errors").breaching(T0));
        assertThat(intents).singleElement().satisfies(i -> {
            assertThat(i.groupKey()).isEqualTo("{wedding_id=\"w-1\"}");
            assertThat(i.alerts()).hasSize(2);
        });
    }

    @Test
    void groupWaitGathersAlertsThatFireTogether_p2Waits30Seconds() {
        Obs a = Obs.rule("latency").labels("wedding_id", "w-1", "route", "/a").rated(Priority.P2, Impact.POTENTIAL);
        Obs b = Obs.rule("latency").labels("wedding_id", "w-1", "route", "/b").rated(Priority.P2, Impact.POTENTIAL);

        assertThat(tick(T0, a.breaching(T0))).isEmpty();
        assertThat(tick(T0.plusSeconds(20), a.breaching(T0.plusSeconds(20)), b.breaching(T0.plusSeconds(20))))
                .isEmpty();
        assertThat(tick(T0.plusSeconds(29), a.breaching(T0.plusSeconds(29)), b.breaching(T0.plusSeconds(29))))
                .isEmpty();

        List<NotificationIntent> first = tick(T0.plusSeconds(30), a.breaching(T0.plusSeconds(30)),
                b.breaching(T0.plusSeconds(30)));

        assertThat(first).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo(Kind.FIRING);
            assertThat(fingerprints(i)).containsExactlyInAnyOrder(a.fingerprint(), b.fingerprint());
            assertThat(i.priority()).isEqualTo(Priority.P2);
        });
    }

    @Test
    void anAlertThatResolvesWithinTheGroupWait_isNeverAnnounced() {
        Obs blip = Obs.rule("latency").rated(Priority.P2, Impact.POTENTIAL);
        assertThat(tick(T0, blip.breaching(T0))).isEmpty();
        assertThat(tick(T0.plusSeconds(20), blip.clear(T0.plusSeconds(20)))).isEmpty();
        assertThat(tick(T0.plusSeconds(30), blip.clear(T0.plusSeconds(30)))).isEmpty();
        assertThat(lifecycle.groups()).isEmpty();
    }

    @Test
    void groupWaitFollowsPriority_p3Waits5Minutes_p0AndP1NotAtAll() {
        Obs p3 = Obs.rule("dev").rated(Priority.P3, Impact.NONE);
        assertThat(tick(T0, p3.breaching(T0))).isEmpty();
        assertThat(tick(T0.plusSeconds(299), p3.breaching(T0.plusSeconds(299)))).isEmpty();
        assertThat(tick(T0.plusSeconds(300), p3.breaching(T0.plusSeconds(300)))).hasSize(1);

        assertThat(tick(T0, Obs.rule("p0").rated(Priority.P0, Impact.CRITICAL).breaching(T0))).hasSize(1);
        assertThat(tick(T0, Obs.rule("p1").breaching(T0))).hasSize(1);
    }

    @Test
    void aP0JoiningAWaitingGroup_endsTheWait() {
        Obs p3 = Obs.rule("latency").labels("wedding_id", "w-1", "route", "/a").rated(Priority.P3, Impact.NONE);
        Obs p0 = Obs.rule("latency").labels("wedding_id", "w-1", "route", "/b").rated(Priority.P0, Impact.CRITICAL);
        tick(T0, p3.breaching(T0));

        List<NotificationIntent> intents = tick(T0.plusSeconds(10), p3.breaching(T0.plusSeconds(10)),
                p0.breaching(T0.plusSeconds(10)));

        assertThat(intents).singleElement().satisfies(i -> {
            assertThat(i.priority()).isEqualTo(Priority.P0);
            assertThat(i.impact()).isEqualTo(Impact.CRITICAL);
            assertThat(i.alerts()).hasSize(2);
            assertThat(i.alerts().get(0).fingerprint()).isEqualTo(p0.fingerprint());
        });
    }

    @Test
    void groupIntervalSpacesLaterNotificationsOfAChangingGroup_p1OneMinute() {
        Obs a = Obs.rule("latency").labels("wedding_id", "w-1", "route", "/a");
        Obs b = Obs.rule("latency").labels("wedding_id", "w-1", "route", "/b");
        assertThat(tick(T0, a.breaching(T0))).hasSize(1);

        assertThat(tick(T0.plusSeconds(10), a.breaching(T0.plusSeconds(10)), b.breaching(T0.plusSeconds(10))))
                .isEmpty();
        assertThat(tick(T0.plusSeconds(59), a.breaching(T0.plusSeconds(59)), b.breaching(T0.plusSeconds(59))))
                .isEmpty();
        List<NotificationIntent> second = tick(T0.plusSeconds(60), a.breaching(T0.plusSeconds(60)),
                b.breaching(T0.plusSeconds(60)));

        assertThat(second).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo(Kind.FIRING);
            assertThat(i.context()).containsEntry("repeat", false);
            assertThat(fingerprints(i)).containsExactlyInAnyOrder(a.fingerprint(), b.fingerprint());
        });

        // a resolves at 70 s: announced one interval after the previous notification.
        assertThat(tick(T0.plusSeconds(70), a.clear(T0.plusSeconds(70)), b.breaching(T0.plusSeconds(70))))
                .isEmpty();
        List<NotificationIntent> third = tick(T0.plusSeconds(120), a.clear(T0.plusSeconds(120)),
                b.breaching(T0.plusSeconds(120)));
        assertThat(third).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo(Kind.RESOLVED);
            assertThat(fingerprints(i)).containsExactly(a.fingerprint());
            assertThat(i.context()).containsEntry("group_resolved", false);
        });
    }

    @Test
    void p0GroupsHaveNoGroupInterval() {
        Obs a = Obs.rule("down").labels("wedding_id", "w-1", "route", "/a").rated(Priority.P0, Impact.CRITICAL);
        Obs b = Obs.rule("down").labels("wedding_id", "w-1", "route", "/b").rated(Priority.P0, Impact.CRITICAL);
        assertThat(tick(T0, a.breaching(T0))).hasSize(1);
        assertThat(tick(T0.plusSeconds(10), a.breaching(T0.plusSeconds(10)), b.breaching(T0.plusSeconds(10))))
                .hasSize(1);
        assertThat(tick(T0.plusSeconds(20), a.clear(T0.plusSeconds(20)), b.breaching(T0.plusSeconds(20))))
                .extracting(NotificationIntent::kind).containsExactly(Kind.RESOLVED);
    }

    @Test
    void repeatIntervalRenotifiesAnUnchangedFiringGroup_p1Every4Hours_p0Every15Minutes() {
        Obs p1 = Obs.rule("latency");
        Obs p0 = Obs.rule("down").rated(Priority.P0, Impact.CRITICAL);
        List<NotificationIntent> p1Intents = new ArrayList<>();
        List<NotificationIntent> p0Intents = new ArrayList<>();
        for (int m = 0; m <= 8 * 60; m++) {
            Instant at = T0.plusSeconds(60L * m);
            for (NotificationIntent i : tick(at, p1.breaching(at), p0.breaching(at))) {
                (i.priority() == Priority.P0 ? p0Intents : p1Intents).add(i);
            }
        }
        List<NotificationIntent> p1Firing = p1Intents.stream().filter(i -> i.kind() == Kind.FIRING).toList();
        assertThat(p1Firing).extracting(NotificationIntent::at)
                .containsExactly(T0, T0.plus(Duration.ofHours(4)), T0.plus(Duration.ofHours(8)));
        assertThat(p1Firing).extracting(i -> i.context().get("repeat")).containsExactly(false, true, true);

        List<NotificationIntent> p0Firing = p0Intents.stream().filter(i -> i.kind() == Kind.FIRING).toList();
        assertThat(p0Firing).hasSize(8 * 4 + 1);
        assertThat(p0Firing.get(1).at()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
    }

    @Test
    void anAcknowledgedGroupIsNotRepeated() {
        Obs p0 = Obs.rule("down").rated(Priority.P0, Impact.CRITICAL);
        tick(T0, p0.breaching(T0));
        lifecycle.acknowledge(AckTarget.alert(p0.fingerprint()), "oncall", "on it", "api", T0.plusSeconds(60));
        for (int m = 1; m <= 60; m++) {
            Instant at = T0.plusSeconds(60L * m);
            assertThat(tick(at, p0.breaching(at))).isEmpty();
        }
    }

    @Test
    void aPriorityRiseRenotifiesTheGroup() {
        Obs latency = Obs.rule("latency").rated(Priority.P2, Impact.POTENTIAL);
        tick(T0, latency.breaching(T0));
        assertThat(tick(T0.plusSeconds(30), latency.breaching(T0.plusSeconds(30)))).hasSize(1);

        // The wedding became active: the same alert is now a P0.
        Obs nowP0 = latency.rated(Priority.P0, Impact.CRITICAL);
        List<NotificationIntent> intents = tick(T0.plusSeconds(60), nowP0.breaching(T0.plusSeconds(60)));

        assertThat(intents).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo(Kind.FIRING);
            assertThat(i.priority()).isEqualTo(Priority.P0);
            assertThat(i.context()).containsEntry("repeat", false);
        });
        assertThat(tick(T0.plusSeconds(70), nowP0.breaching(T0.plusSeconds(70)))).isEmpty();
    }

    @Test
    void idempotencyKeys_areGroupEpisodeSequenceAndKind_andAGroupThatComesBackGetsNewOnes() {
        Obs errors = Obs.rule("errors").rated(Priority.P0, Impact.CRITICAL);
        String group = "{alertname=\"errors\",wedding_id=\"w-1\"}";
        List<String> keys = new ArrayList<>();
        keys.addAll(tick(T0, errors.breaching(T0)).stream().map(NotificationIntent::idempotencyKey).toList());
        keys.addAll(tick(T0.plusSeconds(10), errors.clear(T0.plusSeconds(10))).stream()
                .map(NotificationIntent::idempotencyKey).toList());
        keys.addAll(tick(T0.plusSeconds(20), errors.breaching(T0.plusSeconds(20))).stream()
                .map(NotificationIntent::idempotencyKey).toList());

        assertThat(keys).containsExactly(
                group + "|" + T0.toEpochMilli() + "|1|FIRING",
                group + "|" + T0.toEpochMilli() + "|2|RESOLVED",
                group + "|" + T0.plusSeconds(20).toEpochMilli() + "|1|FIRING");
    }

    @Test
    void weddingContextIsCarried_withTheLifecycleKeys() {
        Map<String, Object> context = Map.of("wedding_season", true, "wedding_peak_time", true,
                "estimated_wedding_load", 12.5, "active_weddings", 3);
        List<NotificationIntent> intents = lifecycle.evaluate(List.of(Obs.rule("errors").breaching(T0)), T0,
                context).intents();
        assertThat(intents).singleElement().satisfies(i -> {
            assertThat(i.context()).containsAllEntriesOf(context);
            assertThat(i.context()).containsEntry("repeat", false).containsEntry("flapping", false);
            assertThat(i.alerts().get(0).explanation()).isEqualTo("P1 potential");
        });
    }
}
