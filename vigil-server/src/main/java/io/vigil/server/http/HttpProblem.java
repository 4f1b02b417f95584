package io.vigil.server.http;

/** An error answered to the client as {@code {"error": message}} with a status code; the message must be safe. */
public final class HttpProblem extends RuntimeException {
    private final int status;
    private final Integer retryAfterSeconds;

    public HttpProblem(int status, String message) {
        this(status, message, null);
    }

    public HttpProblem(int status, String message, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
