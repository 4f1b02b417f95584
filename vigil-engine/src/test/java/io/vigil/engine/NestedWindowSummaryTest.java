package io.vigil.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.core.Stat;
import io.vigil.core.WriteBatch;
import io.vigil.engine.query.QueryEngine;
import io.vigil.engine.query.QueryRequest;
import io.vigil.engine.query.QueryResult;
import io.vigil.engine.query.WindowSummary;
import io.vigil.store.Tier;
import io.vigil.store.embedded.EmbeddedMetricStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One read of nested windows ending together answers each window as that window's own query does. */
class NestedWindowSummaryTest {
    static final long MINUTE = 60_000;
    static final long HOUR = 60 * MINUTE;
    /** Midnight after the wedding evening: on the hour, so that the tier boundaries fall on whole hours before it. */
    static final long NOW = StorageEngineTest.T0 + 6 * HOUR;
    /** 10-second rows for 2 hours, 1-minute rows for 4: a 7-hour window reads all three tiers. */
    static final EngineConfig TIERS = new EngineConfig(1_000, Duration.ofSeconds(10), 64L << 20, Duration.ofHours(2),
            Duration.ofHours(4), Duration.ofDays(730), Duration.ofMinutes(2));
    static final String REQUESTS = "requests_total";
    static final String LATENCY = "http_latency_seconds";

    /**
     * Window starts, unordered: whole minutes (where samples fall exactly on the start), one inside a minute in the
     * 1-minute tier, one not on 10 s, one on the 10-second tier's boundary, two in the 1-hour tier.
     */
    static final long[] FROMS = {NOW - 30 * MINUTE, NOW - 5 * MINUTE, NOW - 7 * HOUR, NOW - HOUR,
        NOW - 2 * HOUR, NOW - 3 * HOUR - 20_000, NOW - 90 * MINUTE - 3_000, NOW - 5 * HOUR - 30 * MINUTE};

    @TempDir
    Path dir;

    /** One series' samples, in time order. */
    record Samples(SeriesKey key, MetricKind kind, List<long[]> points) {
        Samples(String metric, MetricKind kind, String route, String status) {
            this(new SeriesKey(metric, Labels.of("route", route, "status", status)), kind, new ArrayList<>());
        }

        void add(long t, double v) {
            points.add(new long[] {t, Double.doubleToLongBits(v)});
        }
    }

    static List<Samples> data() {
        // Counters: a scrape every 15 s (on every window start), reset once just before a tier boundary and once
        // right at the 30-minute window's start; a sparse error counter whose scrapes are 7 minutes apart, so that a
        // window's lookback sometimes finds the scrape before it (exactly 5 minutes before the 1-hour window, 1
        // minute before the 2-hour one) and sometimes not (the 5-minute window); one starting mid-range.
        Samples ok = new Samples(REQUESTS, MetricKind.COUNTER, "/a", "200");
        double v = 1_000;
        for (long t = NOW - 7 * HOUR - 30 * MINUTE; t < NOW; t += 15_000) {
            v = t == NOW - 4 * HOUR - 15_000 ? 4 : t == NOW - 30 * MINUTE ? 20 : v + 7 + t % 11;
            ok.add(t, v);
        }
        Samples failed = new Samples(REQUESTS, MetricKind.COUNTER, "/a", "500");
        v = 10;
        for (long t = NOW - 7 * HOUR - 30 * MINUTE; t < NOW; t += 7 * MINUTE) {
            failed.add(t, v += 1 + (t / 1000) % 3);
        }
        Samples other = new Samples(REQUESTS, MetricKind.COUNTER, "/b", "200");
        v = 0;
        for (long t = NOW - 6 * HOUR - 5 * MINUTE; t < NOW; t += 40_000) {
            other.add(t, v += 3);
        }
        // Latencies: one observation every 50 s per series, and some exactly on window starts.
        List<Samples> out = new ArrayList<>(List.of(ok, failed, other));
        String[][] latencySeries = {{"/a", "200"}, {"/a", "503"}, {"/b", "200"}};
        for (int s = 0; s < latencySeries.length; s++) {
            Samples l = new Samples(LATENCY, MetricKind.DISTRIBUTION, latencySeries[s][0], latencySeries[s][1]);
            int i = 0;
            for (long t = NOW - 7 * HOUR - 30 * MINUTE + s * 7_000; t < NOW; t += 50_000) {
                l.add(t, 0.01 * (1 + (i++ * 37 + s * 11) % 97));
                for (long from : FROMS) {
                    if (from > t && from < t + 50_000) {
                        l.add(from, 1.5 + s);
                    }
                }
            }
            out.add(l);
        }
        return out;
    }

    static void write(StorageEngine engine, List<Samples> data, long from, long to) {
        WriteBatch b = new WriteBatch();
        for (Samples s : data) {
            b.beginSeries(s.key(), s.kind());
            for (long[] p : s.points()) {
                if (p[0] >= from && p[0] < to) {
                    b.addSample(p[0], Double.longBitsToDouble(p[1]));
                }
            }
        }
        assertThat(engine.write(b).rejected()).isZero();
    }

    @Test
    void summarize_nestedWindows_answersEveryWindowAsItsOwnQueryWould_acrossTiersCounterResetsAndTheHead() {
        List<Samples> data = data();
        try (StorageEngine engine = StorageEngine.openManual(EmbeddedMetricStore.open(dir.resolve("store")),
                dir.resolve("wal"), TIERS, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC))) {
            // Older data downsampled (and gone from the finer tiers past their retention), then stored 10-second
            // rows, then the head, which shares a bucket with the last stored row.
            write(engine, data, Long.MIN_VALUE, NOW - 3 * MINUTE);
            engine.flush();
            engine.maintain();
            write(engine, data, NOW - 3 * MINUTE, NOW - 65_000);
            engine.flush();
            write(engine, data, NOW - 65_000, NOW);
            long[] ids = engine.registry().all().stream().mapToLong(Series::id).toArray();
            int[] rows = new int[1];
            engine.read(Tier.TEN_SECONDS, ids, NOW - 7 * HOUR, NOW - 2 * HOUR, (id, bucket, a) -> rows[0]++);
            engine.read(Tier.ONE_MINUTE, ids, NOW - 7 * HOUR, NOW - 4 * HOUR, (id, bucket, a) -> rows[0]++);
            assertThat(rows[0]).as("older rows only in the coarser tiers").isZero();

            QueryEngine q = new QueryEngine(engine);
            for (String metric : List.of(REQUESTS, LATENCY)) {
                for (List<String> by : List.of(List.<String>of(), List.of("route"))) {
                    for (boolean quantiles : new boolean[] {true, false}) {
                        List<WindowSummary> summaries = q.summarize(metric, Map.of(), by, FROMS, NOW, quantiles);
                        assertThat(summaries).hasSize(FROMS.length);
                        for (int w = 0; w < FROMS.length; w++) {
                            compare(q, metric, by, FROMS[w], summaries.get(w), quantiles);
                        }
                    }
                }
            }
        }
    }

    private static void compare(QueryEngine q, String metric, List<String> by, long from, WindowSummary summary,
                                boolean quantiles) {
        List<Stat> stats = new ArrayList<>();
        for (Stat.Type type : Stat.Type.values()) {
            if (type != Stat.Type.QUANTILE) {
                stats.add(new Stat(type, 0));
            } else if (quantiles) {
                stats.add(new Stat(type, 0.5));
                stats.add(new Stat(type, 0.99));
            }
        }
        for (Stat stat : stats) {
            QueryResult expected = q.query(new QueryRequest(metric, Map.of(), stat, from, NOW, 0, by));
            assertThat(summary.fromMillis()).isEqualTo(expected.fromMillis());
            assertThat(summary.toMillis()).isEqualTo(expected.toMillis());
            assertThat(summary.groups()).hasSameSizeAs(expected.series());
            for (int i = 0; i < expected.series().size(); i++) {
                QueryResult.Group e = expected.series().get(i);
                double actual = summary.groups().get(i).value(stat);
                String what = metric + " " + stat + " by " + by + " " + e.labels() + " over the last "
                        + Duration.ofMillis(NOW - from);
                assertThat(summary.groups().get(i).labels()).isEqualTo(e.labels());
                switch (stat.type()) {
                    case COUNT, MIN, MAX, QUANTILE -> assertThat(Double.valueOf(actual)).as(what) // NaN equals NaN
                            .isEqualTo(Double.valueOf(e.value()));
                    default -> {
                        if (Double.isNaN(e.value())) {
                            assertThat(actual).as(what).isNaN();
                        } else {
                            assertThat(actual).as(what).isCloseTo(e.value(), within(Math.abs(e.value()) * 1e-9));
                        }
                    }
                }
            }
        }
    }
}
