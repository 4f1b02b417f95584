package io.vigil.alerting;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One rule's finding for one group of series at one evaluation: the input of the alert lifecycle.
 *
 * @param ruleId the rule
 * @param metric the metric the rule reads (the wedding impact looks at which operation it is)
 * @param labels the group's labels (the rule's {@code by} labels and their values; empty for a single group)
 * @param condition what was found
 * @param value the measured value (seconds, a ratio, a burn rate...), NaN when there is none
 * @param threshold the threshold it was compared with
 * @param pendingFor how long the condition must hold before the alert fires (the rule's {@code for})
 * @param severity the rule's severity
 * @param summary the finding in a few words, e.g. {@code p95 2.4 s > 500 ms}
 * @param at the evaluation time
 * @param family what the rule measures ({@code Rule.family()}): a more severe alert of the same family and labels
 *     inhibits this one
 */
public record Observation(String ruleId, String metric, Map<String, String> labels, Condition condition, double value,
                          double threshold, Duration pendingFor, Severity severity, String summary, Instant at,
                          String family) {
    public Observation {
        Objects.requireNonNull(ruleId, "ruleId");
        family = family == null ? ruleId : family;
        labels = Map.copyOf(labels);
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(pendingFor, "pendingFor");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(at, "at");
    }

    /** An observation of a rule that forms a family of its own. */
    public Observation(String ruleId, String metric, Map<String, String> labels, Condition condition, double value,
                       double threshold, Duration pendingFor, Severity severity, String summary, Instant at) {
        this(ruleId, metric, labels, condition, value, threshold, pendingFor, severity, summary, at, ruleId);
    }

    /** The identity of the alert this observation is about: rule and group labels. */
    public String fingerprint() {
        return Fingerprint.of(ruleId, labels);
    }
}
