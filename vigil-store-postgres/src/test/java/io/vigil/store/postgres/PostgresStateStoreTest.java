package io.vigil.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.store.StateStore;
import io.vigil.store.StateStore.OutboxItem;
import io.vigil.store.StorageException;
import io.vigil.store.tck.StateStoreContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL state store against the state contract, plus what only PostgreSQL has: several nodes claiming,
 * enqueuing and putting at once, column types and collations, the migration from version 4. Needs the database
 * named by {@code VIGIL_TEST_PG_URL} and {@code VIGIL_TEST_PG_USER}; fails, never skips, without one.
 */
class PostgresStateStoreTest extends StateStoreContract {
    private static final String SECRET = "s3cret-Wedding-Cake-7f3a";

    private PostgresMetricStore backend;

    @Override
    protected StateStore newStore() {
        backend = PostgresMetricStore.open(TestDatabase.settings(4), "node-1");
        return backend.state();
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

    @Override
    protected void refuseDocument(String kind, String id) throws SQLException {
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE FUNCTION refuse_document() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF NEW.kind = " + literal(kind) + " AND NEW.id = " + literal(id) + " THEN"
                    + " RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$");
            st.execute("CREATE TRIGGER refuse_document BEFORE INSERT OR UPDATE ON documents"
                    + " FOR EACH ROW EXECUTE FUNCTION refuse_document()");
        }
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String query(String sql) throws SQLException {
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private List<PostgresMetricStore> otherNodes(int count) {
        List<PostgresMetricStore> nodes = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            nodes.add(PostgresMetricStore.open(TestDatabase.settings(2), "node-" + (n + 2)));
        }
        return nodes;
    }

    @Test
    void tables_havePostgresTypes_andCompareTextByteWise() throws SQLException {
        store.put("rule", Map.of("r-1", "{}"));
        store.append("alerts", Instant.parse("2026-06-13T18:00:00.250Z"), "{}");
        store.enqueue("k-1", "{}");
        store.claim("node-1", 1, Duration.ofMinutes(2));

        assertThat(query("SELECT at FROM history"))
                .isEqualTo(Long.toString(Instant.parse("2026-06-13T18:00:00.250Z").toEpochMilli()));
        assertThat(query("SELECT pg_typeof(enqueued_at) || ',' || pg_typeof(claimed_until) FROM outbox"))
                .isEqualTo("timestamp with time zone,timestamp with time zone");
        assertThat(query("SELECT claimed_until - enqueued_at BETWEEN interval '119 seconds' AND interval '130 seconds'"
                + " FROM outbox")).isEqualTo("t");
        assertThat(query("SELECT string_agg(table_name || '.' || column_name || '=' || collation_name, ','"
                + " ORDER BY table_name, column_name) FROM information_schema.columns"
                + " WHERE table_name IN ('documents', 'history', 'outbox') AND collation_name IS NOT NULL"))
                .isEqualTo("documents.id=C,documents.kind=C,history.stream=C,outbox.key=C,outbox.queue=C");
    }

    @Test
    void claim_severalNodesAtOnce_eachItemIsReceivedByExactlyOne() throws Exception {
        int items = 400;
        for (int i = 0; i < items; i++) {
            store.enqueue(String.format("wedding-%03d/caterer", i), "{\"n\":" + i + "}");
        }
        List<PostgresMetricStore> others = otherNodes(2);
        ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> claimers = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                StateStore node = t % 3 == 0 ? store : others.get(t % 3 - 1).state();
                String consumer = "consumer-" + t;
                claimers.add(pool.submit(() -> {
                    start.await();
                    int mine = 0;
                    List<OutboxItem> got;
                    do {
                        got = node.claim(consumer, 5, Duration.ofMinutes(1));
                        for (OutboxItem item : got) {
                            received.add(item.key());
                            mine++;
                            if (!node.complete(item.id(), consumer)) {
                                refused.incrementAndGet();
                            }
                        }
                    } while (!got.isEmpty());
                    return mine;
                }));
            }
            start.countDown();
            int claimersThatTookPart = 0;
            for (Future<Integer> f : claimers) {
                claimersThatTookPart += f.get(120, TimeUnit.SECONDS) > 0 ? 1 : 0;
            }

            assertThat(received).hasSize(items).doesNotHaveDuplicates();
            assertThat(refused).hasValue(0);
            assertThat(claimersThatTookPart).as("SKIP LOCKED lets claimers work side by side").isGreaterThan(1);
            assertThat(store.pending(items)).isEmpty();
        } finally {
            pool.shutdownNow();
            others.forEach(PostgresMetricStore::close);
        }
    }

    @Test
    void enqueue_severalNodesAtOnce_eachKeyIsAcceptedOnce() throws Exception {
        List<PostgresMetricStore> others = otherNodes(3);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            keys.add("alert-" + i + "/pagerduty");
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int n = 0; n < 4; n++) {
                StateStore node = n == 0 ? store : others.get(n - 1).state();
                List<String> mine = new ArrayList<>(keys);
                Collections.shuffle(mine, new Random(n));
                int nodeIndex = n;
                futures.add(pool.submit(() -> {
                    int accepted = 0;
                    for (String key : mine) {
                        accepted += node.enqueue(key, "{\"node\":" + nodeIndex + "}") ? 1 : 0;
                    }
                    return accepted;
                }));
            }
            int total = 0;
            for (Future<Integer> f : futures) {
                total += f.get(120, TimeUnit.SECONDS);
            }

            assertThat(total).isEqualTo(300);
            assertThat(store.pending(1_000)).hasSize(300);
        } finally {
            pool.shutdownNow();
            others.forEach(PostgresMetricStore::close);
        }
    }

    @Test
    void put_severalNodesAtOnce_overlappingDocuments_allSucceed() throws Exception {
        List<PostgresMetricStore> others = otherNodes(3);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int n = 0; n < 4; n++) {
                StateStore node = n == 0 ? store : others.get(n - 1).state();
                int nodeIndex = n;
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        Map<String, String> docs = new HashMap<>();
                        for (int i = 0; i < 500; i++) {
                            docs.put(String.format("alert-%03d", (i * 7 + round * 13 + nodeIndex * 31) % 600),
                                    "{\"node\":" + nodeIndex + "}");
                        }
                        node.put("alert_state", docs);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            others.forEach(PostgresMetricStore::close);
        }

        assertThat(store.list("alert_state")).hasSizeGreaterThan(500)
                .allSatisfy((id, json) -> assertThat(json).matches("\\{\"node\":[0-3]}"));
    }

    @Test
    void failure_namesOperation_neverTheDocumentNorThePassword() throws SQLException {
        closeStore();
        // Trust authentication ignores the password, so the store opens with it; a dropped table then makes it fail.
        backend = PostgresMetricStore.open(new PostgresSettings(TestDatabase.env("VIGIL_TEST_PG_URL"),
                TestDatabase.env("VIGIL_TEST_PG_USER"), SECRET, 2), "node-1");
        store = backend.state();
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE documents");
        }

        assertThatThrownBy(() -> store.put("contact", Map.of("c-1", "{\"phone\":\"+44 20 7946 0958\"}")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("put of 1 documents of kind contact failed")
                .satisfies(e -> assertThat(((StorageException) e).retryable()).isFalse())
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET, "7946");
                        assertThat(t.toString()).doesNotContain(SECRET, "7946");
                    }
                });
    }

    @Test
    void open_databaseAtVersionFive_migratesToSix_itsPendingIntentsStayInTheIntentsQueue() throws SQLException {
        closeStore();
        store = null;
        clear();
        PostgresSettings settings = TestDatabase.settings(1);
        Flyway.configure().dataSource(settings.jdbcUrl(), settings.user(), "").locations(PostgresMetricStore.MIGRATIONS)
                .target("5").load().migrate();
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO outbox (key, json) VALUES ('intent-1', '{\"kind\":\"FIRING\"}')");
        }

        store = newStore();

        assertThat(store.pending(10)).extracting(StateStore.OutboxItem::key).containsExactly("intent-1");
        assertThat(store.pending("deliveries", 10)).isEmpty();
        assertThat(store.enqueue("deliveries", "d-1", "{}")).isTrue();
        assertThat(store.claim("deliveries", "node-1", 10, java.time.Duration.ofMinutes(1))).hasSize(1);
    }

    @Test
    void open_databaseAtVersionFour_migratesToTheNewestKeepingItsWeddingsAndWork() throws SQLException {
        closeStore();
        store = null;
        clear();
        PostgresSettings settings = TestDatabase.settings(1);
        Flyway.configure().dataSource(settings.jdbcUrl(), settings.user(), "").locations(PostgresMetricStore.MIGRATIONS)
                .target("4").load().migrate();
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO work_item (kind, work_key, payload) VALUES ('check', 'cdn-eu', '\\x01')");
            st.execute("INSERT INTO weddings (id, wedding_date, time_zone, ceremony_start, reception_end, guest_count,"
                    + " vendor_ids, status, source) VALUES ('w-1', '2026-06-13', 'Europe/London',"
                    + " '2026-06-13 14:00', '2026-06-13 23:00', 90, '{}', 'scheduled', 'api')");
        }

        store = newStore();

        assertThat(query("SELECT string_agg(version, ',' ORDER BY installed_rank) FROM flyway_schema_history"
                + " WHERE success")).isEqualTo("1,2,3,4,5,6");
        assertThat(backend.weddings().get("w-1")).isPresent();
        assertThat(query("SELECT count(*) FROM work_item")).isEqualTo("1");
        store.put("rule", Map.of("r-1", "{}"));
        store.append("alerts", Instant.parse("2026-06-13T18:00:00Z"), "{}");
        assertThat(store.enqueue("k-1", "{}")).isTrue();
        assertThat(store.get("rule", "r-1")).contains("{}");
        assertThat(store.history("alerts", Instant.MIN, Instant.MAX, 10)).hasSize(1);
        assertThat(store.claim("node-1", 10, Duration.ofMinutes(1))).hasSize(1);
    }

    @Test
    void calls_afterClose_throwIllegalState() {
        StateStore state = store;
        closeStore();
        store = null;

        assertThatThrownBy(() -> state.get("rule", "r-1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> state.put("rule", Map.of("r-1", "{}"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> state.put("rule", Map.of())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> state.claim("node-1", 0, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> state.pending(10)).isInstanceOf(IllegalStateException.class);
    }
}
