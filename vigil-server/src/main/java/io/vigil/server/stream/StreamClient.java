package io.vigil.server.stream;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected stream client (a WebSocket session or an SSE response) and its outgoing buffer. The buffer is bounded
 * and conflating: it holds at most one unsent update per subscription (a newer one replaces it, counted as dropped)
 * plus a few control messages (acknowledgements, errors, heartbeats). One sender, {@link #runSender()}, writes the
 * buffer to the {@link Sink} on a thread of its own, so a slow client holds up only that thread.
 *
 * <p>The client is disconnected with a reason when it falls too far behind: when a write or an unsent update has
 * waited longer than {@link Limits#stallTimeout()}, or when {@link Limits#maxDropped()} updates were replaced unsent
 * since its last completed write. Thread-safe.
 */
public final class StreamClient {
    private static final Logger LOG = LoggerFactory.getLogger(StreamClient.class);
    private static final AtomicLong IDS = new AtomicLong();
    /** Most control messages kept unsent; a heartbeat beyond it is dropped, an error or acknowledgement too. */
    static final int MAX_CONTROL = 64;

    /** Where a client's messages go. Both methods may block; neither is called with the buffer's lock held. */
    public interface Sink {
        /** Writes one message and returns once it was handed to the network, or throws when it cannot be. */
        void send(Outgoing message) throws Exception;

        /** Ends the connection, telling the client why where the protocol allows it. */
        void close(String reason);
    }

    /** One message to send; {@code subscription} and {@code seq} are set for updates (SSE puts seq in {@code id:}). */
    public record Outgoing(String subscription, long seq, String json) {}

    /**
     * How far behind a client may fall.
     *
     * @param maxSubscriptions subscriptions one client may hold
     * @param stallTimeout the longest a write may take or an update may wait unsent
     * @param maxDropped updates replaced unsent since the last completed write before the client is cut off
     */
    public record Limits(int maxSubscriptions, Duration stallTimeout, int maxDropped) {
        public static final Limits DEFAULTS = new Limits(50, Duration.ofSeconds(30), 1_000);
    }

    private final long id = IDS.incrementAndGet();
    private final Sink sink;
    private final Limits limits;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final LinkedHashMap<String, Pending> updates = new LinkedHashMap<>();
    private final ArrayDeque<Outgoing> control = new ArrayDeque<>();
    private final java.util.Set<String> active = new java.util.HashSet<>();
    private boolean closed;
    private String closeReason;
    private long droppedSinceWrite;
    private long droppedTotal;
    private long sent;
    /** System.nanoTime when the write in progress began, or 0. */
    private volatile long writingSince;

    private record Pending(Outgoing message, long queuedNanos) {}

    StreamClient(Sink sink, Limits limits) {
        this.sink = sink;
        this.limits = limits;
    }

    /** A number naming this client in logs. */
    public long id() {
        return id;
    }

    /** Marks a subscription id as live: its updates are accepted until {@link #deactivate}. */
    boolean activate(String subscription) {
        lock.lock();
        try {
            if (active.size() >= limits.maxSubscriptions() && !active.contains(subscription)) {
                return false;
            }
            return active.add(subscription);
        } finally {
            lock.unlock();
        }
    }

    /** Stops a subscription: its unsent update is discarded and later ones are refused. */
    void deactivate(String subscription) {
        lock.lock();
        try {
            active.remove(subscription);
            updates.remove(subscription);
        } finally {
            lock.unlock();
        }
    }

    boolean isActive(String subscription) {
        lock.lock();
        try {
            return active.contains(subscription);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues an update, replacing an unsent older one of the same subscription. Never blocks on the network.
     *
     * @return false when the client is closed or the subscription is no longer live
     */
    public boolean offerUpdate(Outgoing update) {
        String reason = null;
        lock.lock();
        try {
            if (closed || !active.contains(update.subscription())) {
                return false;
            }
            Pending old = updates.get(update.subscription());
            if (old != null) {
                droppedSinceWrite++;
                droppedTotal++;
                // Keep the queue position and age of the unsent one, so a stalled client is seen as stalled.
                updates.put(update.subscription(), new Pending(update, old.queuedNanos()));
            } else {
                updates.put(update.subscription(), new Pending(update, System.nanoTime()));
            }
            if (droppedSinceWrite >= limits.maxDropped()) {
                reason = "too slow: " + droppedSinceWrite + " updates were replaced before they could be sent";
            }
            ready.signal();
        } finally {
            lock.unlock();
        }
        if (reason != null) {
            disconnect(reason);
            return false;
        }
        return true;
    }

    /**
     * Whether an update of this subscription still waits unsent; if so it counts as replaced (as if a newer one had been
     * offered), so that the hub need not compute an update this client cannot take yet. Past the limit of replaced
     * updates the client is disconnected, as by {@link #offerUpdate}.
     */
    boolean conflateIfUnsent(String subscription) {
        String reason = null;
        lock.lock();
        try {
            if (closed || !updates.containsKey(subscription)) {
                return false;
            }
            droppedSinceWrite++;
            droppedTotal++;
            if (droppedSinceWrite >= limits.maxDropped()) {
                reason = "too slow: " + droppedSinceWrite + " updates were replaced before they could be sent";
            }
        } finally {
            lock.unlock();
        }
        if (reason != null) {
            disconnect(reason);
        }
        return true;
    }

    /** Queues a control message (acknowledgement, error, heartbeat); dropped when {@value #MAX_CONTROL} wait. */
    public void offerControl(Outgoing message) {
        lock.lock();
        try {
            if (!closed && control.size() < MAX_CONTROL) {
                control.add(message);
                ready.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Disconnects the client when a write or an unsent update has waited past the stall timeout. */
    void checkStall(long nowNanos) {
        long limit = limits.stallTimeout().toNanos();
        long writing = writingSince;
        String reason = null;
        if (writing != 0 && nowNanos - writing > limit) {
            reason = "too slow: a message could not be written for " + limits.stallTimeout().toSeconds() + " s";
        } else {
            lock.lock();
            try {
                Iterator<Pending> it = updates.values().iterator();
                if (it.hasNext() && nowNanos - it.next().queuedNanos() > limit) {
                    reason = "too slow: an update waited unsent for " + limits.stallTimeout().toSeconds() + " s";
                }
            } finally {
                lock.unlock();
            }
        }
        if (reason != null) {
            disconnect(reason);
        }
    }

    /** Closes the client and its connection (once); the sender ends. */
    public void disconnect(String reason) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeReason = reason;
            updates.clear();
            control.clear();
            ready.signalAll();
        } finally {
            lock.unlock();
        }
        LOG.info("stream client {} disconnected: {} ({} sent, {} updates conflated)", id, reason, sent, droppedTotal);
        try {
            sink.close(reason);
        } catch (RuntimeException e) {
            LOG.debug("closing stream client {}: {}", id, e.toString());
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Why the client was disconnected, or null while it is connected. */
    public String closeReason() {
        lock.lock();
        try {
            return closeReason;
        } finally {
            lock.unlock();
        }
    }

    /** Updates replaced unsent so far (conflated). */
    public long dropped() {
        lock.lock();
        try {
            return droppedTotal;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes queued messages to the sink, control messages first, then updates oldest first, until the client is
     * disconnected or a write fails. Runs on the client's own (virtual) thread.
     */
    public void runSender() {
        while (true) {
            Outgoing next;
            lock.lock();
            try {
                while (!closed && control.isEmpty() && updates.isEmpty()) {
                    ready.await(1, TimeUnit.SECONDS);
                }
                if (closed) {
                    return;
                }
                if (!control.isEmpty()) {
                    next = control.poll();
                } else {
                    Iterator<Map.Entry<String, Pending>> it = updates.entrySet().iterator();
                    next = it.next().getValue().message();
                    it.remove();
                }
                writingSince = System.nanoTime() | 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                disconnect("server stopping");
                return;
            } finally {
                lock.unlock();
            }
            try {
                sink.send(next);
            } catch (Exception e) {
                writingSince = 0;
                disconnect("write failed: " + e.getClass().getSimpleName());
                return;
            }
            writingSince = 0;
            lock.lock();
            try {
                sent++;
                droppedSinceWrite = 0;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Starts {@link #runSender()} on a virtual thread of its own. */
    Thread startSender() {
        return Thread.ofVirtual().name("vigil-stream-sender-" + id).start(this::runSender);
    }
}
