package io.vigil.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.calendar.CalendarSettings;
import io.vigil.calendar.WeddingCalendar;
import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.WriteBatch;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.core.time.SettableClock;
import io.vigil.core.wedding.Wedding;
import io.vigil.engine.EngineConfig;
import io.vigil.engine.StorageEngine;
import io.vigil.export.pipeline.ExportWorker;
import io.vigil.store.Lease;
import io.vigil.store.embedded.EmbeddedMetricStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service on a real engine and store: what settled is read once, the cursor survives, the lease decides. */
class ExportServiceTest {
    static final Instant T0 = Instant.parse("2026-06-13T18:00:00Z");

    @TempDir
    Path dir;

    /** Collects everything exported to it. */
    static final class Collecting<T> implements ExportSink<T> {
        final List<T> received = Collections.synchronizedList(new ArrayList<>());

        @Override
        public String name() {
            return "collecting";
        }

        @Override
        public Encoded<T> encode(List<T> items) {
            return Encoded.of(List.of(new Payload<>(items, new byte[0])));
        }

        @Override
        public SendOutcome send(Payload<T> payload) {
            received.addAll(payload.items());
            return new SendOutcome.Delivered(200);
        }
    }

    record Setup(ExportService service, List<ExportPoint> local, Collecting<ExportPoint> exported,
                 Collecting<ExportEvent> events, List<WriteBatch> selfMetrics) {}

    /** The service's own tick is an hour away: the tests tick by hand. */
    static final ExportService.Timing MANUAL = new ExportService.Timing(Duration.ofSeconds(20), Duration.ofMinutes(10),
            Duration.ofHours(1));

    static <T> List<T> await(List<T> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (list.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return list;
    }

    static Setup service(StorageEngine engine, EmbeddedMetricStore store, Clock clock, Lease lease) {
        WeddingCalendar calendar = new WeddingCalendar(store.weddings(), CalendarSettings.DEFAULTS, clock);
        ExportReader reader = new ExportReader(engine, calendar,
                new ExportLabelPolicy(ExportLabelPolicy.DEFAULT_DROPPED, 100));
        List<ExportPoint> local = Collections.synchronizedList(new ArrayList<>());
        Collecting<ExportPoint> exported = new Collecting<>();
        Collecting<ExportEvent> events = new Collecting<>();
        List<WriteBatch> self = Collections.synchronizedList(new ArrayList<>());
        ExportWorker.Settings quick = new ExportWorker.Settings(1_000, Duration.ofMillis(20),
                ExportWorker.Settings.DEFAULT.retry(), Duration.ofMinutes(10));
        ExportService service = new ExportService(reader, calendar, lease, store.state(),
                List.of(new ExportWorker<>(exported, quick, clock)), List.of(new ExportWorker<>(events, quick, clock)),
                List.of(local::addAll), self::add, MANUAL, clock);
        return new Setup(service.start(), local, exported, events, self);
    }

    static void deltas(StorageEngine engine, Instant at, double value) {
        ExportReaderTest.write(engine, "orders", MetricKind.DELTA, Labels.of("route", "/checkout"), at, value);
    }

    @Test
    void eachSettledBucketIsExportedOnce_andARestartResumesFromTheStoredCursor() throws Exception {
        SettableClock clock = new SettableClock(T0);
        try (EmbeddedMetricStore store = EmbeddedMetricStore.open(dir.resolve("store"));
             StorageEngine engine = StorageEngine.openManual(store, dir.resolve("wal"), EngineConfig.DEFAULTS, clock)) {
            Setup first = service(engine, store, clock, Lease.local("export"));
            first.service().tick(); // starts at the last settled bucket: nothing before it is exported
            deltas(engine, T0.plusSeconds(1), 1);   // bucket 18:00:00
            deltas(engine, T0.plusSeconds(11), 2);  // bucket 18:00:10
            deltas(engine, T0.plusSeconds(21), 4);  // bucket 18:00:20

            clock.set(T0.plusSeconds(40)); // 18:00:00 and :10 have settled (20 s), :20 not yet
            first.service().tick();
            first.service().tick();
            assertThat(await(first.exported().received, 2)).extracting(ExportPoint::count).containsExactly(1.0, 2.0);
            assertThat(first.local()).extracting(ExportPoint::count).containsExactly(1.0, 2.0);
            assertThat(first.selfMetrics()).isNotEmpty().allSatisfy(b -> assertThat(b.metricNames())
                    .contains("vigil_export_backlog", "vigil_export_sent"));

            // A new service on the same store (a restart, or another node taking the lease) resumes at the cursor.
            first.service().close();
            Setup second = service(engine, store, clock, Lease.local("export"));
            clock.set(T0.plusSeconds(50));
            second.service().tick();
            assertThat(await(second.exported().received, 1)).extracting(ExportPoint::count).containsExactly(4.0);
            second.service().close();
        }
    }

    @Test
    void withoutTheLease_nothingIsRead_andTakingItOverResumesWhereTheHolderStopped() throws Exception {
        SettableClock clock = new SettableClock(T0);
        AtomicBoolean held = new AtomicBoolean(false);
        Lease lease = new Lease() {
            @Override
            public String name() {
                return "export";
            }

            @Override
            public boolean tryAcquire() {
                return held.get();
            }

            @Override
            public void close() {}
        };
        try (EmbeddedMetricStore store = EmbeddedMetricStore.open(dir.resolve("store"));
             StorageEngine engine = StorageEngine.openManual(store, dir.resolve("wal"), EngineConfig.DEFAULTS, clock)) {
            Setup holder = service(engine, store, clock, Lease.local("export"));
            holder.service().tick();
            Setup standby = service(engine, store, clock, lease);
            standby.service().tick();
            deltas(engine, T0.plusSeconds(1), 1);
            clock.set(T0.plusSeconds(30));
            standby.service().tick();
            holder.service().tick();
            assertThat(await(holder.exported().received, 1)).extracting(ExportPoint::count).containsExactly(1.0);
            assertThat(standby.exported().received).as("only the lease holder exports").isEmpty();
            assertThat(standby.local()).as("every node feeds its own exposition").extracting(ExportPoint::count)
                    .containsExactly(1.0);

            holder.service().close(); // the holder is gone; the standby takes over at its cursor
            deltas(engine, T0.plusSeconds(11), 2);
            clock.set(T0.plusSeconds(40));
            held.set(true);
            standby.service().tick();
            assertThat(await(standby.exported().received, 1)).extracting(ExportPoint::count).containsExactly(2.0);
            assertThat(standby.local()).extracting(ExportPoint::count).containsExactly(1.0, 2.0);
            standby.service().close();
        }
    }

    @Test
    void aWeddingDay_isAnnouncedOnceWhenItsFirstWeddingBecomesActive() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2026-06-13T10:00:00Z"));
        try (EmbeddedMetricStore store = EmbeddedMetricStore.open(dir.resolve("store"));
             StorageEngine engine = StorageEngine.openManual(store, dir.resolve("wal"), EngineConfig.DEFAULTS, clock)) {
            store.weddings().upsert(List.of(
                    new Wedding("w-1", null, ZoneId.of("Europe/London"), LocalDateTime.of(2026, 6, 13, 15, 0),
                            LocalDateTime.of(2026, 6, 13, 23, 0), 120, null, List.of(), null, null, null),
                    new Wedding("w-2", null, ZoneId.of("America/New_York"), LocalDateTime.of(2026, 6, 13, 14, 0),
                            LocalDateTime.of(2026, 6, 13, 22, 0), 80, null, List.of(), null, null, null)));
            Setup s = service(engine, store, clock, Lease.local("export"));
            try {
                s.service().tick(); // 10:00 UTC: London's wedding is active from 12:00 UTC
                clock.set(Instant.parse("2026-06-13T12:30:00Z"));
                s.service().tick();
                s.service().tick();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (s.events().received.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(s.events().received).singleElement().satisfies(e -> {
                    assertThat(e.kind()).isEqualTo(ExportEvent.Kind.WEDDING_DAY);
                    assertThat(e.title()).isEqualTo("Wedding day 2026-06-13: 2 weddings, 200 guests");
                    assertThat(e.start()).isEqualTo(Instant.parse("2026-06-13T12:00:00Z"));
                    assertThat(e.end()).isEqualTo(Instant.parse("2026-06-14T02:00:00Z"));
                    assertThat(e.text()).contains("America/New_York 1", "Europe/London 1").doesNotContain("w-1");
                });
                // A restart does not announce it again.
                Setup again = service(engine, store, clock, Lease.local("export"));
                again.service().tick();
                Thread.sleep(100);
                assertThat(again.events().received).as("not announced twice").isEmpty();
                again.service().close();
            } finally {
                s.service().close();
            }
        }
    }
}
