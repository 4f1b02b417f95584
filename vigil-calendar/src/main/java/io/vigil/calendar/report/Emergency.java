package io.vigil.calendar.report;

import java.time.Duration;
import java.time.Instant;

/**
 * One emergency and its first response.
 *
 * @param ref the emergency id
 * @param category its category ({@code power}, {@code medical})
 * @param raisedAt the {@code emergency_raised}
 * @param respondedAt the first {@code emergency_response}; null when unanswered
 * @param responseTime {@code respondedAt - raisedAt} (never negative); null when unanswered
 * @param waiting how long it has waited for a response at the report's "now"; null when answered
 */
public record Emergency(String ref, String category, Instant raisedAt, Instant respondedAt, Duration responseTime,
                        Duration waiting) {

    public boolean answered() {
        return respondedAt != null;
    }
}
