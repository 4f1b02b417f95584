package io.vigil.ingest;

import io.vigil.core.Labels;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Collects the labels of one series as name/value pairs and turns them into {@link Labels} checked against
 * {@link LabelRules}, the same way for every ingest format (OTLP, JSON batch, remote write).
 *
 * <p>A later {@link #put} of the same name replaces the earlier value, so callers put the general labels first
 * (OTLP resource attributes) and the specific ones last (data point attributes). Nothing is checked until
 * {@link #build}, which checks the count first, so that a label bomb is reported as too many labels and costs one
 * hash map insertion per label, then each name, then each value.
 *
 * <p>Reusable: call {@link #clear()} before each series. Not thread-safe; use one instance per request.
 */
public final class LabelSetBuilder {
    private static final int SHRINK_ABOVE = 256;

    private final LabelRules rules;
    private HashMap<String, String> labels = new HashMap<>();

    public LabelSetBuilder(LabelRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /** Forgets all labels. */
    public LabelSetBuilder clear() {
        if (labels.size() > SHRINK_ABOVE) {
            labels = new HashMap<>(); // a cleared HashMap keeps its table; iterating a huge empty table is slow
        } else {
            labels.clear();
        }
        return this;
    }

    /** Adds a label, replacing an earlier label of the same name. Name and value are checked by {@link #build}. */
    public LabelSetBuilder put(String name, String value) {
        labels.put(name, value);
        return this;
    }

    /** Number of distinct label names put since the last {@link #clear()}. */
    public int size() {
        return labels.size();
    }

    /**
     * Checks the labels collected so far and builds them.
     *
     * @param metric the metric name, already checked with {@link LabelRules#checkMetricName}; used in the reason
     * @return the labels, or the reason they are refused; the reason names the metric and the offending label name
     *     but never a label value
     */
    public Result build(String metric) {
        String reason = rules.checkLabelCount(metric, labels.size());
        if (reason != null) {
            return Result.rejected(reason);
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String problem = rules.checkLabelName(e.getKey());
            if (problem == null) {
                problem = rules.checkLabelValue(e.getKey(), e.getValue());
            }
            if (problem != null) {
                return Result.rejected("series of '" + metric + "': " + problem);
            }
        }
        return new Result(Labels.of(labels), null);
    }

    /**
     * Outcome of {@link #build}: exactly one of {@code labels} and {@code reason} is non-null.
     *
     * @param labels the checked labels, or null when refused
     * @param reason why the labels were refused, or null when accepted
     */
    public record Result(Labels labels, String reason) {

        public Result {
            if ((labels == null) == (reason == null)) {
                throw new IllegalArgumentException("a result has either labels or a reason");
            }
        }

        static Result rejected(String reason) {
            return new Result(null, reason);
        }

        public boolean accepted() {
            return reason == null;
        }
    }
}
