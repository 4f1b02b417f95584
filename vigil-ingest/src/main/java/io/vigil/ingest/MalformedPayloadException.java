package io.vigil.ingest;

/**
 * A request body that is not a parseable request of its format at all (not protobuf, not JSON, wrong top-level
 * shape, over a hard limit). The HTTP layer answers 400 with {@link #getMessage()}, which never contains a stack
 * trace, is at most a few hundred characters long and is safe to show to the sender. Individual bad points are not
 * reported this way: decoders reject them in the {@link io.vigil.core.WriteBatch} and keep the rest.
 */
public final class MalformedPayloadException extends RuntimeException {

    public MalformedPayloadException(String message) {
        super(message);
    }

    /** @param cause the parser's exception, kept for the server log */
    public MalformedPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
