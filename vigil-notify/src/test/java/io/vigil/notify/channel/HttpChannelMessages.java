package io.vigil.notify.channel;

import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent.Kind;
import io.vigil.alerting.Priority;
import io.vigil.alerting.Severity;
import io.vigil.notify.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Messages for the HTTP channel tests: a P0 photo-upload alert during two weddings, changed by the withers. */
final class HttpChannelMessages {
    static final Instant AT = Instant.parse("2026-06-13T18:00:00Z");
    static final String GROUP = "{alertname=\"photo-upload-latency\",wedding_id=\"w-42\"}";
    static final String ACK_LINK = "https://vigil.example/ack/g-7f3a?sig=0123abcd";

    private String groupKey = GROUP;
    private Kind kind = Kind.FIRING;
    private Priority priority = Priority.P0;
    private Impact impact = Impact.CRITICAL;
    private String title;
    private List<Message.AlertLine> alerts = new ArrayList<>(List.of(photoUpload()));
    private Message.Context context = new Message.Context(true, true, 3, 2, 630.0, List.of("w-42", "w-43"));
    private String ackLink = ACK_LINK;

    static HttpChannelMessages message() {
        return new HttpChannelMessages();
    }

    /** The alert every default message carries. */
    static Message.AlertLine photoUpload() {
        return new Message.AlertLine("photo-upload-latency", Severity.CRITICAL,
                Map.of("wedding_id", "w-42", "region", "eu-west"), "p95 6.1 s > 5 s",
                "critical: 2 weddings under way, photo upload is in their critical path", AT.minusSeconds(120));
    }

    /** A numbered alert, for groups of many. */
    static Message.AlertLine alert(int i) {
        return new Message.AlertLine("photo-processing-" + i, Severity.HIGH, Map.of("wedding_id", "w-" + i),
                "p95 " + (15 + i % 10) + " s > 15 s", "potential: wedding w-" + i + " starts within 2 h",
                AT.minusSeconds(60));
    }

    HttpChannelMessages groupKey(String v) {
        groupKey = v;
        return this;
    }

    private boolean groupStillFiring;

    HttpChannelMessages groupStillFiring(boolean v) {
        groupStillFiring = v;
        return this;
    }

    HttpChannelMessages kind(Kind v) {
        kind = v;
        return this;
    }

    HttpChannelMessages priority(Priority v) {
        priority = v;
        return this;
    }

    HttpChannelMessages impact(Impact v) {
        impact = v;
        return this;
    }

    HttpChannelMessages title(String v) {
        title = v;
        return this;
    }

    HttpChannelMessages alerts(List<Message.AlertLine> v) {
        alerts = new ArrayList<>(v);
        return this;
    }

    /** Replaces the alerts with {@code n} numbered ones. */
    HttpChannelMessages alerts(int n) {
        alerts = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            alerts.add(alert(i));
        }
        return this;
    }

    HttpChannelMessages context(Message.Context v) {
        context = v;
        return this;
    }

    HttpChannelMessages ackLink(String v) {
        ackLink = v;
        return this;
    }

    Message build() {
        String t = title != null ? title : priority + " " + kind + ": photo upload, 3 active weddings";
        String key = groupKey + "|" + AT.minusSeconds(120).toEpochMilli() + "|1|" + kind;
        return new Message(key, groupKey, kind, priority, impact, t, alerts, context, ackLink, AT, groupStillFiring);
    }
}
