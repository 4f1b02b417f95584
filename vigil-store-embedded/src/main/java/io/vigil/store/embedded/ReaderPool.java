package io.vigil.store.embedded;

import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Read connections: WAL mode lets any number read while the one writer writes. A reader is borrowed for one call
 * and given back; at most {@code maxIdle} are kept open, extra ones (under a burst) are opened and closed on demand,
 * so callers never wait for a connection. Thread-safe.
 */
final class ReaderPool {
    @FunctionalInterface
    interface Opener {
        CachedConnection open() throws SQLException;
    }

    private final Opener opener;
    private final ArrayBlockingQueue<CachedConnection> idle;
    private volatile boolean closed;

    ReaderPool(Opener opener, int maxIdle) {
        this.opener = opener;
        this.idle = new ArrayBlockingQueue<>(maxIdle);
    }

    CachedConnection borrow() throws SQLException {
        CachedConnection c = idle.poll();
        return c != null ? c : opener.open();
    }

    /** Gives a reader back; a broken one ({@code healthy == false}) is closed instead of reused. */
    void release(CachedConnection c, boolean healthy) {
        if (closed || !healthy || !idle.offer(c)) {
            c.close();
        } else if (closed && idle.remove(c)) {
            c.close(); // close() ran between the check and the offer
        }
    }

    void close() {
        closed = true;
        CachedConnection c;
        while ((c = idle.poll()) != null) {
            c.close();
        }
    }
}
