package io.vigil.alerting.impact;

import io.vigil.alerting.Impact;
import io.vigil.alerting.Observation;
import io.vigil.alerting.Priority;
import io.vigil.alerting.Rating;
import io.vigil.alerting.Severity;
import io.vigil.calendar.WeddingContext;
import java.util.List;

/**
 * Rates an alert's wedding impact from the calendar (A2) and maps it to P0-P3, explaining itself in one line:
 *
 * <table>
 *   <caption>Rating</caption>
 *   <tr><th>impact</th><th>when</th><th>priority</th></tr>
 *   <tr><td>critical</td><td>a wedding-critical operation (guest list, photo upload, timeline, vendor
 *       notifications, check-in, emergency response) is degraded while weddings are active: the alert's own
 *       {@code wedding_id} is active, or it is platform-wide and any wedding is active</td>
 *       <td>P0 when the rule's severity is critical (a system failure), else P1</td></tr>
 *   <tr><td>potential</td><td>not hurting an active wedding now, but a wedding-critical operation with weddings
 *       upcoming (within the context's horizon) or at peak time; or any alert from a load test (label
 *       {@code load_test} or {@code run})</td><td>P2</td></tr>
 *   <tr><td>none</td><td>everything else</td><td>P3</td></tr>
 * </table>
 */
public final class ImpactAssessor {
    private static final String WEDDING_LABEL = "wedding_id";

    /** The rating of an observation under the wedding context of its evaluation. */
    public Rating rate(Observation o, WeddingContext context) {
        WeddingOperation op = WeddingOperation.of(o.metric(), o.labels());
        String wedding = o.labels().get(WEDDING_LABEL);
        boolean loadTest = o.labels().containsKey("load_test") || o.labels().containsKey("run");
        if (op.weddingCritical() && !loadTest) {
            List<WeddingContext.WeddingRef> active = context.activeWeddings();
            if (wedding != null && !wedding.equals("other")) {
                if (active.stream().anyMatch(w -> w.id().equals(wedding))) {
                    return critical(o, "active wedding " + wedding + " uses " + op.words());
                }
            } else if (!active.isEmpty()) {
                return critical(o, active.size() + (active.size() == 1 ? " active wedding uses " : " active weddings use ")
                        + op.words());
            }
            int upcoming = context.upcomingWeddings().size();
            if (upcoming > 0) {
                return new Rating(Impact.POTENTIAL, Priority.P2, upcoming
                        + (upcoming == 1 ? " wedding starts" : " weddings start") + " within the day and use "
                        + op.words() + "; " + o.summary());
            }
            if (context.peakTime()) {
                return new Rating(Impact.POTENTIAL, Priority.P2, "peak wedding time; " + op.words() + " is"
                        + " wedding-critical; " + o.summary());
            }
        }
        if (loadTest) {
            return new Rating(Impact.POTENTIAL, Priority.P2, "found by a load test, could hit a wedding day: "
                    + o.summary());
        }
        return new Rating(Impact.NONE, Priority.P3, "no wedding affected: " + o.summary());
    }

    private static Rating critical(Observation o, String who) {
        Priority p = o.severity() == Severity.CRITICAL ? Priority.P0 : Priority.P1;
        return new Rating(Impact.CRITICAL, p, who + "; " + o.summary());
    }
}
