package io.vigil.server.stream;

import io.vigil.engine.FlushListener;
import io.vigil.store.EventChannel;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live streams across the nodes of a PostgreSQL database. After this node's flush wrote data to the store, it
 * publishes the flushed metric names on the {@link EventChannel} ({@link FlushNotice}); when another node's notice
 * arrives, the local {@link StreamHub} treats those metrics as freshly ingested (after learning the series that node
 * created, when it did). So a stream on node B shows what node A ingested about A's flush interval later, plus the
 * notification's delay. Not used on the embedded store (one node).
 *
 * <p>Nothing here waits on the caller's thread: the flush listener and the channel's receiver only merge names into
 * a pending set (a compare-and-set) and wake one of this fan-out's two threads, one publishing (which may wait on
 * the database) and one marking subscriptions (which may first refresh the series from the store). Delivery is best
 * effort, like the channel's: a notice lost to a failed publish or a reconnecting listener delays another node's
 * update to the next notice about that metric or to the next local ingest. Thread-safe.
 */
public final class StreamFanOut implements FlushListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamFanOut.class);
    /** The channel the notices travel on. */
    public static final String CHANNEL = "vigil_flushed";
    /** Most metric names waiting in one direction; beyond, they are merged into "all metrics". */
    static final int MAX_PENDING = 10_000;
    private static final Duration LOG_EVERY = Duration.ofMinutes(1);

    /** Metric names waiting to be published or marked; immutable, swapped whole. */
    record Pending(Set<String> metrics, boolean all, boolean newSeries) {
        static final Pending NONE = new Pending(Set.of(), false, false);

        boolean isEmpty() {
            return !all && metrics.isEmpty();
        }

        Pending plus(Set<String> more, boolean moreAll, boolean moreNewSeries) {
            boolean nowNew = newSeries || moreNewSeries;
            if (all || moreAll || metrics.size() + more.size() > MAX_PENDING) {
                return new Pending(Set.of(), true, nowNew);
            }
            Set<String> merged = new HashSet<>(metrics);
            merged.addAll(more);
            return new Pending(merged, false, nowNew);
        }
    }

    private final EventChannel channel;
    private final String nodeId;
    private final StreamHub hub;
    private final Runnable refreshSeries;
    private final AtomicReference<Pending> outgoing = new AtomicReference<>(Pending.NONE);
    private final AtomicReference<Pending> incoming = new AtomicReference<>(Pending.NONE);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private volatile boolean running = true;
    private final Thread publisher;
    private final Thread marker;
    private long lastPublishFailureLog;
    private long lastRefreshFailureLog;

    private StreamFanOut(EventChannel channel, String nodeId, StreamHub hub, Runnable refreshSeries) {
        this.channel = channel;
        this.nodeId = nodeId;
        this.hub = hub;
        this.refreshSeries = refreshSeries;
        this.publisher = Thread.ofPlatform().daemon().name("vigil-stream-fanout-publish").unstarted(this::publishLoop);
        this.marker = Thread.ofPlatform().daemon().name("vigil-stream-fanout-receive").unstarted(this::markLoop);
    }

    /**
     * Starts the fan-out over an open channel, which it closes when closed. Register it as the engine's
     * {@link io.vigil.engine.StorageEngine#onFlushed flush listener}.
     *
     * @param nodeId this node's id: notices carrying it are this node's own and ignored
     * @param refreshSeries learns the series other nodes created ({@code StorageEngine::refreshSeries}); may do I/O
     */
    public static StreamFanOut start(EventChannel channel, String nodeId, StreamHub hub, Runnable refreshSeries) {
        StreamFanOut f = new StreamFanOut(channel, nodeId, hub, refreshSeries);
        f.publisher.start();
        f.marker.start();
        channel.subscribe(f::received);
        return f;
    }

    /** On the flush thread: queues the flushed metric names for the publisher thread and returns. */
    @Override
    public void flushed(Set<String> metrics, boolean newSeries) {
        outgoing.getAndUpdate(p -> p.plus(metrics, false, newSeries));
        LockSupport.unpark(publisher);
    }

    /** On the channel's thread: queues another node's notice for the marking thread and returns. */
    void received(String payload) {
        if (!hub.wantsIngest()) {
            return; // no subscription here: nothing to recompute (the next flush learns the series anyway)
        }
        FlushNotice n = FlushNotice.decode(payload);
        if (n == null || n.node().equals(nodeId)) {
            return;
        }
        received.incrementAndGet();
        incoming.getAndUpdate(p -> p.plus(n.metrics(), n.all(), n.newSeries()));
        LockSupport.unpark(marker);
    }

    private void publishLoop() {
        while (true) {
            Pending p = outgoing.getAndSet(Pending.NONE);
            if (p.isEmpty()) {
                if (!running) {
                    return;
                }
                LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                continue;
            }
            List<String> messages = FlushNotice.encode(nodeId, p.metrics(), p.all(), p.newSeries());
            try {
                for (String m : messages) {
                    publishOrRetryOnce(m);
                    published.incrementAndGet();
                }
            } catch (RuntimeException e) {
                long now = System.nanoTime();
                if (lastPublishFailureLog == 0 || now - lastPublishFailureLog >= LOG_EVERY.toNanos()) {
                    lastPublishFailureLog = now;
                    LOG.warn("telling the other nodes which metrics this node flushed failed (their live streams"
                            + " update at their next notice or ingest): {}", e.toString());
                }
            }
        }
    }

    /**
     * Publishes, and once more on failure: the channel replaces a connection that broke (after a database restart
     * the first publish finds its connection dead), so the second try usually gets through.
     */
    private void publishOrRetryOnce(String message) {
        try {
            channel.publish(message);
        } catch (RuntimeException first) {
            channel.publish(message);
        }
    }

    private void markLoop() {
        while (running) {
            Pending p = incoming.getAndSet(Pending.NONE);
            if (p.isEmpty()) {
                LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                continue;
            }
            if (p.newSeries()) {
                try {
                    refreshSeries.run();
                } catch (RuntimeException e) {
                    long now = System.nanoTime();
                    if (lastRefreshFailureLog == 0 || now - lastRefreshFailureLog >= LOG_EVERY.toNanos()) {
                        lastRefreshFailureLog = now;
                        LOG.warn("learning the series other nodes created failed (retried at the next flush): {}",
                                e.toString());
                    }
                }
            }
            if (p.all()) {
                hub.ingestedAll();
            } else {
                hub.ingested(p.metrics());
            }
        }
    }

    /** Messages published since start. */
    public long published() {
        return published.get();
    }

    /** Other nodes' notices received since start (while this node had subscriptions). */
    public long received() {
        return received.get();
    }

    /** Publishes what is still pending (the engine's final flush), then stops and closes the channel. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(publisher);
        LockSupport.unpark(marker);
        try {
            publisher.join(5_000);
            marker.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.close();
    }
}
