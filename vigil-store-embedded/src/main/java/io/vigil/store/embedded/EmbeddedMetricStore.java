package io.vigil.store.embedded;

import io.vigil.core.Aggregate;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.store.CanonicalLabels;
import io.vigil.store.CheckResult;
import io.vigil.store.MetricStore;
import io.vigil.store.Rollup;
import io.vigil.store.RollupVisitor;
import io.vigil.store.Rollups;
import io.vigil.store.SeriesChanges;
import io.vigil.store.SeriesRecord;
import io.vigil.store.StateStore;
import io.vigil.store.StorageException;
import io.vigil.store.Tier;
import io.vigil.store.WeddingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The embedded {@link MetricStore}: one SQLite database, {@code vigil.db}, in a data directory, run in-process
 * through sqlite-jdbc. It is the default store for a single Vigil node.
 *
 * <h2>Why SQLite (and not DuckDB)</h2>
 * The store's workload is small, frequent, transactional upserts: every few seconds the engine commits about
 * 100,000 rollups and then deletes its own WAL segments, so the commit must be durable when it returns, and a rollup
 * for an existing bucket must be merged row by row. SQLite fits: a single file with no server to run, a write-ahead
 * log with {@code synchronous=FULL} that makes every commit durable with one fsync, row-level
 * {@code INSERT OR IGNORE}/{@code UPDATE} on a primary key, readers that never block the writer, and a 15 MB driver.
 * DuckDB (a 77 MB jar) is a columnar OLAP engine built for bulk scans and aggregations over large batches; small
 * frequent upserts of opaque blobs are its weak spot, and its merge would still happen in Java, because an
 * {@link Aggregate} (with its DDSketch) is merged by Vigil's code, not by SQL.
 *
 * <h2>Files and durability</h2>
 * {@code dataDir/vigil.db} plus SQLite's {@code vigil.db-wal} and {@code vigil.db-shm} while open. Pragmas:
 * {@code journal_mode=WAL}, {@code synchronous=FULL} (a commit is on disk when {@link #commit} returns, also after
 * a power cut), {@code busy_timeout} {@value #BUSY_TIMEOUT_MILLIS} ms, a page cache of
 * {@value #WRITER_CACHE_KIB} KiB for the writer and {@value #READER_CACHE_KIB} KiB per reader, and
 * {@code journal_size_limit} 64 MiB so the WAL file shrinks back after a checkpoint. The schema is described in
 * {@link Schema}; it is created with plain SQL when the store opens.
 *
 * <h2>Thread-safety</h2>
 * Thread-safe. Writes ({@link #commit}, {@link #downsample}, {@link #deleteBefore} and those of {@link #weddings()}
 * and {@link #state()}) share one connection guarded by a lock, since SQLite has a single writer; each runs in one transaction. Reads
 * borrow a connection of their own (up to {@value #MAX_IDLE_READERS} stay open) and see one consistent snapshot per
 * call, so a reader sees all of a commit or none of it, and never waits for the writer.
 *
 * <h2>Errors</h2>
 * Every {@link SQLException} becomes a {@link StorageException} whose message names the operation and the
 * database file and whose cause is the driver's exception; it is {@linkplain StorageException#retryable()
 * retryable} when SQLite reports {@code SQLITE_BUSY} or {@code SQLITE_LOCKED}. Calls on a closed store throw
 * {@link IllegalStateException}, except {@link #check()} (which reports it) and {@link #close()} (a no-op).
 */
public final class EmbeddedMetricStore implements MetricStore {
    /** The name of the database file inside the data directory. */
    public static final String FILE_NAME = "vigil.db";

    static final int BUSY_TIMEOUT_MILLIS = 10_000;
    static final int WRITER_CACHE_KIB = 8_192;
    static final int READER_CACHE_KIB = 2_048;
    static final int JOURNAL_SIZE_LIMIT_BYTES = 64 << 20;
    static final int MAX_IDLE_READERS = 4;
    /** Rows per JDBC batch; bounds the memory a batch holds. */
    static final int BATCH = 5_000;
    /** Series ids per {@code IN (...)} query; shorter lists are padded with their last id, a no-op inside IN. */
    private static final int[] READ_CHUNKS = {1, 32, 500};

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMetricStore.class);

    private final Path dbFile;
    private final String url;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final CachedConnection writer; // guarded by writeLock
    private final ReaderPool readers;
    private final EmbeddedWeddingStore weddings;
    private final EmbeddedStateStore state;
    private volatile boolean closed;

    private EmbeddedMetricStore(Path dbFile, String url, CachedConnection writer) {
        this.dbFile = dbFile;
        this.url = url;
        this.writer = writer;
        this.readers = new ReaderPool(this::openReader, MAX_IDLE_READERS);
        this.weddings = new EmbeddedWeddingStore(this);
        this.state = new EmbeddedStateStore(this);
    }

    /**
     * Opens the store in {@code dataDir}, creating the directory, the database file {@value #FILE_NAME} and the
     * schema when they do not exist yet. Reopening a directory sees everything committed before.
     *
     * @param dataDir the data directory; created with its parents when missing
     * @return an open store; close it to release the file
     * @throws StorageException if the directory cannot be created, or the file cannot be opened as a Vigil database
     *     (not an SQLite file, corrupt, written by a newer Vigil, or not writable)
     */
    public static EmbeddedMetricStore open(Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir");
        Path dir = dataDir.toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException("cannot create the data directory " + dir + " for the embedded store: "
                    + e.getClass().getSimpleName() + " " + e.getMessage(), e, false);
        }
        Path file = dir.resolve(FILE_NAME);
        String url = "jdbc:sqlite:" + file;
        CachedConnection writer = null;
        try {
            writer = new CachedConnection(writerConfig().createConnection(url));
            Connection c = writer.connection();
            String journalMode = pragma(c, "journal_mode");
            if (!"wal".equalsIgnoreCase(journalMode)) {
                log.warn("SQLite could not switch {} to WAL mode (journal_mode is {}): readers will block the writer",
                        file, journalMode);
            }
            c.setAutoCommit(false);
            int before = Schema.create(c);
            c.commit();
            log.info("Opened embedded store {} (SQLite {}, schema version {}{})", file,
                    ((org.sqlite.SQLiteConnection) c).libversion(), Schema.VERSION, before == 0 ? ", new" : "");
            return new EmbeddedMetricStore(file, url, writer);
        } catch (SQLException e) {
            closeQuietly(writer);
            throw new StorageException("cannot open the embedded store " + file + ": " + e.getMessage()
                    + hint(e), e, retryable(e));
        } catch (RuntimeException e) {
            closeQuietly(writer);
            throw new StorageException("cannot open the embedded store " + file + ": " + e.getMessage(), e, false);
        }
    }

    private static String hint(SQLException e) {
        SQLiteErrorCode code = e instanceof SQLiteException se ? se.getResultCode() : null;
        if (code == SQLiteErrorCode.SQLITE_NOTADB || code == SQLiteErrorCode.SQLITE_CORRUPT) {
            return " (the file is not a Vigil database or is damaged; restore it from a backup or move it away)";
        }
        if (code != null && ((code.code & 0xff) == SQLiteErrorCode.SQLITE_READONLY.code
                || (code.code & 0xff) == SQLiteErrorCode.SQLITE_CANTOPEN.code)) {
            return " (the data directory and the file must be readable and writable by this process)";
        }
        return "";
    }

    private static SQLiteConfig writerConfig() {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        cfg.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        cfg.setCacheSize(-WRITER_CACHE_KIB);
        cfg.setJournalSizeLimit(JOURNAL_SIZE_LIMIT_BYTES);
        return cfg;
    }

    private CachedConnection openReader() throws SQLException {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        cfg.setCacheSize(-READER_CACHE_KIB);
        Connection c = cfg.createConnection(url);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA query_only = true");
            c.setAutoCommit(false); // each call reads in one transaction: one snapshot
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new CachedConnection(c);
    }

    private static String pragma(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The database file, {@code dataDir/vigil.db}. */
    public Path file() {
        return dbFile;
    }

    /**
     * The wedding calendar and events, kept in this store's database and written under its writer lock; usable
     * while this store is open.
     */
    public WeddingStore weddings() {
        return weddings;
    }

    /**
     * The alerting state (documents, history, outbox), kept in this store's database and written under its writer
     * lock; usable while this store is open.
     */
    public StateStore state() {
        return state;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The cursor is the next insertion sequence number ({@code series.seq}); SQLite has one writer, so sequence
     * order is commit order.
     *
     * @throws StorageException if the database cannot be read or holds a series it cannot decode
     * @throws IllegalStateException if the store is closed
     */
    @Override
    public SeriesChanges seriesAfter(long cursor) {
        return withReader("loading series", r -> {
            List<SeriesRecord> out = new ArrayList<>();
            long next = cursor;
            int mismatched = 0;
            PreparedStatement ps = r.prepare("SELECT id, metric, labels, kind, seq FROM series WHERE seq >= ?");
            ps.setLong(1, cursor);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    SeriesRecord s = SeriesRecord.decode(id, rs.getString(2), rs.getString(3), rs.getInt(4),
                            "embedded store " + dbFile);
                    if (s.id() != id) {
                        mismatched++;
                    }
                    out.add(s);
                    next = Math.max(next, rs.getLong(5) + 1);
                }
            }
            if (mismatched > 0) {
                log.warn("{} series in {} are stored under an id that differs from SeriesKey.id(); their rollups"
                        + " will not be found under the new id", mismatched, dbFile);
            }
            return new SeriesChanges(out, next);
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Runs in one SQLite transaction: series with {@code INSERT OR IGNORE}, rollups with a batched
     * {@code INSERT OR IGNORE}; for each rollup whose bucket already existed (update count 0) the stored aggregate
     * is read, the new one is {@linkplain Aggregate#merge merged} into it with the rollup's kind and the row is
     * updated. Several rollups for the same series and bucket in one call merge in iteration order. The caller's
     * aggregates are not modified.
     *
     * @param series series definitions; ones already stored are ignored (their kind is not changed)
     * @param rollups rollups of {@link Tier#TEN_SECONDS}, bucket starts aligned to 10,000 ms
     * @param checkpoint the WAL position covered, at least the stored {@link #checkpoint()}
     * @throws IllegalArgumentException if {@code checkpoint} is lower than the stored one, or a rollup's bucket start
     *     is not aligned to the 10 s tier; nothing is stored then
     * @throws StorageException if SQLite fails; nothing is stored then
     * @throws IllegalStateException if the store is closed
     */
    @Override
    public void commit(Collection<SeriesRecord> series, Collection<Rollup> rollups, long checkpoint) {
        Rollups.checkCommit(series, rollups);
        withWriter("commit of " + series.size() + " series and " + rollups.size() + " rollups", w -> {
            long stored = readMeta(w, Schema.CHECKPOINT, 0L);
            if (checkpoint < stored) {
                throw new IllegalArgumentException("checkpoint was " + checkpoint
                        + " but it must be at least the stored checkpoint " + stored + " (checkpoints never decrease)");
            }
            insertSeries(w, series);
            upsertMerge(w, Tier.TEN_SECONDS, rollups);
            writeMeta(w, Schema.CHECKPOINT, checkpoint);
            return null;
        });
    }

    private static void insertSeries(CachedConnection w, Collection<SeriesRecord> series) throws SQLException {
        if (series.isEmpty()) {
            return;
        }
        PreparedStatement ins = w.prepare("INSERT OR IGNORE INTO series (id, metric, labels, kind, seq)"
                + " VALUES (?, ?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM series))");
        int n = 0;
        for (SeriesRecord s : series) {
            ins.setLong(1, s.id());
            ins.setString(2, s.key().metric());
            ins.setString(3, CanonicalLabels.encode(s.key().labels()));
            ins.setInt(4, s.kind().code());
            ins.addBatch();
            if (++n % BATCH == 0) {
                ins.executeBatch();
            }
        }
        if (n % BATCH != 0) {
            ins.executeBatch();
        }
    }

    private record BucketKey(long seriesId, long bucketStart) {}

    /**
     * Inserts rollups into a tier, merging each with a stored row of the same series and bucket (stored first).
     *
     * <p>Rollups are written in primary-key order: series ids are hashes, so in arrival order every insert lands on
     * a random page, and sorting first halves the time of a large commit. Rows that already exist come back with
     * update count 0; they are read back 500 per query, merged and updated in slices of {@link #BATCH} keys.
     *
     * @return rows inserted plus distinct rows updated (a key inserted and merged again in the same call counts
     *     twice; downsample, the caller that uses the count, never repeats a key)
     */
    private long upsertMerge(CachedConnection w, Tier tier, Collection<Rollup> rollups) throws SQLException {
        if (rollups.isEmpty()) {
            return 0;
        }
        String table = Schema.table(tier);
        List<Rollup> sorted = Rollups.sortedByKey(rollups);
        PreparedStatement ins = w.prepare("INSERT OR IGNORE INTO " + table
                + " (series_id, bucket_start, data) VALUES (?, ?, ?)");
        List<Rollup> present = new ArrayList<>();
        long written = 0;
        for (int from = 0; from < sorted.size(); from += BATCH) {
            List<Rollup> chunk = sorted.subList(from, Math.min(sorted.size(), from + BATCH));
            for (Rollup r : chunk) {
                ins.setLong(1, r.seriesId());
                ins.setLong(2, r.bucketStart());
                ins.setBytes(3, r.aggregate().encode());
                ins.addBatch();
            }
            written += insertChunk(ins, chunk, present);
        }
        // present is in key order with the rollups of one key adjacent.
        return written + Rollups.forEachSlice(present, BATCH, (slice, distinct) -> mergeExisting(w, table, slice));
    }

    private long mergeExisting(CachedConnection w, String table, List<Rollup> slice) throws SQLException {
        Map<BucketKey, Aggregate> stored = readStored(w, table, slice);
        PreparedStatement upd = w.prepare("UPDATE " + table + " SET data = ? WHERE series_id = ? AND bucket_start = ?");
        long updated = 0;
        for (int i = 0; i < slice.size(); ) {
            Rollup first = slice.get(i);
            BucketKey key = new BucketKey(first.seriesId(), first.bucketStart());
            Aggregate acc = stored.get(key);
            if (acc == null) {
                throw new SQLException("the row of series " + key.seriesId() + " at " + key.bucketStart() + " in "
                        + table + " vanished during the transaction");
            }
            int end = Rollups.endOfRun(slice, i);
            Rollups.mergeInto(acc, slice, i, end);
            i = end;
            upd.setBytes(1, acc.encode());
            upd.setLong(2, key.seriesId());
            upd.setLong(3, key.bucketStart());
            upd.addBatch();
            updated++;
        }
        upd.executeBatch();
        return updated;
    }

    /** Reads the stored rows of the keys of a slice: per bucket start, 500 series ids per query. */
    private Map<BucketKey, Aggregate> readStored(CachedConnection w, String table, List<Rollup> slice)
            throws SQLException {
        Map<Long, List<Long>> idsByBucket = new LinkedHashMap<>();
        for (int i = 0; i < slice.size(); i = Rollups.endOfRun(slice, i)) {
            Rollup r = slice.get(i);
            idsByBucket.computeIfAbsent(r.bucketStart(), b -> new ArrayList<>()).add(r.seriesId());
        }
        Map<BucketKey, Aggregate> stored = new HashMap<>();
        for (Map.Entry<Long, List<Long>> e : idsByBucket.entrySet()) {
            long bucket = e.getKey();
            List<Long> ids = e.getValue();
            for (int off = 0; off < ids.size(); ) {
                int len = Math.min(READ_CHUNKS[READ_CHUNKS.length - 1], ids.size() - off);
                int size = chunkSize(len);
                PreparedStatement ps = w.prepare(storedSql(table, size));
                for (int i = 0; i < size; i++) {
                    ps.setLong(i + 1, ids.get(off + Math.min(i, len - 1)));
                }
                ps.setLong(size + 1, bucket);
                ps.setLong(size + 2, bucket);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long sid = rs.getLong(1);
                        stored.put(new BucketKey(sid, bucket), decode(rs.getBytes(2), table, sid, bucket));
                    }
                }
                off += len;
            }
        }
        return stored;
    }

    /**
     * The stored rows of one bucket start. The bound is written as a range of one value on purpose: with
     * {@code bucket_start = ?} SQLite prefers the (bucket_start) index and then looks each row up again in the
     * table; the range makes it search the primary key directly.
     */
    private static String storedSql(String table, int ids) {
        return "SELECT series_id, data FROM " + table + " WHERE series_id "
                + (ids == 1 ? "= ?" : "IN (?" + ",?".repeat(ids - 1) + ")")
                + " AND bucket_start >= ? AND bucket_start <= ?";
    }

    private static long insertChunk(PreparedStatement ins, List<Rollup> chunk, List<Rollup> present)
            throws SQLException {
        int[] counts = ins.executeBatch();
        if (counts.length != chunk.size()) {
            throw new SQLException("the driver returned " + counts.length + " update counts for a batch of "
                    + chunk.size());
        }
        long inserted = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                present.add(chunk.get(i));
            } else if (counts[i] == 1) {
                inserted++;
            } else {
                throw new SQLException("the driver returned update count " + counts[i] + " for INSERT OR IGNORE");
            }
        }
        return inserted;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Ids are deduplicated and read in chunks of up to 500 with {@code series_id IN (...)} on the primary key,
     * all in one read transaction (one snapshot). Series come in ascending id order, each in ascending bucket order.
     * An empty id array or {@code fromMillis >= toMillis} reads nothing.
     *
     * @param fromMillis inclusive lower bound of the bucket start, epoch milliseconds
     * @param toMillis exclusive upper bound of the bucket start, epoch milliseconds
     * @throws StorageException if SQLite fails or a stored rollup cannot be decoded; exceptions thrown by the visitor
     *     pass through unchanged
     * @throws IllegalStateException if the store is closed
     */
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
        String table = Schema.table(tier);
        return withReader("read of " + unique + " series from " + table, r -> {
            // The first statement starts the read transaction: the checkpoint and the rows are one snapshot.
            long checkpoint = readMeta(r, Schema.CHECKPOINT, 0L);
            for (int off = 0; off < unique; ) {
                int len = Math.min(READ_CHUNKS[READ_CHUNKS.length - 1], unique - off);
                int size = chunkSize(len);
                PreparedStatement ps = r.prepare(readSql(table, size));
                for (int i = 0; i < size; i++) {
                    ps.setLong(i + 1, ids[off + Math.min(i, len - 1)]);
                }
                ps.setLong(size + 1, fromMillis);
                ps.setLong(size + 2, toMillis);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long sid = rs.getLong(1);
                        long bucket = rs.getLong(2);
                        visitor.visit(sid, bucket, decode(rs.getBytes(3), distributions, table, sid, bucket));
                    }
                }
                off += len;
            }
            return checkpoint;
        });
    }

    private static int chunkSize(int len) {
        for (int size : READ_CHUNKS) {
            if (len <= size) {
                return size;
            }
        }
        throw new IllegalArgumentException("chunk of " + len);
    }

    private static String readSql(String table, int ids) {
        StringBuilder sb = new StringBuilder("SELECT series_id, bucket_start, data FROM ").append(table);
        if (ids == 1) {
            sb.append(" WHERE series_id = ?");
        } else {
            sb.append(" WHERE series_id IN (?");
            sb.append(",?".repeat(ids - 1)).append(')');
        }
        return sb.append(" AND bucket_start >= ? AND bucket_start < ? ORDER BY series_id, bucket_start").toString();
    }

    /**
     * {@inheritDoc}
     *
     * @return the checkpoint, read from the database; 0 for a new store
     * @throws StorageException if SQLite fails
     * @throws IllegalStateException if the store is closed
     */
    @Override
    public long checkpoint() {
        return withReader("reading the checkpoint", r -> readMeta(r, Schema.CHECKPOINT, 0L));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each tier has a watermark (in {@code meta}, initially none): the bucket start below which it has been
     * downsampled. A call aligns {@code upToMillis} down to the width of the target tier, so that only complete
     * target buckets are produced, and merges every source row with {@code watermark <= bucket_start < bound}
     * into its target bucket in bucket order, with {@link Aggregate#merge} and the kind from the series table
     * ({@code GAUGE} for a rollup without a stored series). It reads the source through its {@code bucket_start}
     * index one target bucket at a time, so memory holds at most one aggregate per series. The result is merged into the target tier as {@link #commit} does,
     * and the watermark moves to the bound, all in one transaction. Source rows committed later with a bucket start
     * below the watermark are not downsampled.
     *
     * @param upToMillis exclusive bound, epoch milliseconds; aligned down to the target tier width
     * @return the number of target rows inserted or merged into; 0 when the aligned bound is not past the watermark
     * @throws IllegalArgumentException if {@code source} is {@link Tier#ONE_HOUR}, the coarsest tier
     * @throws StorageException if SQLite fails or a stored rollup cannot be decoded; nothing changes then
     * @throws IllegalStateException if the store is closed
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
        String src = Schema.table(source);
        return withWriter("downsample of " + src + " up to " + bound, w -> {
            String key = Schema.watermarkKey(source);
            long watermark = readMeta(w, key, Long.MIN_VALUE);
            if (bound <= watermark) {
                return 0L;
            }
            // Index order (bucket_start, series_id): the rows of one target bucket arrive together, and each
            // series' rows in bucket order, so one accumulator per series of the current target bucket suffices.
            PreparedStatement scan = w.prepare("SELECT r.series_id, r.bucket_start, r.data, s.kind FROM " + src
                    + " r INDEXED BY " + Schema.bucketIndex(source) + " LEFT JOIN series s ON s.id = r.series_id"
                    + " WHERE r.bucket_start >= ? AND r.bucket_start < ? ORDER BY r.bucket_start, r.series_id");
            scan.setLong(1, watermark);
            scan.setLong(2, bound);
            Map<Long, Rollup> pending = new HashMap<>();
            long written = 0;
            long current = Long.MIN_VALUE;
            try (ResultSet rs = scan.executeQuery()) {
                while (rs.next()) {
                    long sid = rs.getLong(1);
                    long start = rs.getLong(2);
                    long targetStart = target.bucketStart(start);
                    if (targetStart != current) {
                        written += upsertMerge(w, target, pending.values());
                        pending.clear();
                        current = targetStart;
                    }
                    Aggregate a = decode(rs.getBytes(3), src, sid, start);
                    Rollup acc = pending.get(sid);
                    if (acc == null) {
                        int code = rs.getInt(4);
                        MetricKind kind = rs.wasNull() ? MetricKind.GAUGE : kindOf(code, sid);
                        pending.put(sid, new Rollup(sid, kind, targetStart, a));
                    } else {
                        acc.aggregate().merge(a, acc.kind());
                    }
                }
            }
            written += upsertMerge(w, target, pending.values());
            writeMeta(w, key, bound);
            return written;
        });
    }

    private MetricKind kindOf(int code, long seriesId) {
        try {
            return MetricKind.ofCode(code);
        } catch (IllegalArgumentException e) {
            throw new StorageException("embedded store " + dbFile + ": series " + seriesId + " has "
                    + e.getMessage(), e, false);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @param beforeMillis exclusive bound on the bucket start, epoch milliseconds
     * @throws StorageException if SQLite fails; nothing is deleted then
     * @throws IllegalStateException if the store is closed
     */
    @Override
    public long deleteBefore(Tier tier, long beforeMillis) {
        Objects.requireNonNull(tier, "tier");
        String table = Schema.table(tier);
        return withWriter("deleting rows of " + table + " before " + beforeMillis, w -> {
            PreparedStatement del = w.prepare("DELETE FROM " + table + " WHERE bucket_start < ?");
            del.setLong(1, beforeMillis);
            return (long) del.executeUpdate();
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads the schema version table on a reader connection; never throws.
     *
     * @return {@link CheckResult#OK}, or a failure naming the file and SQLite's error (no secrets: the store has
     *     none), also when the store is closed
     */
    @Override
    public CheckResult check() {
        if (closed) {
            return CheckResult.failed("embedded store " + dbFile + " is closed");
        }
        try {
            withReader("health check", r -> {
                try (ResultSet rs = r.prepare("SELECT version FROM schema_version").executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("the schema_version table is empty");
                    }
                }
                return null;
            });
            return CheckResult.OK;
        } catch (StorageException | IllegalStateException e) {
            return CheckResult.failed(e.getMessage());
        }
    }

    /**
     * Closes the writer and the idle readers; readers in use close when their call ends. Waits for a running write.
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            readers.close();
            writer.close();
            log.info("Closed embedded store {}", dbFile);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "EmbeddedMetricStore{" + dbFile + (closed ? ", closed}" : "}");
    }

    // --- plumbing -------------------------------------------------------------------------------------------------

    @FunctionalInterface
    interface Work<T> {
        T run(CachedConnection c) throws SQLException;
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("embedded store " + dbFile + " is closed");
        }
    }

    /** Runs one write transaction on the writer connection; rolls back on any failure. */
    <T> T withWriter(String operation, Work<T> work) {
        ensureOpen();
        writeLock.lock();
        boolean committed = false;
        try {
            ensureOpen();
            T result = work.run(writer);
            writer.connection().commit();
            committed = true;
            return result;
        } catch (SQLException e) {
            throw failure(operation, e);
        } finally {
            if (!committed && !closed) {
                writer.rollbackQuietly();
            }
            writeLock.unlock();
        }
    }

    /** Runs one read transaction (one snapshot) on a borrowed reader connection. */
    <T> T withReader(String operation, Work<T> work) {
        ensureOpen();
        CachedConnection r;
        try {
            r = readers.borrow();
        } catch (SQLException e) {
            throw failure(operation, e);
        }
        boolean ended = false;
        boolean broken = false;
        try {
            T result = work.run(r);
            r.connection().commit(); // ends the read transaction, so the WAL can be checkpointed past it
            ended = true;
            return result;
        } catch (SQLException e) {
            broken = true;
            throw failure(operation, e);
        } finally {
            if (!ended) {
                r.rollbackQuietly();
            }
            readers.release(r, !broken);
        }
    }

    private static long readMeta(CachedConnection c, String key, long absent) throws SQLException {
        PreparedStatement ps = c.prepare("SELECT value FROM meta WHERE key = ?");
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : absent;
        }
    }

    private static void writeMeta(CachedConnection c, String key, long value) throws SQLException {
        PreparedStatement ps = c.prepare(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        ps.setString(1, key);
        ps.setLong(2, value);
        ps.executeUpdate();
    }

    private Aggregate decode(byte[] data, String table, long seriesId, long bucketStart) {
        return decode(data, true, table, seriesId, bucketStart);
    }

    private Aggregate decode(byte[] data, boolean distributions, String table, long seriesId, long bucketStart) {
        try {
            return Aggregate.decode(data, distributions);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StorageException("embedded store " + dbFile + ": the rollup of series " + seriesId + " at "
                    + bucketStart + " in " + table + " cannot be decoded: " + e.getMessage(), e, false);
        }
    }

    private StorageException failure(String operation, SQLException e) {
        return new StorageException("embedded store " + dbFile + ": " + operation + " failed: " + e.getMessage(), e,
                retryable(e));
    }

    /** True for SQLITE_BUSY and SQLITE_LOCKED (and their extended codes) anywhere in the cause chain. */
    static boolean retryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException se) {
                int primary = se.getResultCode().code & 0xff;
                return primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static void closeQuietly(CachedConnection c) {
        if (c != null) {
            c.close();
        }
    }
}
