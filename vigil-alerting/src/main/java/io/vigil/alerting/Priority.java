package io.vigil.alerting;

import java.time.Duration;

/**
 * The alert level (SPEC): P0 wedding emergency (system failure during an active wedding), P1 wedding impact
 * (degradation affecting wedding features), P2 potential impact, P3 no wedding impact. Each has the time within
 * which it must be acknowledged before it escalates.
 */
public enum Priority {
    P0(Duration.ofMinutes(2)), P1(Duration.ofMinutes(15)), P2(Duration.ofHours(1)), P3(null);

    private final Duration escalateAfter;

    Priority(Duration escalateAfter) {
        this.escalateAfter = escalateAfter;
    }

    /** How long an unacknowledged firing alert waits before it escalates; null: it never escalates. */
    public Duration escalateAfter() {
        return escalateAfter;
    }
}
