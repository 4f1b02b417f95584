package io.vigil.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.Stat;
import io.vigil.engine.query.QueryEngine;
import io.vigil.engine.query.QueryRequest;
import io.vigil.store.embedded.EmbeddedMetricStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queries running while flushes commit count every acknowledged sample once: never twice, never missing. */
class FlushConsistencyTest {
    static final long T0 = StorageEngineTest.T0;

    @TempDir
    Path dir;

    @Test
    void queriesDuringFlushes_seeEachSampleExactlyOnce() throws Exception {
        try (StorageEngine engine = StorageEngine.openManual(EmbeddedMetricStore.open(dir.resolve("store")),
                dir.resolve("wal"), EngineConfig.DEFAULTS, StorageEngineTest.CLOCK);
             ExecutorService pool = Executors.newFixedThreadPool(2)) {
            QueryEngine queries = new QueryEngine(engine);
            AtomicLong started = new AtomicLong();   // samples whose write has begun
            AtomicLong acked = new AtomicLong();     // samples whose write has returned
            AtomicBoolean done = new AtomicBoolean();
            Future<?> writer = pool.submit(() -> {
                double[] values = new double[50];
                java.util.Arrays.fill(values, 0.1);
                for (int i = 0; i < 400; i++) {
                    started.addAndGet(values.length);
                    engine.write(StorageEngineTest.latencies("/r" + (i % 20), "200", T0 + (i % 300) * 10_000L, values));
                    acked.addAndGet(values.length);
                }
                done.set(true);
                return null;
            });
            Future<?> flusher = pool.submit(() -> {
                while (!done.get()) {
                    engine.flush();
                }
                return null;
            });
            int checks = 0;
            while (!done.get() || checks < 50) {
                long low = acked.get();
                double count = queries.query(new QueryRequest("http_latency_seconds", Map.of(),
                        new Stat(Stat.Type.COUNT, 0), T0, T0 + 3_600_000, 0, List.of())).series().stream()
                        .mapToDouble(g -> g.value()).sum();
                long high = started.get();
                assertThat(count).as("check %d", checks).isBetween((double) low, (double) high);
                checks++;
            }
            writer.get();
            flusher.get();
            engine.flush();
            assertThat(queries.query(new QueryRequest("http_latency_seconds", Map.of(), new Stat(Stat.Type.COUNT, 0),
                    T0, T0 + 3_600_000, 0, List.of())).series().get(0).value()).isEqualTo(400 * 50);
        }
    }
}
