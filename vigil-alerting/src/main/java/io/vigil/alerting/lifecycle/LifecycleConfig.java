package io.vigil.alerting.lifecycle;

import io.vigil.alerting.Priority;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the lifecycle groups, times and forgets alerts. {@link #DEFAULTS}: grouped by {@code alertname} (the rule id)
 * and {@code wedding_id}; group wait / interval / repeat P0 0 s / 0 s / 15 min, P1 0 s / 1 min / 4 h, P2 30 s / 1 min
 * / 4 h, P3 5 min / 1 min / 4 h; flapping: more than 4 transitions in 15 min, damped until clear for 10 min; a firing
 * alert whose rule reports no data resolves after 10 min, one nothing reports on after 1 h; resolved alerts are kept
 * (for the API and flap detection) 1 h, expired silences and ended one-off windows 24 h.
 *
 * @param groupBy label names whose values form the group key (pseudo-labels such as {@code alertname} allowed)
 * @param timing the group timers by the group's highest priority; every priority must be present
 * @param flap the flap detection and damping
 * @param noDataResolveAfter how long a firing alert stays firing while its rule reports NO_DATA for it
 * @param staleAfter how long a firing or pending alert lives with no observation at all (its rule was removed)
 * @param resolvedRetention how long an inactive or resolved alert is kept before it is forgotten
 * @param expiredRetention how long an expired silence or an ended one-off maintenance window is kept
 */
public record LifecycleConfig(List<String> groupBy, Map<Priority, GroupTiming> timing, FlapPolicy flap,
                              Duration noDataResolveAfter, Duration staleAfter, Duration resolvedRetention,
                              Duration expiredRetention) {

    public static final LifecycleConfig DEFAULTS = new LifecycleConfig(
            List.of("alertname", "wedding_id"),
            Map.of(
                    Priority.P0, new GroupTiming(Duration.ZERO, Duration.ZERO, Duration.ofMinutes(15)),
                    Priority.P1, new GroupTiming(Duration.ZERO, Duration.ofMinutes(1), Duration.ofHours(4)),
                    Priority.P2, new GroupTiming(Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofHours(4)),
                    Priority.P3, new GroupTiming(Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofHours(4))),
            FlapPolicy.DEFAULT,
            Duration.ofMinutes(10),
            Duration.ofHours(1),
            Duration.ofHours(1),
            Duration.ofHours(24));

    public LifecycleConfig {
        groupBy = List.copyOf(groupBy);
        EnumMap<Priority, GroupTiming> copy = new EnumMap<>(Priority.class);
        copy.putAll(timing);
        for (Priority p : Priority.values()) {
            Objects.requireNonNull(copy.get(p), "timing for " + p);
        }
        timing = Map.copyOf(copy);
        Objects.requireNonNull(flap, "flap");
        GroupTiming.requireNotNegative(noDataResolveAfter, "noDataResolveAfter");
        GroupTiming.requireNotNegative(staleAfter, "staleAfter");
        GroupTiming.requireNotNegative(resolvedRetention, "resolvedRetention");
        GroupTiming.requireNotNegative(expiredRetention, "expiredRetention");
    }

    /** The timers for a group whose highest priority is {@code p}. */
    public GroupTiming timing(Priority p) {
        return timing.get(p);
    }

    public LifecycleConfig withGroupBy(List<String> labels) {
        return new LifecycleConfig(labels, timing, flap, noDataResolveAfter, staleAfter, resolvedRetention,
                expiredRetention);
    }

    public LifecycleConfig withTiming(Priority p, GroupTiming t) {
        EnumMap<Priority, GroupTiming> copy = new EnumMap<>(timing);
        copy.put(p, t);
        return new LifecycleConfig(groupBy, copy, flap, noDataResolveAfter, staleAfter, resolvedRetention,
                expiredRetention);
    }

    public LifecycleConfig withFlap(FlapPolicy f) {
        return new LifecycleConfig(groupBy, timing, f, noDataResolveAfter, staleAfter, resolvedRetention,
                expiredRetention);
    }

    public LifecycleConfig withNoDataResolveAfter(Duration d) {
        return new LifecycleConfig(groupBy, timing, flap, d, staleAfter, resolvedRetention, expiredRetention);
    }
}
