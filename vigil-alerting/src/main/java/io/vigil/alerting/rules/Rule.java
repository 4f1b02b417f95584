package io.vigil.alerting.rules;

import io.vigil.alerting.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An alerting rule (A1): a {@link ThresholdRule}, an {@link SloRule} or a {@link RegressionRule}. Every rule reads one
 * metric, optionally filtered by label equality and split into one group per value of its {@code by} labels; the
 * {@link RuleEvaluator} turns it into one observation per group.
 */
public sealed interface Rule permits ThresholdRule, SloRule, RegressionRule {

    /** Stable identity: 1-128 letters, digits, {@code . _ - :}. */
    String id();

    /** A human title, for example {@code Guest list access slow}. */
    String name();

    /** The severity of a breach (for an SLO rule, the worst of its burn-rate pairs). */
    Severity severity();

    /** The metric read. */
    String metric();

    /** Label name to required value; empty for every series of the metric. */
    Map<String, String> filters();

    /** Label names that split the metric into groups (one observation each); empty for one group. */
    List<String> by();

    /** How long a breach must last before the alert fires (the rule's {@code for}); zero fires at once. */
    Duration pendingFor();

    /** How often to evaluate; empty means the proximity tier of the weddings concerned decides. */
    Optional<Duration> interval();

    /** The kind as written in rule files: {@code threshold}, {@code slo} or {@code regression}. */
    String kind();

    /**
     * What the rule measures, without its severity and thresholds: rules of one family (the critical, high and medium
     * rules of the SPEC's table on one statistic) describe the same problem, so a firing alert inhibits the less
     * severe alerts of its family on the same labels. Distinct for rules that measure different things.
     */
    String family();
}
