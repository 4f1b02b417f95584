package io.vigil.store;

/**
 * The right to run one singleton job (alert evaluation, downsampling, retention) on exactly one node at a time. A
 * node calls {@link #tryAcquire()} every few seconds and runs the job only while it holds the lease; when the holder
 * dies, its lease lapses and another node's next {@code tryAcquire()} wins. Thread-safe.
 */
public interface Lease extends AutoCloseable {

    /** The lease's name, for logs. */
    String name();

    /**
     * Tries to hold the lease, or confirms it is still held. Returns true when this node holds it now. Cheap enough
     * to call every few seconds; never blocks waiting for another holder.
     */
    boolean tryAcquire();

    /** Gives the lease up (another node may take it at once); idempotent. */
    @Override
    void close();

    /** The lease of a single node: always held (the embedded store has no other node to share with). */
    static Lease local(String name) {
        return new Lease() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean tryAcquire() {
                return true;
            }

            @Override
            public void close() {}
        };
    }
}
