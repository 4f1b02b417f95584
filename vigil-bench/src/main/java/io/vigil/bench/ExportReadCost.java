package io.vigil.bench;

import io.vigil.calendar.CalendarSettings;
import io.vigil.calendar.WeddingCalendar;
import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.core.WriteBatch;
import io.vigil.engine.EngineConfig;
import io.vigil.engine.StorageEngine;
import io.vigil.export.ExportLabelPolicy;
import io.vigil.export.ExportPoint;
import io.vigil.export.ExportReader;
import io.vigil.store.embedded.EmbeddedMetricStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * What one export round costs the export thread: N series (remote-write-like: one gauge metric, 6 labels), one sample
 * each per 10-second bucket, half of the buckets flushed to the embedded store and the newest in the head, then
 * {@link ExportReader#read} of one bucket timed (wall and thread CPU) over many rounds. Usage:
 * {@code ExportReadCost [series=100000] [rounds=20]}.
 */
public final class ExportReadCost {
    private ExportReadCost() {}

    public static void main(String[] args) throws Exception {
        int series = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path dir = Files.createTempDirectory("vigil-export-cost");
        Instant t0 = Instant.parse("2026-06-13T18:00:00Z");
        Clock clock = Clock.fixed(t0.plusSeconds(10L * (rounds + 2)), ZoneOffset.UTC);
        EngineConfig config = new EngineConfig(series + 10, EngineConfig.DEFAULTS.flushInterval(),
                EngineConfig.DEFAULTS.walSegmentBytes(), EngineConfig.DEFAULTS.retentionTenSeconds(),
                EngineConfig.DEFAULTS.retentionOneMinute(), EngineConfig.DEFAULTS.retentionOneHour(),
                EngineConfig.DEFAULTS.downsampleLag());
        try (EmbeddedMetricStore store = EmbeddedMetricStore.open(dir.resolve("store"));
             StorageEngine engine = StorageEngine.openManual(store, dir.resolve("wal"), config, clock)) {
            WeddingCalendar calendar = new WeddingCalendar(store.weddings(), CalendarSettings.DEFAULTS, clock);
            for (int b = 0; b < rounds; b++) {
                WriteBatch batch = new WriteBatch(series);
                long t = t0.plusSeconds(10L * b + 1).toEpochMilli();
                for (int i = 0; i < series; i++) {
                    batch.beginSeries(new SeriesKey("bench_series", Labels.of("instance", "host-" + (i % 100),
                            "job", "job-" + (i % 7), "route", "/r/" + (i % 50), "status", "2" + (i % 3) + "0",
                            "shard", "s" + (i / 1000), "id", Integer.toString(i))), MetricKind.GAUGE);
                    batch.addSample(t, i);
                }
                engine.write(batch);
                if (b < rounds / 2) {
                    engine.flush();
                }
            }
            ExportReader reader = new ExportReader(engine, calendar,
                    new ExportLabelPolicy(ExportLabelPolicy.DEFAULT_DROPPED, 1_000));
            var threads = ManagementFactory.getThreadMXBean();
            long[] wall = new long[rounds];
            long[] cpu = new long[rounds];
            int points = 0;
            for (int b = 0; b < rounds; b++) {
                long from = t0.plusSeconds(10L * b).toEpochMilli();
                long c0 = threads.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                List<ExportPoint> out = reader.read(from, from + 10_000);
                wall[b] = System.nanoTime() - w0;
                cpu[b] = threads.getCurrentThreadCpuTime() - c0;
                points = out.size();
            }
            System.out.printf(Locale.ROOT, "%,d series, %d rounds of one bucket each (first half from the store, "
                    + "second half from the head), %,d points per round after the label policy%n", series, rounds,
                    points);
            System.out.printf(Locale.ROOT, "  store rounds: wall median %.0f ms, thread CPU median %.0f ms%n",
                    median(wall, 1, rounds / 2) / 1e6, median(cpu, 1, rounds / 2) / 1e6);
            System.out.printf(Locale.ROOT, "  head rounds:  wall median %.0f ms, thread CPU median %.0f ms%n",
                    median(wall, rounds / 2, rounds) / 1e6, median(cpu, rounds / 2, rounds) / 1e6);
            System.out.printf(Locale.ROOT, "  first round (labels not yet cached): wall %.0f ms, CPU %.0f ms%n",
                    wall[0] / 1e6, cpu[0] / 1e6);
        }
    }

    private static double median(long[] values, int from, int to) {
        long[] part = java.util.Arrays.copyOfRange(values, from, to);
        java.util.Arrays.sort(part);
        return part.length == 0 ? Double.NaN : part[part.length / 2];
    }
}
