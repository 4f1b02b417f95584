package io.vigil.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.core.Aggregate;
import io.vigil.core.MetricKind;
import io.vigil.store.CanonicalLabels;
import io.vigil.store.CheckResult;
import io.vigil.store.MetricStore;
import io.vigil.store.NodeId;
import io.vigil.store.Rollup;
import io.vigil.store.RollupVisitor;
import io.vigil.store.Rollups;
import io.vigil.store.SeriesChanges;
import io.vigil.store.SeriesRecord;
import io.vigil.store.StateStore;
import io.vigil.store.StorageException;
import io.vigil.store.Tier;
import io.vigil.store.WeddingStore;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL {@link MetricStore}, for several Vigil nodes sharing one database. It passes the same contract
 * suite as the embedded SQLite store, with the same answers: the same canonical label encoding, the same
 * insert-then-merge commit (stored aggregate first), the same downsample watermarks.
 *
 * <h2>Schema</h2>
 * Created and upgraded by Flyway from {@code classpath:db/migration/postgres}:
 * {@code series(id, metric, labels, kind)}, one table per tier {@code rollup_10s/rollup_1m/rollup_1h(series_id,
 * bucket_start, data)} with primary key {@code (series_id, bucket_start)} and an index on {@code bucket_start}, and
 * {@code meta(key, value)} holding each node's WAL checkpoint {@code checkpoint.<node>} and the per-tier watermarks
 * {@code downsampled.<TIER>}. Each series row records the inserting transaction ({@code tx xid8}) for
 * {@link #seriesAfter}. Migration 4 adds {@code weddings} and {@code wedding_events} for {@link #weddings()};
 * migration 5 adds {@code documents}, {@code history} and {@code outbox} for {@link #state()}.
 *
 * <h2>Transactions and concurrency</h2>
 * Writes run in READ COMMITTED transactions. {@link #commit} first locks this node's {@code checkpoint.<node>} row
 * of {@code meta} ({@code SELECT ... FOR UPDATE}), so one node's commits are serialized while different nodes commit
 * concurrently; {@link #downsample} likewise locks the watermark row of its source tier. Rollups are written in
 * primary-key order, so concurrent commits wait for each other's rows rather than deadlock; when two nodes insert the
 * same new row, the loser's transaction rolls back on the unique violation and is run again (as is one chosen as a
 * deadlock victim), and then merges into the winner's row.
 * Rows that already exist are found with one {@code SELECT ... FOR UPDATE} per slice of keys (the JDBC batch is
 * sent with {@code reWriteBatchedInserts=true}, so per-row update counts cannot tell conflicts apart), merged in Java
 * and updated; the others are inserted. Reads run in a REPEATABLE READ, read-only transaction: the checkpoint and
 * every chunk come from one snapshot.
 *
 * <h2>Errors</h2>
 * Every {@link SQLException} becomes a {@link StorageException} naming the operation and the (redacted) URL, never
 * the password; it is retryable for SQLState classes 08 (connection), 40 (serialization failure, deadlock) and 57P
 * (server shutdown), and for the driver's transient or recoverable exceptions. Calls on a closed store throw
 * {@link IllegalStateException}, except {@link #check()} and {@link #close()}.
 */
public final class PostgresMetricStore implements MetricStore {
    /** Flyway location of the migrations. */
    public static final String MIGRATIONS = "classpath:db/migration/postgres";
    /** Prefix of each node's checkpoint key in {@code meta}: {@code checkpoint.<node id>}. */
    static final String CHECKPOINT_PREFIX = "checkpoint.";
    /** Rows per JDBC batch and keys per lookup query; bounds the memory one statement holds. */
    static final int BATCH = 5_000;
    /** Rows fetched per round trip when reading. */
    static final int FETCH_SIZE = 2_000;

    private static final Logger log = LoggerFactory.getLogger(PostgresMetricStore.class);

    private final PostgresSettings settings;
    private final String nodeId;
    private final String checkpointKey;
    private final String where;
    private final HikariDataSource pool;
    private final PostgresWeddingStore weddings;
    private final PostgresStateStore state;
    private volatile boolean closed;

    private PostgresMetricStore(PostgresSettings settings, String nodeId, HikariDataSource pool) {
        this.settings = settings;
        this.nodeId = nodeId;
        this.checkpointKey = CHECKPOINT_PREFIX + nodeId;
        this.where = "postgres store " + settings.redactedUrl();
        this.pool = pool;
        this.weddings = new PostgresWeddingStore(this);
        this.state = new PostgresStateStore(this);
    }

    /** The store's connection pool, for components sharing the database (work claims, leases). */
    public javax.sql.DataSource dataSource() {
        return pool;
    }

    /**
     * Opens a pool on the database for one node and migrates its schema to the newest version.
     *
     * @param nodeId the node's id (see {@link NodeId}); it names this node's WAL checkpoint
     * @throws StorageException if the database cannot be reached or migrated; the message never holds the password
     */
    public static PostgresMetricStore open(PostgresSettings settings, String nodeId) {
        Objects.requireNonNull(settings, "settings");
        NodeId.check(nodeId);
        String where = "postgres store " + settings.redactedUrl();
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("vigil-postgres");
        cfg.setJdbcUrl(settings.jdbcUrl());
        cfg.setUsername(settings.user());
        if (settings.password() != null && !settings.password().isEmpty()) {
            cfg.setPassword(settings.password());
        }
        cfg.setMaximumPoolSize(settings.maxPoolSize());
        cfg.setMinimumIdle(Math.min(2, settings.maxPoolSize()));
        cfg.setAutoCommit(false);
        cfg.setConnectionTimeout(10_000);
        cfg.setInitializationFailTimeout(1);
        cfg.addDataSourceProperty("reWriteBatchedInserts", "true");
        cfg.addDataSourceProperty("ApplicationName", "vigil");
        // Keeps row values (label values) of constraint violations out of exception messages and so out of logs.
        cfg.addDataSourceProperty("logServerErrorDetail", "false");
        HikariDataSource pool = null;
        try {
            pool = new HikariDataSource(cfg);
            Flyway.configure()
                    .dataSource(pool)
                    .locations(MIGRATIONS)
                    .load()
                    .migrate();
            log.info("Opened {} (pool of up to {} connections)", where, settings.maxPoolSize());
            return new PostgresMetricStore(settings, nodeId, pool);
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            SQLException sql = findSql(e);
            String detail = Redaction.scrub(e.getMessage(), settings.password());
            if (sql != null && sql != e.getCause() && sql.getMessage() != null
                    && (detail == null || !detail.contains(sql.getMessage()))) {
                detail = detail + ": " + Redaction.scrub(sql.getMessage(), settings.password());
            }
            throw new StorageException("cannot open the " + where + " as user " + settings.user() + ": " + detail,
                    e, sql != null && retryable(sql));
        }
    }

    private static SQLException findSql(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** The id of the node this store instance commits for. */
    public String nodeId() {
        return nodeId;
    }

    /** The settings this store was opened with. */
    public PostgresSettings settings() {
        return settings;
    }

    /** The wedding calendar and events, in this store's database and through its pool; usable while it is open. */
    public WeddingStore weddings() {
        return weddings;
    }

    /**
     * The alerting state (documents, history, outbox), in this store's database and through its pool, shared by
     * every node on it; usable while this store is open.
     */
    public StateStore state() {
        return state;
    }

    /** "postgres store" and the redacted URL, for messages. */
    String where() {
        return where;
    }

    // --- series -----------------------------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>The cursor is a transaction id ({@code xid8}): each series row records the transaction that inserted it.
     * One call returns the rows of transactions in {@code [cursor, xmin)}, where {@code xmin} is the oldest
     * transaction still running when the call's snapshot was taken, and returns {@code xmin} as the next cursor.
     * Every transaction below {@code xmin} has ended, so no row can appear there later; a long transaction anywhere
     * in the cluster only delays what is returned.
     */
    @Override
    public SeriesChanges seriesAfter(long cursor) {
        return inSnapshot("loading series", c -> {
            List<SeriesRecord> out = new ArrayList<>();
            int mismatched = 0;
            long next;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    next = Math.max(cursor, rs.getLong(1));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id, metric, labels, kind FROM series"
                    + " WHERE tx >= ?::text::xid8 AND tx < ?::text::xid8")) {
                ps.setString(1, Long.toString(cursor));
                ps.setString(2, Long.toString(next));
                ps.setFetchSize(FETCH_SIZE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        SeriesRecord s = SeriesRecord.decode(id, rs.getString(2), rs.getString(3), rs.getInt(4), where);
                        if (s.id() != id) {
                            mismatched++;
                        }
                        out.add(s);
                    }
                }
            }
            if (mismatched > 0) {
                log.warn("{} series in {} are stored under an id that differs from SeriesKey.id()", mismatched, where);
            }
            return new SeriesChanges(out, next);
        });
    }

    // --- commit -----------------------------------------------------------------------------------------------------

    @Override
    public void commit(Collection<SeriesRecord> series, Collection<Rollup> rollups, long checkpoint) {
        Rollups.checkCommit(series, rollups);
        inWriteRetrying("commit of " + series.size() + " series and " + rollups.size() + " rollups", c -> {
            long stored = lockMeta(c, checkpointKey, 0L);
            if (checkpoint < stored) {
                throw new IllegalArgumentException("checkpoint was " + checkpoint
                        + " but it must be at least the stored checkpoint " + stored + " (checkpoints never decrease)");
            }
            insertSeries(c, series);
            upsertMerge(c, Tier.TEN_SECONDS, rollups);
            writeMeta(c, checkpointKey, checkpoint);
            return null;
        });
    }

    private static void insertSeries(Connection c, Collection<SeriesRecord> series) throws SQLException {
        if (series.isEmpty()) {
            return;
        }
        // Key order, so that nodes inserting overlapping series lock index entries in the same order;
        // the sort is stable, so the first definition of an id in the call still wins.
        List<SeriesRecord> sorted = new ArrayList<>(series);
        sorted.sort(Comparator.comparingLong(SeriesRecord::id));
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO series (id, metric, labels, kind)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
            int n = 0;
            for (SeriesRecord s : sorted) {
                ins.setLong(1, s.id());
                ins.setString(2, s.key().metric());
                ins.setString(3, CanonicalLabels.encode(s.key().labels()));
                ins.setShort(4, (short) s.kind().code());
                ins.addBatch();
                if (++n % BATCH == 0) {
                    ins.executeBatch();
                }
            }
            if (n % BATCH != 0) {
                ins.executeBatch();
            }
        }
    }

    private record BucketKey(long seriesId, long bucketStart) {}

    /**
     * Merges rollups into a tier: per slice of up to {@link #BATCH} distinct keys (in key order), the stored rows are
     * read and locked, each key's rollups are merged into its stored aggregate in iteration order (or into the first
     * rollup's aggregate, decoded from its stored form, for a new key), then updated or inserted. The callers'
     * aggregates are not modified.
     *
     * @return rows inserted plus rows updated
     */
    private long upsertMerge(Connection c, Tier tier, Collection<Rollup> rollups) throws SQLException {
        if (rollups.isEmpty()) {
            return 0;
        }
        String table = table(tier);
        try (PreparedStatement sel = c.prepareStatement("SELECT series_id, bucket_start, data FROM " + table
                        + " WHERE (series_id, bucket_start) IN (SELECT * FROM unnest(?::bigint[], ?::bigint[]))"
                        + " ORDER BY series_id, bucket_start FOR UPDATE");
             PreparedStatement upd = c.prepareStatement("UPDATE " + table
                     + " SET data = ? WHERE series_id = ? AND bucket_start = ?");
             PreparedStatement ins = c.prepareStatement("INSERT INTO " + table
                     + " (series_id, bucket_start, data) VALUES (?, ?, ?)")) {
            return Rollups.forEachSlice(Rollups.sortedByKey(rollups), BATCH,
                    (slice, distinct) -> mergeSlice(c, table, slice, distinct, sel, upd, ins));
        }
    }

    private long mergeSlice(Connection c, String table, List<Rollup> slice, int distinct, PreparedStatement sel,
                            PreparedStatement upd, PreparedStatement ins) throws SQLException {
        Long[] sids = new Long[distinct];
        Long[] starts = new Long[distinct];
        for (int i = 0, k = 0; i < slice.size(); i = Rollups.endOfRun(slice, i), k++) {
            sids[k] = slice.get(i).seriesId();
            starts[k] = slice.get(i).bucketStart();
        }
        Map<BucketKey, byte[]> stored = new HashMap<>();
        Array a1 = c.createArrayOf("bigint", sids);
        Array a2 = c.createArrayOf("bigint", starts);
        try {
            sel.setArray(1, a1);
            sel.setArray(2, a2);
            try (ResultSet rs = sel.executeQuery()) {
                while (rs.next()) {
                    stored.put(new BucketKey(rs.getLong(1), rs.getLong(2)), rs.getBytes(3));
                }
            }
        } finally {
            a1.free();
            a2.free();
        }
        int updates = 0;
        int inserts = 0;
        for (int i = 0; i < slice.size(); ) {
            Rollup first = slice.get(i);
            BucketKey key = new BucketKey(first.seriesId(), first.bucketStart());
            byte[] storedData = stored.get(key);
            int j = Rollups.endOfRun(slice, i);
            byte[] data;
            if (storedData == null && j - i == 1) {
                data = first.aggregate().encode();
            } else if (storedData != null) {
                data = Rollups.mergeInto(decode(storedData, table, key.seriesId(), key.bucketStart()), slice, i, j)
                        .encode();
            } else {
                // As if the first rollup had been inserted and the later ones merged into the stored row.
                data = Rollups.mergeInto(Aggregate.decode(first.aggregate().encode()), slice, i + 1, j).encode();
            }
            if (storedData != null) {
                upd.setBytes(1, data);
                upd.setLong(2, key.seriesId());
                upd.setLong(3, key.bucketStart());
                upd.addBatch();
                updates++;
            } else {
                ins.setLong(1, key.seriesId());
                ins.setLong(2, key.bucketStart());
                ins.setBytes(3, data);
                ins.addBatch();
                inserts++;
            }
            i = j;
        }
        if (updates > 0) {
            upd.executeBatch();
        }
        if (inserts > 0) {
            ins.executeBatch();
        }
        return (long) updates + inserts;
    }

    @Override
    public long checkpoint() {
        return inSnapshot("reading the checkpoint", c -> readMeta(c, checkpointKey, 0L));
    }

    // --- read -------------------------------------------------------------------------------------------------------

    @Override
    public long read(Tier tier, long[] seriesIds, long fromMillis, long toMillis, boolean distributions,
                     RollupVisitor visitor) {
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(seriesIds, "seriesIds");
        Objects.requireNonNull(visitor, "visitor");
        ensureOpen();
        if (seriesIds.length == 0 || fromMillis >= toMillis) {
            return checkpoint();
        }
        long[] ids = Rollups.distinctSorted(seriesIds);
        int unique = ids.length;
        String table = table(tier);
        return inSnapshot("read of " + unique + " series from " + table, c -> {
            // The first statement fixes the snapshot: the checkpoint and every chunk below see the same commits.
            long checkpoint = readMeta(c, checkpointKey, 0L);
            try (PreparedStatement ps = c.prepareStatement("SELECT series_id, bucket_start, data FROM " + table
                    + " WHERE series_id = ANY (?) AND bucket_start >= ? AND bucket_start < ?"
                    + " ORDER BY series_id, bucket_start")) {
                ps.setFetchSize(FETCH_SIZE);
                for (int off = 0; off < unique; off += BATCH) {
                    int len = Math.min(BATCH, unique - off);
                    Long[] chunk = new Long[len];
                    for (int i = 0; i < len; i++) {
                        chunk[i] = ids[off + i];
                    }
                    Array arr = c.createArrayOf("bigint", chunk);
                    try {
                        ps.setArray(1, arr);
                        ps.setLong(2, fromMillis);
                        ps.setLong(3, toMillis);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                long sid = rs.getLong(1);
                                long bucket = rs.getLong(2);
                                visitor.visit(sid, bucket, decode(rs.getBytes(3), distributions, table, sid, bucket));
                            }
                        }
                    } finally {
                        arr.free();
                    }
                }
            }
            return checkpoint;
        });
    }

    // --- downsample and retention -----------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>Same semantics as the embedded store: the bound is aligned down to the target tier width, source rows with
     * {@code watermark <= bucket_start < bound} are merged per series in bucket order (kind from the series table,
     * GAUGE when the series is unknown), one target bucket at a time, into the target tier as {@link #commit} does,
     * and the watermark moves to the bound, all in one transaction that holds the watermark row lock.
     */
    @Override
    public long downsample(Tier source, long upToMillis) {
        Objects.requireNonNull(source, "source");
        Tier target = source.coarser();
        if (target == null) {
            throw new IllegalArgumentException("tier was " + source + " but downsampling needs a tier with a coarser"
                    + " one: TEN_SECONDS or ONE_MINUTE");
        }
        long bound = target.bucketStart(upToMillis);
        String src = table(source);
        return inWrite("downsample of " + src + " up to " + bound, c -> {
            String key = watermarkKey(source);
            long watermark = lockMeta(c, key, Long.MIN_VALUE);
            if (bound <= watermark) {
                return 0L;
            }
            long written = 0;
            long from = watermark;
            try (PreparedStatement next = c.prepareStatement("SELECT min(bucket_start) FROM " + src
                    + " WHERE bucket_start >= ? AND bucket_start < ?");
                 PreparedStatement scan = c.prepareStatement("SELECT r.series_id, r.bucket_start, r.data, s.kind"
                         + " FROM " + src + " r LEFT JOIN series s ON s.id = r.series_id"
                         + " WHERE r.bucket_start >= ? AND r.bucket_start < ? ORDER BY r.series_id, r.bucket_start")) {
                scan.setFetchSize(FETCH_SIZE);
                while (from < bound) {
                    next.setLong(1, from);
                    next.setLong(2, bound);
                    long first;
                    try (ResultSet rs = next.executeQuery()) {
                        rs.next();
                        first = rs.getLong(1);
                        if (rs.wasNull()) {
                            break;
                        }
                    }
                    long targetStart = target.bucketStart(first);
                    long targetEnd = targetStart + target.widthMillis(); // <= bound: bound is aligned, first < bound
                    scan.setLong(1, targetStart);
                    scan.setLong(2, targetEnd);
                    List<Rollup> merged = new ArrayList<>();
                    Rollup acc = null;
                    try (ResultSet rs = scan.executeQuery()) {
                        while (rs.next()) {
                            long sid = rs.getLong(1);
                            long start = rs.getLong(2);
                            if (start < from) {
                                continue; // below the watermark: downsampled before (only in the first bucket)
                            }
                            Aggregate a = decode(rs.getBytes(3), src, sid, start);
                            if (acc == null || acc.seriesId() != sid) {
                                int code = rs.getInt(4);
                                MetricKind kind = rs.wasNull() ? MetricKind.GAUGE : kindOf(code, sid);
                                acc = new Rollup(sid, kind, targetStart, a);
                                merged.add(acc);
                            } else {
                                acc.aggregate().merge(a, acc.kind());
                            }
                        }
                    }
                    written += upsertMerge(c, target, merged);
                    from = targetEnd;
                }
            }
            writeMeta(c, key, bound);
            return written;
        });
    }

    private MetricKind kindOf(int code, long seriesId) {
        try {
            return MetricKind.ofCode(code);
        } catch (IllegalArgumentException e) {
            throw new StorageException(where + ": series " + seriesId + " has " + e.getMessage(), e, false);
        }
    }

    @Override
    public long deleteBefore(Tier tier, long beforeMillis) {
        Objects.requireNonNull(tier, "tier");
        String table = table(tier);
        return inWrite("deleting rows of " + table + " before " + beforeMillis, c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table + " WHERE bucket_start < ?")) {
                del.setLong(1, beforeMillis);
                return (long) del.executeUpdate();
            }
        });
    }

    // --- health and lifecycle ---------------------------------------------------------------------------------------

    @Override
    public CheckResult check() {
        if (closed) {
            return CheckResult.failed(where + " is closed");
        }
        try {
            inSnapshot("health check", c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM meta WHERE key = ?")) {
                    ps.setString(1, checkpointKey);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                    }
                }
                return null;
            });
            return CheckResult.OK;
        } catch (StorageException | IllegalStateException e) {
            return CheckResult.failed(Redaction.scrub(e.getMessage(), settings.password()));
        }
    }

    /** Closes the pool; connections in use close when their call ends. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        pool.close();
        log.info("Closed {}", where);
    }

    @Override
    public String toString() {
        return "PostgresMetricStore{" + settings.redactedUrl() + ", node " + nodeId + (closed ? ", closed}" : "}");
    }

    // --- plumbing ---------------------------------------------------------------------------------------------------

    static String table(Tier tier) {
        return switch (tier) {
            case TEN_SECONDS -> "rollup_10s";
            case ONE_MINUTE -> "rollup_1m";
            case ONE_HOUR -> "rollup_1h";
        };
    }

    static String watermarkKey(Tier source) {
        return "downsampled." + source.name();
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(where + " is closed");
        }
    }

    /** One READ COMMITTED write transaction; rolled back on any failure. */
    <T> T inWrite(String operation, Work<T> work) {
        return inTransaction(operation, false, work);
    }

    /**
     * Like {@link #inWrite}, run again (up to {@value #CONFLICT_ATTEMPTS} times in all) when it lost a race with
     * another node's transaction: a unique violation (both inserted the same new row), a deadlock or a serialization
     * failure. The transaction was rolled back, so running it again is safe.
     */
    <T> T inWriteRetrying(String operation, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return inWrite(operation, work);
            } catch (StorageException e) {
                SQLException sql = findSql(e);
                String state = sql == null ? null : sql.getSQLState();
                boolean conflict = "23505".equals(state) || "40P01".equals(state) || "40001".equals(state);
                if (!conflict || attempt == CONFLICT_ATTEMPTS) {
                    throw e;
                }
                log.debug("{} conflicted with another node ({}), attempt {}", operation, state, attempt);
            }
        }
    }

    private static final int CONFLICT_ATTEMPTS = 5;

    /** One REPEATABLE READ, read-only transaction: a single snapshot. */
    <T> T inSnapshot(String operation, Work<T> work) {
        return inTransaction(operation, true, work);
    }

    private <T> T inTransaction(String operation, boolean snapshot, Work<T> work) {
        ensureOpen();
        try (Connection c = pool.getConnection()) {
            boolean done = false;
            try {
                if (snapshot) {
                    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                    c.setReadOnly(true);
                }
                T result = work.run(c);
                c.commit();
                done = true;
                return result;
            } finally {
                if (!done) {
                    try {
                        c.rollback();
                    } catch (SQLException | RuntimeException ignored) {
                        // the original failure is what the caller sees
                    }
                }
            }
        } catch (SQLException e) {
            if (closed) {
                IllegalStateException ise = new IllegalStateException(where + " was closed during " + operation);
                ise.initCause(e);
                throw ise;
            }
            throw failure(operation, e);
        }
    }

    /**
     * Makes sure a meta row exists (with {@code absent} as its value) and locks it for the transaction.
     *
     * @return its value
     */
    private static long lockMeta(Connection c, String key, long absent) throws SQLException {
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING")) {
            ins.setString(1, key);
            ins.setLong(2, absent);
            ins.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = ? FOR UPDATE")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the meta row " + key + " vanished during the transaction");
                }
                return rs.getLong(1);
            }
        }
    }

    private static long readMeta(Connection c, String key, long absent) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : absent;
            }
        }
    }

    private static void writeMeta(Connection c, String key, long value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO meta (key, value) VALUES (?, ?)"
                + " ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, key);
            ps.setLong(2, value);
            ps.executeUpdate();
        }
    }

    private Aggregate decode(byte[] data, String table, long seriesId, long bucketStart) {
        return decode(data, true, table, seriesId, bucketStart);
    }

    private Aggregate decode(byte[] data, boolean distributions, String table, long seriesId, long bucketStart) {
        try {
            return Aggregate.decode(data, distributions);
        } catch (IllegalArgumentException | NullPointerException | IndexOutOfBoundsException e) {
            throw new StorageException(where + ": the rollup of series " + seriesId + " at " + bucketStart + " in "
                    + table + " cannot be decoded: " + e.getMessage(), e, false);
        }
    }

    private StorageException failure(String operation, SQLException e) {
        // A batch failure's own message quotes the statement with every parameter value (label values among them);
        // the server's error, which is what matters, is its next exception.
        SQLException next = e.getNextException();
        SQLException cause = e instanceof java.sql.BatchUpdateException && next != null ? next : e;
        String message = cause.getMessage();
        if (message != null && message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
        return new StorageException(where + ": " + operation + " failed: "
                + Redaction.scrub(message, settings.password()), cause, retryable(e));
    }

    private static final int MAX_MESSAGE = 400;

    /**
     * True when the same call may succeed later: SQLState class 08 (connection exception), 40 (transaction rollback:
     * serialization failure, deadlock) or 57P (operator intervention: shutdown), or a transient/recoverable driver
     * exception, anywhere in the cause or next-exception chain.
     */
    static boolean retryable(SQLException e) {
        int guard = 0;
        for (Throwable t = e; t != null && guard++ < 20; t = t.getCause()) {
            if (t instanceof SQLException s) {
                for (SQLException x = s; x != null && guard++ < 40; x = x.getNextException()) {
                    if (retryableState(x.getSQLState())
                            || x instanceof SQLTransientException || x instanceof SQLRecoverableException) {
                        return true;
                    }
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static boolean retryableState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("57P"));
    }
}
