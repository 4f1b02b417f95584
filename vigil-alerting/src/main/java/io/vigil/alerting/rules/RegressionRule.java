package io.vigil.alerting.rules;

import io.vigil.alerting.Severity;
import io.vigil.core.Stat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A percentile of a metric over a trailing window compared with the same percentile over a reference window (the
 * previous week, a release marker, a load-test run): it breaches when the current value is more than {@code ratio}
 * times the reference, and clears once at most {@code recoveryRatio} times it.
 *
 * @param basics id, name, metric, filters, grouping, {@code for} and interval
 * @param severity the severity of a breach
 * @param stat a percentile, e.g. p95
 * @param window the trailing window measured now, a multiple of 10 s
 * @param reference what the current window is compared with
 * @param ratio how many times the reference counts as a regression, above 1 (1.2: 20 % slower)
 * @param recoveryRatio the ratio to come back to (or under) to clear: positive and at most {@code ratio}; equal to
 *     {@code ratio} for no hysteresis
 * @param minSamples the least number of observations in each of the two windows (below: NO_DATA)
 */
public record RegressionRule(RuleBasics basics, Severity severity, Stat stat, Duration window, Reference reference,
                             double ratio, double recoveryRatio, long minSamples) implements Rule {

    public static final long DEFAULT_MIN_SAMPLES = 50;

    /** Metric, filters, {@code by}, statistic, window and reference. */
    @Override
    public String family() {
        return String.join("|", "regression", metric(), filters().toString(), by().toString(), stat.toString(),
                window.toString(), reference.text());
    }

    public RegressionRule {
        Objects.requireNonNull(basics, "basics");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(stat, "stat");
        if (stat.type() != Stat.Type.QUANTILE) {
            throw new IllegalArgumentException("rule " + basics.id() + ": a regression compares a percentile such as "
                    + "p95, not " + stat.type());
        }
        RuleBasics.window(basics.id(), "window", window);
        Objects.requireNonNull(reference, "reference");
        if (!(ratio > 1) || !Double.isFinite(ratio)) {
            throw new IllegalArgumentException("rule " + basics.id() + ": ratio must be above 1 (1.2 is 20 % slower) "
                    + "but was " + ratio);
        }
        if (!(recoveryRatio > 0 && recoveryRatio <= ratio)) {
            throw new IllegalArgumentException("rule " + basics.id() + ": recoveryRatio must be positive and at most "
                    + "the ratio " + ratio + " but was " + recoveryRatio);
        }
        if (minSamples < 0) {
            throw new IllegalArgumentException("rule " + basics.id() + ": minSamples must not be negative");
        }
    }

    @Override public String id() { return basics.id(); }
    @Override public String name() { return basics.name(); }
    @Override public String metric() { return basics.metric(); }
    @Override public Map<String, String> filters() { return basics.filters(); }
    @Override public List<String> by() { return basics.by(); }
    @Override public Duration pendingFor() { return basics.pendingFor(); }
    @Override public Optional<Duration> interval() { return basics.interval(); }
    @Override public String kind() { return "regression"; }
}
