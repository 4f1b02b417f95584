package io.vigil.notify.routing;

import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.NotificationIntent.AlertSummary;
import io.vigil.alerting.lifecycle.LabelMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides who hears of a notification intent (A3): an ordered list of {@link Route}s, each with children, matched
 * against the intent's routing labels. {@link #DEFAULT} is the SPEC's routing by wedding impact. Immutable.
 */
public final class RoutingTree {
    /**
     * The default routes: P0 (critical impact) runs the emergency chain (a phone call when it fires or escalates,
     * SMS, PagerDuty, team leads by email, Slack {@code #wedding-emergency}, email and SMS to the coordinators of the
     * affected weddings when it fires and resolves, and an incident record); P1 goes to Slack {@code #wedding-ops}
     * and PagerDuty; P2 to {@code #wedding-ops}; everything else to {@code #dev-alerts}.
     */
    public static final RoutingTree DEFAULT = new RoutingTree(List.of(
            route(List.of("priority=P0", "kind=~\"firing|escalated\""), List.of("oncall-call"), true, false, Map.of()),
            route(List.of("priority=P0", "kind=~\"firing|resolved\""), List.of("coordinators-email",
                    "coordinators-sms"), true, false, Map.of()),
            route(List.of("priority=P0"), List.of("oncall-sms", "oncall-pagerduty", "team-leads", "wedding-emergency"),
                    false, true, Map.of("wedding-emergency", "team-leads", "oncall-pagerduty", "oncall-sms")),
            route(List.of("priority=P1"), List.of("wedding-ops", "oncall-pagerduty"), false, false,
                    Map.of("wedding-ops", "team-leads", "oncall-pagerduty", "oncall-sms")),
            route(List.of("priority=P2"), List.of("wedding-ops"), false, false, Map.of("wedding-ops", "dev-alerts")),
            route(List.of(), List.of("dev-alerts"), false, false, Map.of())));

    private final List<Route> routes;

    public RoutingTree(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    private static Route route(List<String> match, List<String> receivers, boolean continueMatching, boolean incident,
                               Map<String, String> fallbacks) {
        return new Route(match.stream().map(LabelMatcher::parse).toList(), receivers, continueMatching, incident,
                fallbacks, List.of());
    }

    public List<Route> routes() {
        return routes;
    }

    /**
     * Where an intent goes.
     *
     * @param receivers receiver names, each once, in route order
     * @param incident whether any matching route keeps an incident record
     * @param fallbacks receiver to the receiver to use instead when it keeps failing, from the matching routes
     */
    public record Routed(List<String> receivers, boolean incident, Map<String, String> fallbacks) {}

    /** The receivers of an intent; none when no route matches. */
    public Routed route(NotificationIntent intent) {
        Map<String, String> labels = labels(intent);
        Set<String> receivers = new LinkedHashSet<>();
        Map<String, String> fallbacks = new HashMap<>();
        boolean incident = walk(routes, labels, receivers, fallbacks);
        return new Routed(List.copyOf(receivers), incident, Map.copyOf(fallbacks));
    }

    /** Tries routes in order; returns whether a matching one keeps an incident. */
    private static boolean walk(List<Route> routes, Map<String, String> labels, Set<String> receivers,
                                Map<String, String> fallbacks) {
        boolean incident = false;
        for (Route r : routes) {
            if (!r.matches(labels)) {
                continue;
            }
            incident |= r.incident();
            Set<String> fromChildren = new LinkedHashSet<>();
            Map<String, String> childFallbacks = new HashMap<>();
            boolean childMatched = matchesAny(r.routes(), labels);
            if (childMatched) {
                incident |= walk(r.routes(), labels, fromChildren, childFallbacks);
                receivers.addAll(fromChildren);
                fallbacks.putAll(childFallbacks);
            } else {
                receivers.addAll(r.receivers());
            }
            r.fallbacks().forEach(fallbacks::putIfAbsent);
            if (!r.continueMatching()) {
                break;
            }
        }
        return incident;
    }

    private static boolean matchesAny(List<Route> routes, Map<String, String> labels) {
        for (Route r : routes) {
            if (r.matches(labels)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What routes match on: {@code priority} (P0-P3), {@code impact}, {@code kind} (firing, escalated, acknowledged,
     * resolved), {@code severity} (the highest of the group), {@code alertname} (the first alert's rule), and the
     * labels every alert of the group shares.
     */
    public static Map<String, String> labels(NotificationIntent intent) {
        Map<String, String> out = new TreeMap<>();
        List<AlertSummary> alerts = intent.alerts();
        if (!alerts.isEmpty()) {
            Map<String, String> common = new LinkedHashMap<>(alerts.getFirst().labels());
            for (AlertSummary a : alerts) {
                common.entrySet().removeIf(e -> !e.getValue().equals(a.labels().get(e.getKey())));
            }
            out.putAll(common);
            out.put("alertname", alerts.getFirst().ruleId());
            out.put("severity", alerts.stream().map(AlertSummary::severity).min(Enum::compareTo).orElseThrow()
                    .wireName());
        }
        out.put("priority", intent.priority().name());
        out.put("impact", intent.impact().wireName());
        out.put("kind", intent.kind().name().toLowerCase(Locale.ROOT));
        return out;
    }

    /** Every receiver name the tree mentions, fallbacks included. */
    public Set<String> receiverNames() {
        Set<String> out = new LinkedHashSet<>();
        List<Route> todo = new ArrayList<>(routes);
        while (!todo.isEmpty()) {
            Route r = todo.removeFirst();
            out.addAll(r.receivers());
            out.addAll(r.fallbacks().values());
            todo.addAll(r.routes());
        }
        return out;
    }
}
