package io.vigil.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A work-claim table on PostgreSQL: units of work (a notification delivery, a scheduled check) are enqueued once by
 * key, and nodes claim them with {@code FOR UPDATE SKIP LOCKED}, so each is handed to one node at a time without
 * nodes waiting on each other. A claim expires after its duration: if the claiming node dies before
 * {@link #complete}, another node claims the item again (at-least-once; the work must be idempotent by its key,
 * as a PagerDuty {@code dedup_key} is). Thread-safe.
 */
public final class WorkClaims {
    /** A claimed unit of work. */
    public record Item(long id, String kind, String key, byte[] payload) {}

    private final DataSource dataSource;

    /** Uses connections from the store's pool ({@link PostgresMetricStore#dataSource()}). */
    public WorkClaims(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Adds a unit of work unless one with the same kind and key exists; returns whether it was added. */
    public boolean enqueue(String kind, String key, byte[] payload) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO work_item (kind, work_key, payload)"
                     + " VALUES (?, ?, ?) ON CONFLICT (kind, work_key) DO NOTHING")) {
            ps.setString(1, kind);
            ps.setString(2, key);
            ps.setBytes(3, payload);
            int n = ps.executeUpdate();
            commit(c);
            return n == 1;
        }
    }

    /**
     * Claims up to {@code limit} open items of a kind that nobody holds (never claimed, or whose claim expired) for
     * {@code node}, for {@code duration}. Items locked by a concurrent claim are skipped, not waited for.
     */
    public List<Item> claim(String kind, String node, int limit, Duration duration) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE work_item w SET claimed_by = ?,"
                     + " claimed_until = now() + make_interval(secs => ?)"
                     + " WHERE w.id IN (SELECT id FROM work_item WHERE kind = ? AND done_at IS NULL"
                     + " AND (claimed_until IS NULL OR claimed_until < now()) ORDER BY id LIMIT ?"
                     + " FOR UPDATE SKIP LOCKED)"
                     + " RETURNING w.id, w.kind, w.work_key, w.payload")) {
            ps.setString(1, node);
            ps.setDouble(2, duration.toMillis() / 1000.0);
            ps.setString(3, kind);
            ps.setInt(4, limit);
            List<Item> items = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(new Item(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4)));
                }
            }
            commit(c);
            return items;
        }
    }

    /** Marks an item done; only the node holding the claim can. Returns false when the claim was lost meanwhile. */
    public boolean complete(long id, String node) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE work_item SET done_at = now()"
                     + " WHERE id = ? AND claimed_by = ? AND done_at IS NULL")) {
            ps.setLong(1, id);
            ps.setString(2, node);
            int n = ps.executeUpdate();
            commit(c);
            return n == 1;
        }
    }

    private static void commit(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }
}
