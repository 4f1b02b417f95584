package io.vigil.engine;

import static io.vigil.engine.StorageEngineTest.CLOCK;
import static io.vigil.engine.StorageEngineTest.T0;
import static io.vigil.engine.StorageEngineTest.latencies;
import static io.vigil.engine.StorageEngineTest.query;
import static io.vigil.engine.StorageEngineTest.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.Stat;
import io.vigil.store.CheckResult;
import io.vigil.store.MetricStore;
import io.vigil.store.Rollup;
import io.vigil.store.RollupVisitor;
import io.vigil.store.SeriesChanges;
import io.vigil.store.SeriesRecord;
import io.vigil.store.StorageException;
import io.vigil.store.Tier;
import io.vigil.store.embedded.EmbeddedMetricStore;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine while its store fails: writes are refused, nothing acknowledged is lost, and a commit whose answer was
 * lost is counted once whether or not it took effect. The real embedded store sits behind a switch that breaks its
 * commits the way a dropped database connection does.
 */
class StoreFailureTest {
    @TempDir
    Path dir;

    /** Where a broken connection strikes: before the database applied the commit, or after (the answer is lost). */
    enum Break { BEFORE_COMMIT, AFTER_COMMIT }

    /** The real store, with commits failing on demand. */
    static final class FlakyStore implements MetricStore {
        private final MetricStore real;
        volatile Break breaking;

        FlakyStore(MetricStore real) {
            this.real = real;
        }

        @Override
        public SeriesChanges seriesAfter(long cursor) {
            return real.seriesAfter(cursor);
        }

        @Override
        public void commit(Collection<SeriesRecord> series, Collection<Rollup> rollups, long checkpoint) {
            Break b = breaking;
            if (b == Break.BEFORE_COMMIT) {
                throw new StorageException("connection refused", null, true);
            }
            real.commit(series, rollups, checkpoint);
            if (b == Break.AFTER_COMMIT) {
                throw new StorageException("connection reset before the answer", null, true);
            }
        }

        @Override
        public long checkpoint() {
            return real.checkpoint();
        }

        @Override
        public long read(Tier tier, long[] seriesIds, long fromMillis, long toMillis, boolean distributions,
                         RollupVisitor visitor) {
            return real.read(tier, seriesIds, fromMillis, toMillis, distributions, visitor);
        }

        @Override
        public long downsample(Tier source, long upToMillis) {
            return real.downsample(source, upToMillis);
        }

        @Override
        public long deleteBefore(Tier tier, long beforeMillis) {
            return real.deleteBefore(tier, beforeMillis);
        }

        @Override
        public CheckResult check() {
            return real.check();
        }

        @Override
        public void close() {
            real.close();
        }
    }

    private static double count(StorageEngine engine) {
        return single(query(engine, new Stat(Stat.Type.COUNT, 0), Map.of(), List.of()));
    }

    @ParameterizedTest
    @EnumSource(Break.class)
    void failedCommit_refusesWrites_thenRecovers_countingEverySampleOnce(Break where) {
        FlakyStore store = new FlakyStore(EmbeddedMetricStore.open(dir.resolve("store")));
        try (StorageEngine engine = StorageEngine.openManual(store, dir.resolve("wal"), EngineConfig.DEFAULTS, CLOCK)) {
            engine.write(latencies("/photos", "200", T0, 1.0, 2.0, 3.0));
            store.breaking = where;

            assertThatThrownBy(engine::flush).isInstanceOf(StorageException.class);

            assertThat(engine.storeFailure()).contains("connection");
            assertThat(count(engine)).as("the rollups of the failed commit stay visible once").isEqualTo(3);
            assertThatThrownBy(() -> engine.write(latencies("/photos", "200", T0 + 1_000, 4.0)))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("writes resume by themselves");
            assertThatThrownBy(engine::flush).as("still failing").isInstanceOf(StorageException.class);

            store.breaking = null;
            engine.flush();

            assertThat(engine.storeFailure()).isNull();
            assertThat(count(engine)).isEqualTo(3);
            engine.write(latencies("/photos", "200", T0 + 1_000, 4.0));
            engine.flush();
            assertThat(count(engine)).isEqualTo(4);
        }
        try (StorageEngine reopened = StorageEngine.openManual(EmbeddedMetricStore.open(dir.resolve("store")),
                dir.resolve("wal"), EngineConfig.DEFAULTS, CLOCK)) {
            assertThat(count(reopened)).as("after a restart, from store and WAL").isEqualTo(4);
        }
    }

    @Test
    void crashWhileACommitIsInDoubt_replayCountsEachSampleOnce() {
        FlakyStore store = new FlakyStore(EmbeddedMetricStore.open(dir.resolve("store")));
        StorageEngine engine = StorageEngine.openManual(store, dir.resolve("wal"), EngineConfig.DEFAULTS, CLOCK);
        engine.write(latencies("/timeline", "200", T0, 1.0, 2.0));
        store.breaking = Break.AFTER_COMMIT;
        assertThatThrownBy(engine::flush).isInstanceOf(StorageException.class);
        engine.abandonForTests();

        try (StorageEngine reopened = StorageEngine.openManual(EmbeddedMetricStore.open(dir.resolve("store")),
                dir.resolve("wal"), EngineConfig.DEFAULTS, CLOCK)) {
            assertThat(count(reopened)).isEqualTo(2);
        }
    }
}
