package io.vigil.alerting.rules;

import io.vigil.alerting.Severity;
import io.vigil.core.Stat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A statistic of a metric over a trailing window compared with a threshold, for example p95 over 5 minutes above 5 s.
 * Past the threshold it breaches; it clears only once back past the recovery threshold (hysteresis), and holds in
 * between.
 *
 * @param basics id, name, metric, filters, grouping, {@code for} and interval
 * @param severity the severity of a breach
 * @param stat any query statistic (p95, avg, error_rate, availability, rate, count...)
 * @param window the trailing window the statistic covers, a multiple of 10 s
 * @param comparison the direction in which a value is past the threshold
 * @param threshold the value (seconds, a ratio in [0, 1], a rate per second...) past which the rule breaches
 * @param recovery the value the measurement must come back past to clear: at most the threshold for {@code >}/{@code
 *     >=}, at least for {@code <}/{@code <=}; equal to the threshold for no hysteresis
 * @param minSamples below this much traffic in the window the group is NO_DATA (0: any data counts); traffic is the
 *     number of observations of a latency metric, the increase of a counter, the number of samples of a gauge
 */
public record ThresholdRule(RuleBasics basics, Severity severity, Stat stat, Duration window, Comparison comparison,
                            double threshold, double recovery, long minSamples) implements Rule {

    /** Metric, filters, {@code by}, statistic, window and direction of the comparison. */
    @Override
    public String family() {
        return String.join("|", "threshold", metric(), filters().toString(), by().toString(), stat.toString(),
                window.toString(), comparison.name());
    }

    public ThresholdRule {
        Objects.requireNonNull(basics, "basics");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(stat, "stat");
        RuleBasics.window(basics.id(), "window", window);
        Objects.requireNonNull(comparison, "comparison");
        if (!Double.isFinite(threshold) || !Double.isFinite(recovery)) {
            throw new IllegalArgumentException("rule " + basics.id() + ": threshold and recovery must be finite");
        }
        if (comparison.upward() ? recovery > threshold : recovery < threshold) {
            throw new IllegalArgumentException("rule " + basics.id() + ": recovery " + recovery + " must be "
                    + (comparison.upward() ? "at most" : "at least") + " the threshold " + threshold + " for "
                    + comparison.symbol());
        }
        if (minSamples < 0) {
            throw new IllegalArgumentException("rule " + basics.id() + ": minSamples must not be negative");
        }
    }

    /** A rule without hysteresis or minimum. */
    public static ThresholdRule of(RuleBasics basics, Severity severity, Stat stat, Duration window,
                                   Comparison comparison, double threshold) {
        return new ThresholdRule(basics, severity, stat, window, comparison, threshold, threshold, 0);
    }

    @Override public String id() { return basics.id(); }
    @Override public String name() { return basics.name(); }
    @Override public String metric() { return basics.metric(); }
    @Override public Map<String, String> filters() { return basics.filters(); }
    @Override public List<String> by() { return basics.by(); }
    @Override public Duration pendingFor() { return basics.pendingFor(); }
    @Override public Optional<Duration> interval() { return basics.interval(); }
    @Override public String kind() { return "threshold"; }
}
