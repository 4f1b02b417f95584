package io.vigil.store;

/** A store could not complete an operation; the driver's exception is the cause. */
public class StorageException extends RuntimeException {
    private final boolean retryable;

    public StorageException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** True when the same call may succeed later (database unreachable, busy), so ingest answers 503, not 500. */
    public boolean retryable() {
        return retryable;
    }
}
