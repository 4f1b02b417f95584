package io.vigil.export.datadog;

import io.vigil.core.outbound.SendOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.IntPredicate;

/**
 * Posts one body to a Datadog endpoint and classifies the answer by Datadog's rules (INTEGRATIONS.md 2.14): 2xx
 * delivered (Datadog answers 202); a status {@code retryable} accepts is retried, waiting for {@code Retry-After} or,
 * on a 429 without it, for {@code X-RateLimit-Reset} (seconds until the limit resets); any other status rejected.
 * Timeouts and connection failures are retried. Redirects are never followed.
 *
 * <p>This does what {@link io.vigil.core.outbound.HttpDelivery} does, on the same terms, because that class reads
 * only {@code Retry-After} and Datadog's rate-limited endpoints name the wait in {@code X-RateLimit-Reset}. Reasons
 * are {@code http <status>} and never quote the answer's body (which is not read) or the key; a 403 says that Datadog refused the API
 * key. Thread-safe.
 */
final class DatadogHttp {
    /** Longest wait honoured; a longer one is cut to this (as HttpDelivery does). */
    static final Duration MAX_WAIT = Duration.ofHours(1);
    /** The reason of a 403: the key is wrong, revoked or of another site. */
    static final String KEY_REFUSED = "http 403 api key refused by Datadog (check export.datadog.apiKey and site)";

    private final HttpClient client;
    private final Duration timeout;
    private final DatadogApiKey key;
    private final Clock clock;

    DatadogHttp(DatadogApiKey key, Duration timeout, Clock clock) {
        this.key = key;
        this.timeout = timeout;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Posts a JSON body.
     *
     * @param gzip whether the body is gzip-compressed ({@code Content-Encoding: gzip})
     * @param retryable the statuses worth retrying at this endpoint
     */
    SendOutcome post(URI uri, byte[] body, boolean gzip, IntPredicate retryable) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("DD-API-KEY", key.value())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (gzip) {
            request.header("Content-Encoding", "gzip");
        }
        HttpResponse<InputStream> r;
        try {
            r = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            r.body().close(); // the answer's body is not read: nothing in it changes the outcome, and a far side that
                              // sent the status and then stalled would otherwise hold the worker past the timeout
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
        return outcome(r.statusCode(), r.headers(), retryable);
    }

    /** The outcome of an answer: see the class comment. */
    SendOutcome outcome(int status, HttpHeaders headers, IntPredicate retryable) {
        if (status >= 200 && status < 300) {
            return new SendOutcome.Delivered(status);
        }
        String reason = status == 403 ? KEY_REFUSED : "http " + status;
        if (!retryable.test(status)) {
            return new SendOutcome.Rejected(reason, status);
        }
        Duration wait = headers.firstValue("Retry-After").map(this::retryAfter).orElse(null);
        if (wait == null && status == 429) {
            wait = headers.firstValue("X-RateLimit-Reset").map(DatadogHttp::seconds).orElse(null);
        }
        return new SendOutcome.Retry(reason, status, wait);
    }

    /** {@code Retry-After} as seconds or an HTTP date, within [0, 1 h]; null when it cannot be read. */
    Duration retryAfter(String value) {
        Duration d = seconds(value);
        if (d != null) {
            return d;
        }
        try {
            return bounded(Duration.between(clock.instant(),
                    ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A whole number of seconds within [0, 1 h]; null when it is not one. */
    static Duration seconds(String value) {
        try {
            return bounded(Duration.ofSeconds(Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Duration bounded(Duration d) {
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : d;
    }
}
