package io.vigil.engine;

import io.vigil.core.Distribution;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.core.WriteBatch;
import io.vigil.engine.wal.SampleRecord;
import io.vigil.engine.wal.WriteAheadLog;
import io.vigil.store.CheckResult;
import io.vigil.store.Lease;
import io.vigil.store.MetricStore;
import io.vigil.store.Rollup;
import io.vigil.store.RollupVisitor;
import io.vigil.store.SeriesChanges;
import io.vigil.store.SeriesRecord;
import io.vigil.store.StorageException;
import io.vigil.store.Tier;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write and read path in front of a {@link MetricStore}: resolves series under the cardinality limit, makes each
 * write durable in the {@link WriteAheadLog} (group commit) before acknowledging it, aggregates it into the in-memory
 * head, and commits the head to the store every flush interval together with the WAL position it covers. On open,
 * the WAL after the store's checkpoint is replayed, so nothing acknowledged is lost by a crash.
 *
 * <p>Queries read store rows, the rollups being committed (unless the snapshot read already holds their commit), and
 * the head under one read lock, so each sample is seen exactly once; a flush takes that lock exclusively only to cut
 * the head and to retire a committed batch, never while the store commits. Thread-safe.
 */
public final class StorageEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorageEngine.class);

    private final MetricStore store;
    private final EngineConfig config;
    private final Clock clock;
    private final SeriesRegistry registry;
    private final WriteAheadLog wal;
    /** Writers hold it shared across WAL append + head apply; a flush holds it exclusively to cut the head. */
    private final ReentrantReadWriteLock appendLock = new ReentrantReadWriteLock();
    /** Queries hold it shared; a flush holds it exclusively while rollups move from memory into the store. */
    private final ReentrantReadWriteLock viewLock = new ReentrantReadWriteLock();
    private final Object flushMonitor = new Object();
    /** Rollups drained from the head and being committed, with the checkpoint their commit will record. */
    private record Flushing(List<Rollup> rollups, long checkpoint) {}

    private static final Flushing NOT_FLUSHING = new Flushing(List.of(), Long.MAX_VALUE);
    /** How often a failed flush is retried, and how often the maintenance lease is confirmed. */
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);
    static final Duration LEASE_INTERVAL = Duration.ofSeconds(5);
    static final Duration MAINTENANCE_INTERVAL = Duration.ofSeconds(60);
    private volatile Flushing flushing = NOT_FLUSHING;
    /** A commit that failed without telling whether it took effect; resolved at the next flush. Guarded by flushMonitor. */
    private boolean commitInDoubt;
    private List<Series> inDoubtNewSeries = List.of();
    /** Where {@link MetricStore#seriesAfter} continues; guarded by flushMonitor. */
    private long seriesCursor;
    /** When the store last failed a flush (epoch ms), 0 while it is healthy. */
    private volatile long storeFailingSince;
    private volatile String storeFailure;
    private final ScheduledExecutorService scheduler;
    private volatile boolean closed;
    private volatile Lease maintenanceLease = Lease.local("maintenance");
    private volatile boolean maintenanceLeaseHeld;
    private volatile FlushListener flushListener;

    private StorageEngine(MetricStore store, EngineConfig config, Clock clock, Path walDir, boolean background) {
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.registry = new SeriesRegistry(config.seriesLimitPerMetric());
        SeriesChanges known = store.seriesAfter(0);
        for (SeriesRecord r : known.series()) {
            registry.restore(r.key(), r.kind(), true);
        }
        this.seriesCursor = known.cursor();
        long checkpoint = store.checkpoint();
        long[] replayed = new long[2];
        this.wal = WriteAheadLog.open(walDir, config.walSegmentBytes(), checkpoint, (seq, payload) -> {
            replay(payload);
            replayed[0]++;
        });
        if (replayed[0] > 0) {
            LOG.info("replayed {} write-ahead log records after checkpoint {}", replayed[0], checkpoint);
        }
        if (background) {
            // Two threads, so a long downsampling run never delays a flush.
            scheduler = Executors.newScheduledThreadPool(2,
                    Thread.ofPlatform().name("vigil-storage-", 0).daemon(true).factory());
            long tickMs = Math.min(RETRY_INTERVAL.toMillis(), config.flushInterval().toMillis());
            scheduler.scheduleWithFixedDelay(new FlushTicker(), tickMs, tickMs, TimeUnit.MILLISECONDS);
            scheduler.scheduleWithFixedDelay(new MaintenanceTicker(), 0, LEASE_INTERVAL.toMillis(),
                    TimeUnit.MILLISECONDS);
        } else {
            scheduler = null;
        }
    }

    /**
     * Opens the engine over a store, replaying the WAL in {@code walDir}, with background flush and maintenance.
     *
     * @throws java.io.UncheckedIOException if the WAL directory cannot be used
     * @throws io.vigil.store.StorageException if the store fails
     */
    public static StorageEngine open(MetricStore store, Path walDir, EngineConfig config, Clock clock) {
        return new StorageEngine(store, config, clock, walDir, true);
    }

    /** Like {@link #open} but without background threads: flush and maintenance run only when called (tests, tools). */
    public static StorageEngine openManual(MetricStore store, Path walDir, EngineConfig config, Clock clock) {
        return new StorageEngine(store, config, clock, walDir, false);
    }

    private void replay(byte[] payload) {
        SampleRecord.read(payload, new SampleRecord.Visitor() {
            @Override
            public void define(long seriesId, MetricKind kind, SeriesKey key) {
                Series s = registry.restore(key, kind, false);
                s.definedAt = 1;
            }

            @Override
            public void sample(long seriesId, long ts, double value) {
                known(seriesId).add(ts, value);
            }

            @Override
            public void distribution(long seriesId, long ts, Distribution d) {
                known(seriesId).add(ts, d);
            }

            private Series known(long seriesId) {
                Series s = registry.byId(seriesId);
                if (s == null) {
                    throw new IllegalStateException("WAL references unknown series " + seriesId);
                }
                return s;
            }
        });
    }

    /**
     * Stores a decoded batch: every accepted sample is durable when this returns.
     *
     * @throws java.io.UncheckedIOException if the WAL cannot write or fsync; nothing of the batch may be acknowledged
     */
    public IngestResult write(WriteBatch batch) {
        if (closed) {
            throw new IllegalStateException("storage engine is closed");
        }
        if (storeFailingSince != 0) {
            throw new StorageException("the store has been failing since " + java.time.Instant.ofEpochMilli(
                    storeFailingSince) + "; writes resume by themselves once a flush succeeds", null, true);
        }
        List<String> errors = new ArrayList<>(batch.errors());
        long limitRejected = 0;
        int n = batch.seriesCount();
        Series[] resolved = new Series[n];
        SampleRecord.Writer record = new SampleRecord.Writer(batch.sampleCount() * 17 + n * 12 + 64);
        long durableNow = wal.durableSequence();
        long accepted = 0;
        boolean[] defines = new boolean[n];
        for (int i = 0; i < n; i++) {
            int from = batch.firstSample(i);
            int to = batch.endSample(i);
            if (from == to) {
                continue;
            }
            SeriesKey key = batch.key(i);
            Series s = registry.resolve(key, batch.kind(i), batch.handle(i));
            if (s == null) {
                limitRejected += to - from;
                String msg = "metric '" + key.metric() + "' reached its limit of " + registry.limitPerMetric()
                        + " series; samples of new series are rejected, existing series keep flowing";
                if (errors.size() < WriteBatch.MAX_ERRORS && !errors.contains(msg)) {
                    errors.add(msg);
                }
                continue;
            }
            resolved[i] = s;
            long definedAt = s.definedAt;
            if (!s.persisted && (definedAt == 0 || definedAt > durableNow)) {
                record.define(s.id, s.kind, s.key);
                defines[i] = true;
            }
            int scalars = 0;
            for (int j = from; j < to; j++) {
                if (batch.distribution(j) == null) {
                    scalars++;
                }
            }
            if (scalars > 0) {
                record.samples(s.id, scalars);
                for (int j = from; j < to; j++) {
                    if (batch.distribution(j) == null) {
                        record.sample(batch.timestamp(j), batch.value(j));
                    }
                }
            }
            for (int j = from; j < to; j++) {
                Distribution d = batch.distribution(j);
                if (d != null) {
                    record.distribution(s.id, batch.timestamp(j), d);
                }
            }
            accepted += to - from;
        }
        long rejected = batch.rejected() + limitRejected;
        if (accepted == 0) {
            return new IngestResult(0, rejected, errors, limitRejected);
        }
        long sequence;
        appendLock.readLock().lock();
        try {
            sequence = wal.append(record.array(), record.length());
            for (int i = 0; i < n; i++) {
                Series s = resolved[i];
                if (s == null) {
                    continue;
                }
                if (defines[i] && s.definedAt == 0) {
                    s.definedAt = sequence;
                }
                for (int j = batch.firstSample(i), to = batch.endSample(i); j < to; j++) {
                    Distribution d = batch.distribution(j);
                    if (d == null) {
                        s.add(batch.timestamp(j), batch.value(j));
                    } else {
                        s.add(batch.timestamp(j), d);
                    }
                }
            }
        } finally {
            appendLock.readLock().unlock();
        }
        wal.awaitDurable(sequence);
        return new IngestResult(accepted, rejected, errors, limitRejected);
    }

    /**
     * Commits the head to the store with the WAL position it covers, drops the WAL segments it made redundant, and
     * learns the series other nodes committed. When the store fails, the WAL keeps the data and the rollups stay
     * visible to queries; the next flush first asks the store whether the failed commit took effect (a broken
     * connection leaves that unknown), then commits what is still missing, so nothing is lost or counted twice.
     *
     * @throws io.vigil.store.StorageException if the store failed
     */
    public void flush() {
        synchronized (flushMonitor) {
            try {
                resolveCommitInDoubt();
                commitHead();
                learnSeries();
            } catch (RuntimeException e) {
                if (storeFailingSince == 0) {
                    storeFailingSince = Math.max(1, clock.millis());
                }
                storeFailure = e.toString();
                throw e;
            }
            if (storeFailingSince != 0) {
                LOG.info("the store is reachable again after failing since {}; writes resume",
                        java.time.Instant.ofEpochMilli(storeFailingSince));
                storeFailingSince = 0;
                storeFailure = null;
            }
        }
    }

    /** Settles a commit that failed earlier: done if the store's checkpoint reached it, else its rollups go back. */
    private void resolveCommitInDoubt() {
        if (!commitInDoubt) {
            return;
        }
        Flushing f = flushing;
        if (store.checkpoint() >= f.checkpoint()) {
            LOG.info("the commit up to WAL position {} that failed took effect after all", f.checkpoint());
            committed(f, inDoubtNewSeries);
        } else {
            viewLock.writeLock().lock();
            try {
                for (Rollup r : f.rollups()) {
                    registry.byId(r.seriesId()).putBack(r);
                }
                flushing = NOT_FLUSHING;
            } finally {
                viewLock.writeLock().unlock();
            }
        }
        commitInDoubt = false;
        inDoubtNewSeries = List.of();
    }

    private void commitHead() {
        List<Rollup> drained = new ArrayList<>();
        List<SeriesRecord> newSeries = new ArrayList<>();
        List<Series> newSeriesHandles = new ArrayList<>();
        Flushing f;
        viewLock.writeLock().lock();
        try {
            appendLock.writeLock().lock();
            try {
                long checkpoint = wal.roll();
                for (Series s : registry.all()) {
                    if (!s.persisted) {
                        newSeries.add(new SeriesRecord(s.key, s.kind));
                        newSeriesHandles.add(s);
                    }
                    s.drainTo(drained);
                }
                f = new Flushing(drained, checkpoint);
                flushing = f;
            } finally {
                appendLock.writeLock().unlock();
            }
        } finally {
            viewLock.writeLock().unlock();
        }
        // No lock while the store commits: a query tells from the checkpoint of the snapshot it read whether
        // these rollups are already in it (see read).
        try {
            store.commit(newSeries, drained, f.checkpoint());
        } catch (RuntimeException e) {
            commitInDoubt = true;
            inDoubtNewSeries = newSeriesHandles;
            throw e;
        }
        committed(f, newSeriesHandles);
    }

    private void committed(Flushing f, List<Series> newSeries) {
        for (Series s : newSeries) {
            s.persisted = true;
        }
        viewLock.writeLock().lock();
        try {
            flushing = NOT_FLUSHING;
            // The store has encoded or merged them and keeps no reference; queries copied what they read
            // under the view lock, which no query holds now.
            for (Rollup r : f.rollups()) {
                registry.byId(r.seriesId()).recycle(r.aggregate());
            }
        } finally {
            viewLock.writeLock().unlock();
        }
        wal.deleteBefore(f.checkpoint());
        tellListener(f.rollups(), newSeries);
    }

    /**
     * Sets the listener told after each flush that wrote to the store (replacing any earlier one; null for none).
     * Without one, a flush does no work for it at all.
     */
    public void onFlushed(FlushListener listener) {
        this.flushListener = listener;
    }

    /** Tells the listener the metric names of a commit; on the flush thread, outside the engine's locks. */
    private void tellListener(List<Rollup> rollups, List<Series> newSeries) {
        FlushListener listener = flushListener;
        if (listener == null || (rollups.isEmpty() && newSeries.isEmpty())) {
            return;
        }
        java.util.Set<String> metrics = new java.util.HashSet<>();
        String last = null;
        for (Rollup r : rollups) {
            Series s = registry.byId(r.seriesId());
            // Metric names are interned: the identity check skips the hash lookup for runs of one metric.
            if (s != null && s.key.metric() != last) {
                last = s.key.metric();
                metrics.add(last);
            }
        }
        for (Series s : newSeries) {
            metrics.add(s.key.metric());
        }
        try {
            listener.flushed(java.util.Collections.unmodifiableSet(metrics), !newSeries.isEmpty());
        } catch (RuntimeException e) {
            LOG.warn("flush listener failed: {}", e.toString());
        }
    }

    /**
     * Learns the series that other nodes sharing the store committed since the last flush or refresh, so that this
     * node's queries find them before its own next flush (which does the same). Does store I/O and waits while a
     * flush runs; call it off the ingest path. Nothing to do on a store with one node.
     *
     * @throws io.vigil.store.StorageException if the store fails
     */
    public void refreshSeries() {
        synchronized (flushMonitor) {
            if (!closed) {
                learnSeries();
            }
        }
    }

    /** Registers the series that other nodes sharing the store committed since the last call. */
    private void learnSeries() {
        SeriesChanges changes = store.seriesAfter(seriesCursor);
        for (SeriesRecord r : changes.series()) {
            registry.restore(r.key(), r.kind(), true);
        }
        seriesCursor = changes.cursor();
    }

    /**
     * Null while the store accepts flushes; otherwise why not. While it fails, {@link #write} refuses new data
     * (so the head cannot grow without bound) and the flush is retried every second.
     */
    public String storeFailure() {
        return storeFailingSince == 0 ? null : storeFailure;
    }

    private long lastFailureLog;

    /** Flushes; a failure is logged when the store starts failing and then once a minute, not at every retry. */
    private void flushQuietly() {
        boolean wasFailing = storeFailingSince != 0;
        try {
            flush();
        } catch (RuntimeException e) {
            long now = System.nanoTime();
            if (!wasFailing || now - lastFailureLog >= Duration.ofMinutes(1).toNanos()) {
                lastFailureLog = now;
                LOG.error("flush to the store failed; writes are refused (503) until a retry succeeds, and the"
                        + " acknowledged data stays in the WAL: {}", e.toString());
            }
        }
    }

    /** Runs the flush every flush interval, and every second while the store is failing. */
    private final class FlushTicker implements Runnable {
        private long lastFlush = System.nanoTime();

        @Override
        public void run() {
            long now = System.nanoTime();
            if (storeFailingSince != 0 || now - lastFlush >= config.flushInterval().toNanos()) {
                lastFlush = now;
                flushQuietly();
            }
        }
    }

    /** Confirms the maintenance lease every 5 s and runs maintenance every minute while it is held. */
    private final class MaintenanceTicker implements Runnable {
        /** The first run comes 30 s after start, as a node that just started is busy replaying and flushing. */
        private long lastRun = System.nanoTime() - MAINTENANCE_INTERVAL.toNanos() + Duration.ofSeconds(30).toNanos();

        @Override
        public void run() {
            boolean held;
            try {
                held = maintenanceLease.tryAcquire();
            } catch (RuntimeException e) {
                LOG.warn("maintenance lease check failed: {}", e.toString());
                held = false;
            }
            maintenanceLeaseHeld = held;
            long now = System.nanoTime();
            if (held && now - lastRun >= MAINTENANCE_INTERVAL.toNanos()) {
                lastRun = now;
                maintainQuietly();
            }
        }
    }

    /**
     * Makes downsampling and retention a singleton job: {@link #maintain()} runs only while this node holds the
     * lease (with several nodes on one database). The default is {@link io.vigil.store.Lease#local}, always held.
     */
    public void maintenanceLease(Lease lease) {
        this.maintenanceLease = java.util.Objects.requireNonNull(lease, "lease");
        this.maintenanceLeaseHeld = false;
    }

    /** Whether this node held the maintenance lease at its last check (every 5 s). */
    public boolean holdsMaintenanceLease() {
        return maintenanceLeaseHeld;
    }

    /**
     * Downsamples closed buckets into the coarser tiers and applies retention per tier, if this node holds the
     * maintenance lease; returns whether it ran.
     */
    public boolean maintain() {
        if (!maintenanceLease.tryAcquire()) {
            maintenanceLeaseHeld = false;
            return false;
        }
        maintenanceLeaseHeld = true;
        long now = clock.millis();
        long lag = config.downsampleLag().toMillis();
        store.downsample(Tier.TEN_SECONDS, now - lag);
        store.downsample(Tier.ONE_MINUTE, now - lag);
        store.deleteBefore(Tier.TEN_SECONDS, now - config.retentionTenSeconds().toMillis());
        store.deleteBefore(Tier.ONE_MINUTE, now - config.retentionOneMinute().toMillis());
        store.deleteBefore(Tier.ONE_HOUR, now - config.retentionOneHour().toMillis());
        return true;
    }

    private void maintainQuietly() {
        try {
            maintain();
        } catch (RuntimeException e) {
            LOG.error("downsampling or retention failed, will retry: {}", e.toString());
        }
    }

    /**
     * Reads every rollup of the given series in [from, to) of a tier: stored rows first, then rollups being
     * committed, then (for the 10-second tier) the head. Each sample is seen exactly once, and each aggregate given to
     * the visitor is its own (decoded for it or copied), so the visitor may keep and change it.
     */
    public void read(Tier tier, long[] seriesIds, long from, long to, RollupVisitor visitor) {
        read(tier, seriesIds, from, to, true, visitor);
    }

    /**
     * Like {@link #read(Tier, long[], long, long, RollupVisitor)}; without {@code distributions} the stored rollups
     * come without sketches (see {@link MetricStore#read(Tier, long[], long, long, boolean, RollupVisitor)}) and those
     * still in memory with theirs, which the caller must then not read.
     */
    public void read(Tier tier, long[] seriesIds, long from, long to, boolean distributions, RollupVisitor visitor) {
        viewLock.readLock().lock();
        try {
            long seen = store.read(tier, seriesIds, from, to, distributions, visitor);
            if (tier != Tier.TEN_SECONDS) {
                return;
            }
            Flushing f = flushing;
            if (seen < f.checkpoint()) { // the commit of these rollups is not in the snapshot just read
                java.util.Set<Long> wanted = new java.util.HashSet<>(seriesIds.length * 2);
                for (long id : seriesIds) {
                    wanted.add(id);
                }
                for (Rollup r : f.rollups()) {
                    if (r.bucketStart() >= from && r.bucketStart() < to && wanted.contains(r.seriesId())) {
                        visitor.visit(r.seriesId(), r.bucketStart(), r.aggregate().copy());
                    }
                }
            }
            List<Rollup> head = new ArrayList<>();
            for (long id : seriesIds) {
                Series s = registry.byId(id);
                if (s != null) {
                    s.copyHead(from, to, head);
                }
            }
            for (Rollup r : head) {
                visitor.visit(r.seriesId(), r.bucketStart(), r.aggregate());
            }
        } finally {
            viewLock.readLock().unlock();
        }
    }

    public SeriesRegistry registry() {
        return registry;
    }

    public EngineConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    /** Health of the store and the WAL, for {@code /readyz}. */
    public CheckResult check() {
        if (closed) {
            return CheckResult.failed("storage engine is closed");
        }
        return store.check();
    }

    /**
     * Releases files as a crash would leave them: no flush, the head is dropped. Only for recovery tests in this
     * process; a real crash needs no call.
     */
    void abandonForTests() {
        closed = true;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        wal.close();
        store.close();
    }

    /** Stops background work, commits the head, closes the WAL and the store. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                scheduler.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.error("final flush failed; the WAL keeps the data for the next start: {}", e.toString());
        }
        maintenanceLease.close();
        wal.close();
        store.close();
    }
}
