package io.vigil.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.store.SeriesRecord;
import io.vigil.store.StateStore;
import io.vigil.store.StorageException;
import io.vigil.store.tck.StateStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded SQLite state store against the state contract, plus its columns and its shared writer. */
class EmbeddedStateStoreTest extends StateStoreContract {
    @TempDir
    static Path root;

    private EmbeddedMetricStore backend;

    private static Path dataDir() {
        return root.resolve("data");
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDir().resolve(EmbeddedMetricStore.FILE_NAME));
    }

    @Override
    protected StateStore newStore() {
        backend = EmbeddedMetricStore.open(dataDir());
        return backend.state();
    }

    @Override
    protected void closeStore() {
        backend.close();
        backend = null;
    }

    @Override
    protected void clear() {
        Path dir = dataDir();
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void refuseDocument(String kind, String id) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TRIGGER refuse_document BEFORE INSERT ON documents"
                    + " WHEN NEW.kind = " + literal(kind) + " AND NEW.id = " + literal(id)
                    + " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
        }
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    @Test
    void rows_arePlainColumns() throws SQLException {
        store.put("rule", Map.of("r-1", "{\"threshold\":5}"));
        store.append("alerts", Instant.parse("2026-06-13T18:00:00.250Z"), "{\"fired\":true}");
        store.enqueue("alert-1/pagerduty", "{\"to\":\"pagerduty\"}");
        long before = System.currentTimeMillis();
        StateStore.OutboxItem item = store.claim("node-1", 1, Duration.ofMinutes(2)).get(0);
        store.complete(item.id(), "node-1");

        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertThat(query(st, "SELECT kind || '/' || id || '=' || json FROM documents"))
                    .isEqualTo("rule/r-1={\"threshold\":5}");
            assertThat(query(st, "SELECT stream || ' ' || at FROM history"))
                    .isEqualTo("alerts " + Instant.parse("2026-06-13T18:00:00.250Z").toEpochMilli());
            try (ResultSet rs = st.executeQuery("SELECT key, claimed_by, claimed_until, done_at, attempts, enqueued_at"
                    + " FROM outbox")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("alert-1/pagerduty");
                assertThat(rs.getString(2)).isEqualTo("node-1");
                assertThat(rs.getLong(3)).isBetween(before + 120_000, System.currentTimeMillis() + 120_000);
                assertThat(rs.getLong(4)).isGreaterThanOrEqualTo(before);
                assertThat(rs.getInt(5)).isEqualTo(1);
                assertThat(rs.getLong(6)).isEqualTo(item.enqueuedAt().toEpochMilli());
            }
        }
    }

    @Test
    void stateAndMetrics_shareTheWriter_concurrentWritesAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        store.put("rule", Map.of("t" + thread + "-" + i, "{}"));
                        store.append("alerts", Instant.EPOCH.plusSeconds(i), "{}");
                        store.enqueue("t" + thread + "-" + i, "{}");
                    }
                    return null;
                }));
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        backend.commit(List.of(new SeriesRecord(new SeriesKey("alerts_fired",
                                Labels.of("thread", Integer.toString(thread), "i", Integer.toString(i))),
                                MetricKind.DELTA)), List.of(), 0);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.list("rule")).hasSize(100);
        assertThat(store.history("alerts", Instant.MIN, Instant.MAX, 1_000)).hasSize(100);
        assertThat(store.pending(1_000)).hasSize(100);
        assertThat(backend.loadSeries()).hasSize(100);
    }

    @Test
    void failure_messageNamesOperationAndFile_neverTheDocument() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE documents");
        }

        assertThatThrownBy(() -> store.put("contact", Map.of("c-1", "{\"phone\":\"+44 20 7946 0958\"}")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("put of 1 documents of kind contact failed")
                .hasMessageContaining(EmbeddedMetricStore.FILE_NAME)
                .satisfies(e -> assertThat(((StorageException) e).retryable()).isFalse())
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain("7946");
                    }
                });
    }

    @Test
    void history_readsThroughTheStreamIndex() throws SQLException {
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN SELECT seq, at, json FROM history"
                     + " WHERE stream = ? AND at >= ? AND at < ? ORDER BY at DESC, seq DESC LIMIT ?")) {
            ps.setString(1, "alerts");
            ps.setLong(2, 0);
            ps.setLong(3, 1);
            ps.setInt(4, 10);
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(4)).append('\n');
                }
            }
            assertThat(plan.toString()).contains("history_by_stream").doesNotContain("TEMP B-TREE");
        }
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

    private static String query(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
