package io.vigil.notify;

import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.NotificationIntent.AlertSummary;
import io.vigil.core.privacy.PersonalData;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Builds the {@link Message} of a notification intent from allow-listed fields only (Z2): labels outside
 * {@link #ALLOWED_LABELS} are dropped, wedding context is reduced to counts and wedding ids, and any text that reaches
 * a message (rule ids, summaries, explanations, label values) has email addresses, phone numbers and long secret-like
 * tokens replaced by {@code [redacted]}. Thread-safe.
 */
public final class MessageBuilder {
    /** The label names a message may show. */
    public static final Set<String> ALLOWED_LABELS = Set.of("wedding_id", "route", "method", "status", "client",
            "region", "service", "operation", "vendor_id", "load_test", "run", "receiver");
    /** At most this many affected wedding ids are named. */
    static final int MAX_AFFECTED = 20;
    static final int MAX_TEXT = 500;
    static final String REDACTED = PersonalData.REDACTED;

    private final Function<NotificationIntent, String> ackLinks;

    /** @param ackLinks the signed acknowledgement link of an intent's group, or null; null for none at all */
    public MessageBuilder(Function<NotificationIntent, String> ackLinks) {
        this.ackLinks = ackLinks;
    }

    /** The message of an intent. */
    public Message build(NotificationIntent intent) {
        List<Message.AlertLine> lines = new ArrayList<>(intent.alerts().size());
        for (AlertSummary a : intent.alerts()) {
            Map<String, String> labels = new TreeMap<>();
            a.labels().forEach((k, v) -> {
                if (ALLOWED_LABELS.contains(k) && v != null) {
                    labels.put(k, scrub(v));
                }
            });
            lines.add(new Message.AlertLine(scrub(a.ruleId()), a.severity(), labels, scrub(a.summary()),
                    scrub(a.explanation()), a.since()));
        }
        Message.Context context = context(intent);
        String ack = intent.kind() == NotificationIntent.Kind.RESOLVED || ackLinks == null ? null
                : ackLinks.apply(intent);
        boolean stillFiring = intent.kind() == NotificationIntent.Kind.RESOLVED && intent.context() != null
                && Boolean.FALSE.equals(intent.context().get("group_resolved"));
        return new Message(intent.idempotencyKey(), intent.groupKey(), intent.kind(), intent.priority(),
                intent.impact(), title(intent, lines, context), lines, context, ack, intent.at(), stillFiring);
    }

    private static String title(NotificationIntent intent, List<Message.AlertLine> lines, Message.Context context) {
        StringBuilder b = new StringBuilder().append(intent.priority()).append(' ').append(intent.kind()).append(": ");
        b.append(lines.isEmpty() ? "alert group" : lines.getFirst().ruleId());
        if (lines.size() > 1) {
            b.append(" and ").append(lines.size() - 1).append(" more");
        }
        if (intent.impact() == Impact.CRITICAL && !context.affectedWeddings().isEmpty()) {
            int n = context.affectedWeddings().size();
            b.append(", ").append(n).append(n == 1 ? " active wedding" : " active weddings");
        } else if (intent.impact() != Impact.NONE) {
            b.append(", ").append(intent.impact().wireName()).append(" wedding impact");
        }
        return b.toString();
    }

    private static Message.Context context(NotificationIntent intent) {
        Map<String, Object> c = intent.context() == null ? Map.of() : intent.context();
        List<String> active = ids(c.get("activeWeddings"));
        Set<String> affected = new LinkedHashSet<>();
        boolean platformWide = false;
        for (AlertSummary a : intent.alerts()) {
            String w = a.labels().get("wedding_id");
            if (w == null) {
                platformWide = true;
            } else if (active.contains(w)) {
                affected.add(w);
            }
        }
        if (platformWide && intent.impact() == Impact.CRITICAL) {
            affected.addAll(active);
        }
        List<String> named = affected.stream().map(MessageBuilder::scrub).limit(MAX_AFFECTED).toList();
        return new Message.Context(Boolean.TRUE.equals(c.get("weddingSeason")), Boolean.TRUE.equals(c.get("peakTime")),
                active.size(), ids(c.get("upcomingWeddings")).size(),
                c.get("estimatedWeddingLoad") instanceof Number n ? n.doubleValue() : 0, named);
    }

    private static List<String> ids(Object refs) {
        List<String> out = new ArrayList<>();
        if (refs instanceof List<?> list) {
            for (Object r : list) {
                if (r instanceof Map<?, ?> m && m.get("id") instanceof String id) {
                    out.add(id);
                }
            }
        }
        return out;
    }

    /**
     * Text with email addresses, phone numbers and secret-like tokens replaced, control characters removed, and cut
     * to {@value #MAX_TEXT} characters.
     */
    static String scrub(String text) {
        if (text == null) {
            return "";
        }
        String s = text.codePoints().filter(cp -> !Character.isISOControl(cp))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        s = PersonalData.redact(s);
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT - 1) + "…";
    }
}
