package io.vigil.export.datadog;

import io.vigil.core.outbound.SendOutcome;
import io.vigil.export.http.ExportDelivery;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.function.IntPredicate;

/**
 * Posts one body to a Datadog endpoint through {@link ExportDelivery} and applies Datadog's two additions to the
 * common rules (INTEGRATIONS.md 2.14): a 429 without {@code Retry-After} waits for {@code X-RateLimit-Reset} (seconds
 * until the limit resets), and a 403 says that Datadog refused the API key (never the key). Thread-safe.
 */
final class DatadogHttp {
    /** Longest wait honoured; a longer one is cut to this (as for {@code Retry-After}). */
    static final Duration MAX_WAIT = Duration.ofHours(1);
    /** The reason of a 403: the key is wrong, revoked or of another site. */
    static final String KEY_REFUSED = "http 403 api key refused by Datadog (check export.datadog.apiKey and site)";

    private final ExportDelivery delivery;
    private final Duration timeout;
    private final DatadogApiKey key;

    DatadogHttp(DatadogApiKey key, Duration timeout, Clock clock) {
        this.key = key;
        this.timeout = timeout;
        this.delivery = new ExportDelivery(timeout, clock);
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
        ExportDelivery.Answer answer = delivery.send(request, retryable);
        return switch (answer.outcome()) {
            case SendOutcome.Rejected r when r.status() == 403 -> new SendOutcome.Rejected(KEY_REFUSED, 403);
            case SendOutcome.Retry r when r.status() == 429 && r.retryAfter() == null ->
                    new SendOutcome.Retry(r.reason(), 429,
                            answer.headers().firstValue("X-RateLimit-Reset").map(DatadogHttp::seconds).orElse(null));
            case SendOutcome other -> other;
        };
    }

    /** A whole number of seconds within [0, 1 h]; null when it is not one. */
    static Duration seconds(String value) {
        try {
            long s = Long.parseLong(value.strip());
            return Duration.ofSeconds(Math.max(0, Math.min(s, MAX_WAIT.toSeconds())));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
