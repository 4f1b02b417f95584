package io.vigil.export.http;

import io.vigil.core.outbound.HttpDelivery;
import io.vigil.core.outbound.SendOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntPredicate;

/**
 * Sends one export request by {@link HttpDelivery}'s rules (2xx delivered; the statuses {@code retryable} accepts
 * retried, honouring {@code Retry-After} as seconds or an HTTP date cut to [0, 1 h]; other statuses rejected; timeouts
 * and connection failures retried; redirects never followed), and also hands back the body of a 2xx answer, which
 * {@code HttpDelivery} drops: New Relic's {@code requestId} and OTLP's {@code partial_success} are in it. Reasons are
 * the status and nothing of the answer's body ({@code http 503}), so they never quote a key or a label.
 *
 * <p>Unlike {@code HttpDelivery}, the timeout bounds the whole exchange, body included, and at most
 * {@value #MAX_BODY} bytes of an answer are kept, so a far side that stalls or streams cannot hold an exporter's
 * thread. Thread-safe.
 *
 * <p>The classification is {@link HttpDelivery#outcome}'s; the answer's headers come back too, for far sides that
 * name a wait in a header of their own (Datadog's {@code X-RateLimit-Reset}).
 */
public final class ExportDelivery {
    /** The most bytes of an answer's body kept (partial-success messages and request ids are far smaller). */
    public static final int MAX_BODY = 64 * 1024;

    private final HttpClient client;
    private final Duration timeout;
    private final Clock clock;

    /**
     * @param timeout for connecting and for the whole exchange (sending the body and reading the answer)
     * @param clock for reading {@code Retry-After} given as a date
     */
    public ExportDelivery(Duration timeout, Clock clock) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive but was " + timeout);
        }
        this.timeout = timeout;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * What became of a request.
     *
     * @param outcome delivered, retry or rejected
     * @param body the first {@value #MAX_BODY} bytes of a 2xx answer's body; empty for failures
     * @param headers the answer's headers; empty without an answer
     */
    public record Answer(SendOutcome outcome, byte[] body, HttpHeaders headers) {}

    private static final HttpHeaders NO_HEADERS = HttpHeaders.of(java.util.Map.of(), (a, b) -> true);

    /** Sends the request (its timeout set here) and classifies the answer; never throws for a failure of the far side. */
    public Answer send(HttpRequest.Builder request, IntPredicate retryable) {
        BoundedBody body = new BoundedBody();
        CompletableFuture<HttpResponse<Void>> future = client.sendAsync(request.timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofByteArrayConsumer(body::accept));
        HttpResponse<Void> r;
        try {
            r = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return failure(new SendOutcome.Retry(timedOut(), 0, null));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return failure(new SendOutcome.Retry("interrupted", 0, null));
        } catch (ExecutionException e) {
            return failure(new SendOutcome.Retry(networkReason(e.getCause()), 0, null));
        }
        return answer(r.statusCode(), r.headers(), body.bytes(), retryable);
    }

    /** The answer to a status: see the class comment. */
    Answer answer(int status, HttpHeaders headers, byte[] body, IntPredicate retryable) {
        SendOutcome outcome = HttpDelivery.outcome(status, headers.firstValue("Retry-After"), null, clock.instant(),
                b -> null, retryable);
        return new Answer(outcome, outcome instanceof SendOutcome.Delivered ? body : new byte[0], headers);
    }

    private static Answer failure(SendOutcome outcome) {
        return new Answer(outcome, new byte[0], NO_HEADERS);
    }

    private String timedOut() {
        return "timeout after " + timeout.toMillis() + " ms";
    }

    private String networkReason(Throwable cause) {
        if (cause instanceof HttpTimeoutException) {
            return timedOut();
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof IOException) {
            return "network error (" + cause.getClass().getSimpleName() + ")";
        }
        return "network error (" + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")";
    }

    /** Keeps the first {@link #MAX_BODY} bytes of a body and lets the rest pass. */
    private static final class BoundedBody {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        synchronized void accept(Optional<byte[]> chunk) {
            chunk.ifPresent(b -> out.write(b, 0, Math.min(b.length, MAX_BODY - out.size())));
        }

        synchronized byte[] bytes() {
            return out.toByteArray();
        }
    }
}
