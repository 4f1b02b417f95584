package io.vigil.store.embedded;

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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded SQLite wedding store against the wedding contract, plus its columns and its shared writer. */
class EmbeddedWeddingStoreTest extends WeddingStoreContract {
    @TempDir
    static Path root;

    private EmbeddedMetricStore backend;

    private static Path dataDir() {
        return root.resolve("data");
    }

    private static Path file() {
        return dataDir().resolve(EmbeddedMetricStore.FILE_NAME);
    }

    @Override
    protected WeddingStore newStore() {
        backend = EmbeddedMetricStore.open(dataDir());
        return backend.weddings();
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

    @Test
    void upsert_storesPlainColumns() throws SQLException {
        Wedding w = new Wedding("w-1", JUNE_13, LONDON, LocalDateTime.of(2026, 6, 13, 14, 30),
                LocalDateTime.of(2026, 6, 14, 1, 0), 120, null, List.of("florist-1", "dj:42"),
                io.vigil.core.wedding.WeddingStatus.CANCELLED, "ics:main-feed", null);
        store.upsert(List.of(w));
        store.appendEvents(List.of(checkin("w-1", "e-1", Instant.parse("2026-06-13T13:00:00.250Z"), 3)));

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT wedding_date, time_zone, ceremony_start, reception_end,"
                     + " vendor_ids, status, venue, coordinator_name FROM weddings")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(JUNE_13.toEpochDay());
            assertThat(rs.getString(2)).isEqualTo("Europe/London");
            assertThat(rs.getString(3)).isEqualTo("2026-06-13T14:30");
            assertThat(rs.getString(4)).isEqualTo("2026-06-14T01:00");
            assertThat(rs.getString(5)).isEqualTo("florist-1,dj:42");
            assertThat(rs.getString(6)).isEqualTo("cancelled");
            assertThat(rs.getString(7)).isNull();
            assertThat(rs.getString(8)).isNull();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT type, at, count FROM wedding_events")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("guest_checkin");
            assertThat(rs.getLong(2)).isEqualTo(Instant.parse("2026-06-13T13:00:00.250Z").toEpochMilli());
            assertThat(rs.getInt(3)).isEqualTo(3);
        }
    }

    @Test
    void weddingsAndMetrics_shareTheWriter_concurrentWritesAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        store.upsert(List.of(wedding("t" + thread + "-" + i, JUNE_13)));
                        store.appendEvents(List.of(checkin("t" + thread + "-" + i, "e", Instant.EPOCH, 1)));
                    }
                    return null;
                }));
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        backend.commit(List.of(new SeriesRecord(new SeriesKey("guest_checkins",
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

        assertThat(store.between(JUNE_13, JUNE_13)).hasSize(100);
        assertThat(backend.loadSeries()).hasSize(100);
    }

    @Test
    void failure_messageNamesOperation_neverTheCoordinator() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement st = c.createStatement()) {
            st.execute("DROP TABLE weddings");
        }
        Coordinator coordinator = new Coordinator("Ana Souza", "ana.souza@planners.example", "+44 20 7946 0958");
        Wedding w = withCoordinator(wedding("w-1", JUNE_13), coordinator);

        assertThatThrownBy(() -> store.upsert(List.of(w)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("upsert of 1 weddings failed")
                .hasMessageContaining(EmbeddedMetricStore.FILE_NAME)
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain("Ana", "ana.souza", "7946");
                    }
                });
    }

    @Test
    void corruptRow_throwsStorageExceptionNamingTheWedding() throws SQLException {
        store.upsert(List.of(withCoordinator(wedding("w-1", JUNE_13), new Coordinator("Ana Souza", null, null))));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement st = c.createStatement()) {
            st.execute("UPDATE weddings SET time_zone = 'Mars/Olympus_Mons'");
        }

        assertThatThrownBy(() -> store.get("w-1"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("wedding w-1 cannot be read")
                .hasMessageNotContaining("Ana");
    }

    @Test
    void calls_afterClose_throwIllegalState() {
        WeddingStore weddings = store;
        closeStore();
        store = null;

        assertThatThrownBy(() -> weddings.get("w-1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> weddings.upsert(List.of(wedding("w-1", JUNE_13))))
                .isInstanceOf(IllegalStateException.class);
    }
}
