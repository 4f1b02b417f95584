package io.vigil.notify.channel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.alerting.Priority;
import io.vigil.core.outbound.HttpDelivery;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.notify.Message;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Sends messages to a PagerDuty service through the Events API v2 ({@code POST /v2/enqueue}, INTEGRATIONS.md 2.5):
 * FIRING and ESCALATED trigger, ACKNOWLEDGED acknowledges and RESOLVED resolves the PagerDuty alert whose
 * {@code dedup_key} is derived from the message's group key, so that all events of one firing episode meet in one
 * PagerDuty alert.
 */
public final class PagerDutyChannel implements Channel {
    /** PagerDuty's Events API. */
    public static final URI DEFAULT_BASE = URI.create("https://events.pagerduty.com");
    /** The documented limit of a {@code dedup_key}. */
    static final int MAX_DEDUP_KEY = 255;
    /** The documented limit of {@code payload.summary}. */
    static final int MAX_SUMMARY = 1024;
    /** PagerDuty takes events up to 512 KB: bodies are kept within the stricter reading, 512,000 bytes. */
    static final int MAX_BODY_BYTES = 512_000;
    /** The wait after a 429 without {@code Retry-After}: PagerDuty asks for a backoff of minutes. */
    static final Duration RATE_LIMITED_BACKOFF = Duration.ofMinutes(1);
    /** Longest {@code group}, a free text field without documented limit. */
    private static final int MAX_GROUP = 255;

    private final URI enqueue;
    private final String routingKey;
    private final String source;
    private final HttpDelivery http;

    /**
     * @param base the Events API, normally {@link #DEFAULT_BASE}
     * @param routingKey the service's 32-character integration key (a secret: shown nowhere)
     * @param source what PagerDuty shows as the affected system, e.g. {@code vigil/eu-west}
     * @param timeout for connecting and for the answer
     */
    public PagerDutyChannel(URI base, String routingKey, String source, Duration timeout) {
        String b = HttpChannels.httpUri(base, "PagerDuty base URI").toString();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        this.enqueue = URI.create(b + "/v2/enqueue");
        if (routingKey == null || routingKey.length() != 32 || !routingKey.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalArgumentException("PagerDuty routing key must be 32 printable ASCII characters");
        }
        this.routingKey = routingKey;
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("PagerDuty source must not be blank");
        }
        this.source = HttpChannels.cut(source.strip(), MAX_GROUP);
        this.http = new HttpDelivery(Objects.requireNonNull(timeout, "timeout"));
    }

    @Override
    public String type() {
        return "pagerduty";
    }

    /** The status reported for a change PagerDuty needs not hear of (a group resolved only in part). */
    public static final int NOTHING_TO_SEND = 204;

    /**
     * Sends the event; {@code to} is ignored (the routing key decides the service). A resolution of only some alerts
     * of a group sends nothing: PagerDuty keeps one alert per group, which must stay open.
     */
    @Override
    public SendOutcome send(Message message, List<String> to) {
        if (message.kind() == io.vigil.alerting.NotificationIntent.Kind.RESOLVED && message.groupStillFiring()) {
            // PagerDuty holds one alert per group: resolving it while part of the group still fires would close it.
            return new SendOutcome.Delivered(NOTHING_TO_SEND);
        }
        byte[] body = body(message);
        SendOutcome outcome = http.send(HttpRequest.newBuilder(enqueue)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        if (outcome instanceof SendOutcome.Retry r && r.status() == 429 && r.retryAfter() == null) {
            outcome = new SendOutcome.Retry(r.reason(), r.status(), RATE_LIMITED_BACKOFF);
        }
        return HttpChannels.withoutSecrets(outcome, routingKey);
    }

    /** The event for a message, at most {@link #MAX_BODY_BYTES}. */
    byte[] body(Message message) {
        String action = switch (message.kind()) {
            case FIRING, ESCALATED -> "trigger";
            case ACKNOWLEDGED -> "acknowledge";
            case RESOLVED -> "resolve";
        };
        if (!action.equals("trigger")) {
            ObjectNode event = HttpChannels.JSON.createObjectNode();
            event.put("routing_key", routingKey);
            event.put("dedup_key", dedupKey(message.groupKey()));
            event.put("event_action", action);
            return HttpChannels.bytes(event);
        }
        // Too big: keep fewer alert lines (all of them are counted), then fewer affected wedding ids.
        int alerts = message.alerts().size();
        int weddings = message.context().affectedWeddings().size();
        byte[] body = trigger(message, alerts, weddings);
        if (body.length <= MAX_BODY_BYTES) {
            return body;
        }
        alerts = largestFitting(message, alerts, weddings, true);
        if (alerts == 0 && trigger(message, 0, weddings).length > MAX_BODY_BYTES) {
            weddings = largestFitting(message, 0, weddings, false);
        }
        return trigger(message, alerts, weddings);
    }

    /** The largest number of alert lines (or wedding ids) below the given one that keeps the body within limits. */
    private int largestFitting(Message message, int alerts, int weddings, boolean cutAlerts) {
        int lo = 0;
        int hi = cutAlerts ? alerts : weddings;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            int size = cutAlerts ? trigger(message, mid, weddings).length : trigger(message, alerts, mid).length;
            if (size <= MAX_BODY_BYTES) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** A trigger event showing the first {@code alerts} alert lines and {@code weddings} affected wedding ids. */
    private byte[] trigger(Message m, int alerts, int weddings) {
        ObjectNode event = HttpChannels.JSON.createObjectNode();
        event.put("routing_key", routingKey);
        event.put("event_action", "trigger");
        event.put("dedup_key", dedupKey(m.groupKey()));
        ObjectNode payload = event.putObject("payload");
        String summary = m.title().isBlank() ? m.priority() + " " + m.kind() + " " + m.groupKey() : m.title();
        payload.put("summary", HttpChannels.cut(summary, MAX_SUMMARY));
        payload.put("source", source);
        payload.put("severity", severity(m.priority()));
        payload.put("timestamp", m.at().toString());
        if (!m.alerts().isEmpty()) {
            payload.put("component", HttpChannels.cut(m.alerts().getFirst().ruleId(), MAX_GROUP));
        }
        payload.put("group", HttpChannels.cut(m.groupKey(), MAX_GROUP));
        payload.put("class", "wedding-impact-" + m.impact().wireName());

        ObjectNode details = payload.putObject("custom_details");
        details.put("priority", m.priority().name());
        details.put("wedding_impact", m.impact().wireName());
        details.put("change", m.kind().name());
        details.put("alert_count", m.alerts().size());
        ArrayNode lines = details.putArray("alerts");
        for (Message.AlertLine a : m.alerts().subList(0, alerts)) {
            ObjectNode line = lines.addObject();
            line.put("rule", a.ruleId());
            line.put("severity", a.severity().wireName());
            ObjectNode labels = line.putObject("labels");
            new TreeMap<>(a.labels()).forEach(labels::put);
            line.put("summary", a.summary());
            if (a.explanation() != null && !a.explanation().isEmpty()) {
                line.put("explanation", a.explanation());
            }
            if (a.since() != null) {
                line.put("since", a.since().toString());
            }
        }
        if (alerts < m.alerts().size()) {
            details.put("alerts_not_shown", m.alerts().size() - alerts);
        }
        Message.Context c = m.context();
        details.put("wedding_season", c.weddingSeason());
        details.put("peak_wedding_time", c.peakTime());
        details.put("active_weddings", c.activeWeddings());
        details.put("upcoming_weddings", c.upcomingWeddings());
        details.put("estimated_wedding_load", c.estimatedWeddingLoad());
        ArrayNode affected = details.putArray("affected_weddings");
        c.affectedWeddings().subList(0, weddings).forEach(affected::add);
        if (weddings < c.affectedWeddings().size()) {
            details.put("affected_weddings_not_shown", c.affectedWeddings().size() - weddings);
        }
        if (m.ackLink() != null) {
            details.put("ack_link", m.ackLink());
            ObjectNode link = event.putArray("links").addObject();
            link.put("href", m.ackLink());
            link.put("text", "Acknowledge in Vigil");
        }
        event.put("client", "Vigil");
        return HttpChannels.bytes(event);
    }

    /** P0 critical, P1 error, P2 warning, P3 info. */
    static String severity(Priority priority) {
        return switch (priority) {
            case P0 -> "critical";
            case P1 -> "error";
            case P2 -> "warning";
            case P3 -> "info";
        };
    }

    /**
     * The group key itself when PagerDuty takes it (1 to 255 characters, not blank), else {@code vigil-} and its
     * SHA-256 in hex: the same for every event of the group, so a trigger, its acknowledgement and its resolution
     * meet in one PagerDuty alert (and a trigger after a resolution opens a new one, as PagerDuty documents).
     */
    static String dedupKey(String groupKey) {
        if (!groupKey.isBlank() && groupKey.length() <= MAX_DEDUP_KEY) {
            return groupKey;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(groupKey.getBytes(StandardCharsets.UTF_8));
            return "vigil-" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The type and the source, never the routing key. */
    @Override
    public String toString() {
        return "pagerduty(source=" + source + ")";
    }
}
