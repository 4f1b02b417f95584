package io.vigil.store.postgres;

import io.vigil.store.StateStore;
import io.vigil.store.StateStoreArguments;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The PostgreSQL {@link StateStore}: the {@code documents}, {@code history} and {@code outbox} tables of migration
 * {@code V5__state.sql}, used through the metric store's pool and its transaction and error handling (messages name
 * the operation and the redacted URL, never the password nor a document's text). One transaction per call.
 *
 * <p>Several nodes use it at once. Puts write in id order with {@code INSERT ... ON CONFLICT DO UPDATE}, so
 * concurrent puts wait for each other rather than fail, and one that lost a deadlock is run again; enqueues use
 * {@code ON CONFLICT DO NOTHING}; claims pick items with {@code FOR UPDATE SKIP LOCKED}, so nodes claiming at once
 * neither wait for each other nor receive the same item. Claims expire by the database's clock, the one clock all
 * nodes share. Ids, kinds, streams and keys compare byte-wise ({@code COLLATE "C"}), history times are kept to the
 * millisecond, as in the embedded store. Thread-safe.
 */
final class PostgresStateStore implements StateStore {
    private static final String ITEM_COLUMNS = "id, key, json, enqueued_at, attempts";
    /** Documents per statement: ids and texts each travel as one array parameter. */
    static final int SLICE = PostgresMetricStore.BATCH;
    /** The longest claim; longer ones are cut to it, so that the claim's end stays a valid timestamp. */
    static final long MAX_CLAIM_MILLIS = Duration.ofDays(365L * 100).toMillis();

    private final PostgresMetricStore db;

    PostgresStateStore(PostgresMetricStore db) {
        this.db = db;
    }

    // --- documents ---------------------------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>One READ COMMITTED transaction, {@value #SLICE} documents per statement, in id order.
     *
     * @throws NullPointerException if the kind, the map or one of its ids or documents is null; nothing is stored then
     */
    @Override
    public void put(String kind, Map<String, String> jsonById) {
        Objects.requireNonNull(kind, "kind");
        List<Map.Entry<String, String>> sorted = new ArrayList<>(StateStoreArguments.documents(jsonById).entrySet());
        if (sorted.isEmpty()) {
            db.ensureOpen();
            return;
        }
        String sql = "INSERT INTO documents (kind, id, json) SELECT ?, t.id, t.json FROM unnest(?::text[], ?::text[])"
                + " AS t(id, json) ON CONFLICT (kind, id) DO UPDATE SET json = excluded.json";
        db.inWriteRetrying("put of " + sorted.size() + " documents of kind " + kind, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int from = 0; from < sorted.size(); from += SLICE) {
                    List<Map.Entry<String, String>> slice = sorted.subList(from, Math.min(sorted.size(), from + SLICE));
                    Array ids = c.createArrayOf("text", slice.stream().map(Map.Entry::getKey).toArray(String[]::new));
                    Array texts = c.createArrayOf("text",
                            slice.stream().map(Map.Entry::getValue).toArray(String[]::new));
                    try {
                        ps.setString(1, kind);
                        ps.setArray(2, ids);
                        ps.setArray(3, texts);
                        ps.executeUpdate();
                    } finally {
                        ids.free();
                        texts.free();
                    }
                }
            }
            return null;
        });
    }

    @Override
    public Optional<String> get(String kind, String id) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        return db.inSnapshot("reading document " + id + " of kind " + kind, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT json FROM documents WHERE kind = ? AND id = ?")) {
                ps.setString(1, kind);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** {@inheritDoc} The map is unmodifiable and iterates in id order (code point order). */
    @Override
    public Map<String, String> list(String kind) {
        Objects.requireNonNull(kind, "kind");
        return db.inSnapshot("listing documents of kind " + kind, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, json FROM documents WHERE kind = ?"
                    + " ORDER BY id")) {
                ps.setString(1, kind);
                ps.setFetchSize(PostgresMetricStore.FETCH_SIZE);
                Map<String, String> out = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
                return Collections.unmodifiableMap(out);
            }
        });
    }

    @Override
    public boolean delete(String kind, String id) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        return db.inWrite("deleting document " + id + " of kind " + kind, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM documents WHERE kind = ? AND id = ?")) {
                ps.setString(1, kind);
                ps.setString(2, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    // --- history -----------------------------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>{@code at} is kept to the millisecond (truncated). Entries appended by several nodes at the same time are
     * ordered by their sequence number, which follows the order of the inserts, not of the commits.
     *
     * @throws IllegalArgumentException if {@code at} does not fit in epoch milliseconds (beyond 292 million years)
     */
    @Override
    public void append(String stream, Instant at, String json) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(json, "json");
        long atMillis = StateStoreArguments.storedMillis(at);
        db.inWrite("append to history stream " + stream, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO history (stream, at, json) VALUES (?, ?, ?)")) {
                ps.setString(1, stream);
                ps.setLong(2, atMillis);
                ps.setString(3, json);
                ps.executeUpdate();
            }
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
        return db.inSnapshot("reading history stream " + stream, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, at, json FROM history"
                    + " WHERE stream = ? AND at >= ? AND at < ? ORDER BY at DESC, seq DESC LIMIT ?")) {
                ps.setString(1, stream);
                ps.setLong(2, lo);
                ps.setLong(3, hi);
                ps.setInt(4, limit);
                ps.setFetchSize(PostgresMetricStore.FETCH_SIZE);
                List<HistoryEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new HistoryEntry(rs.getLong(1), stream, Instant.ofEpochMilli(rs.getLong(2)),
                                rs.getString(3)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public long pruneHistory(Instant before) {
        long bound = StateStoreArguments.boundMillis(before);
        return db.inWrite("pruning history before " + before, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM history WHERE at < ?")) {
                ps.setLong(1, bound);
                return (long) ps.executeUpdate();
            }
        });
    }

    // --- outbox ------------------------------------------------------------------------------------------------------

    /** {@inheritDoc} Of several nodes enqueuing one new key at once, exactly one gets true. */
    @Override
    public boolean enqueue(String queue, String key, String json) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(json, "json");
        return db.inWrite("enqueue of outbox key " + key, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (queue, key, json) VALUES (?, ?, ?)"
                    + " ON CONFLICT (key) DO NOTHING")) {
                ps.setString(1, queue);
                ps.setString(2, key);
                ps.setString(3, json);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Items locked by another node's claim in progress are skipped, not waited for. The claim lasts
     * {@code claimFor} by the database's clock, at least a millisecond and at most 100 years.
     *
     * @throws IllegalArgumentException if {@code limit} is negative or {@code claimFor} is not positive
     */
    @Override
    public List<OutboxItem> claim(String queue, String consumer, int limit, Duration claimFor) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(consumer, "consumer");
        long forMillis = StateStoreArguments.claimMillis(claimFor, MAX_CLAIM_MILLIS);
        StateStoreArguments.limit(limit);
        if (limit == 0) {
            db.ensureOpen();
            return List.of();
        }
        return db.inWrite("claim of up to " + limit + " outbox items for " + consumer, c -> {
            // RETURNING shows the updated row: attempts - 1 is the count before this claim.
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox o SET claimed_by = ?,"
                    + " claimed_until = now() + ? * interval '1 millisecond', attempts = o.attempts + 1"
                    + " WHERE o.id IN (SELECT id FROM outbox WHERE queue = ? AND done_at IS NULL"
                    + " AND (claimed_until IS NULL OR claimed_until <= now()) ORDER BY id LIMIT ?"
                    + " FOR UPDATE SKIP LOCKED)"
                    + " RETURNING o.id, o.key, o.json, o.enqueued_at, o.attempts - 1")) {
                ps.setString(1, consumer);
                ps.setLong(2, forMillis);
                ps.setString(3, queue);
                ps.setInt(4, limit);
                List<OutboxItem> items = readItems(ps);
                items.sort(Comparator.comparingLong(OutboxItem::id)); // RETURNING follows no order
                return items;
            }
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
        return db.inWrite("finishing outbox item " + id + " for " + consumer, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET done_at = now(), failure = ?"
                    + " WHERE id = ? AND claimed_by = ? AND done_at IS NULL")) {
                ps.setString(1, failure);
                ps.setLong(2, id);
                ps.setString(3, consumer);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** {@inheritDoc} The delay counts by the database's clock. */
    @Override
    public boolean retryLater(long id, String consumer, Duration delay) {
        Objects.requireNonNull(consumer, "consumer");
        long delayMillis = StateStoreArguments.delayMillis(delay);
        return db.inWrite("retry of outbox item " + id + " for " + consumer, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET claimed_by = NULL,"
                    + " claimed_until = now() + ? * interval '1 millisecond'"
                    + " WHERE id = ? AND claimed_by = ? AND done_at IS NULL")) {
                ps.setLong(1, delayMillis);
                ps.setLong(2, id);
                ps.setString(3, consumer);
                return ps.executeUpdate() == 1;
            }
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
        return db.inSnapshot("reading pending outbox items", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + ITEM_COLUMNS + " FROM outbox"
                    + " WHERE queue = ? AND done_at IS NULL ORDER BY id LIMIT ?")) {
                ps.setString(1, queue);
                ps.setInt(2, limit);
                ps.setFetchSize(PostgresMetricStore.FETCH_SIZE);
                return readItems(ps);
            }
        });
    }

    @Override
    public long pruneOutbox(Instant before) {
        // Within years 1-9999, which to_timestamp takes (timestamptz itself reaches further).
        long bound = Math.min(Math.max(StateStoreArguments.boundMillis(before), -62_135_596_800_000L),
                253_402_300_799_000L);
        return db.inWrite("pruning the outbox before " + before, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM outbox WHERE done_at < to_timestamp(? / 1000.0)")) {
                ps.setLong(1, bound);
                return (long) ps.executeUpdate();
            }
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
        return db.inSnapshot("reading dead letters", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + ITEM_COLUMNS + ", failure, done_at"
                    + " FROM outbox WHERE queue = ? AND failure IS NOT NULL ORDER BY done_at DESC, id DESC LIMIT ?")) {
                ps.setString(1, queue);
                ps.setInt(2, limit);
                List<DeadLetter> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DeadLetter(item(rs), rs.getString(6),
                                rs.getObject(7, OffsetDateTime.class).toInstant()));
                    }
                }
                return out;
            }
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
        return new OutboxItem(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getInt(5));
    }

    @Override
    public String toString() {
        return "PostgresStateStore{" + db.where() + "}";
    }
}
