package io.vigil.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vigil.core.Distribution;
import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.core.Stat;
import io.vigil.core.WriteBatch;
import io.vigil.engine.query.QueryEngine;
import io.vigil.engine.query.QueryRequest;
import io.vigil.engine.query.QueryResult;
import io.vigil.store.embedded.EmbeddedMetricStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageEngineTest {
    /** Saturday 13 June 2026, 18:00 UTC: a wedding evening in season. */
    static final long T0 = Instant.parse("2026-06-13T18:00:00Z").toEpochMilli();
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(T0 + 3_600_000), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private StorageEngine open() {
        return open(EngineConfig.DEFAULTS);
    }

    private StorageEngine open(EngineConfig config) {
        return StorageEngine.openManual(EmbeddedMetricStore.open(dir.resolve("store")), dir.resolve("wal"), config, CLOCK);
    }

    static WriteBatch latencies(String route, String status, long t, double... values) {
        WriteBatch b = new WriteBatch();
        b.beginSeries(new SeriesKey("http_latency_seconds", Labels.of("route", route, "status", status)),
                MetricKind.DISTRIBUTION);
        for (int i = 0; i < values.length; i++) {
            b.addSample(t + i, values[i]);
        }
        return b;
    }

    static QueryResult query(StorageEngine engine, Stat stat, Map<String, String> filters, List<String> by) {
        return new QueryEngine(engine).query(new QueryRequest("http_latency_seconds", filters, stat, T0,
                T0 + 3_600_000, 0, by));
    }

    static double single(QueryResult r) {
        assertThat(r.series()).hasSize(1);
        return r.series().get(0).value();
    }

    @Test
    void write_thenQueryCount_countsEverySampleExactly_inHeadAndAfterFlush() {
        try (StorageEngine engine = open()) {
            IngestResult result = engine.write(latencies("/guests", "200", T0 + 5_000, 0.1, 0.2, 0.3));
            engine.write(latencies("/guests", "200", T0 + 15_000, 0.4));
            assertThat(result.accepted()).isEqualTo(3);
            assertThat(single(query(engine, new Stat(Stat.Type.COUNT, 0), Map.of(), List.of()))).isEqualTo(4);
            engine.flush();
            assertThat(single(query(engine, new Stat(Stat.Type.COUNT, 0), Map.of(), List.of()))).isEqualTo(4);
            engine.write(latencies("/guests", "200", T0 + 16_000, 0.5)); // same bucket as a flushed one
            engine.flush();
            assertThat(single(query(engine, new Stat(Stat.Type.COUNT, 0), Map.of(), List.of()))).isEqualTo(5);
            assertThat(single(query(engine, new Stat(Stat.Type.SUM, 0), Map.of(), List.of()))).isCloseTo(1.5, within(1e-9));
        }
    }

    @Test
    void reopen_withoutFlush_replaysWalAndLosesNothing() {
        StorageEngine engine = open();
        engine.write(latencies("/photos", "200", T0, 1.0, 2.0));
        engine.flush();
        engine.write(latencies("/photos", "200", T0 + 20_000, 3.0));
        engine.write(latencies("/guests", "503", T0 + 20_000, 4.0)); // a new series known only to the WAL
        // Simulate a crash: no flush, no close of the engine; the WAL is fsynced for every acknowledged write.
        abandon(engine);
        try (StorageEngine reopened = open()) {
            assertThat(single(query(reopened, new Stat(Stat.Type.COUNT, 0), Map.of(), List.of()))).isEqualTo(4);
            assertThat(reopened.registry().size()).isEqualTo(2);
            reopened.flush();
        }
        try (StorageEngine again = open()) {
            assertThat(single(query(again, new Stat(Stat.Type.COUNT, 0), Map.of(), List.of()))).isEqualTo(4);
        }
    }

    /** Drops an engine as a crash would: the store's connection is closed, nothing is flushed. */
    private static void abandon(StorageEngine engine) {
        // The WAL and the store stay as they are on disk; a new engine over the same directory must recover.
        engine.abandonForTests();
    }

    @Test
    void seriesLimit_rejectsNewSeriesOnly_existingKeepFlowing() {
        try (StorageEngine engine = open(EngineConfig.DEFAULTS.withSeriesLimit(2))) {
            engine.write(latencies("/a", "200", T0, 1));
            engine.write(latencies("/b", "200", T0, 1));
            IngestResult refused = engine.write(latencies("/c", "200", T0, 1, 2));
            assertThat(refused.accepted()).isZero();
            assertThat(refused.limitRejected()).isEqualTo(2);
            assertThat(refused.errors()).singleElement().asString()
                    .contains("http_latency_seconds").contains("limit of 2 series");
            assertThat(engine.write(latencies("/a", "200", T0 + 1, 1)).accepted()).isEqualTo(1);
        }
    }

    @Test
    void groupBy_andFilters_splitAndSelectSeries() {
        try (StorageEngine engine = open()) {
            engine.write(latencies("/guests", "200", T0, 0.1, 0.2));
            engine.write(latencies("/photos", "200", T0, 1, 2, 3));
            engine.write(latencies("/photos", "503", T0, 9));
            QueryResult byRoute = query(engine, new Stat(Stat.Type.COUNT, 0), Map.of(), List.of("route"));
            assertThat(byRoute.series()).extracting(g -> g.labels().get("route") + "=" + g.value())
                    .containsExactly("/guests=2.0", "/photos=4.0");
            assertThat(single(query(engine, new Stat(Stat.Type.MAX, 0), Map.of("route", "/photos", "status", "200"),
                    List.of()))).isEqualTo(3);
            assertThat(single(query(engine, new Stat(Stat.Type.ERROR_RATE, 0), Map.of("route", "/photos"), List.of())))
                    .isCloseTo(0.25, within(1e-12));
            assertThat(single(query(engine, new Stat(Stat.Type.AVAILABILITY, 0), Map.of(), List.of())))
                    .isCloseTo(1 - 1 / 6.0, within(1e-12));
        }
    }

    @Test
    void summarize_answersEveryStatisticAsItsOwnQueryWould_fromStoredAndHeadRollups() {
        try (StorageEngine engine = open()) {
            engine.write(latencies("/photos", "200", T0, 1, 2, 3, 4));
            engine.write(latencies("/photos", "503", T0 + 20_000, 9));
            engine.flush();
            engine.write(latencies("/photos", "200", T0 + 600_000, 5, 6));
            engine.write(latencies("/guests", "200", T0 + 600_000, 0.1));
            QueryEngine q = new QueryEngine(engine);
            List<String> by = List.of("route");
            for (boolean quantiles : new boolean[] {true, false}) {
                var summary = q.summarize("http_latency_seconds", Map.of(), by, new long[] {T0}, T0 + 3_600_000,
                        quantiles).getFirst();
                assertThat(summary.groups()).extracting(g -> g.labels().get("route")).containsExactly("/guests", "/photos");
                for (Stat.Type type : Stat.Type.values()) {
                    if (type == Stat.Type.QUANTILE && !quantiles) {
                        continue;
                    }
                    Stat stat = new Stat(type, type == Stat.Type.QUANTILE ? 0.5 : 0);
                    QueryResult expected = query(engine, stat, Map.of(), by);
                    for (int i = 0; i < 2; i++) {
                        assertThat(summary.groups().get(i).value(stat)).as(type + " of " + i + ", quantiles " + quantiles)
                                .isEqualTo(expected.series().get(i).value());
                    }
                }
            }
            var scalars = q.summarize("http_latency_seconds", Map.of(), by, new long[] {T0}, T0 + 3_600_000, false)
                    .getFirst();
            assertThat(scalars.groups().get(1).value(new Stat(Stat.Type.COUNT, 0))).isEqualTo(7);
            assertThatThrownBy(() -> scalars.groups().get(1).value(new Stat(Stat.Type.QUANTILE, 0.5)))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void percentiles_comeFromTheSketch_withinOnePercent() {
        try (StorageEngine engine = open()) {
            double[] values = new double[1000];
            for (int i = 0; i < values.length; i++) {
                values[i] = (i + 1) / 1000.0;
            }
            engine.write(latencies("/guests", "200", T0, values));
            engine.flush();
            double p95 = single(query(engine, new Stat(Stat.Type.QUANTILE, 0.95), Map.of(), List.of()));
            assertThat(p95).isCloseTo(0.95, within(0.95 * 0.01));
        }
    }

    @Test
    void step_returnsOnePointPerWindow() {
        try (StorageEngine engine = open()) {
            engine.write(latencies("/guests", "200", T0 + 1_000, 1, 1));
            engine.write(latencies("/guests", "200", T0 + 61_000, 1, 1, 1));
            QueryResult r = new QueryEngine(engine).query(new QueryRequest("http_latency_seconds", Map.of(),
                    new Stat(Stat.Type.COUNT, 0), T0, T0 + 180_000, 60_000, List.of()));
            assertThat(r.series().get(0).points()).extracting(p -> p[1]).containsExactly(2.0, 3.0, 0.0);
            assertThat(r.series().get(0).points().get(1)[0]).isEqualTo((T0 + 60_000) / 1000.0);
        }
    }

    @Test
    void counterRate_isIncreasePerSecond_acrossResets() {
        try (StorageEngine engine = open()) {
            WriteBatch b = new WriteBatch();
            b.beginSeries(new SeriesKey("requests_total", Labels.of("route", "/guests")), MetricKind.COUNTER);
            b.addSample(T0 + 1_000, 100);
            b.addSample(T0 + 20_000, 160);
            b.addSample(T0 + 40_000, 10); // reset: +10
            b.addSample(T0 + 59_000, 40);
            engine.write(b);
            QueryResult r = new QueryEngine(engine).query(new QueryRequest("requests_total", Map.of(),
                    new Stat(Stat.Type.RATE, 0), T0, T0 + 60_000, 0, List.of()));
            assertThat(single(r)).isCloseTo((60 + 10 + 30) / 60.0, within(1e-9));
        }
    }

    @Test
    void counterRate_withStep_countsTheIncreaseAcrossWindowBoundaries() {
        try (StorageEngine engine = open()) {
            WriteBatch b = new WriteBatch();
            b.beginSeries(new SeriesKey("requests_total", Labels.of("route", "/guests")), MetricKind.COUNTER);
            for (int i = 0; i < 12; i++) { // a scrape every 15 s, +30 each time: 2 per second
                b.addSample(T0 + 7_000 + i * 15_000L, 100 + 30 * i);
            }
            engine.write(b);
            QueryResult r = new QueryEngine(engine).query(new QueryRequest("requests_total", Map.of(),
                    new Stat(Stat.Type.RATE, 0), T0 + 60_000, T0 + 180_000, 60_000, List.of()));
            assertThat(r.series().get(0).points()).extracting(p -> p[1]).containsExactly(2.0, 2.0);
        }
    }

    @Test
    void histogramPoints_areBucketBounded() {
        try (StorageEngine engine = open()) {
            WriteBatch b = new WriteBatch();
            b.beginSeries(new SeriesKey("upload_seconds", Labels.EMPTY), MetricKind.HISTOGRAM);
            b.addDistribution(T0, Distribution.explicit(10, 12, 0.2, 4, new double[] {1, 2, 5}, new long[] {5, 3, 2, 0}));
            engine.write(b);
            QueryResult r = new QueryEngine(engine).query(new QueryRequest("upload_seconds", Map.of(),
                    new Stat(Stat.Type.QUANTILE, 0.5), T0, T0 + 60_000, 0, List.of()));
            assertThat(r.bucketBounded()).isTrue();
            assertThat(single(r)).isBetween(0.2, 1.0);
        }
    }

    @Test
    void flushListener_getsTheMetricNamesOfEachCommit_andWhetherItCreatedSeries() {
        try (StorageEngine engine = open()) {
            List<Map.Entry<java.util.Set<String>, Boolean>> told = new java.util.concurrent.CopyOnWriteArrayList<>();
            engine.onFlushed((metrics, newSeries) -> told.add(Map.entry(java.util.Set.copyOf(metrics), newSeries)));
            engine.flush();
            assertThat(told).as("a flush that wrote nothing").isEmpty();

            engine.write(latencies("/guests", "200", T0, 0.1));
            engine.write(latencies("/photos", "200", T0 + 12_000, 0.2));
            WriteBatch checkins = new WriteBatch();
            checkins.beginSeries(new SeriesKey("guest_checkins_total", Labels.EMPTY), MetricKind.COUNTER);
            checkins.addSample(T0, 3);
            engine.write(checkins);
            engine.flush();
            assertThat(told).containsExactly(Map.entry(java.util.Set.of("http_latency_seconds", "guest_checkins_total"),
                    true));

            engine.write(latencies("/guests", "200", T0 + 1, 0.3)); // a known series
            engine.flush();
            assertThat(told).hasSize(2).last().isEqualTo(Map.entry(java.util.Set.of("http_latency_seconds"), false));

            engine.onFlushed((metrics, newSeries) -> {
                throw new IllegalStateException("a broken listener");
            });
            engine.write(latencies("/guests", "200", T0 + 2, 0.4));
            engine.flush(); // the listener's failure is not the flush's
            assertThat(single(query(engine, new Stat(Stat.Type.COUNT, 0), Map.of(), List.of()))).isEqualTo(4);
        }
    }

    @Test
    void refreshSeries_findsSeriesAnotherEngineOnTheSameStoreCommitted_beforeTheNextFlush() {
        try (StorageEngine a = open()) {
            // A second node's engine on the same store (its own WAL); closed without a flush, as it has its own
            // checkpoint only on PostgreSQL.
            StorageEngine b = StorageEngine.openManual(EmbeddedMetricStore.open(dir.resolve("store")),
                    dir.resolve("wal-b"), EngineConfig.DEFAULTS, CLOCK);
            try {
                a.write(latencies("/guests", "200", T0, 0.1, 0.2));
                a.flush();
                assertThat(query(b, new Stat(Stat.Type.COUNT, 0), Map.of(), List.of()).series()).isEmpty();
                b.refreshSeries();
                assertThat(single(query(b, new Stat(Stat.Type.COUNT, 0), Map.of(), List.of()))).isEqualTo(2);
            } finally {
                b.abandonForTests();
            }
        }
    }
}
