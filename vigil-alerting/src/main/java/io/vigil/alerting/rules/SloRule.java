package io.vigil.alerting.rules;

import io.vigil.alerting.Severity;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A service-level objective on the share of successful events of a metric (errors as {@code error_rate} counts them:
 * a 5xx or {@code error} status), alerted by multiwindow, multi-burn-rate pairs. Burn rate = error rate / (1 -
 * objective); a burn rate of 1 spends exactly the whole error budget over the period.
 *
 * @param basics id, name, metric, filters, grouping, {@code for} and interval
 * @param objective the target share of good events, in (0, 1), e.g. 0.999
 * @param period the period over which the budget is counted (30 days by default)
 * @param pairs the burn-rate pairs, any of which breaches (AND within a pair, OR across pairs)
 * @param minRequests the least traffic in a pair's long window for it to be judged, so that a handful of requests at
 *     a quiet hour cannot page anyone; below it for every pair the group is NO_DATA
 */
public record SloRule(RuleBasics basics, double objective, Duration period, List<BurnRatePair> pairs,
                      long minRequests) implements Rule {

    public static final Duration DEFAULT_PERIOD = Duration.ofDays(30);
    public static final long DEFAULT_MIN_REQUESTS = 100;

    /** The rule itself: its burn-rate pairs already rank their own severities. */
    @Override
    public String family() {
        return "slo|" + id();
    }

    public SloRule {
        Objects.requireNonNull(basics, "basics");
        if (!(objective > 0 && objective < 1)) {
            throw new IllegalArgumentException("rule " + basics.id() + ": objective must be between 0 and 1 (99.9 % is "
                    + "0.999) but was " + objective);
        }
        RuleBasics.window(basics.id(), "period", period);
        pairs = List.copyOf(pairs);
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("rule " + basics.id() + ": an SLO needs at least one burn-rate pair");
        }
        if (minRequests < 0) {
            throw new IllegalArgumentException("rule " + basics.id() + ": minRequests must not be negative");
        }
    }

    /** An SLO with the workbook's pairs, a 30-day period and the default traffic guard of 100 requests. */
    public static SloRule of(RuleBasics basics, double objective) {
        return new SloRule(basics, objective, DEFAULT_PERIOD, BurnRatePair.WORKBOOK, DEFAULT_MIN_REQUESTS);
    }

    /** The share of events allowed to fail: 1 - objective. */
    public double errorBudget() {
        return 1 - objective;
    }

    /** The worst severity among the pairs. */
    @Override
    public Severity severity() {
        return pairs.stream().map(BurnRatePair::severity).min(Comparator.naturalOrder()).orElseThrow();
    }

    @Override public String id() { return basics.id(); }
    @Override public String name() { return basics.name(); }
    @Override public String metric() { return basics.metric(); }
    @Override public Map<String, String> filters() { return basics.filters(); }
    @Override public List<String> by() { return basics.by(); }
    @Override public Duration pendingFor() { return basics.pendingFor(); }
    @Override public Optional<Duration> interval() { return basics.interval(); }
    @Override public String kind() { return "slo"; }
}
