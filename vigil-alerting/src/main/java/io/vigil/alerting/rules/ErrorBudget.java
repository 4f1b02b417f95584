package io.vigil.alerting.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The error budget of one group of an SLO over its period, up to an instant.
 *
 * @param ruleId the SLO rule
 * @param labels the group (empty for one group)
 * @param objective the target share of good events, e.g. 0.999
 * @param from start of the period counted (aligned to the storage buckets)
 * @param to its end
 * @param requests events in the period (observations, or counter increases)
 * @param failed failed events in the period
 * @param allowedFailures the budget: (1 - objective) x requests
 * @param consumedShare failed / allowedFailures (0 without traffic; above 1 when overspent)
 * @param burnRates the current burn rate over each window of the rule's pairs, shortest first (NaN: no traffic)
 */
public record ErrorBudget(String ruleId, Map<String, String> labels, double objective, Instant from, Instant to,
                          double requests, double failed, double allowedFailures, double consumedShare,
                          List<WindowBurn> burnRates) {

    public ErrorBudget {
        labels = Map.copyOf(labels);
        burnRates = List.copyOf(burnRates);
    }

    /** The share of the budget left: 1 - consumedShare, negative when it is overspent. */
    public double remainingShare() {
        return 1 - consumedShare;
    }

    /**
     * The burn rate over one window.
     *
     * @param window the trailing window
     * @param burnRate error rate / (1 - objective), NaN without traffic
     */
    public record WindowBurn(Duration window, double burnRate) {}
}
