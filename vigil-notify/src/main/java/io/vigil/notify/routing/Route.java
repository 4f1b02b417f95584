package io.vigil.notify.routing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.vigil.alerting.lifecycle.LabelMatcher;
import java.util.List;
import java.util.Map;

/**
 * One node of the routing tree: an intent matches when every matcher matches its routing labels (see
 * {@link RoutingTree#labels}); it then goes to the node's receivers, or to those of its first matching child, and
 * routing stops there unless {@code continue} is set.
 *
 * @param match matchers such as {@code priority=P0}, {@code kind=~"firing|resolved"}, {@code route=~"/photos.*"}
 * @param receivers receiver names
 * @param continueMatching whether routing goes on to the next sibling after this one matched
 * @param incident whether an intent routed here opens or updates an incident record
 * @param fallbacks receiver name to the receiver used instead when it keeps failing
 * @param routes children, tried in order
 */
public record Route(List<LabelMatcher> match, List<String> receivers, boolean continueMatching, boolean incident,
                    Map<String, String> fallbacks, List<Route> routes) {

    public Route {
        match = List.copyOf(match);
        receivers = List.copyOf(receivers);
        fallbacks = Map.copyOf(fallbacks);
        routes = List.copyOf(routes);
    }

    /** A route as written in the config file; matchers are parsed (and refused with a clear message) here. */
    @JsonCreator
    static Route fromConfig(@JsonProperty("match") List<String> match, @JsonProperty("receivers") List<String> receivers,
                            @JsonProperty("continue") Boolean continueMatching, @JsonProperty("incident") Boolean incident,
                            @JsonProperty("fallbacks") Map<String, String> fallbacks,
                            @JsonProperty("routes") List<Route> routes) {
        return new Route(match == null ? List.of() : match.stream().map(LabelMatcher::parse).toList(),
                receivers == null ? List.of() : receivers, Boolean.TRUE.equals(continueMatching),
                Boolean.TRUE.equals(incident), fallbacks == null ? Map.of() : fallbacks,
                routes == null ? List.of() : routes);
    }

    boolean matches(Map<String, String> labels) {
        for (LabelMatcher m : match) {
            if (!m.matches(labels)) {
                return false;
            }
        }
        return true;
    }
}
