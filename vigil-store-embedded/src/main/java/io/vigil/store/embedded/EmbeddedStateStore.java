package io.vigil.store.embedded;

import io.vigil.store.StateStore;
import io.vigil.store.StateStoreArguments;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The embedded {@link StateStore}: the {@code documents}, {@code history} and {@code outbox} tables of the metric
 * store's SQLite database (see {@link Schema}), written on its writer connection under its lock and read on its
 * reader connections, one transaction per call. Ids, kinds, streams and keys compare byte-wise (code point order);
 * history times are kept to the millisecond; claims expire by this JVM's clock. Thread-safe.
 *
 * <p>Error messages name the operation, kinds, ids, streams or keys and the file, never a document's text.
 */
final class EmbeddedStateStore implements StateStore {
    private static final String ITEM_COLUMNS = "id, key, json, enqueued_at, attempts";

    private final EmbeddedMetricStore db;

    EmbeddedStateStore(EmbeddedMetricStore db) {
        this.db = db;
    }

    // --- documents ---------------------------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if the kind, the map or one of its ids or documents is null; nothing is stored then
     */
    @Override
    public void put(String kind, Map<String, String> jsonById) {
        Objects.requireNonNull(kind, "kind");
        Map<String, String> sorted = StateStoreArguments.documents(jsonById);
        if (sorted.isEmpty()) {
            db.ensureOpen();
            return;
        }
        db.withWriter("put of " + sorted.size() + " documents of kind " + kind, w -> {
            PreparedStatement upsert = w.prepare("INSERT INTO documents (kind, id, json) VALUES (?, ?, ?)"
                    + " ON CONFLICT (kind, id) DO UPDATE SET json = excluded.json");
            upsert.clearBatch();
            int pending = 0;
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                upsert.setString(1, kind);
                upsert.setString(2, e.getKey());
                upsert.setString(3, e.getValue());
                upsert.addBatch();
                if (++pending == EmbeddedMetricStore.BATCH) {
                    upsert.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                upsert.executeBatch();
            }
            return null;
        });
    }

    @Override
    public Optional<String> get(String kind, String id) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        return db.withReader("reading document " + id + " of kind " + kind, r -> {
            PreparedStatement ps = r.prepare("SELECT json FROM documents WHERE kind = ? AND id = ?");
            ps.setString(1, kind);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        });
    }

    /** {@inheritDoc} The map is unmodifiable and iterates in id order (code point order). */
    @Override
    public Map<String, String> list(String kind) {
        Objects.requireNonNull(kind, "kind");
        return db.withReader("listing documents of kind " + kind, r -> {
            PreparedStatement ps = r.prepare("SELECT id, json FROM documents WHERE kind = ? ORDER BY id");
            ps.setString(1, kind);
            Map<String, String> out = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return Collections.unmodifiableMap(out);
        });
    }

    @Override
    public boolean delete(String kind, String id) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        return db.withWriter("deleting document " + id + " of kind " + kind, w -> {
            PreparedStatement ps = w.prepare("DELETE FROM documents WHERE kind = ? AND id = ?");
            ps.setString(1, kind);
            ps.setString(2, id);
            return ps.executeUpdate() > 0;
        });
    }

    // --- history -----------------------------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>{@code at} is kept to the millisecond (truncated).
     *
     * @throws IllegalArgumentException if {@code at} does not fit in epoch milliseconds (beyond 292 million years)
     */
    @Override
    public void append(String stream, Instant at, String json) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(json, "json");
        long atMillis = StateStoreArguments.storedMillis(at);
        db.withWriter("append to history stream " + stream, w -> {
            PreparedStatement ps = w.prepare("INSERT INTO history (stream, at, json) VALUES (?, ?, ?)");
            ps.setString(1, stream);
            ps.setLong(2, atMillis);
            ps.setString(3, json);
            ps.executeUpdate();
            return null;
        });
    }

    /** {@inheritDoc} Entries with the same time come newest appended first. */
    @Override
    public List<HistoryEntry> history(String stream, Instant from, Instant to, int limit) {
        Objects.requireNonNull(stream, "stream");
        long lo = StateStoreArguments.boundMillis(from);
        long hi = StateStoreArguments.boundMillis(to);
        StateStoreArguments.limit(limit);
        if (limit == 0 || lo >= hi) {
            db.ensureOpen();
            return List.of();
        }
        return db.withReader("reading history stream " + stream, r -> {
            PreparedStatement ps = r.prepare("SELECT seq, at, json FROM history"
                    + " WHERE stream = ? AND at >= ? AND at < ? ORDER BY at DESC, seq DESC LIMIT ?");
            ps.setString(1, stream);
            ps.setLong(2, lo);
            ps.setLong(3, hi);
            ps.setInt(4, limit);
            List<HistoryEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new HistoryEntry(rs.getLong(1), stream, Instant.ofEpochMilli(rs.getLong(2)),
                            rs.getString(3)));
                }
            }
            return out;
        });
    }

    @Override
    public long pruneHistory(Instant before) {
        long bound = StateStoreArguments.boundMillis(before);
        return db.withWriter("pruning history before " + before, w -> {
            PreparedStatement ps = w.prepare("DELETE FROM history WHERE at < ?");
            ps.setLong(1, bound);
            return (long) ps.executeUpdate();
        });
    }

    // --- outbox ------------------------------------------------------------------------------------------------------

    @Override
    public boolean enqueue(String queue, String key, String json) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(json, "json");
        return db.withWriter("enqueue of outbox key " + key, w -> {
            PreparedStatement ps = w.prepare("INSERT INTO outbox (queue, key, json, enqueued_at) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (key) DO NOTHING");
            ps.setString(1, queue);
            ps.setString(2, key);
            ps.setString(3, json);
            ps.setLong(4, System.currentTimeMillis());
            return ps.executeUpdate() == 1;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>One transaction under the writer lock, so concurrent callers are served one after the other. The claim
     * lasts {@code claimFor} by this JVM's clock, at least a millisecond.
     *
     * @throws IllegalArgumentException if {@code limit} is negative or {@code claimFor} is not positive
     */
    @Override
    public List<OutboxItem> claim(String queue, String consumer, int limit, Duration claimFor) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(consumer, "consumer");
        long forMillis = StateStoreArguments.claimMillis(claimFor, Long.MAX_VALUE);
        StateStoreArguments.limit(limit);
        if (limit == 0) {
            db.ensureOpen();
            return List.of();
        }
        return db.withWriter("claim of up to " + limit + " outbox items for " + consumer, w -> {
            long now = System.currentTimeMillis();
            PreparedStatement select = w.prepare("SELECT " + ITEM_COLUMNS + " FROM outbox WHERE queue = ?"
                    + " AND done_at IS NULL AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY id LIMIT ?");
            select.setString(1, queue);
            select.setLong(2, now);
            select.setInt(3, limit);
            List<OutboxItem> items = readItems(select);
            PreparedStatement update = w.prepare("UPDATE outbox SET claimed_by = ?, claimed_until = ?,"
                    + " attempts = attempts + 1 WHERE id = ?");
            long until = now > Long.MAX_VALUE - forMillis ? Long.MAX_VALUE : now + forMillis;
            for (OutboxItem item : items) {
                update.setString(1, consumer);
                update.setLong(2, until);
                update.setLong(3, item.id());
                update.executeUpdate();
            }
            return items;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>A consumer whose claim expired can still complete the item as long as nobody else has claimed it since.
     */
    @Override
    public boolean complete(long id, String consumer) {
        return finish(id, consumer, null);
    }

    @Override
    public boolean deadLetter(long id, String consumer, String reason) {
        Objects.requireNonNull(reason, "reason");
        return finish(id, consumer, reason);
    }

    private boolean finish(long id, String consumer, String failure) {
        Objects.requireNonNull(consumer, "consumer");
        return db.withWriter("finishing outbox item " + id + " for " + consumer, w -> {
            PreparedStatement ps = w.prepare("UPDATE outbox SET done_at = ?, failure = ?"
                    + " WHERE id = ? AND claimed_by = ? AND done_at IS NULL");
            ps.setLong(1, System.currentTimeMillis());
            ps.setString(2, failure);
            ps.setLong(3, id);
            ps.setString(4, consumer);
            return ps.executeUpdate() == 1;
        });
    }

    @Override
    public boolean retryLater(long id, String consumer, Duration delay) {
        Objects.requireNonNull(consumer, "consumer");
        long delayMillis = StateStoreArguments.delayMillis(delay);
        return db.withWriter("retry of outbox item " + id + " for " + consumer, w -> {
            PreparedStatement ps = w.prepare("UPDATE outbox SET claimed_by = NULL, claimed_until = ?"
                    + " WHERE id = ? AND claimed_by = ? AND done_at IS NULL");
            ps.setLong(1, System.currentTimeMillis() + delayMillis);
            ps.setLong(2, id);
            ps.setString(3, consumer);
            return ps.executeUpdate() == 1;
        });
    }

    /** {@inheritDoc} Each item's {@code attempts} is how many times it has been claimed so far. */
    @Override
    public List<OutboxItem> pending(String queue, int limit) {
        Objects.requireNonNull(queue, "queue");
        StateStoreArguments.limit(limit);
        if (limit == 0) {
            db.ensureOpen();
            return List.of();
        }
        return db.withReader("reading pending outbox items", r -> {
            PreparedStatement ps = r.prepare("SELECT " + ITEM_COLUMNS + " FROM outbox WHERE queue = ?"
                    + " AND done_at IS NULL ORDER BY id LIMIT ?");
            ps.setString(1, queue);
            ps.setInt(2, limit);
            return readItems(ps);
        });
    }

    @Override
    public long pruneOutbox(Instant before) {
        long bound = StateStoreArguments.boundMillis(before);
        return db.withWriter("pruning the outbox before " + before, w -> {
            PreparedStatement ps = w.prepare("DELETE FROM outbox WHERE done_at IS NOT NULL AND done_at < ?");
            ps.setLong(1, bound);
            return (long) ps.executeUpdate();
        });
    }

    @Override
    public List<DeadLetter> deadLetters(String queue, int limit) {
        Objects.requireNonNull(queue, "queue");
        StateStoreArguments.limit(limit);
        if (limit == 0) {
            db.ensureOpen();
            return List.of();
        }
        return db.withReader("reading dead letters", r -> {
            PreparedStatement ps = r.prepare("SELECT " + ITEM_COLUMNS + ", failure, done_at FROM outbox"
                    + " WHERE queue = ? AND failure IS NOT NULL ORDER BY done_at DESC, id DESC LIMIT ?");
            ps.setString(1, queue);
            ps.setInt(2, limit);
            List<DeadLetter> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DeadLetter(item(rs), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7))));
                }
            }
            return out;
        });
    }

    private static List<OutboxItem> readItems(PreparedStatement ps) throws SQLException {
        List<OutboxItem> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(item(rs));
            }
        }
        return out;
    }

    private static OutboxItem item(ResultSet rs) throws SQLException {
        return new OutboxItem(rs.getLong(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
                rs.getInt(5));
    }

    @Override
    public String toString() {
        return "EmbeddedStateStore{" + db.file() + "}";
    }
}
