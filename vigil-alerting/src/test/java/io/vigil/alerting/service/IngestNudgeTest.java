package io.vigil.alerting.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alerting.lifecycle.LifecycleConfig;
import io.vigil.alerting.rules.DefaultRules;
import io.vigil.alerting.rules.RuleEvaluator;
import io.vigil.calendar.CalendarSettings;
import io.vigil.calendar.WeddingCalendar;
import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.core.WriteBatch;
import io.vigil.core.wedding.Wedding;
import io.vigil.engine.EngineConfig;
import io.vigil.engine.StorageEngine;
import io.vigil.engine.query.QueryEngine;
import io.vigil.store.Lease;
import io.vigil.store.StateStore;
import io.vigil.store.embedded.EmbeddedMetricStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules evaluated every second also run on ingest: with the periodic round an hour away, only the batch's arrival can
 * have written the intent.
 */
class IngestNudgeTest {
    static final Instant NOW = Instant.parse("2026-06-13T18:00:00Z");
    static final String UPLOADS = "wedding_photo_upload_seconds";

    @TempDir
    Path dir;

    static WriteBatch slowUploads(String wedding) {
        WriteBatch b = new WriteBatch();
        b.beginSeries(new SeriesKey("unrelated_queue_depth", Labels.EMPTY), MetricKind.GAUGE);
        b.addSample(NOW.toEpochMilli() - 1_000, 3);
        b.beginSeries(new SeriesKey(UPLOADS, Labels.of("wedding_id", wedding, "client", "mobile", "status", "200")),
                MetricKind.DISTRIBUTION);
        for (int i = 0; i < 30; i++) {
            b.addSample(NOW.toEpochMilli() - 1_000, 11 + i % 4);
        }
        return b;
    }

    @Test
    void aBreachingBatchDuringAWedding_writesTheIntentWithoutWaitingForTheNextRound() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        try (EmbeddedMetricStore store = EmbeddedMetricStore.open(dir.resolve("store"));
             StorageEngine engine = StorageEngine.openManual(store, dir.resolve("wal"), EngineConfig.DEFAULTS, clock)) {
            store.weddings().upsert(List.of(new Wedding("w-1", null, ZoneId.of("Europe/London"),
                    LocalDateTime.of(2026, 6, 13, 15, 0), LocalDateTime.of(2026, 6, 13, 23, 30), 120, null, List.of(),
                    null, null, null)));
            WeddingCalendar calendar = new WeddingCalendar(store.weddings(), CalendarSettings.DEFAULTS, clock);
            StateStore state = store.state();
            try (AlertingService alerting = new AlertingService(state, new RuleEvaluator(new QueryEngine(engine)),
                    calendar, Lease.local("alerting"), clock, DefaultRules.load(), LifecycleConfig.DEFAULTS)) {
                alerting.start(Duration.ofHours(1));
                await(() -> alerting.hotMetrics().contains(UPLOADS));
                assertThat(alerting.hotMetrics()).as("only rules evaluated every second are nudged")
                        .doesNotContain("http_server_request_duration_seconds", "unrelated_queue_depth");
                assertThat(state.pending(10)).isEmpty();

                WriteBatch batch = slowUploads("w-1");
                engine.write(batch);
                alerting.ingested(batch.metricNames());

                await(() -> !state.pending(10).isEmpty());
                assertThat(state.pending(10)).singleElement().satisfies(i -> assertThat(i.json())
                        .contains("\"kind\":\"FIRING\"", "photo-upload.avg.critical", "\"priority\":\"P0\""));
            }
        }
    }

    @Test
    void withoutAnActiveWedding_nothingIsEvaluatedEverySecond_andIngestStartsNoRound() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        try (EmbeddedMetricStore store = EmbeddedMetricStore.open(dir.resolve("store"));
             StorageEngine engine = StorageEngine.openManual(store, dir.resolve("wal"), EngineConfig.DEFAULTS, clock)) {
            WeddingCalendar calendar = new WeddingCalendar(store.weddings(), CalendarSettings.DEFAULTS, clock);
            try (AlertingService alerting = new AlertingService(store.state(),
                    new RuleEvaluator(new QueryEngine(engine)), calendar, Lease.local("alerting"), clock,
                    DefaultRules.load(), LifecycleConfig.DEFAULTS)) {
                alerting.start(Duration.ofHours(1));
                await(alerting::evaluating);

                assertThat(alerting.hotMetrics()).isEmpty();
                WriteBatch batch = slowUploads("w-1");
                engine.write(batch);
                alerting.ingested(batch.metricNames());
                assertThat(alerting.nudgeScheduled()).isFalse();
            }
        }
    }

    static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
