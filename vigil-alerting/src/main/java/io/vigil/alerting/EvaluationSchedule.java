package io.vigil.alerting;

import io.vigil.alerting.impact.WeddingOperation;
import io.vigil.calendar.WeddingContext;
import java.time.Duration;
import java.util.Map;

/**
 * How often a rule is evaluated when it sets no interval of its own: every second for a wedding-critical operation
 * while weddings are active (so a breach is seen within a second), otherwise at the interval of the nearest
 * wedding's proximity tier (10 s on a wedding day, 1 min in the week before, ...), and at least every minute.
 */
public final class EvaluationSchedule {
    /** Wedding-critical rules during active weddings. */
    public static final Duration DURING_WEDDINGS = Duration.ofSeconds(1);
    /** The longest interval any rule waits. */
    public static final Duration AT_LEAST_EVERY = Duration.ofMinutes(1);

    private EvaluationSchedule() {}

    /**
     * The evaluation interval of a rule.
     *
     * @param explicit the rule's own interval, or null
     * @param metric the metric the rule reads
     * @param filters the rule's label filters (a route filter tells the operation of an HTTP metric)
     * @param context the wedding context now
     */
    public static Duration interval(Duration explicit, String metric, Map<String, String> filters,
                                    WeddingContext context) {
        if (explicit != null) {
            return explicit;
        }
        if (!context.activeWeddings().isEmpty() && WeddingOperation.of(metric, filters).weddingCritical()) {
            return DURING_WEDDINGS;
        }
        Duration nearest = AT_LEAST_EVERY;
        for (WeddingContext.WeddingRef w : context.activeWeddings()) {
            nearest = min(nearest, w.tier().interval());
        }
        for (WeddingContext.WeddingRef w : context.upcomingWeddings()) {
            nearest = min(nearest, w.tier().interval());
        }
        return nearest;
    }

    private static Duration min(Duration a, Duration b) {
        return b != null && b.compareTo(a) < 0 ? b : a;
    }
}
