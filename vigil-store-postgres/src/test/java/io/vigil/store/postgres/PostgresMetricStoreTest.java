package io.vigil.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.MetricKind;
import io.vigil.store.MetricStore;
import io.vigil.store.StorageException;
import io.vigil.store.Tier;
import io.vigil.store.tck.MetricStoreContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL store against the storage contract, plus what only PostgreSQL has. Needs a running database named
 * by {@code VIGIL_TEST_PG_URL} and {@code VIGIL_TEST_PG_USER} (empty password); fails, never skips, without one.
 */
class PostgresMetricStoreTest extends MetricStoreContract {
    private static final String SECRET = "s3cret-Wedding-Cake-7f3a";


    private static PostgresSettings settings() {
        return TestDatabase.settings(4);
    }

    @Override
    protected MetricStore newStore() {
        return PostgresMetricStore.open(settings(), "node-1");
    }

    @Override
    protected void overwriteStoredRollups(Tier tier, byte[] data) throws SQLException {
        try (Connection c = TestDatabase.connect();
             PreparedStatement ps = c.prepareStatement("UPDATE " + switch (tier) {
                 case TEN_SECONDS -> "rollup_10s";
                 case ONE_MINUTE -> "rollup_1m";
                 case ONE_HOUR -> "rollup_1h";
             } + " SET data = ?")) {
            ps.setBytes(1, data);
            ps.executeUpdate();
        }
    }

    /** Drops the store's tables and Flyway's history; the next open migrates a fresh schema. */
    @Override
    protected void clear() {
        try (Connection c = admin(); Statement st = c.createStatement()) {
            // Everything Vigil's migrations create lives in the public schema of this scratch database.
            st.execute("DROP SCHEMA public CASCADE");
            st.execute("CREATE SCHEMA public");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot clear the test database: " + e.getMessage(), e);
        }
    }

    private static Connection admin() throws SQLException {
        return TestDatabase.connect();
    }

    private static String query(String sql) throws SQLException {
        try (Connection c = admin(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void open_migratesSchemaWithFlyway() throws SQLException {
        assertThat(query("SELECT string_agg(version, ',' ORDER BY installed_rank) FROM flyway_schema_history"
                + " WHERE success")).isEqualTo("1,2,3,4,5,6");
        assertThat(query("SELECT count(*) FROM information_schema.tables WHERE table_name = 'work_item'")).isEqualTo("1");
        assertThat(query("SELECT count(*) FROM information_schema.tables"
                + " WHERE table_name IN ('documents', 'history', 'outbox')")).isEqualTo("3");
        assertThat(query("SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'rollup_%_by_bucket'")).isEqualTo("3");
    }

    @Test
    void commit_labels_storedAsCanonicalJson() throws SQLException {
        store.commit(List.of(REQUESTS), List.of(), 1);

        assertThat(query("SELECT labels FROM series")).isEqualTo("{\"route\":\"/rsvp\",\"status\":\"200\"}");
        assertThat(query("SELECT id FROM series")).isEqualTo(Long.toString(REQUESTS.id()));
        assertThat(query("SELECT labels::json ->> 'route' FROM series")).isEqualTo("/rsvp");
    }

    @Test
    void calls_afterClose_throwIllegalState() {
        store.close();

        assertThatThrownBy(() -> store.checkpoint()).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.commit(List.of(), List.of(), 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void settings_toString_neverShowsPassword() {
        PostgresSettings s = new PostgresSettings("jdbc:postgresql://db.example:5432/vigil?password=" + SECRET
                + "&ssl=true", "vigil", SECRET, 3);

        assertThat(s.toString()).doesNotContain(SECRET).contains("***").contains("db.example:5432/vigil")
                .contains("ssl=true");
        assertThat(s.redactedUrl()).doesNotContain(SECRET);
        assertThat(new PostgresSettings("jdbc:postgresql://u:" + SECRET + "@h/db", "u", "", 1).toString())
                .doesNotContain(SECRET);
    }

    @Test
    void open_unreachableDatabase_retryableAndNoPasswordInAnyMessage() {
        // Port 1 on loopback: connection refused, SQLState 08001.
        PostgresSettings s = new PostgresSettings("jdbc:postgresql://127.0.0.1:1/vigil?connectTimeout=2&password="
                + SECRET, "vigil", SECRET, 2);

        assertThatThrownBy(() -> PostgresMetricStore.open(s, "node-1"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("cannot open")
                .hasMessageContaining("127.0.0.1:1")
                .satisfies(e -> assertThat(((StorageException) e).retryable()).isTrue())
                .satisfies(PostgresMetricStoreTest::assertNoSecretInChain);
    }

    @Test
    void operationFailure_namesOperation_notRetryable_noPasswordInAnyMessage() throws SQLException {
        store.close();
        // Trust authentication ignores the password, so the store opens with it; a broken table then makes it fail.
        store = PostgresMetricStore.open(new PostgresSettings(TestDatabase.env("VIGIL_TEST_PG_URL"),
                TestDatabase.env("VIGIL_TEST_PG_USER"),
                SECRET, 2), "node-1");
        assertThat(store.toString()).doesNotContain(SECRET);
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE rollup_10s");
        }

        assertThatThrownBy(() -> store.commit(List.of(REQUESTS),
                List.of(rollup(REQUESTS, T0, aggregate(MetricKind.COUNTER, T0, 1))), 1))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("commit of 1 series and 1 rollups failed")
                .satisfies(e -> assertThat(((StorageException) e).retryable()).isFalse())
                .satisfies(PostgresMetricStoreTest::assertNoSecretInChain);
        assertThat(store.checkpoint()).as("the failed commit stored nothing").isZero();
        assertThat(store.loadSeries()).isEmpty();
        assertThat(store.check().ok()).isTrue();
        store.close();
        assertThat(store.check().detail()).doesNotContain(SECRET);
    }

    @Test
    void commit_concurrentNodes_overlappingKeys_noDeadlockNoLostMerge() throws Exception {
        List<io.vigil.store.SeriesRecord> series = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            series.add(new io.vigil.store.SeriesRecord(new io.vigil.core.SeriesKey("guest_checkins",
                    io.vigil.core.Labels.of("table", Integer.toString(i))), MetricKind.DELTA));
        }
        int threads = 4;
        int rounds = 15;
        // Series known beforehand, so that nothing serialises the nodes: each round inserts new buckets on all four.
        store.commit(series, List.of(), 0);
        try (MetricStore node2 = PostgresMetricStore.open(settings(), "node-2");
             MetricStore node3 = PostgresMetricStore.open(settings(), "node-3");
             MetricStore node4 = PostgresMetricStore.open(settings(), "node-4")) {
            MetricStore[] nodes = {store, node2, node3, node4}; // one committing thread per node
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            try {
                List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    MetricStore node = nodes[t];
                    boolean reversed = t % 2 == 1;
                    futures.add(pool.submit(() -> {
                        for (int r = 0; r < rounds; r++) {
                            List<io.vigil.store.Rollup> rollups = new java.util.ArrayList<>();
                            for (io.vigil.store.SeriesRecord s : series) {
                                for (int b = 2 * r; b < 2 * r + 2; b++) {
                                    rollups.add(rollup(s, T0 + b * TEN_SECONDS,
                                            aggregate(MetricKind.DELTA, T0 + b * TEN_SECONDS, 1)));
                                }
                            }
                            if (reversed) {
                                java.util.Collections.reverse(rollups);
                            }
                            node.commit(List.of(), rollups, r + 1);
                        }
                        return null;
                    }));
                }
                for (var f : futures) {
                    f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        List<Row> rows = readAll(Tier.TEN_SECONDS, series.stream().mapToLong(io.vigil.store.SeriesRecord::id).toArray(),
                T0, T0 + HOUR);
        assertThat(rows).hasSize(200 * 2 * rounds);
        assertThat(rows).extracting(r -> r.aggregate().samples()).containsOnly((long) threads);
        assertThat(store.loadSeries()).hasSize(200);
    }

    @Test
    void twoNodes_keepTheirOwnCheckpoints_andSeeEachOthersSeries() {
        try (PostgresMetricStore nodeB = PostgresMetricStore.open(settings(), "node-2")) {
            long cursorB = nodeB.seriesAfter(0).cursor();
            store.commit(List.of(REQUESTS), List.of(rollup(REQUESTS, T0, aggregate(MetricKind.COUNTER, T0, 5))), 900);
            nodeB.commit(List.of(LATENCY), List.of(rollup(REQUESTS, T0, aggregate(MetricKind.COUNTER, T0 + 1, 7))), 3);

            assertThat(store.checkpoint()).isEqualTo(900);
            assertThat(nodeB.checkpoint()).as("node-2's WAL position is its own").isEqualTo(3);
            assertThat(nodeB.seriesAfter(cursorB).series()).containsExactlyInAnyOrder(REQUESTS, LATENCY);
            List<Row> rows = readAll(Tier.TEN_SECONDS, new long[] {REQUESTS.id()}, T0, T0 + HOUR);
            assertThat(rows).singleElement().satisfies(r -> assertThat(r.aggregate().samples()).isEqualTo(2));
        }
    }

    @Test
    void seriesAfter_seriesOfATransactionStillOpen_comesWithTheNextCallAfterItCommits() throws Exception {
        long cursor = store.seriesAfter(0).cursor();
        try (Connection c = TestDatabase.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO series (id, metric, labels, kind) VALUES (?, ?, ?, ?)")) {
                ps.setLong(1, LATENCY.id());
                ps.setString(2, LATENCY.key().metric());
                ps.setString(3, io.vigil.store.CanonicalLabels.encode(LATENCY.key().labels()));
                ps.setShort(4, (short) LATENCY.kind().code());
                ps.executeUpdate();
            }
            // A later transaction commits first: its series must not move the cursor past the open one.
            store.commit(List.of(REQUESTS), List.of(), 1);
            io.vigil.store.SeriesChanges first = store.seriesAfter(cursor);
            assertThat(first.series()).doesNotContain(LATENCY);
            c.commit();
            io.vigil.store.SeriesChanges second = store.seriesAfter(first.cursor());
            assertThat(java.util.stream.Stream.concat(first.series().stream(), second.series().stream()))
                    .containsExactlyInAnyOrder(REQUESTS, LATENCY);
        }
    }

    @Test
    void retryable_bySqlStateClass() {
        assertThat(PostgresMetricStore.retryable(new SQLException("refused", "08001"))).isTrue();
        assertThat(PostgresMetricStore.retryable(new SQLException("serialization", "40001"))).isTrue();
        assertThat(PostgresMetricStore.retryable(new SQLException("deadlock", "40P01"))).isTrue();
        assertThat(PostgresMetricStore.retryable(new SQLException("admin shutdown", "57P01"))).isTrue();
        assertThat(PostgresMetricStore.retryable(new SQLException("wrapped", "XX000",
                new SQLException("io", "08006")))).isTrue();
        assertThat(PostgresMetricStore.retryable(new SQLException("unique", "23505"))).isFalse();
        assertThat(PostgresMetricStore.retryable(new SQLException("undefined table", "42P01"))).isFalse();
        assertThat(PostgresMetricStore.retryable(new SQLException("cancel", "57014"))).isFalse();
    }

    private static void assertNoSecretInChain(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).as("message of %s", t.getClass().getName())
                    .doesNotContain(SECRET);
            assertThat(t.toString()).doesNotContain(SECRET);
            if (t.getCause() == t) {
                break;
            }
        }
    }
}
