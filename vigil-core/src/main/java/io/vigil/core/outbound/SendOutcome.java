package io.vigil.core.outbound;

import java.time.Duration;

/**
 * What became of one send: delivered, worth retrying (with the wait the far side asked for, if any), or rejected for
 * good. Reasons are short and never quote a secret or a recipient.
 */
public sealed interface SendOutcome {

    /** The far side accepted the message. @param status the HTTP status, or 250 for SMTP */
    record Delivered(int status) implements SendOutcome {}

    /**
     * A failure that may pass: 429, 5xx, a timeout or a connection failure.
     *
     * @param reason e.g. {@code rate_limited}, {@code http 503}, {@code timeout}, {@code connection refused}
     * @param status the HTTP status, 0 without an answer
     * @param retryAfter the wait the far side asked for ({@code Retry-After}), null if none
     */
    record Retry(String reason, int status, Duration retryAfter) implements SendOutcome {}

    /** A failure that retrying cannot fix (400, 403, 404...): reported, not retried. */
    record Rejected(String reason, int status) implements SendOutcome {}
}
