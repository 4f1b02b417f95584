package io.vigil.notify.channel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.outbound.HttpDelivery;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.notify.Message;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Posts messages as signed JSON (schema version {@value #SCHEMA_VERSION}, docs/notifications.md) to a receiver of
 * the operator's own: {@code X-Vigil-Signature} is an HMAC-SHA256 of the timestamp and the body with a shared secret,
 * which receivers check with {@link WebhookSignature#verify}; {@code X-Vigil-Delivery} lets them drop duplicates.
 */
public final class WebhookChannel implements Channel {
    /** The {@code version} field of the body. */
    public static final int SCHEMA_VERSION = 1;

    private final URI receiver;
    private final byte[] secret;
    private final String secretText;
    private final Clock clock;
    private final HttpDelivery http;

    /**
     * @param receiver the receiver's URL (its path and query are shown nowhere, as they may hold a token)
     * @param secret the shared secret, at least {@value WebhookSignature#MIN_SECRET_BYTES} bytes in UTF-8 (shown
     *     nowhere)
     * @param clock gives the signature's timestamp
     * @param timeout for connecting and for the answer
     */
    public WebhookChannel(URI receiver, String secret, Clock clock, Duration timeout) {
        this.receiver = HttpChannels.httpUri(receiver, "webhook URL");
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < WebhookSignature.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "webhook secret must be at least " + WebhookSignature.MIN_SECRET_BYTES + " bytes");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.secretText = secret;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = new HttpDelivery(Objects.requireNonNull(timeout, "timeout"));
    }

    @Override
    public String type() {
        return "webhook";
    }

    /** Posts the message, signed; {@code to} is ignored (the receiver is fixed). */
    @Override
    public SendOutcome send(Message message, List<String> to) {
        byte[] body = body(message);
        String timestamp = String.valueOf(clock.instant().getEpochSecond());
        SendOutcome outcome = http.send(HttpRequest.newBuilder(receiver)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Vigil")
                .header("X-Vigil-Timestamp", timestamp)
                .header("X-Vigil-Signature", WebhookSignature.sign(secret, timestamp, body))
                .header("X-Vigil-Delivery", deliveryId(message.key()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        String path = receiver.getRawPath() == null || receiver.getRawPath().length() <= 1 ? null
                : receiver.getRawPath();
        return HttpChannels.withoutSecrets(outcome, secretText, path, receiver.getRawQuery());
    }

    /** The body: see docs/notifications.md for the schema. */
    static byte[] body(Message m) {
        ObjectNode body = HttpChannels.JSON.createObjectNode();
        body.put("version", SCHEMA_VERSION);
        body.put("key", m.key());
        body.put("groupKey", m.groupKey());
        body.put("kind", m.kind().name());
        body.put("priority", m.priority().name());
        body.put("impact", m.impact().wireName());
        body.put("title", m.title());
        ArrayNode alerts = body.putArray("alerts");
        for (Message.AlertLine a : m.alerts()) {
            ObjectNode line = alerts.addObject();
            line.put("ruleId", a.ruleId());
            line.put("severity", a.severity().wireName());
            ObjectNode labels = line.putObject("labels");
            new TreeMap<>(a.labels()).forEach(labels::put);
            line.put("summary", a.summary());
            line.put("explanation", a.explanation());
            line.put("since", a.since() == null ? null : a.since().toString());
        }
        Message.Context c = m.context();
        ObjectNode context = body.putObject("context");
        context.put("weddingSeason", c.weddingSeason());
        context.put("peakTime", c.peakTime());
        context.put("activeWeddings", c.activeWeddings());
        context.put("upcomingWeddings", c.upcomingWeddings());
        context.put("estimatedWeddingLoad", c.estimatedWeddingLoad());
        ArrayNode affected = context.putArray("affectedWeddings");
        c.affectedWeddings().forEach(affected::add);
        body.put("ackLink", m.ackLink());
        body.put("at", m.at().toString());
        return HttpChannels.bytes(body);
    }

    /**
     * The message key as a header value: printable ASCII as is; spaces, other characters and {@code %}
     * percent-encoded in UTF-8 (a header cannot carry them all), so receivers can decode it back to the body's
     * {@code key}.
     */
    static String deliveryId(String key) {
        StringBuilder b = new StringBuilder(key.length());
        for (byte x : key.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c > 0x20 && c < 0x7f && c != '%') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }

    /** The type and the receiver's host, never its path, query or the secret. */
    @Override
    public String toString() {
        return "webhook(" + receiver.getHost() + ")";
    }
}
