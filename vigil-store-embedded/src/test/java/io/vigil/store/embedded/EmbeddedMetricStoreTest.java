package io.vigil.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.MetricKind;
import io.vigil.core.wedding.Wedding;
import io.vigil.store.MetricStore;
import io.vigil.store.StorageException;
import io.vigil.store.StateStore;
import io.vigil.store.Tier;
import io.vigil.store.tck.MetricStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded SQLite store against the storage contract, plus what only SQLite has (files, pragmas). */
class EmbeddedMetricStoreTest extends MetricStoreContract {
    @TempDir
    static Path root;

    private static Path dataDir() {
        return root.resolve("data");
    }

    @Override
    protected MetricStore newStore() {
        return EmbeddedMetricStore.open(dataDir());
    }

    @Override
    protected void overwriteStoredRollups(Tier tier, byte[] data) throws SQLException {
        Path file = dataDir().resolve(EmbeddedMetricStore.FILE_NAME);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             PreparedStatement ps = c.prepareStatement("UPDATE rollup_" + tierSuffix(tier) + " SET data = ?")) {
            ps.setBytes(1, data);
            ps.executeUpdate();
        }
    }

    private static String tierSuffix(Tier tier) {
        return switch (tier) {
            case TEN_SECONDS -> "10s";
            case ONE_MINUTE -> "1m";
            case ONE_HOUR -> "1h";
        };
    }

    @Override
    protected void clear() {
        deleteRecursively(dataDir());
    }

    private static void deleteRecursively(Path dir) {
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

    @Test
    void open_createsDatabaseInWalModeWithFullSync() throws SQLException {
        Path file = dataDir().resolve(EmbeddedMetricStore.FILE_NAME);
        assertThat(((EmbeddedMetricStore) store).file()).isEqualTo(file.toAbsolutePath());
        assertThat(file).exists();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            assertThat(query(st, "PRAGMA journal_mode")).isEqualTo("wal");
            assertThat(query(st, "SELECT version FROM schema_version")).isEqualTo(String.valueOf(Schema.VERSION));
        }
    }

    @Test
    void open_missingParentDirectories_areCreated() {
        Path nested = root.resolve("a/b/c");
        try (EmbeddedMetricStore s = EmbeddedMetricStore.open(nested)) {
            assertThat(s.check().ok()).isTrue();
        } finally {
            deleteRecursively(root.resolve("a"));
        }
    }

    @Test
    void open_dataDirIsAFile_throwsClearStorageException() throws IOException {
        Path file = Files.writeString(root.resolve("not-a-directory"), "x");
        try {
            assertThatThrownBy(() -> EmbeddedMetricStore.open(file))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("cannot create the data directory")
                    .hasMessageContaining(file.toString())
                    .satisfies(e -> assertThat(((StorageException) e).retryable()).isFalse());
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void open_corruptDatabase_throwsClearStorageException() throws IOException {
        store.close();
        store = null;
        Path dir = dataDir();
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Files.write(dir.resolve(EmbeddedMetricStore.FILE_NAME),
                "this is not an SQLite database, just a wedding speech draft. ".repeat(200).getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> EmbeddedMetricStore.open(dir))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("cannot open the embedded store")
                .hasMessageContaining(EmbeddedMetricStore.FILE_NAME)
                .hasMessageContaining("not a Vigil database or is damaged")
                .satisfies(e -> assertThat(((StorageException) e).retryable()).isFalse());
    }

    @Test
    void open_versionOneDatabase_isUpgradedAndKeepsItsSeries() throws SQLException {
        store.commit(List.of(REQUESTS, LATENCY), List.of(), 4);
        store.close();
        store = null;
        Path file = dataDir().resolve(EmbeddedMetricStore.FILE_NAME);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            // Back to layout 1: no seq column, no wedding tables, no state tables.
            dropStateTables(st);
            st.execute("DROP TABLE weddings");
            st.execute("DROP TABLE wedding_events");
            st.execute("DROP INDEX series_by_seq");
            st.execute("ALTER TABLE series DROP COLUMN seq");
            st.execute("UPDATE schema_version SET version = 1");
        }

        store = EmbeddedMetricStore.open(dataDir());

        assertThat(store.loadSeries()).containsExactlyInAnyOrder(REQUESTS, LATENCY);
        assertThat(store.checkpoint()).isEqualTo(4);
        long cursor = store.seriesAfter(0).cursor();
        store.commit(List.of(TEMPERATURE), List.of(), 5);
        assertThat(store.seriesAfter(cursor).series()).containsExactly(TEMPERATURE);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            assertThat(query(st, "SELECT version FROM schema_version")).isEqualTo(String.valueOf(Schema.VERSION));
        }
    }

    @Test
    void open_versionTwoDatabase_isUpgradedAndKeepsItsSeries() throws SQLException {
        store.commit(List.of(REQUESTS, LATENCY), List.of(rollup(REQUESTS, T0, aggregate(MetricKind.COUNTER, T0, 1, 5))),
                7);
        store.close();
        store = null;
        Path file = dataDir().resolve(EmbeddedMetricStore.FILE_NAME);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            // Back to layout 2: everything but the wedding and state tables.
            dropStateTables(st);
            st.execute("DROP TABLE weddings");
            st.execute("DROP TABLE wedding_events");
            st.execute("UPDATE schema_version SET version = 2");
        }

        EmbeddedMetricStore upgraded = EmbeddedMetricStore.open(dataDir());
        store = upgraded;

        assertThat(store.loadSeries()).containsExactlyInAnyOrder(REQUESTS, LATENCY);
        assertThat(store.checkpoint()).isEqualTo(7);
        assertThat(readAll(Tier.TEN_SECONDS, new long[] {REQUESTS.id()}, T0, T0 + HOUR)).hasSize(1);
        long cursor = store.seriesAfter(0).cursor();
        store.commit(List.of(TEMPERATURE), List.of(), 8);
        assertThat(store.seriesAfter(cursor).series()).containsExactly(TEMPERATURE);
        Wedding wedding = new Wedding("w-1", null, ZoneId.of("Europe/London"), LocalDateTime.of(2026, 6, 13, 14, 0),
                LocalDateTime.of(2026, 6, 13, 23, 0), 90, null, List.of(), null, null, null);
        assertThat(upgraded.weddings().upsert(List.of(wedding))).isEqualTo(1);
        assertThat(upgraded.weddings().get("w-1")).contains(wedding);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            assertThat(query(st, "SELECT version FROM schema_version")).isEqualTo(String.valueOf(Schema.VERSION));
            assertThat(query(st, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                    + " AND name IN ('weddings_by_date', 'weddings_by_source', 'wedding_events_by_time')")).isEqualTo("3");
        }
    }

    @Test
    void open_versionThreeDatabase_isUpgraded_keepsItsDataAndGainsTheStateTables() throws SQLException {
        Wedding wedding = new Wedding("w-1", null, ZoneId.of("Europe/London"), LocalDateTime.of(2026, 6, 13, 14, 0),
                LocalDateTime.of(2026, 6, 13, 23, 0), 90, null, List.of(), null, null, null);
        store.commit(List.of(REQUESTS), List.of(rollup(REQUESTS, T0, aggregate(MetricKind.COUNTER, T0, 1, 5))), 9);
        ((EmbeddedMetricStore) store).weddings().upsert(List.of(wedding));
        store.close();
        store = null;
        Path file = dataDir().resolve(EmbeddedMetricStore.FILE_NAME);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            // Back to layout 3: everything but the state tables.
            dropStateTables(st);
            st.execute("UPDATE schema_version SET version = 3");
        }

        EmbeddedMetricStore upgraded = EmbeddedMetricStore.open(dataDir());
        store = upgraded;

        assertThat(store.loadSeries()).containsExactly(REQUESTS);
        assertThat(store.checkpoint()).isEqualTo(9);
        assertThat(readAll(Tier.TEN_SECONDS, new long[] {REQUESTS.id()}, T0, T0 + HOUR)).hasSize(1);
        assertThat(upgraded.weddings().get("w-1")).contains(wedding);
        upgraded.state().put("rule", Map.of("r-1", "{}"));
        upgraded.state().append("alerts", Instant.ofEpochMilli(T0), "{\"fired\":true}");
        assertThat(upgraded.state().enqueue("k-1", "{}")).isTrue();
        assertThat(upgraded.state().get("rule", "r-1")).contains("{}");
        assertThat(upgraded.state().history("alerts", Instant.MIN, Instant.MAX, 10)).hasSize(1);
        assertThat(upgraded.state().claim("node-1", 10, Duration.ofMinutes(1))).hasSize(1);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            assertThat(query(st, "SELECT version FROM schema_version")).isEqualTo(String.valueOf(Schema.VERSION));
            assertThat(query(st, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                    + " AND name IN ('history_by_stream', 'history_by_at', 'outbox_open')")).isEqualTo("3");
        }
    }

    @Test
    void open_versionFourDatabase_isUpgraded_itsPendingIntentsStayInTheIntentsQueue() throws SQLException {
        EmbeddedMetricStore current = (EmbeddedMetricStore) store;
        current.state().enqueue("intent-1", "{\"kind\":\"FIRING\"}");
        store.close();
        store = null;
        Path file = dataDir().resolve(EmbeddedMetricStore.FILE_NAME);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            // Back to layout 4: the outbox without queues and dead letters.
            st.execute("DROP INDEX outbox_open");
            st.execute("DROP INDEX outbox_dead");
            st.execute("ALTER TABLE outbox DROP COLUMN queue");
            st.execute("ALTER TABLE outbox DROP COLUMN failure");
            st.execute("CREATE INDEX outbox_open ON outbox (id) WHERE done_at IS NULL");
            st.execute("UPDATE schema_version SET version = 4");
        }

        EmbeddedMetricStore upgraded = EmbeddedMetricStore.open(dataDir());
        store = upgraded;

        assertThat(upgraded.state().pending(10)).extracting(StateStore.OutboxItem::key).containsExactly("intent-1");
        assertThat(upgraded.state().pending("deliveries", 10)).isEmpty();
        assertThat(upgraded.state().enqueue("deliveries", "d-1", "{}")).isTrue();
        assertThat(upgraded.state().claim("deliveries", "node-1", 10, Duration.ofMinutes(1))).hasSize(1);
    }

    /** Drops what schema version 4 added. */
    private static void dropStateTables(Statement st) throws SQLException {
        st.execute("DROP TABLE documents");
        st.execute("DROP TABLE history");
        st.execute("DROP TABLE outbox");
    }

    @Test
    void open_emptyDatabaseFile_getsTheWholeSchema() throws IOException, SQLException {
        store.close();
        store = null;
        Path dir = dataDir();
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Path file = Files.createFile(dir.resolve(EmbeddedMetricStore.FILE_NAME));

        store = EmbeddedMetricStore.open(dir);

        assertThat(store.loadSeries()).isEmpty();
        assertThat(((EmbeddedMetricStore) store).weddings().between(java.time.LocalDate.MIN, java.time.LocalDate.MAX))
                .isEmpty();
        assertThat(((EmbeddedMetricStore) store).state().list("rule")).isEmpty();
        assertThat(((EmbeddedMetricStore) store).state().pending(10)).isEmpty();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            assertThat(query(st, "SELECT version FROM schema_version")).isEqualTo(String.valueOf(Schema.VERSION));
        }
    }

    @Test
    void open_newerSchemaVersion_isRefused() throws SQLException {
        store.close();
        store = null;
        Path file = dataDir().resolve(EmbeddedMetricStore.FILE_NAME);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            st.execute("UPDATE schema_version SET version = 99");
        }

        assertThatThrownBy(() -> EmbeddedMetricStore.open(dataDir()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("schema version 99");
    }

    @Test
    void commit_labels_storedAsCanonicalJson() throws SQLException {
        store.commit(List.of(REQUESTS), List.of(), 1);
        Path file = dataDir().resolve(EmbeddedMetricStore.FILE_NAME);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            assertThat(query(st, "SELECT labels FROM series")).isEqualTo("{\"route\":\"/rsvp\",\"status\":\"200\"}");
            assertThat(query(st, "SELECT id FROM series")).isEqualTo(Long.toString(REQUESTS.id()));
        }
    }

    @Test
    void calls_afterClose_throwIllegalState() {
        store.close();

        assertThatThrownBy(() -> store.checkpoint()).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.commit(List.of(), List.of(), 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void retryable_onlyForBusyAndLocked() {
        assertThat(EmbeddedMetricStore.retryable(new org.sqlite.SQLiteException("busy",
                org.sqlite.SQLiteErrorCode.SQLITE_BUSY))).isTrue();
        assertThat(EmbeddedMetricStore.retryable(new SQLException("wrapped", new org.sqlite.SQLiteException("locked",
                org.sqlite.SQLiteErrorCode.SQLITE_LOCKED_SHAREDCACHE)))).isTrue();
        assertThat(EmbeddedMetricStore.retryable(new org.sqlite.SQLiteException("corrupt",
                org.sqlite.SQLiteErrorCode.SQLITE_CORRUPT))).isFalse();
    }

    private static String query(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
