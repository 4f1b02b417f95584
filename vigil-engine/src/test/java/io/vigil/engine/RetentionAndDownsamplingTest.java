package io.vigil.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.core.Stat;
import io.vigil.engine.query.QueryEngine;
import io.vigil.engine.query.QueryRequest;
import io.vigil.engine.query.QueryResult;
import io.vigil.store.embedded.EmbeddedMetricStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Old data leaves the 10-second tier by retention and is still answered, exactly, from the downsampled tiers. */
class RetentionAndDownsamplingTest {
    static final long T0 = StorageEngineTest.T0;

    @TempDir
    Path dir;

    private StorageEngine open(long nowMillis) {
        return StorageEngine.openManual(EmbeddedMetricStore.open(dir.resolve("store")), dir.resolve("wal"),
                EngineConfig.DEFAULTS, Clock.fixed(Instant.ofEpochMilli(nowMillis), ZoneOffset.UTC));
    }

    private static QueryResult query(StorageEngine engine, Stat stat, long from, long to, long step) {
        return new QueryEngine(engine).query(new QueryRequest("http_latency_seconds", Map.of(), stat, from, to, step,
                List.of()));
    }

    @Test
    void maintain_afterTenSecondRetention_queriesReadTheMinuteTier_withSameCountsAndPercentiles() {
        double[] values = new double[600];
        for (int i = 0; i < values.length; i++) {
            values[i] = 0.001 * (i + 1);
        }
        long written = T0 + 5_000;
        double p99Fresh;
        try (StorageEngine engine = open(T0 + 3_600_000)) {
            for (int i = 0; i < 6; i++) { // one write per 10-second bucket over the first minute
                engine.write(StorageEngineTest.latencies("/guests", "200", written + i * 10_000L,
                        java.util.Arrays.copyOfRange(values, i * 100, (i + 1) * 100)));
            }
            engine.flush();
            p99Fresh = query(engine, new Stat(Stat.Type.QUANTILE, 0.99), T0, T0 + 3_600_000, 0).series().get(0).value();
        }
        long eightDaysLater = T0 + Duration.ofDays(8).toMillis();
        try (StorageEngine engine = open(eightDaysLater)) {
            engine.maintain();
            QueryResult count = query(engine, new Stat(Stat.Type.COUNT, 0), T0, T0 + 3_600_000, 0);
            assertThat(count.series().get(0).value()).isEqualTo(600);
            double p99 = query(engine, new Stat(Stat.Type.QUANTILE, 0.99), T0, T0 + 3_600_000, 0).series().get(0).value();
            assertThat(p99).isEqualTo(p99Fresh).isCloseTo(0.594, within(0.594 * 0.01));
            // The 10-second rows are gone: a read of that tier alone finds nothing.
            long[] rows = new long[1];
            engine.read(io.vigil.store.Tier.TEN_SECONDS, new long[] {engine.registry().all().iterator().next().id()},
                    T0, T0 + 3_600_000, (id, bucket, a) -> rows[0]++);
            assertThat(rows[0]).isZero();
        }
    }

    @Test
    void maintain_withoutTheLease_doesNothing() {
        try (StorageEngine engine = open(T0 + 60_000)) {
            engine.write(StorageEngineTest.latencies("/guests", "200", T0, 1, 2, 3));
            engine.flush();
        }
        try (StorageEngine engine = open(T0 + Duration.ofDays(800).toMillis())) {
            engine.maintenanceLease(new io.vigil.store.Lease() {
                @Override
                public String name() {
                    return "maintenance";
                }

                @Override
                public boolean tryAcquire() {
                    return false; // another node holds it
                }

                @Override
                public void close() {}
            });
            assertThat(engine.maintain()).isFalse();
            assertThat(query(engine, new Stat(Stat.Type.COUNT, 0), T0, T0 + 3_600_000, 0).series().get(0).value())
                    .as("the 10 s rows are read from the 1 h tier plan, which is empty: nothing was downsampled")
                    .isZero();
            long[] rows = new long[1];
            engine.read(io.vigil.store.Tier.TEN_SECONDS, new long[] {engine.registry().all().iterator().next().id()},
                    T0, T0 + 3_600_000, (id, bucket, a) -> rows[0]++);
            assertThat(rows[0]).as("retention did not run: the 10 s rows are still there").isEqualTo(1);
        }
    }

    @Test
    void maintain_pastEveryRetention_dataIsGone() {
        try (StorageEngine engine = open(T0 + 60_000)) {
            engine.write(StorageEngineTest.latencies("/guests", "200", T0, 1, 2, 3));
            engine.flush();
        }
        try (StorageEngine engine = open(T0 + Duration.ofDays(800).toMillis())) {
            assertThat(engine.maintain()).isTrue();
            assertThat(query(engine, new Stat(Stat.Type.COUNT, 0), T0, T0 + 3_600_000, 0).series().get(0).value())
                    .isZero();
        }
    }
}
