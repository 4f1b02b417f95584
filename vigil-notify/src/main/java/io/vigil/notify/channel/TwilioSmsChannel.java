package io.vigil.notify.channel;

import io.vigil.core.outbound.SendOutcome;
import io.vigil.notify.Message;
import java.util.List;
import java.util.Objects;

/**
 * SMS through Twilio's Messages API: {@code POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json}, form
 * fields {@code To}, {@code From}, {@code Body}, HTTP basic auth with the account SID and auth token; one request per
 * recipient (configured numbers and the message's extra ones, E.164; others are skipped). The body is a short form
 * of the message, at most {@value #MAX_BODY} characters (Twilio's limit):
 *
 * <pre>
 * [Vigil] P0 FIRING: photo upload, 3 active weddings
 * p95 6.1 s &gt; 5 s (+1 more alert)
 * Weddings affected: 3
 * Ack: https://vigil.example/ack/...
 * </pre>
 *
 * <p>Delivered when every recipient's request got a 2xx; retried when any failed in a way that may pass (429, 5xx,
 * timeout), else rejected (e.g. {@code http 400 twilio error 21211 for 1 of 3 recipients}, an invalid {@code To}).
 * A retried send of the same message key goes only to the numbers that have not got it yet from this channel
 * (remembered while the process runs; after a restart they may get it twice).
 */
public final class TwilioSmsChannel implements Channel {
    /** Twilio's longest message body, in characters. */
    static final int MAX_BODY = 1600;

    private final TwilioConfig config;
    private final TwilioSender sender;

    public TwilioSmsChannel(TwilioConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.sender = new TwilioSender(config, "sms", "Messages.json");
    }

    @Override
    public String type() {
        return "sms";
    }

    @Override
    public SendOutcome send(Message message, List<String> to) {
        return sender.send(message.key(), to, "Body", body(message));
    }

    /**
     * The SMS text: the headline (priority, kind, title), the first alert's summary, how many weddings are
     * affected, and the acknowledgement link, cut to {@value #MAX_BODY} characters with the link kept whole.
     */
    static String body(Message m) {
        StringBuilder b = new StringBuilder("[Vigil] ").append(headline(m));
        if (!m.alerts().isEmpty()) {
            b.append('\n').append(oneLine(m.alerts().getFirst().summary()));
            int more = m.alerts().size() - 1;
            if (more > 0) {
                b.append(" (+").append(more).append(more == 1 ? " more alert)" : " more alerts)");
            }
        }
        int affected = m.context().affectedWeddings().size();
        if (affected > 0) {
            b.append("\nWeddings affected: ").append(affected);
        }
        String tail = m.ackLink() == null ? "" : "\nAck: " + oneLine(m.ackLink());
        if (tail.length() > MAX_BODY / 2) {
            tail = ""; // a link this long is not a link anyone can use from a phone
        }
        return cut(b.toString(), MAX_BODY - tail.length()) + tail;
    }

    /**
     * {@code P0 FIRING: title}, or the title alone when it already starts with the priority and kind (as the
     * titles the message builder writes do).
     */
    static String headline(Message m) {
        String title = oneLine(m.title());
        String prefix = m.priority().name() + " " + m.kind().name();
        return title.startsWith(prefix) ? title : prefix + ": " + title;
    }

    /** Text on one line: control characters become spaces. */
    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\p{Cntrl}\\u0085\\u2028\\u2029]+", " ").strip();
    }

    /**
     * {@code s} cut to at most {@code max} characters, ending in {@code ...} when cut (ASCII: a single non-GSM
     * character such as an ellipsis would make the whole SMS UCS-2, 70 characters a segment instead of 160), never
     * inside a surrogate pair.
     */
    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        if (max < 3) {
            return "";
        }
        int end = max - 3;
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "...";
    }

    /** The type and the channel's name only. */
    @Override
    public String toString() {
        return "TwilioSmsChannel[" + config.name() + "]";
    }
}
