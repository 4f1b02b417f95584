package io.vigil.server.stream;

import io.vigil.calendar.WeddingCalendar;
import io.vigil.calendar.WeddingContext;
import io.vigil.engine.query.QueryEngine;
import io.vigil.engine.query.QueryRequest;
import io.vigil.engine.query.QueryResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live-metric streams of this node. Ingest tells the hub which metrics got data ({@link #ingested}, a map lookup
 * and a flag set per subscription, nothing more); the hub's own thread recomputes the subscriptions so marked through
 * the {@link QueryEngine}, at most every {@link #MIN_INTERVAL} per subscription (every {@link #PEAK_THROTTLE} for
 * non-critical streams in peak wedding time), and offers each update to its client's conflating buffer. It also sends
 * heartbeats every {@link #HEARTBEAT} and cuts off clients that stall. See docs/streams.md.
 *
 * <p>On PostgreSQL, other nodes' flushes mark subscriptions too: {@link StreamFanOut} calls {@link #ingested} (or
 * {@link #ingestedAll}) with the metric names another node announced after writing them to the store.
 */
public final class StreamHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);
    /** Shortest time between two updates of one subscription. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    /** Shortest time between two updates of a non-critical subscription in peak wedding time. */
    public static final Duration PEAK_THROTTLE = Duration.ofSeconds(1);
    public static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /**
     * A subscription whose last update took longer than this to compute (one grouping hundreds of series over an hour)
     * is computed on the slow lane, so that it never holds up the cheap ones behind it on the hub thread.
     */
    static final Duration SLOW = Duration.ofMillis(5);

    private final QueryEngine queries;
    private final WeddingCalendar calendar;
    private final Clock clock;
    private final StreamClient.Limits limits;
    private final Map<String, Set<Subscription>> byMetric = new ConcurrentHashMap<>();
    private final Set<Subscription> all = ConcurrentHashMap.newKeySet();
    private final Set<StreamClient> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong updatesProduced = new AtomicLong();
    private volatile boolean running;
    private volatile Thread thread;
    private final java.util.concurrent.ExecutorService slowLane = java.util.concurrent.Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("vigil-stream-slow-lane").factory());

    /** One subscription of one client. */
    static final class Subscription {
        final StreamClient client;
        final String id;
        final StreamSpec spec;
        final boolean critical;
        final AtomicLong seq;
        volatile boolean dirty = true; // the first update goes out at once
        volatile long lastNanos;
        /** Whether its last computation took longer than {@link #SLOW}. */
        volatile boolean slow;
        /** Whether it waits on or runs in the slow lane now. */
        final java.util.concurrent.atomic.AtomicBoolean inSlowLane = new java.util.concurrent.atomic.AtomicBoolean();

        Subscription(StreamClient client, String id, StreamSpec spec, long lastSeq) {
            this.client = client;
            this.id = id;
            this.spec = spec;
            this.critical = spec.weddingCritical();
            this.seq = new AtomicLong(lastSeq);
        }
    }

    public StreamHub(QueryEngine queries, WeddingCalendar calendar, Clock clock, StreamClient.Limits limits) {
        this.queries = queries;
        this.calendar = calendar;
        this.clock = clock;
        this.limits = limits;
    }

    /** Starts the hub thread. */
    public StreamHub start() {
        running = true;
        thread = Thread.ofPlatform().daemon().name("vigil-stream-hub").start(this::loop);
        return this;
    }

    /** Whether {@link #ingested} would do anything now: some client subscribes. */
    public boolean wantsIngest() {
        return !all.isEmpty();
    }

    /**
     * Called after every acknowledged ingest batch with its metric names ({@code WriteBatch.metricNames()}), on the
     * ingest thread, and with the metrics another node flushed ({@link StreamFanOut}): marks the subscriptions of the batch's
     * metrics dirty and wakes the hub. Does no I/O, no query and takes no lock (a map lookup per metric of the batch
     * and a volatile flag per subscription).
     */
    public void ingested(Set<String> metrics) {
        if (all.isEmpty()) {
            return;
        }
        boolean any = false;
        for (String metric : metrics) {
            Set<Subscription> subs = byMetric.get(metric);
            if (subs != null) {
                for (Subscription s : subs) {
                    s.dirty = true;
                    any = true;
                }
            }
        }
        Thread t = thread;
        if (any && t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Like {@link #ingested} for every metric: marks every subscription dirty (another node flushed more metrics than
     * a notice lists). Does no I/O and takes no lock.
     */
    public void ingestedAll() {
        if (all.isEmpty()) {
            return;
        }
        for (Subscription s : all) {
            s.dirty = true;
        }
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** A new client writing to this sink; start its sender with {@link StreamClient#startSender()} or run it. */
    public StreamClient connect(StreamClient.Sink sink) {
        StreamClient client = new StreamClient(sink, limits);
        clients.add(client);
        return client;
    }

    /** Forgets a client and its subscriptions, disconnecting it when it is not already. */
    public void disconnect(StreamClient client, String reason) {
        clients.remove(client);
        all.removeIf(s -> {
            if (s.client == client) {
                unindex(s);
                return true;
            }
            return false;
        });
        client.disconnect(reason);
    }

    /**
     * Subscribes a client; its first update is computed at once.
     *
     * @param lastSeq the sequence number the client saw last (SSE {@code Last-Event-ID}); the next update is one more
     * @throws IllegalArgumentException when the id is in use or the client holds too many subscriptions
     */
    public void subscribe(StreamClient client, String id, StreamSpec spec, long lastSeq) {
        if (client.isActive(id)) {
            throw new IllegalArgumentException("subscription id '" + StreamSpec.shorten(id)
                    + "' is already in use on this connection; unsubscribe it first or choose another id");
        }
        if (!client.activate(id)) {
            throw new IllegalArgumentException("at most " + limits.maxSubscriptions()
                    + " subscriptions per connection; unsubscribe one first");
        }
        Subscription s = new Subscription(client, id, spec, lastSeq);
        all.add(s);
        for (String metric : spec.metrics()) {
            byMetric.computeIfAbsent(metric, k -> ConcurrentHashMap.newKeySet()).add(s);
        }
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Ends a subscription; no update of it is sent afterwards. @return false when the client had no such id */
    public boolean unsubscribe(StreamClient client, String id) {
        boolean had = client.isActive(id);
        client.deactivate(id);
        all.removeIf(s -> {
            if (s.client == client && s.id.equals(id)) {
                unindex(s);
                return true;
            }
            return false;
        });
        return had;
    }

    /** Updates computed since start (each may have been conflated before reaching its client). */
    public long updatesProduced() {
        return updatesProduced.get();
    }

    /** Clients connected now. */
    public int clientCount() {
        return clients.size();
    }

    private void unindex(Subscription s) {
        for (String metric : s.spec.metrics()) {
            byMetric.computeIfPresent(metric, (k, set) -> {
                set.remove(s);
                return set.isEmpty() ? null : set;
            });
        }
    }

    private void loop() {
        long nextHeartbeat = System.nanoTime() + HEARTBEAT.toNanos();
        while (running) {
            long now = System.nanoTime();
            long wait = Math.max(0, nextHeartbeat - now);
            try {
                WeddingContext context = null;
                Instant at = null;
                // Identical subscriptions (every dashboard watching the same chart) are computed once per round.
                Map<StreamSpec, List<Map<String, Object>>> computed = new java.util.HashMap<>();
                for (Subscription s : all) {
                    if (!s.dirty) {
                        continue;
                    }
                    if (context == null) {
                        at = clock.instant();
                        context = calendar.contextAt(at);
                    }
                    long interval = (!s.critical && context.peakTime() ? PEAK_THROTTLE : MIN_INTERVAL).toNanos();
                    long due = s.lastNanos + interval;
                    if (s.lastNanos != 0 && now < due) {
                        wait = Math.min(wait, due - now);
                        continue;
                    }
                    if (s.client.conflateIfUnsent(s.id)) {
                        // Its client has not taken the previous update yet: computing a newer one now would only
                        // replace it. It stays dirty and is computed once the client has caught up.
                        s.lastNanos = now;
                        continue;
                    }
                    if (s.slow) {
                        if (s.inSlowLane.compareAndSet(false, true)) {
                            s.dirty = false;
                            s.lastNanos = now;
                            WeddingContext c = context;
                            Instant when = at;
                            slowLane.execute(() -> {
                                try {
                                    compute(s, c, when, new java.util.HashMap<>());
                                } catch (RuntimeException e) {
                                    LOG.warn("stream subscription could not be computed: {}", e.toString());
                                } finally {
                                    s.inSlowLane.set(false);
                                }
                            });
                        }
                        continue;
                    }
                    s.dirty = false;
                    s.lastNanos = now;
                    compute(s, context, at, computed);
                }
                if (now >= nextHeartbeat) {
                    nextHeartbeat = now + HEARTBEAT.toNanos();
                    wait = HEARTBEAT.toNanos();
                    String beat = StreamMessages.heartbeat(clock.instant());
                    for (StreamClient c : clients) {
                        c.offerControl(new StreamClient.Outgoing(null, 0, beat));
                    }
                }
                for (StreamClient c : clients) {
                    c.checkStall(now);
                    if (c.isClosed()) {
                        disconnect(c, c.closeReason());
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("stream hub round failed: {}", e.toString());
                wait = Math.min(wait, Duration.ofSeconds(1).toNanos());
            }
            // Wake at least every 100 ms to check for stalled clients; ingest unparks sooner.
            LockSupport.parkNanos(Math.max(1, Math.min(wait, MIN_INTERVAL.toNanos())));
        }
    }

    private void compute(Subscription s, WeddingContext context, Instant at,
                         Map<StreamSpec, List<Map<String, Object>>> computed) {
        StreamSpec spec = s.spec;
        List<Map<String, Object>> groups = computed.get(spec);
        if (groups == null) {
            long start = System.nanoTime();
            groups = groups(s, spec, at);
            s.slow = System.nanoTime() - start > SLOW.toNanos();
            if (groups == null) {
                return;
            }
            computed.put(spec, groups);
        }
        long seq = s.seq.incrementAndGet();
        updatesProduced.incrementAndGet();
        String json = StreamMessages.update(s.id, spec, at, seq, groups, context);
        s.client.offerUpdate(new StreamClient.Outgoing(s.id, seq, json));
    }

    /** The subscription's groups now; null when they cannot be computed (the subscription is then ended or retried). */
    private List<Map<String, Object>> groups(Subscription s, StreamSpec spec, Instant at) {
        long to = at.toEpochMilli();
        long from = to - spec.window().toMillis();
        List<Map<String, Object>> groups = new ArrayList<>();
        try {
            for (String metric : spec.metrics()) {
                QueryResult r = queries.query(new QueryRequest(metric, spec.filters(), spec.stat(), from, to, 0,
                        spec.groupBy()));
                for (QueryResult.Group g : r.series()) {
                    Map<String, Object> group = new LinkedHashMap<>();
                    if (spec.metrics().size() > 1) {
                        group.put("metric", metric);
                    }
                    group.put("labels", g.labels());
                    group.put("value", Double.isFinite(g.value()) ? g.value() : null);
                    groups.add(group);
                }
            }
        } catch (IllegalArgumentException e) {
            s.client.offerControl(new StreamClient.Outgoing(null, 0, StreamMessages.error(s.id, e.getMessage())));
            unsubscribe(s.client, s.id);
            return null;
        } catch (RuntimeException e) {
            LOG.warn("stream subscription could not be computed (retried on the next ingest): {}", e.toString());
            return null;
        }
        return groups;
    }

    @Override
    public void close() {
        running = false;
        slowLane.shutdownNow();
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (StreamClient c : clients) {
            disconnect(c, "server stopping");
        }
    }
}
