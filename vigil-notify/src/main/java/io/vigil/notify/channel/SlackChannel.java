package io.vigil.notify.channel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.outbound.HttpDelivery;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.notify.Message;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Posts messages to a Slack channel through an incoming webhook (INTEGRATIONS.md 2.6): a {@code text} fallback and
 * Block Kit blocks (header, wedding context, one section per alert, an Acknowledge button), within Slack's limits and
 * with alert text escaped so that it cannot mention {@code @channel} or forge links.
 */
public final class SlackChannel implements Channel {
    /** Slack's limit of blocks per message. */
    static final int MAX_BLOCKS = 50;
    /** Slack's limit of a {@code plain_text} header. */
    static final int MAX_HEADER = 150;
    /** Slack's limit of a section's text. */
    static final int MAX_SECTION_TEXT = 3000;
    /** Slack's limit of one section field's text. */
    static final int MAX_FIELD_TEXT = 2000;
    /** Slack's limit of a button's {@code url}. */
    static final int MAX_BUTTON_URL = 3000;
    /** Length the {@code text} fallback is cut to (Slack truncates messages over 40,000 characters). */
    static final int MAX_TEXT = 3000;

    private final URI webhook;
    private final String channelName;
    private final HttpDelivery http;

    /**
     * @param webhook the incoming-webhook URL (a secret: its path is the token; shown nowhere)
     * @param channelName the channel the webhook posts to, e.g. {@code #wedding-emergency}: only for display
     * @param timeout for connecting and for the answer
     */
    public SlackChannel(URI webhook, String channelName, Duration timeout) {
        this.webhook = HttpChannels.httpUri(webhook, "Slack webhook URL");
        this.channelName = channelName == null || channelName.isBlank() ? "(unnamed)" : channelName.strip();
        this.http = new HttpDelivery(Objects.requireNonNull(timeout, "timeout"));
    }

    @Override
    public String type() {
        return "slack";
    }

    /** Posts the message; {@code to} is ignored (the webhook decides the channel). */
    @Override
    public SendOutcome send(Message message, List<String> to) {
        SendOutcome outcome = http.send(HttpRequest.newBuilder(webhook)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(HttpChannels.bytes(body(message)))));
        List<String> secrets = new ArrayList<>();
        if (webhook.getRawPath() != null && webhook.getRawPath().length() > 1) {
            secrets.add(webhook.getRawPath());
            for (String segment : webhook.getRawPath().split("/")) {
                if (segment.length() >= 8) {
                    secrets.add(segment);
                }
            }
        }
        if (webhook.getRawQuery() != null) {
            secrets.add(webhook.getRawQuery());
        }
        return HttpChannels.withoutSecrets(outcome, secrets.toArray(String[]::new));
    }

    /** The message as Slack's JSON: {@code text} and at most {@link #MAX_BLOCKS} blocks. */
    ObjectNode body(Message m) {
        ObjectNode body = HttpChannels.JSON.createObjectNode();
        body.put("text", HttpChannels.cutEscaped(HttpChannels.mrkdwn(header(m)), MAX_TEXT));
        ArrayNode blocks = body.putArray("blocks");

        ObjectNode header = blocks.addObject();
        header.put("type", "header");
        plainText(header.putObject("text"), HttpChannels.cut(header(m), MAX_HEADER));

        Message.Context c = m.context();
        ObjectNode context = blocks.addObject();
        context.put("type", "section");
        ArrayNode fields = context.putArray("fields");
        field(fields, "Priority", m.priority().name() + " (" + m.kind().name().toLowerCase(java.util.Locale.ROOT)
                + ")");
        field(fields, "Wedding impact", m.impact().wireName());
        String active = String.valueOf(c.activeWeddings());
        if (!c.affectedWeddings().isEmpty()) {
            active += " (affected: " + HttpChannels.mrkdwn(String.join(", ", c.affectedWeddings())) + ")";
        }
        field(fields, "Weddings under way", active);
        field(fields, "Starting soon", String.valueOf(c.upcomingWeddings()));
        field(fields, "Peak wedding time", (c.peakTime() ? "yes" : "no")
                + (c.weddingSeason() ? ", wedding season" : ""));
        field(fields, "Estimated wedding load", HttpChannels.number(c.estimatedWeddingLoad()));

        boolean button = m.ackLink() != null && !m.ackLink().isEmpty() && m.ackLink().length() <= MAX_BUTTON_URL;
        int room = MAX_BLOCKS - blocks.size() - (button ? 1 : 0);
        int shown = m.alerts().size() <= room ? m.alerts().size() : room - 1;
        for (Message.AlertLine a : m.alerts().subList(0, shown)) {
            ObjectNode section = blocks.addObject();
            section.put("type", "section");
            ObjectNode text = section.putObject("text");
            text.put("type", "mrkdwn");
            text.put("text", HttpChannels.cutEscaped(alert(a), MAX_SECTION_TEXT));
        }
        if (shown < m.alerts().size()) {
            int more = m.alerts().size() - shown;
            ObjectNode rest = blocks.addObject();
            rest.put("type", "context");
            ObjectNode text = rest.putArray("elements").addObject();
            text.put("type", "mrkdwn");
            text.put("text", "+ " + more + " more alert" + (more == 1 ? "" : "s") + " in this group, not shown");
        }
        if (button) {
            ObjectNode actions = blocks.addObject();
            actions.put("type", "actions");
            ObjectNode ack = actions.putArray("elements").addObject();
            ack.put("type", "button");
            plainText(ack.putObject("text"), "Acknowledge");
            ack.put("style", "primary");
            ack.put("action_id", "vigil-acknowledge");
            ack.put("url", m.ackLink());
        }
        return body;
    }

    /**
     * The header line: the title when it already starts with the priority and the kind (as
     * {@code P0 FIRING: photo upload} does), else the title after them.
     */
    private static String header(Message m) {
        String prefix = m.priority().name() + " " + m.kind().name();
        return m.title().startsWith(prefix) ? m.title() : prefix + ": " + m.title();
    }

    /** One alert as mrkdwn, every text from the alert escaped. */
    private static String alert(Message.AlertLine a) {
        StringBuilder b = new StringBuilder("*").append(a.severity().wireName()).append("* `")
                .append(HttpChannels.mrkdwn(a.ruleId())).append('`');
        Map<String, String> labels = new TreeMap<>(a.labels());
        if (!labels.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            labels.forEach((k, v) -> pairs.add(k + "=" + v));
            b.append(' ').append(HttpChannels.mrkdwn(String.join(", ", pairs)));
        }
        b.append('\n').append(HttpChannels.mrkdwn(a.summary()));
        if (a.explanation() != null && !a.explanation().isEmpty()) {
            b.append('\n').append(HttpChannels.mrkdwn(a.explanation()));
        }
        if (a.since() != null) {
            b.append("\nsince ").append(a.since());
        }
        return b.toString();
    }

    private static void field(ArrayNode fields, String name, String escapedValue) {
        ObjectNode field = fields.addObject();
        field.put("type", "mrkdwn");
        field.put("text", HttpChannels.cutEscaped("*" + name + ":*\n" + escapedValue, MAX_FIELD_TEXT));
    }

    private static void plainText(ObjectNode node, String text) {
        node.put("type", "plain_text");
        node.put("text", text);
    }

    /** The type and the channel's display name, never the webhook URL. */
    @Override
    public String toString() {
        return "slack(" + channelName + ")";
    }
}
