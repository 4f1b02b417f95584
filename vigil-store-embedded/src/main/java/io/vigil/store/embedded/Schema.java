package io.vigil.store.embedded;

import io.vigil.store.Tier;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQLite schema of the embedded store, created with plain SQL when a store opens.
 *
 * <pre>{@code
 * schema_version(version INTEGER)                       -- one row; 4 for this layout
 * series(id INTEGER PRIMARY KEY,                        -- SeriesKey.id(), signed 64-bit (the rowid itself)
 *        metric TEXT, labels TEXT,                      -- labels as canonical JSON, see CanonicalLabels
 *        kind INTEGER,                                  -- MetricKind.code()
 *        seq INTEGER)                                   -- insertion order, for seriesAfter (version 2)
 * series_by_seq ON series(seq)
 * rollup_10s / rollup_1m / rollup_1h(                   -- one table per Tier
 *        series_id INTEGER, bucket_start INTEGER,       -- epoch milliseconds, aligned to the tier width
 *        data BLOB,                                     -- Aggregate.encode()
 *        PRIMARY KEY (series_id, bucket_start)) WITHOUT ROWID
 * rollup_<tier>_by_bucket ON rollup_<tier>(bucket_start) -- for downsample and deleteBefore (time range scans)
 * meta(key TEXT PRIMARY KEY, value INTEGER) WITHOUT ROWID
 *        -- 'checkpoint': the WAL position of the last commit
 *        -- 'downsampled.<TIER>': bucket starts below this were merged into the next coarser tier
 * weddings(id TEXT PRIMARY KEY,                         -- version 3; see EmbeddedWeddingStore
 *        wedding_date INTEGER,                          -- LocalDate.toEpochDay(): orders every year correctly
 *        time_zone TEXT,                                -- ZoneId.getId()
 *        ceremony_start TEXT, reception_end TEXT,       -- LocalDateTime.toString(), local to time_zone
 *        guest_count INTEGER, venue TEXT,               -- venue may be NULL
 *        vendor_ids TEXT,                               -- joined by ',' (ids never hold one); '' for none
 *        status TEXT, source TEXT,                      -- WeddingStatus.wireName(); Wedding.source()
 *        coordinator_name TEXT, coordinator_email TEXT, coordinator_phone TEXT)  -- personal data, each NULL-able
 * weddings_by_date ON weddings(wedding_date, ceremony_start, id)  -- between(), in its order
 * weddings_by_source ON weddings(source, id)                      -- fromSource(), in its order
 * wedding_events(wedding_id TEXT, id TEXT,              -- version 3
 *        type TEXT, name TEXT, ref TEXT,                -- WeddingEventType.wireName(); name and ref may be NULL
 *        at INTEGER, count INTEGER,                     -- epoch milliseconds
 *        PRIMARY KEY (wedding_id, id)) WITHOUT ROWID
 * wedding_events_by_time ON wedding_events(wedding_id, at)
 * documents(kind TEXT, id TEXT, json TEXT,             -- version 4; see EmbeddedStateStore
 *        PRIMARY KEY (kind, id)) WITHOUT ROWID
 * history(seq INTEGER PRIMARY KEY AUTOINCREMENT,       -- version 4; never reused, also after pruning
 *        stream TEXT, at INTEGER, json TEXT)           -- epoch milliseconds
 * history_by_stream ON history(stream, at)             -- history(), newest first (seq is the rowid)
 * history_by_at ON history(at)                         -- pruneHistory()
 * outbox(id INTEGER PRIMARY KEY AUTOINCREMENT,         -- version 4; never reused
 *        key TEXT UNIQUE, json TEXT,                   -- the idempotency key and the intent
 *        enqueued_at INTEGER,                          -- epoch milliseconds
 *        claimed_by TEXT, claimed_until INTEGER,       -- NULL until claimed; epoch milliseconds
 *        done_at INTEGER,                              -- NULL until completed; epoch milliseconds
 *        attempts INTEGER,                             -- how many times it was claimed
 *        queue TEXT,                                   -- version 5: intents, deliveries...
 *        failure TEXT)                                 -- version 5: set for a dead letter
 * outbox_open ON outbox(queue, id) WHERE done_at IS NULL  -- claim() and pending(), oldest first
 * outbox_dead ON outbox(queue, done_at) WHERE failure IS NOT NULL  -- deadLetters()
 * }</pre>
 *
 * <p>Upgrades: a later layout bumps {@link #VERSION} and adds its migration steps to {@link #create}; a database
 * written by a newer version is refused rather than guessed at. Version 1 to 2 added {@code series.seq}; 2 to 3
 * added the wedding tables; 3 to 4 the state tables; 4 to 5 the outbox's queues and dead letters.
 */
final class Schema {
    static final int VERSION = 5;
    static final String CHECKPOINT = "checkpoint";

    private Schema() {}

    static String table(Tier tier) {
        return switch (tier) {
            case TEN_SECONDS -> "rollup_10s";
            case ONE_MINUTE -> "rollup_1m";
            case ONE_HOUR -> "rollup_1h";
        };
    }

    static String bucketIndex(Tier tier) {
        return table(tier) + "_by_bucket";
    }

    static String watermarkKey(Tier source) {
        return "downsampled." + source.name();
    }

    /**
     * Creates the schema when absent and checks the version of an existing one; runs in the caller's transaction.
     *
     * @return the version found before, 0 for a new database
     * @throws IllegalStateException if the database was written by a newer schema version
     */
    static int create(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
            int found = 0;
            try (ResultSet rs = st.executeQuery("SELECT max(version) FROM schema_version")) {
                if (rs.next()) {
                    found = rs.getInt(1);
                }
            }
            if (found > VERSION) {
                throw new IllegalStateException("the database has schema version " + found
                        + " but this Vigil reads only up to version " + VERSION + "; use a newer Vigil");
            }
            if (found == VERSION) {
                return found;
            }
            for (String ddl : found == 0 ? ddl() : List.<String>of()) {
                st.execute(ddl);
            }
            if (found < 2) {
                if (found == 1) {
                    st.execute("ALTER TABLE series ADD COLUMN seq INTEGER NOT NULL DEFAULT 0");
                }
                st.execute("CREATE INDEX IF NOT EXISTS series_by_seq ON series (seq)");
            }
            if (found < 3) {
                for (String ddl : weddingDdl()) {
                    st.execute(ddl);
                }
            }
            if (found < 4) {
                for (String ddl : stateDdl()) {
                    st.execute(ddl);
                }
            }
            if (found < 5) {
                st.execute("ALTER TABLE outbox ADD COLUMN queue TEXT NOT NULL DEFAULT 'intents'");
                st.execute("ALTER TABLE outbox ADD COLUMN failure TEXT");
                st.execute("DROP INDEX IF EXISTS outbox_open");
                st.execute("CREATE INDEX outbox_open ON outbox (queue, id) WHERE done_at IS NULL");
                st.execute("CREATE INDEX outbox_dead ON outbox (queue, done_at) WHERE failure IS NOT NULL");
            }
            st.execute("DELETE FROM schema_version");
            st.execute("INSERT INTO schema_version (version) VALUES (" + VERSION + ")");
            return found;
        }
    }

    private static List<String> ddl() {
        var out = new java.util.ArrayList<String>();
        out.add("CREATE TABLE IF NOT EXISTS series (id INTEGER PRIMARY KEY, metric TEXT NOT NULL,"
                + " labels TEXT NOT NULL, kind INTEGER NOT NULL, seq INTEGER NOT NULL DEFAULT 0)");
        for (Tier t : Tier.values()) {
            out.add("CREATE TABLE IF NOT EXISTS " + table(t) + " (series_id INTEGER NOT NULL,"
                    + " bucket_start INTEGER NOT NULL, data BLOB NOT NULL,"
                    + " PRIMARY KEY (series_id, bucket_start)) WITHOUT ROWID");
            out.add("CREATE INDEX IF NOT EXISTS " + bucketIndex(t) + " ON " + table(t) + " (bucket_start)");
        }
        out.add("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID");
        return out;
    }

    private static List<String> weddingDdl() {
        return List.of(
                "CREATE TABLE IF NOT EXISTS weddings (id TEXT PRIMARY KEY, wedding_date INTEGER NOT NULL,"
                        + " time_zone TEXT NOT NULL, ceremony_start TEXT NOT NULL, reception_end TEXT NOT NULL,"
                        + " guest_count INTEGER NOT NULL, venue TEXT, vendor_ids TEXT NOT NULL, status TEXT NOT NULL,"
                        + " source TEXT NOT NULL, coordinator_name TEXT, coordinator_email TEXT,"
                        + " coordinator_phone TEXT)",
                "CREATE INDEX IF NOT EXISTS weddings_by_date ON weddings (wedding_date, ceremony_start, id)",
                "CREATE INDEX IF NOT EXISTS weddings_by_source ON weddings (source, id)",
                "CREATE TABLE IF NOT EXISTS wedding_events (wedding_id TEXT NOT NULL, id TEXT NOT NULL,"
                        + " type TEXT NOT NULL, name TEXT, ref TEXT, at INTEGER NOT NULL, count INTEGER NOT NULL,"
                        + " PRIMARY KEY (wedding_id, id)) WITHOUT ROWID",
                "CREATE INDEX IF NOT EXISTS wedding_events_by_time ON wedding_events (wedding_id, at)");
    }

    private static List<String> stateDdl() {
        return List.of(
                "CREATE TABLE IF NOT EXISTS documents (kind TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL,"
                        + " PRIMARY KEY (kind, id)) WITHOUT ROWID",
                "CREATE TABLE IF NOT EXISTS history (seq INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT NOT NULL,"
                        + " at INTEGER NOT NULL, json TEXT NOT NULL)",
                "CREATE INDEX IF NOT EXISTS history_by_stream ON history (stream, at)",
                "CREATE INDEX IF NOT EXISTS history_by_at ON history (at)",
                "CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE,"
                        + " json TEXT NOT NULL, enqueued_at INTEGER NOT NULL, claimed_by TEXT, claimed_until INTEGER,"
                        + " done_at INTEGER, attempts INTEGER NOT NULL DEFAULT 0)",
                "CREATE INDEX IF NOT EXISTS outbox_open ON outbox (id) WHERE done_at IS NULL");
    }
}
