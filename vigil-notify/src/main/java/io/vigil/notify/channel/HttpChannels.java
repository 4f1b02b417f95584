package io.vigil.notify.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.outbound.HttpDelivery;
import io.vigil.core.outbound.SendOutcome;
import java.math.BigDecimal;
import java.net.URI;
import java.util.Locale;

/**
 * What the HTTP channels ({@link PagerDutyChannel}, {@link SlackChannel}, {@link WebhookChannel}) share: the JSON
 * writer, cutting text to a vendor's limit, Slack's escaping, and keeping secrets out of outcomes and exceptions.
 */
final class HttpChannels {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Appended to text cut to a limit. */
    static final String ELLIPSIS = "\u2026";

    private HttpChannels() {}

    /** The JSON bytes of a tree built by a channel (writing a tree of plain values cannot fail). */
    static byte[] bytes(ObjectNode json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a notification as JSON", e);
        }
    }

    /**
     * The text itself when it has at most {@code max} chars, else its start ending in an ellipsis, {@code max} chars
     * in all, without splitting a surrogate pair.
     */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - ELLIPSIS.length();
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + ELLIPSIS;
    }

    /** {@link #cut} for text already escaped by {@link #mrkdwn}: never leaves half of {@code &amp;} behind. */
    static String cutEscaped(String escaped, int max) {
        if (escaped.length() <= max) {
            return escaped;
        }
        String start = cut(escaped, max);
        start = start.substring(0, start.length() - ELLIPSIS.length());
        int amp = start.lastIndexOf('&');
        if (amp >= 0 && start.indexOf(';', amp) < 0) {
            start = start.substring(0, amp);
        }
        return start + ELLIPSIS;
    }

    /**
     * Text for Slack's {@code mrkdwn} (and the {@code text} fallback): {@code &}, {@code <} and {@code >} escaped
     * as Slack asks, so that alert text cannot mention {@code <!channel>} or forge a link.
     */
    static String mrkdwn(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** {@code 630}, {@code 12.5}: a number as people read it, without exponent or trailing zeros. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        return BigDecimal.valueOf(value).setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }

    /**
     * Checks that a configured endpoint is an absolute http(s) URL with a host; the message never quotes the URI,
     * which may hold a token.
     */
    static URI httpUri(URI uri, String what) {
        if (uri == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new IllegalArgumentException(what + " must be an absolute http(s) URL with a host");
        }
        return uri;
    }

    /**
     * The outcome with every occurrence of the secrets in its reason replaced by {@code [redacted]}: the reasons of
     * {@link HttpDelivery} never quote a request, but a far side that echoes a key as a bare error code must not
     * get it into the logs either.
     */
    static SendOutcome withoutSecrets(SendOutcome outcome, String... secrets) {
        for (String secret : secrets) {
            if (secret == null || secret.isEmpty()) {
                continue;
            }
            outcome = switch (outcome) {
                case SendOutcome.Retry r when r.reason() != null && r.reason().contains(secret) ->
                        new SendOutcome.Retry(r.reason().replace(secret, "[redacted]"), r.status(), r.retryAfter());
                case SendOutcome.Rejected r when r.reason() != null && r.reason().contains(secret) ->
                        new SendOutcome.Rejected(r.reason().replace(secret, "[redacted]"), r.status());
                default -> outcome;
            };
        }
        return outcome;
    }
}
