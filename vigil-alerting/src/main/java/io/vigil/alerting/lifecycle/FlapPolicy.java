package io.vigil.alerting.lifecycle;

import java.time.Duration;

/**
 * When an alert counts as flapping and how long it is damped: more than {@code maxTransitions} changes into or out of
 * FIRING within {@code window} mark it flapping; a flapping alert stays FIRING until its condition has been CLEAR
 * for {@code damping} without a break.
 */
public record FlapPolicy(int maxTransitions, Duration window, Duration damping) {
    /** More than 4 transitions in 15 minutes; 10 minutes clear to resolve. */
    public static final FlapPolicy DEFAULT = new FlapPolicy(4, Duration.ofMinutes(15), Duration.ofMinutes(10));

    public FlapPolicy {
        if (maxTransitions < 1) {
            throw new IllegalArgumentException("maxTransitions must be at least 1");
        }
        GroupTiming.requireNotNegative(window, "window");
        GroupTiming.requireNotNegative(damping, "damping");
    }
}
