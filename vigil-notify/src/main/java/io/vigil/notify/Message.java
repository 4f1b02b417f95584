package io.vigil.notify;

import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent.Kind;
import io.vigil.alerting.Priority;
import io.vigil.alerting.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a notification says, whatever the channel: built by {@link MessageBuilder} from allow-listed fields of a
 * notification intent only, so that nothing else (a coordinator's contact, a label holding an email address, a
 * secret) can reach a channel.
 *
 * @param key the intent's idempotency key (PagerDuty's {@code dedup_key} is derived from {@link #groupKey})
 * @param groupKey the alert group
 * @param kind the change being notified
 * @param priority the group's highest priority
 * @param impact the group's highest wedding impact
 * @param title one line, e.g. {@code P0 FIRING: photo upload, 3 active weddings}
 * @param alerts the group's alerts
 * @param context the wedding context when the change happened
 * @param ackLink a signed link that acknowledges the group without a key; null when the change needs none
 * @param at when the change happened
 * @param groupStillFiring for a RESOLVED change, whether other alerts of the group still fire (only some resolved)
 */
public record Message(String key, String groupKey, Kind kind, Priority priority, Impact impact, String title,
                      List<AlertLine> alerts, Context context, String ackLink, Instant at, boolean groupStillFiring) {

    /** A message whose group, if resolved, resolved as a whole. */
    public Message(String key, String groupKey, Kind kind, Priority priority, Impact impact, String title,
                   List<AlertLine> alerts, Context context, String ackLink, Instant at) {
        this(key, groupKey, kind, priority, impact, title, alerts, context, ackLink, at, false);
    }

    public Message {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(groupKey, "groupKey");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(impact, "impact");
        Objects.requireNonNull(title, "title");
        alerts = List.copyOf(alerts);
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(at, "at");
    }

    /**
     * One alert of the group.
     *
     * @param ruleId the rule
     * @param severity the rule's severity
     * @param labels the alert's labels, only those named in {@link MessageBuilder#ALLOWED_LABELS}
     * @param summary the finding, e.g. {@code p95 6.1 s > 5 s}
     * @param explanation the wedding-impact rating in one line
     * @param since when it started firing
     */
    public record AlertLine(String ruleId, Severity severity, Map<String, String> labels, String summary,
                            String explanation, Instant since) {
        public AlertLine {
            labels = Map.copyOf(labels);
        }
    }

    /**
     * The wedding context, in numbers and wedding ids only.
     *
     * @param weddingSeason whether it is wedding season
     * @param peakTime whether it is peak wedding time
     * @param activeWeddings how many weddings are under way
     * @param upcomingWeddings how many start within the upcoming horizon
     * @param estimatedWeddingLoad the estimated load (docs/calendar.md)
     * @param affectedWeddings ids of the active weddings the alerts concern (their own {@code wedding_id}, or all
     *     active ones for a platform-wide alert)
     */
    public record Context(boolean weddingSeason, boolean peakTime, int activeWeddings, int upcomingWeddings,
                          double estimatedWeddingLoad, List<String> affectedWeddings) {
        public Context {
            affectedWeddings = List.copyOf(affectedWeddings);
        }
    }

    /** The message as plain text: title, one line per alert, the wedding context and the acknowledgement link. */
    public String text() {
        StringBuilder b = new StringBuilder(title).append('\n');
        for (AlertLine a : alerts) {
            b.append("- ").append(a.severity().wireName()).append(' ').append(a.ruleId());
            if (!a.labels().isEmpty()) {
                b.append(' ').append(new java.util.TreeMap<>(a.labels()));
            }
            b.append(": ").append(a.summary()).append('\n');
            if (a.explanation() != null && !a.explanation().isEmpty()) {
                b.append("  ").append(a.explanation()).append('\n');
            }
        }
        b.append("Weddings under way: ").append(context.activeWeddings());
        if (!context.affectedWeddings().isEmpty()) {
            b.append(" (affected: ").append(String.join(", ", context.affectedWeddings())).append(')');
        }
        b.append("; starting soon: ").append(context.upcomingWeddings());
        b.append(context.peakTime() ? "; peak wedding time" : "").append('\n');
        if (ackLink != null) {
            b.append("Acknowledge: ").append(ackLink).append('\n');
        }
        return b.toString();
    }
}
