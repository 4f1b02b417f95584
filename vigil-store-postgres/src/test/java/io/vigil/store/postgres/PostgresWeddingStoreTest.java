package io.vigil.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.core.wedding.Coordinator;
import io.vigil.core.wedding.Wedding;
import io.vigil.store.SeriesRecord;
import io.vigil.store.StorageException;
import io.vigil.store.WeddingStore;
import io.vigil.store.tck.WeddingStoreContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL wedding store against the wedding contract, plus what only PostgreSQL has: several nodes upserting
 * at once, column types and collations, the migration from version 3. Needs the database named by
 * {@code VIGIL_TEST_PG_URL} and {@code VIGIL_TEST_PG_USER}; fails, never skips, without one.
 */
class PostgresWeddingStoreTest extends WeddingStoreContract {
    private static final String SECRET = "s3cret-Wedding-Cake-7f3a";

    private PostgresMetricStore backend;

    @Override
    protected WeddingStore newStore() {
        backend = PostgresMetricStore.open(TestDatabase.settings(4), "node-1");
        return backend.weddings();
    }

    @Override
    protected void closeStore() {
        backend.close();
        backend = null;
    }

    /** Drops the store's tables and Flyway's history; the next open migrates a fresh schema. */
    @Override
    protected void clear() {
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA public CASCADE");
            st.execute("CREATE SCHEMA public");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot clear the test database: " + e.getMessage(), e);
        }
    }

    private static String query(String sql) throws SQLException {
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void upsert_storesPostgresTypes_andComparesIdsByteWise() throws SQLException {
        Wedding w = withCoordinator(wedding("w-1", JUNE_13), new Coordinator("Ana Souza", null, null));
        store.upsert(List.of(new Wedding(w.id(), w.date(), w.timeZone(), w.ceremonyStart(), w.receptionEnd(),
                w.guestCount(), w.venue(), List.of("florist-1", "dj:42"), w.status(), w.source(), w.coordinator())));
        store.appendEvents(List.of(checkin("w-1", "e-1", Instant.parse("2026-06-13T13:00:00.250Z"), 3)));

        assertThat(query("SELECT pg_typeof(wedding_date) || ',' || pg_typeof(ceremony_start) || ','"
                + " || pg_typeof(vendor_ids) FROM weddings")).isEqualTo("date,timestamp without time zone,text[]");
        assertThat(query("SELECT vendor_ids[2] FROM weddings")).isEqualTo("dj:42");
        assertThat(query("SELECT ceremony_start::text FROM weddings")).isEqualTo("2026-06-13 14:00:00");
        assertThat(query("SELECT (extract(epoch FROM at) * 1000)::bigint FROM wedding_events"))
                .isEqualTo(Long.toString(Instant.parse("2026-06-13T13:00:00.250Z").toEpochMilli()));
        assertThat(query("SELECT string_agg(table_name || '.' || column_name || '=' || collation_name, ','"
                + " ORDER BY table_name, column_name) FROM information_schema.columns"
                + " WHERE table_name IN ('weddings', 'wedding_events') AND column_name IN ('id', 'wedding_id', 'source')"))
                .isEqualTo("wedding_events.id=C,wedding_events.wedding_id=C,weddings.id=C,weddings.source=C");
    }

    @Test
    void upsert_severalNodesAtOnce_overlappingIds_eachNewIdCountedOnce() throws Exception {
        int nodes = 4;
        List<Wedding> weddings = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            weddings.add(wedding(String.format("w-%04d", i), JUNE_13.plusDays(i % 30)));
        }
        List<PostgresMetricStore> others = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int n = 0; n < nodes; n++) {
                PostgresMetricStore node = n == 0 ? backend : PostgresMetricStore.open(TestDatabase.settings(2), "node-" + (n + 1));
                if (n > 0) {
                    others.add(node);
                }
                List<Wedding> mine = new ArrayList<>(weddings);
                Collections.shuffle(mine, new Random(n));
                int nodeIndex = n;
                futures.add(pool.submit(() -> {
                    int added = 0;
                    // Each node upserts the whole calendar in overlapping slices of 250, in its own order.
                    for (int from = 0; from < mine.size(); from += 250) {
                        List<Wedding> slice = mine.subList(from, Math.min(mine.size(), from + 250 + 50 * nodeIndex));
                        added += node.weddings().upsert(slice);
                    }
                    return added;
                }));
            }
            int total = 0;
            for (Future<Integer> f : futures) {
                total += f.get(120, TimeUnit.SECONDS);
            }

            assertThat(total).as("new ids over all nodes").isEqualTo(2_000);
            assertThat(store.between(JUNE_13, JUNE_13.plusDays(30))).hasSize(2_000);
        } finally {
            pool.shutdownNow();
            others.forEach(PostgresMetricStore::close);
        }
    }

    @Test
    void failure_namesOperation_neverTheCoordinatorNorThePassword() throws SQLException {
        closeStore();
        // Trust authentication ignores the password, so the store opens with it; a dropped table then makes it fail.
        backend = PostgresMetricStore.open(new PostgresSettings(TestDatabase.env("VIGIL_TEST_PG_URL"),
                TestDatabase.env("VIGIL_TEST_PG_USER"), SECRET, 2), "node-1");
        store = backend.weddings();
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE weddings");
        }
        Wedding w = withCoordinator(wedding("w-1", JUNE_13),
                new Coordinator("Ana Souza", "ana.souza@planners.example", "+44 20 7946 0958"));

        assertThatThrownBy(() -> store.upsert(List.of(w)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("upsert of 1 weddings failed")
                .satisfies(e -> assertThat(((StorageException) e).retryable()).isFalse())
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage()))
                                .doesNotContain(SECRET, "Ana", "ana.souza", "7946");
                        assertThat(t.toString()).doesNotContain(SECRET, "Ana", "ana.souza", "7946");
                    }
                });
    }

    @Test
    void open_databaseAtVersionThree_migratesToTheNewestKeepingItsSeries() throws SQLException {
        closeStore();
        store = null;
        clear();
        PostgresSettings settings = TestDatabase.settings(1);
        Flyway.configure().dataSource(settings.jdbcUrl(), settings.user(), "").locations(PostgresMetricStore.MIGRATIONS)
                .target("3").load().migrate();
        SeriesRecord series = new SeriesRecord(new SeriesKey("guest_checkins", Labels.of("door", "garden")),
                MetricKind.DELTA);
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO series (id, metric, labels, kind) VALUES (" + series.id()
                    + ", 'guest_checkins', '{\"door\":\"garden\"}', " + MetricKind.DELTA.code() + ")");
        }

        store = newStore();

        assertThat(query("SELECT string_agg(version, ',' ORDER BY installed_rank) FROM flyway_schema_history"
                + " WHERE success")).isEqualTo("1,2,3,4,5,6");
        assertThat(backend.loadSeries()).containsExactly(series);
        assertThat(store.upsert(List.of(wedding("w-1", JUNE_13)))).isEqualTo(1);
    }
}
