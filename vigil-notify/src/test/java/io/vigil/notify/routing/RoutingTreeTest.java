package io.vigil.notify.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.NotificationIntent.AlertSummary;
import io.vigil.alerting.NotificationIntent.Kind;
import io.vigil.alerting.Priority;
import io.vigil.alerting.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingTreeTest {
    static final Instant AT = Instant.parse("2026-06-13T18:00:00Z");

    static NotificationIntent intent(Priority p, Impact impact, Kind kind, Map<String, String> labels) {
        return new NotificationIntent("k", "g", kind, p, impact, List.of(new AlertSummary("fp", "photo-upload.avg.critical",
                labels, Severity.CRITICAL, "avg 12 s > 10 s", "", AT)), Map.of(), AT);
    }

    @Test
    void defaults_p0RunsTheEmergencyChain_withAnIncident_callsOnlyWhenItFiresOrEscalates() {
        RoutingTree.Routed firing = RoutingTree.DEFAULT.route(intent(Priority.P0, Impact.CRITICAL, Kind.FIRING,
                Map.of("wedding_id", "w-1")));
        assertThat(firing.receivers()).containsExactly("oncall-call", "coordinators-email", "coordinators-sms",
                "oncall-sms", "oncall-pagerduty", "team-leads", "wedding-emergency");
        assertThat(firing.incident()).isTrue();
        assertThat(firing.fallbacks()).containsEntry("wedding-emergency", "team-leads");

        assertThat(RoutingTree.DEFAULT.route(intent(Priority.P0, Impact.CRITICAL, Kind.ACKNOWLEDGED, Map.of()))
                .receivers()).containsExactly("oncall-sms", "oncall-pagerduty", "team-leads", "wedding-emergency");
        assertThat(RoutingTree.DEFAULT.route(intent(Priority.P0, Impact.CRITICAL, Kind.RESOLVED, Map.of()))
                .receivers()).contains("coordinators-email").doesNotContain("oncall-call");
    }

    @Test
    void defaults_potentialImpactToWeddingOps_p1AlsoPagerDuty_noImpactToDevAlerts() {
        assertThat(RoutingTree.DEFAULT.route(intent(Priority.P1, Impact.CRITICAL, Kind.FIRING, Map.of())).receivers())
                .containsExactly("wedding-ops", "oncall-pagerduty");
        assertThat(RoutingTree.DEFAULT.route(intent(Priority.P2, Impact.POTENTIAL, Kind.FIRING, Map.of()))
                .receivers()).containsExactly("wedding-ops");
        RoutingTree.Routed p3 = RoutingTree.DEFAULT.route(intent(Priority.P3, Impact.NONE, Kind.FIRING, Map.of()));
        assertThat(p3.receivers()).containsExactly("dev-alerts");
        assertThat(p3.incident()).isFalse();
    }

    @Test
    void aTreeFromYaml_childrenRefineTheirParent_continueGoesOn_labelsOfEveryAlertMatch() throws Exception {
        String yaml = """
                - match: ['route=~"/api/weddings/.*/photos"']
                  receivers: [media-team]
                  continue: true
                - match: [priority=P1]
                  receivers: [wedding-ops]
                  routes:
                    - match: [client=mobile]
                      receivers: [mobile-team]
                - receivers: [dev-alerts]
                """;
        List<Route> routes = new ObjectMapper(new YAMLFactory()).readValue(yaml,
                new com.fasterxml.jackson.core.type.TypeReference<List<Route>>() {});
        RoutingTree tree = new RoutingTree(routes);

        assertThat(tree.route(intent(Priority.P1, Impact.POTENTIAL, Kind.FIRING,
                Map.of("route", "/api/weddings/{id}/photos", "client", "mobile"))).receivers())
                .containsExactly("media-team", "mobile-team");
        assertThat(tree.route(intent(Priority.P1, Impact.POTENTIAL, Kind.FIRING, Map.of("client", "web")))
                .receivers()).containsExactly("wedding-ops");
        assertThat(tree.route(intent(Priority.P3, Impact.NONE, Kind.FIRING, Map.of())).receivers())
                .containsExactly("dev-alerts");
        assertThat(tree.receiverNames()).containsExactlyInAnyOrder("media-team", "wedding-ops", "mobile-team",
                "dev-alerts");
        assertThat(RoutingTree.labels(intent(Priority.P1, Impact.POTENTIAL, Kind.ESCALATED, Map.of("client", "web"))))
                .containsEntry("kind", "escalated").containsEntry("alertname", "photo-upload.avg.critical")
                .containsEntry("severity", "critical").containsEntry("client", "web");
    }

    @Test
    void aBadMatcherInTheConfig_isRefusedSayingWhatIsWrong() {
        assertThatThrownBy(() -> new ObjectMapper(new YAMLFactory()).readValue("[{match: ['priority'], receivers: [x]}]",
                new com.fasterxml.jackson.core.type.TypeReference<List<Route>>() {}))
                .hasMessageContaining("priority");
    }
}
