package io.vigil.notify.channel;

import io.vigil.core.outbound.SendOutcome;
import io.vigil.notify.Message;
import java.util.List;
import java.util.Objects;

/**
 * Voice calls through Twilio's Calls API: {@code POST {base}/2010-04-01/Accounts/{AccountSid}/Calls.json}, form
 * fields {@code To}, {@code From}, {@code Twiml}, HTTP basic auth; one call per recipient (configured numbers and the
 * message's extra ones, E.164). The call speaks a short text twice and needs no key press:
 *
 * <pre>
 * &lt;?xml version="1.0" encoding="UTF-8"?&gt;&lt;Response&gt;&lt;Say loop="2"&gt;Vigil alert. P0 FIRING: photo upload,
 * 3 active weddings. p95 6.1 s &amp;gt; 5 s. 3 weddings affected. No key press is needed. Acknowledge with the link
 * sent by text message or email.&lt;/Say&gt;&lt;/Response&gt;
 * </pre>
 *
 * <p>The TwiML is at most {@value #MAX_TWIML} characters (Twilio's limit for the {@code Twiml} parameter), the text
 * XML-escaped. Outcomes and retries as {@link TwilioSmsChannel}: a retried send of the same key calls only the
 * numbers whose call was not created yet.
 */
public final class TwilioVoiceChannel implements Channel {
    /** Twilio's longest {@code Twiml} parameter, in characters. */
    static final int MAX_TWIML = 4000;
    private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say loop=\"2\">";
    private static final String END = "</Say></Response>";
    private static final String CLOSING = "No key press is needed. Acknowledge with the link sent by text message or"
            + " email.";

    private final TwilioConfig config;
    private final TwilioSender sender;

    public TwilioVoiceChannel(TwilioConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.sender = new TwilioSender(config, "voice", "Calls.json");
    }

    @Override
    public String type() {
        return "voice";
    }

    @Override
    public SendOutcome send(Message message, List<String> to) {
        return sender.send(message.key(), to, "Twiml", twiml(message));
    }

    /** The spoken text: headline, first alert's summary, weddings affected, and how to acknowledge. */
    static String spoken(Message m) {
        StringBuilder b = new StringBuilder("Vigil alert. ").append(sentence(TwilioSmsChannel.headline(m)));
        if (!m.alerts().isEmpty()) {
            b.append(' ').append(sentence(TwilioSmsChannel.oneLine(m.alerts().getFirst().summary())));
            int more = m.alerts().size() - 1;
            if (more > 0) {
                b.append(" And ").append(more).append(more == 1 ? " more alert." : " more alerts.");
            }
        }
        int affected = m.context().affectedWeddings().size();
        if (affected > 0) {
            b.append(' ').append(affected).append(affected == 1 ? " wedding affected." : " weddings affected.");
        }
        if (m.ackLink() != null) {
            b.append(' ').append(CLOSING);
        }
        return b.toString();
    }

    /** The TwiML of the call: well-formed XML, the spoken text escaped and cut to fit {@value #MAX_TWIML}. */
    static String twiml(Message m) {
        String text = spoken(m);
        String closing = m.ackLink() != null ? " " + CLOSING : "";
        String said = text.endsWith(closing) ? text.substring(0, text.length() - closing.length()) : text;
        int budget = MAX_TWIML - HEAD.length() - END.length() - xml(closing).length();
        return HEAD + xmlCut(said, budget) + xml(closing) + END;
    }

    /** {@link #xml} of {@code s}, or of its longest prefix that fits in {@code budget} with {@code ...} after it. */
    static String xmlCut(String s, int budget) {
        String all = xml(s);
        if (all.length() <= budget) {
            return all;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); ) {
            int next = Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() ? i + 2 : i + 1;
            String piece = xml(s.substring(i, next));
            if (b.length() + piece.length() + 3 > budget) {
                break;
            }
            b.append(piece);
            i = next;
        }
        return b.append("...").toString();
    }

    private static String sentence(String s) {
        String t = s.strip();
        if (t.isEmpty()) {
            return t;
        }
        char last = t.charAt(t.length() - 1);
        return last == '.' || last == '!' || last == '?' ? t : t + ".";
    }

    /**
     * XML-escaped text ({@code & < > " '}); characters XML 1.0 does not allow (controls other than tab, newline,
     * carriage return; lone surrogates; U+FFFE, U+FFFF) become spaces.
     */
    static String xml(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
                continue;
            }
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    boolean allowed = c == '\t' || c == '\n' || c == '\r'
                            || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
                    b.append(allowed ? c : ' ');
                }
            }
        }
        return b.toString();
    }

    /** The type and the channel's name only. */
    @Override
    public String toString() {
        return "TwilioVoiceChannel[" + config.name() + "]";
    }
}
