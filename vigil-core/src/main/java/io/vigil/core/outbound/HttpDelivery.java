package io.vigil.core.outbound;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * Sends one HTTP request (a notification or an export) and turns the answer into a {@link SendOutcome} by the
 * vendors' common rules (INTEGRATIONS.md 2.14): 2xx delivered; 408, 429 and 5xx retried (or the statuses a far side
 * names), honouring {@code Retry-After}; other statuses rejected; timeouts and connection failures retried. Redirects
 * are not followed (a URL that moved is a configuration error, and following it could send data somewhere unintended).
 */
public final class HttpDelivery {
    /** Longest {@code Retry-After} honoured; a longer one is cut to this. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);
    /** Answer bodies shown in a reason only when they are a bare error code, e.g. Slack's {@code rate_limited}. */
    private static final Pattern ERROR_CODE = Pattern.compile("[a-z][a-z_]{1,39}");
    /** What a vendor's error-code reader may put in a reason: a short label and code, e.g. {@code twilio error 21211}. */
    private static final Pattern VENDOR_CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_. -]{0,39}");
    /** Answer bodies longer than this are not given to a vendor's error-code reader. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    /** The statuses most vendors ask to have retried: 408, 429 and 5xx (INTEGRATIONS.md 2.14). */
    public static final IntPredicate COMMON_RETRYABLE = status -> status == 408 || status == 429 || status >= 500;

    private final HttpClient client;
    private final Duration timeout;

    /** @param timeout for connecting and for the whole answer */
    public HttpDelivery(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Sends the request (its timeout set here) and classifies the answer. */
    public SendOutcome send(HttpRequest.Builder request) {
        return send(request, body -> null);
    }

    /**
     * Sends the request and classifies the answer like {@link #send(HttpRequest.Builder)}; the reason of a failure
     * also shows the far side's error code that {@code errorCode} reads from the answer's body (e.g. Twilio's
     * {@code {"code":21211,...}} as {@code twilio error 21211}), for vendors whose error bodies are JSON. The reader
     * returns null when the body has no code; what it returns is shown only when it is a short token of letters,
     * digits, spaces, {@code _ . -} (at most 40 characters), so that it cannot carry the body's text (which may quote
     * a recipient) into the reason.
     */
    public SendOutcome send(HttpRequest.Builder request, Function<String, String> errorCode) {
        return send(request, errorCode, COMMON_RETRYABLE);
    }

    /**
     * Like {@link #send(HttpRequest.Builder, Function)} for a far side with its own retry rules: a non-2xx status is
     * retried only when {@code retryable} accepts it (OTLP, for example, retries only 429, 502, 503 and 504).
     */
    public SendOutcome send(HttpRequest.Builder request, Function<String, String> errorCode, IntPredicate retryable) {
        HttpResponse<String> r;
        try {
            r = client.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return new SendOutcome.Retry("timeout after " + timeout.toMillis() + " ms", 0, null);
        } catch (ConnectException e) {
            return new SendOutcome.Retry("connection refused", 0, null);
        } catch (IOException e) {
            return new SendOutcome.Retry("network error (" + e.getClass().getSimpleName() + ")", 0, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendOutcome.Retry("interrupted", 0, null);
        }
        return outcome(r.statusCode(), r.headers().firstValue("Retry-After"), r.body(), Instant.now(), errorCode,
                retryable);
    }

    /** The outcome of an answer: see the class comment. */
    static SendOutcome outcome(int status, Optional<String> retryAfter, String body, Instant now) {
        return outcome(status, retryAfter, body, now, b -> null);
    }

    /** The outcome of an answer, its reason showing the vendor's error code read by {@code errorCode} if any. */
    static SendOutcome outcome(int status, Optional<String> retryAfter, String body, Instant now,
                               Function<String, String> errorCode) {
        return outcome(status, retryAfter, body, now, errorCode, COMMON_RETRYABLE);
    }

    /**
     * The outcome of an answer, retried when {@code retryable} accepts its status; for senders that read the answer
     * themselves (exports keep an accepted answer's body). {@code body} may be null.
     */
    public static SendOutcome outcome(int status, Optional<String> retryAfter, String body, Instant now,
                               Function<String, String> errorCode, IntPredicate retryable) {
        if (status >= 200 && status < 300) {
            return new SendOutcome.Delivered(status);
        }
        String code = body == null ? "" : body.strip();
        if (!ERROR_CODE.matcher(code).matches()) {
            code = vendorCode(body, errorCode);
        }
        String reason = "http " + status + (code != null ? " " + code : "");
        if (retryable.test(status)) {
            return new SendOutcome.Retry(reason, status, retryAfter.map(v -> retryAfter(v, now)).orElse(null));
        }
        return new SendOutcome.Rejected(reason, status);
    }

    /** The vendor's error code read from the body, or null when there is none or it is not a short token. */
    private static String vendorCode(String body, Function<String, String> errorCode) {
        if (body == null || body.isEmpty() || body.length() > MAX_ERROR_BODY) {
            return null;
        }
        String code;
        try {
            code = errorCode.apply(body);
        } catch (RuntimeException e) {
            return null;
        }
        return code != null && VENDOR_CODE.matcher(code).matches() ? code.strip() : null;
    }

    /** {@code Retry-After} as seconds or an HTTP date, within [0, 1 h]; null when it cannot be read. */
    public static Duration retryAfter(String value, Instant now) {
        String v = value.strip();
        Duration d;
        try {
            d = Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException e) {
            try {
                d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }
}
