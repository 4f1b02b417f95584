package io.vigil.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.calendar.CalendarSettings;
import io.vigil.calendar.WeddingCalendar;
import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.core.WriteBatch;
import io.vigil.engine.EngineConfig;
import io.vigil.engine.StorageEngine;
import io.vigil.store.embedded.EmbeddedMetricStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader on a real engine and embedded store: buckets, merged rollups, combined series, context tags. */
class ExportReaderTest {
    static final Instant T0 = Instant.parse("2026-06-13T18:00:00Z"); // a Saturday evening in season

    @TempDir
    Path dir;

    static void write(StorageEngine engine, String metric, MetricKind kind, Labels labels, Instant at, double... values) {
        WriteBatch b = new WriteBatch(values.length);
        b.beginSeries(new SeriesKey(metric, labels), kind);
        for (double v : values) {
            b.addSample(at.toEpochMilli(), v);
        }
        engine.write(b);
    }

    @Test
    void seriesDifferingOnlyInDroppedLabels_becomeOnePointPerBucket_fromStoreAndHeadAlike() throws Exception {
        Clock clock = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
        try (EmbeddedMetricStore store = EmbeddedMetricStore.open(dir.resolve("store"));
             StorageEngine engine = StorageEngine.openManual(store, dir.resolve("wal"), EngineConfig.DEFAULTS, clock)) {
            WeddingCalendar calendar = new WeddingCalendar(store.weddings(), CalendarSettings.DEFAULTS, clock);
            ExportReader reader = new ExportReader(engine, calendar,
                    new ExportLabelPolicy(ExportLabelPolicy.DEFAULT_DROPPED, 100));

            Instant b0 = T0.plusSeconds(1);
            write(engine, "uploads", MetricKind.DELTA, Labels.of("wedding_id", "w-1", "client", "mobile"), b0, 2, 3);
            write(engine, "uploads", MetricKind.DELTA, Labels.of("wedding_id", "w-2", "client", "mobile"), b0, 5);
            write(engine, "upload_seconds", MetricKind.DISTRIBUTION, Labels.of("wedding_id", "w-1"), b0, 1, 2, 3);
            write(engine, "upload_seconds", MetricKind.DISTRIBUTION, Labels.of("wedding_id", "w-2"), b0, 4);
            engine.flush(); // these rollups now come from the store
            write(engine, "uploads", MetricKind.DELTA, Labels.of("wedding_id", "w-1", "client", "mobile"), b0, 10);
            write(engine, "queue_depth", MetricKind.GAUGE, Labels.of("queue", "photos"), T0.plusSeconds(12), 7, 9);

            List<ExportPoint> points = reader.read(T0.toEpochMilli(), T0.plusSeconds(20).toEpochMilli());

            ExportPoint uploads = find(points, "uploads");
            assertThat(uploads.labels()).isEqualTo(Map.of("client", "mobile"));
            assertThat(uploads.count()).isEqualTo(20.0); // 2 + 3 + 5 from the store, 10 from the head
            assertThat(uploads.startMillis()).isEqualTo(T0.toEpochMilli());
            assertThat(uploads.intervalMillis()).isEqualTo(10_000);
            ExportPoint latency = find(points, "upload_seconds");
            assertThat(latency.isDistribution()).isTrue();
            assertThat(latency.labels()).isEmpty();
            assertThat(latency.aggregate().observations()).isEqualTo(4);
            assertThat(latency.aggregate().quantile(1.0)).isCloseTo(4.0, within(0.04));
            ExportPoint gauge = find(points, "queue_depth");
            assertThat(gauge.startMillis()).isEqualTo(T0.plusSeconds(10).toEpochMilli());
            assertThat(gauge.aggregate().lastValue()).isEqualTo(9.0);
            assertThat(points).allSatisfy(p -> assertThat(p.tags().weddingSeason()).isTrue());
            assertThat(points).hasSize(3);
        }
    }

    @Test
    void bucketsOutsideTheRange_areNotRead() throws Exception {
        Clock clock = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
        try (EmbeddedMetricStore store = EmbeddedMetricStore.open(dir.resolve("store"));
             StorageEngine engine = StorageEngine.openManual(store, dir.resolve("wal"), EngineConfig.DEFAULTS, clock)) {
            WeddingCalendar calendar = new WeddingCalendar(store.weddings(), CalendarSettings.DEFAULTS, clock);
            ExportReader reader = new ExportReader(engine, calendar, new ExportLabelPolicy(java.util.Set.of(), 100));
            write(engine, "m", MetricKind.DELTA, Labels.EMPTY, T0.plusSeconds(5), 1);
            write(engine, "m", MetricKind.DELTA, Labels.EMPTY, T0.plusSeconds(15), 2);
            write(engine, "m", MetricKind.DELTA, Labels.EMPTY, T0.plusSeconds(25), 4);

            List<ExportPoint> middle = reader.read(T0.plusSeconds(10).toEpochMilli(), T0.plusSeconds(20).toEpochMilli());
            assertThat(middle).singleElement().satisfies(p -> assertThat(p.count()).isEqualTo(2.0));
            assertThat(reader.read(T0.plusSeconds(30).toEpochMilli(), T0.plusSeconds(40).toEpochMilli())).isEmpty();
        }
    }

    @Test
    void aCounterSampledLessOftenThanEveryBucket_exportsItsWholeIncrease_acrossReadsAndAfterAFreshStart()
            throws Exception {
        Clock clock = Clock.fixed(T0.plusSeconds(300), ZoneOffset.UTC);
        try (EmbeddedMetricStore store = EmbeddedMetricStore.open(dir.resolve("store"));
             StorageEngine engine = StorageEngine.openManual(store, dir.resolve("wal"), EngineConfig.DEFAULTS, clock)) {
            WeddingCalendar calendar = new WeddingCalendar(store.weddings(), CalendarSettings.DEFAULTS, clock);
            Labels route = Labels.of("route", "/guests");
            // A cumulative counter scraped every 15 s, reset once (190 -> 5).
            double[] values = {100, 130, 160, 190, 5, 35};
            for (int i = 0; i < values.length; i++) {
                write(engine, "requests_total", MetricKind.COUNTER, route, T0.plusSeconds(5 + 15L * i), values[i]);
            }
            engine.flush();
            ExportReader reader = new ExportReader(engine, calendar, new ExportLabelPolicy(java.util.Set.of(), 100));
            List<ExportPoint> first = reader.read(T0.toEpochMilli(), T0.plusSeconds(30).toEpochMilli());
            List<ExportPoint> next = reader.read(T0.plusSeconds(30).toEpochMilli(), T0.plusSeconds(90).toEpochMilli());
            assertThat(first).extracting(ExportPoint::count).containsExactly(0.0, 30.0); // 100 is the first sample
            assertThat(next).extracting(ExportPoint::count).containsExactly(30.0, 30.0, 5.0, 30.0);

            // A new reader (a restart) starting mid-way looks 5 minutes back for each counter's previous sample.
            ExportReader fresh = new ExportReader(engine, calendar, new ExportLabelPolicy(java.util.Set.of(), 100));
            assertThat(fresh.read(T0.plusSeconds(30).toEpochMilli(), T0.plusSeconds(90).toEpochMilli()))
                    .extracting(ExportPoint::count).containsExactly(30.0, 30.0, 5.0, 30.0);
            // Reading a range again (another consumer behind) gives the same counts and keeps the carries right.
            assertThat(reader.read(T0.plusSeconds(30).toEpochMilli(), T0.plusSeconds(60).toEpochMilli()))
                    .extracting(ExportPoint::count).containsExactly(30.0, 30.0);
            write(engine, "requests_total", MetricKind.COUNTER, route, T0.plusSeconds(95), 50);
            assertThat(reader.read(T0.plusSeconds(90).toEpochMilli(), T0.plusSeconds(100).toEpochMilli()))
                    .extracting(ExportPoint::count).containsExactly(15.0);
        }
    }

    static ExportPoint find(List<ExportPoint> points, String metric) {
        return points.stream().filter(p -> p.metric().equals(metric)).findFirst().orElseThrow(
                () -> new AssertionError("no point of " + metric + " in " + points));
    }
}
