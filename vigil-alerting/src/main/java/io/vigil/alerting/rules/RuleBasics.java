package io.vigil.alerting.rules;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What every rule kind has: id, name, the series it reads and when it is judged. The checks here apply to rules built
 * in code as well as to parsed ones.
 *
 * @param id 1-128 letters, digits, {@code . _ - :}
 * @param name a human title (1-200 characters)
 * @param metric the metric read
 * @param filters label name to required value
 * @param by label names to group by
 * @param pendingFor the rule's {@code for}, zero or positive
 * @param interval the evaluation interval, or empty for the proximity tier's
 */
public record RuleBasics(String id, String name, String metric, Map<String, String> filters,
                           List<String> by, Duration pendingFor, Optional<Duration> interval) {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:.]{0,199}");
    static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_.]{0,199}");

    /** Basics without filters, grouping or interval. */
    public static RuleBasics of(String id, String name, String metric, Duration pendingFor) {
        return new RuleBasics(id, name, metric, Map.of(), List.of(), pendingFor, Optional.empty());
    }

    /** These basics with other filters. */
    public RuleBasics withFilters(Map<String, String> newFilters) {
        return new RuleBasics(id, name, metric, newFilters, by, pendingFor, interval);
    }

    /** These basics grouped by other labels. */
    public RuleBasics withBy(List<String> newBy) {
        return new RuleBasics(id, name, metric, filters, newBy, pendingFor, interval);
    }

    public RuleBasics {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("rule id '" + id
                    + "' must be 1-128 letters, digits, '.', '_', '-' or ':'");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("rule " + id + ": name must be 1-200 characters");
        }
        if (metric == null || !METRIC.matcher(metric).matches()) {
            throw new IllegalArgumentException("rule " + id + ": metric '" + metric + "' is not a metric name");
        }
        filters = Map.copyOf(filters);
        filters.forEach((k, v) -> {
            if (!LABEL.matcher(k).matches() || v.isEmpty()) {
                throw new IllegalArgumentException("rule " + id + ": filter " + k + " needs a label name and a value");
            }
        });
        by = List.copyOf(by);
        if (by.stream().anyMatch(l -> !LABEL.matcher(l).matches()) || by.stream().distinct().count() != by.size()) {
            throw new IllegalArgumentException("rule " + id + ": by must be distinct label names");
        }
        if (pendingFor == null || pendingFor.isNegative()) {
            throw new IllegalArgumentException("rule " + id + ": for must be zero or positive");
        }
        Objects.requireNonNull(interval, "interval");
        if (interval.isPresent() && (interval.get().toMillis() < 10_000 || interval.get().toMillis() % 10_000 != 0)) {
            throw new IllegalArgumentException("rule " + id + ": interval must be a positive multiple of 10s");
        }
    }

    /** Checks that a query window is a positive multiple of 10 s, the width of the finest storage buckets. */
    static Duration window(String ruleId, String what, Duration d) {
        if (d == null || d.toMillis() < 10_000 || d.toMillis() % 10_000 != 0) {
            throw new IllegalArgumentException("rule " + ruleId + ": " + what + " must be a positive multiple of 10s");
        }
        return d;
    }
}
