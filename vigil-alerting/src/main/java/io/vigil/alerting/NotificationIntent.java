package io.vigil.alerting;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the delivery side must send (the interface to notification routing): one per alert group and state change,
 * written durably to the outbox under {@link #idempotencyKey()} so that it is sent once even if it is written twice.
 *
 * @param idempotencyKey deterministic from the group, the change and its sequence number
 * @param groupKey the alert group
 * @param kind what changed
 * @param priority the group's highest priority
 * @param impact the group's highest impact
 * @param alerts the group's alerts at that moment
 * @param context the wedding context when it was written (season, peak time, active weddings, estimated load)
 * @param at when the change happened
 */
public record NotificationIntent(String idempotencyKey, String groupKey, Kind kind, Priority priority, Impact impact,
                                 List<AlertSummary> alerts, Map<String, Object> context, Instant at) {

    /** The state changes that notify. */
    public enum Kind { FIRING, ESCALATED, ACKNOWLEDGED, RESOLVED }

    /**
     * One alert as a notification shows it.
     *
     * @param fingerprint the alert's identity
     * @param ruleId its rule
     * @param labels its group labels
     * @param severity the rule's severity
     * @param summary the finding, e.g. {@code p95 2.4 s > 500 ms}
     * @param explanation the rating's one-line explanation
     * @param since when it started firing
     */
    public record AlertSummary(String fingerprint, String ruleId, Map<String, String> labels, Severity severity,
                               String summary, String explanation, Instant since) {}
}
