package io.vigil.engine.query;

import io.vigil.core.Stat;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Every statistic of a query's groups over one window, from {@link QueryEngine#summarize}.
 *
 * @param groups one entry per group, sorted by labels as a query's
 * @param fromMillis the aligned start actually covered
 * @param toMillis the aligned end actually covered
 * @param quantiles whether percentiles can be read
 */
public record WindowSummary(List<GroupSummary> groups, long fromMillis, long toMillis, boolean quantiles) {

    /** One group: its labels and the value of any statistic, as {@link QueryEngine#query} would answer it. */
    public record GroupSummary(Map<String, String> labels, ToDoubleFunction<Stat> values) {
        /**
         * The statistic's value; NaN without data (0 for a count).
         *
         * @throws IllegalStateException for a percentile of a summary made without percentiles
         */
        public double value(Stat stat) {
            return values.applyAsDouble(stat);
        }
    }
}
