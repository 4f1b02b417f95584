package io.vigil.export.datadog;

import static io.vigil.export.datadog.Fixtures.FAST;
import static io.vigil.export.datadog.FakeDatadog.await;
import static io.vigil.export.datadog.Fixtures.gauges;
import static io.vigil.export.datadog.Fixtures.metricsSink;
import static io.vigil.export.datadog.Fixtures.point;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.MetricKind;
import io.vigil.export.ExportEvent;
import io.vigil.export.ExportPoint;
import io.vigil.export.pipeline.ExportWorker;
import io.vigil.export.pipeline.ExporterHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Datadog sinks inside a real {@link ExportWorker}: what is retried, split, dropped and reported. */
class DatadogPipelineTest {
    private static final String SERIES = DatadogMetricsSink.SERIES_PATH;
    private FakeDatadog dd;
    private final List<ExportWorker<?>> workers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        dd = new FakeDatadog(Clock.fixed(Fixtures.NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        workers.forEach(ExportWorker::close);
        dd.close();
    }

    private <T> ExportWorker<T> worker(io.vigil.export.ExportSink<T> sink) {
        ExportWorker<T> w = new ExportWorker<>(sink, FAST, Clock.systemUTC()).start();
        workers.add(w);
        return w;
    }

    /** Waits until every offered item is sent or dropped. */
    private static ExporterHealth settled(ExportWorker<?> w, long items) throws InterruptedException {
        await(() -> {
            ExporterHealth h = w.health();
            return h.backlog() == 0 && h.sent() + h.dropped().values().stream().mapToLong(Long::longValue).sum()
                    == items;
        });
        return w.health();
    }

    @Test
    void worker_500Then408ThenAccepted_retriedAndDelivered() throws Exception {
        dd.script(SERIES, FakeDatadog.Answer.status(500), FakeDatadog.Answer.status(408));
        ExportWorker<ExportPoint> w = worker(metricsSink(dd, true));

        w.offer(gauges(5));
        ExporterHealth h = settled(w, 5);

        assertThat(h.sent()).isEqualTo(5);
        assertThat(h.dropped()).isEmpty();
        assertThat(h.failures()).containsEntry("http 500", 1L).containsEntry("http 408", 1L);
        assertThat(dd.requests(SERIES)).extracting(FakeDatadog.Request::status).containsExactly(500, 408, 202);
        assertThat(dd.accepted(SERIES)).hasSize(5);
    }

    @Test
    void worker_429WithRateLimitReset_retriedThenDelivered() throws Exception {
        dd.script(SERIES, FakeDatadog.Answer.status(429, Map.of("X-RateLimit-Reset", "1")));
        ExportWorker<ExportPoint> w = worker(metricsSink(dd, true));

        w.offer(gauges(3));
        ExporterHealth h = settled(w, 3);

        assertThat(h.sent()).isEqualTo(3);
        assertThat(h.failures()).containsEntry("http 429", 1L);
        assertThat(dd.requests(SERIES)).extracting(FakeDatadog.Request::status).containsExactly(429, 202);
    }

    @Test
    void worker_400_droppedAsRejectedAndNotRetried() throws Exception {
        dd.script(SERIES, FakeDatadog.Answer.status(400));
        ExportWorker<ExportPoint> w = worker(metricsSink(dd, true));

        w.offer(gauges(4));
        ExporterHealth h = settled(w, 4);

        assertThat(h.dropped()).containsExactly(Map.entry("rejected http 400", 4L));
        assertThat(h.sent()).isZero();
        assertThat(dd.requests(SERIES)).hasSize(1);
    }

    @Test
    void worker_403_droppedWithKeyRefusedReasonAndTheKeyNowhereInHealth() throws Exception {
        String wrong = "wrongkey0123456789abcdef0123456789";
        ExportWorker<ExportPoint> w = worker(metricsSink(dd, wrong, Duration.ofSeconds(5)));

        w.offer(gauges(2));
        ExporterHealth h = settled(w, 2);

        assertThat(h.dropped()).containsExactly(Map.entry("rejected " + DatadogHttp.KEY_REFUSED, 2L));
        assertThat(h.lastError()).isEqualTo(DatadogHttp.KEY_REFUSED);
        assertThat(dd.requests(SERIES)).hasSize(1);
        assertThat(h.toString()).contains("api key refused").doesNotContain(wrong);
    }

    @Test
    void worker_413_payloadSplitUntilDatadogTakesIt() throws Exception {
        dd.tooLargeWhen(entries -> entries > 3);
        ExportWorker<ExportPoint> w = worker(metricsSink(dd, true));

        w.offer(gauges(10));
        ExporterHealth h = settled(w, 10);

        assertThat(h.sent()).isEqualTo(10);
        assertThat(h.dropped()).isEmpty();
        assertThat(dd.accepted(SERIES)).hasSize(10);
        assertThat(dd.requests(SERIES)).filteredOn(r -> r.status() == 202)
                .allSatisfy(r -> assertThat(r.json().get("series").size()).isLessThanOrEqualTo(3));
        assertThat(dd.requests(SERIES)).anySatisfy(r -> assertThat(r.status()).isEqualTo(413));
    }

    @Test
    void worker_413OnOnePoint_droppedAsTooLarge() throws Exception {
        dd.script(SERIES, FakeDatadog.Answer.status(413));
        ExportWorker<ExportPoint> w = worker(metricsSink(dd, true));

        w.offer(gauges(1));
        ExporterHealth h = settled(w, 1);

        assertThat(h.dropped()).containsExactly(Map.entry("too_large", 1L));
        assertThat(dd.requests(SERIES)).hasSize(1);
    }

    @Test
    void worker_overSizeLimits_batchSplitAndOversizedPointDroppedAsTooLarge() throws Exception {
        List<ExportPoint> points = new ArrayList<>();
        for (int i = 0; i < 1000; i++) { // over 500 KB compressed together
            Map<String, String> labels = new LinkedHashMap<>();
            for (int l = 0; l < 6; l++) {
                labels.put("l" + l, Fixtures.noise(i * 10L + l, 190));
            }
            points.add(point("wedding.api.requests", MetricKind.DELTA, labels, i));
        }
        Map<String, String> huge = new LinkedHashMap<>();
        for (int l = 0; l < 30_000; l++) {
            huge.put("l" + l, "v".repeat(190));
        }
        points.add(500, point("wedding.api.requests", MetricKind.DELTA, huge, 1)); // over 5 MB alone
        ExportWorker<ExportPoint> w = worker(metricsSink(dd, true));

        w.offer(points);
        ExporterHealth h = settled(w, 1001);

        assertThat(h.sent()).isEqualTo(1000);
        assertThat(h.dropped()).containsExactly(Map.entry("too_large", 1L));
        assertThat(dd.requests(SERIES).size()).isGreaterThan(1);
        assertThat(dd.requests(SERIES)).allSatisfy(r -> assertThat(r.status()).isEqualTo(202));
        assertThat(dd.accepted(SERIES)).hasSize(1000);
    }

    @Test
    void worker_notFinitePoints_droppedAsNotFiniteOthersDelivered() throws Exception {
        ExportWorker<ExportPoint> w = worker(metricsSink(dd, true));

        w.offer(List.of(point("a", MetricKind.GAUGE, Map.of(), Double.NaN),
                point("b", MetricKind.DELTA, Map.of(), Double.POSITIVE_INFINITY),
                point("c", MetricKind.GAUGE, Map.of(), 1)));
        ExporterHealth h = settled(w, 3);

        assertThat(h.dropped()).containsExactly(Map.entry("not_finite", 2L));
        assertThat(h.sent()).isEqualTo(1);
        assertThat(dd.problems()).isEmpty();
    }

    @Test
    void worker_hangingAnswer_timeoutRetriedThenDelivered() throws Exception {
        dd.script(SERIES, FakeDatadog.Answer.hang());
        ExportWorker<ExportPoint> w = worker(metricsSink(dd, FakeDatadog.KEY, Duration.ofMillis(300)));

        w.offer(gauges(2));
        ExporterHealth h = settled(w, 2);

        assertThat(h.sent()).isEqualTo(2);
        assertThat(h.failures()).containsEntry("timeout after 300 ms", 1L);
        assertThat(dd.accepted(SERIES)).hasSize(2);
    }

    @Test
    void worker_distributionsAndSeries_eachToItsEndpointAfterA413Split() throws Exception {
        dd.tooLargeWhen(entries -> entries > 1);
        List<ExportPoint> points = new ArrayList<>(gauges(2));
        points.add(Fixtures.latencies("wedding.photo_upload.duration", 100, 3.0));
        points.add(Fixtures.latencies("wedding.timeline.sync.duration", 100, 1.0));
        ExportWorker<ExportPoint> w = worker(metricsSink(dd, true));

        w.offer(points);
        ExporterHealth h = settled(w, 4);

        assertThat(h.sent()).isEqualTo(4);
        assertThat(dd.accepted(SERIES)).extracting(e -> e.get("metric").asText())
                .containsOnly("wedding.db.pool_active").hasSize(2);
        assertThat(dd.accepted(DatadogMetricsSink.DISTRIBUTION_PATH)).extracting(e -> e.get("metric").asText())
                .containsExactlyInAnyOrder("wedding.photo_upload.duration", "wedding.timeline.sync.duration");
        assertThat(dd.problems()).isEmpty();
    }

    @Test
    void eventsWorker_429WithRateLimitResetThen500_retriedAndDeliveredOneEventPerRequest() throws Exception {
        dd.script(DatadogEventsSink.PATH, FakeDatadog.Answer.status(429, Map.of("X-RateLimit-Reset", "1")),
                FakeDatadog.Answer.status(500));
        DatadogEventsSink sink = new DatadogEventsSink(dd.base(), new DatadogApiKey(FakeDatadog.KEY), List.of(),
                Duration.ofSeconds(5), Clock.fixed(Fixtures.NOW, ZoneOffset.UTC));
        ExportWorker<ExportEvent> w = worker(sink);

        w.offer(List.of(DatadogEventsSinkTest.incident(), DatadogEventsSinkTest.weddingDay()));
        ExporterHealth h = settled(w, 2);

        assertThat(h.sent()).isEqualTo(2);
        assertThat(h.failures()).containsEntry("http 429", 1L).containsEntry("http 500", 1L);
        assertThat(dd.requests(DatadogEventsSink.PATH)).extracting(FakeDatadog.Request::status)
                .containsExactly(429, 500, 202, 202);
        assertThat(dd.problems()).isEmpty();
    }

    @Test
    void eventsWorker_400_droppedNotRetried() throws Exception {
        dd.script(DatadogEventsSink.PATH, FakeDatadog.Answer.status(400));
        DatadogEventsSink sink = new DatadogEventsSink(dd.base(), new DatadogApiKey(FakeDatadog.KEY), List.of(),
                Duration.ofSeconds(5), Clock.fixed(Fixtures.NOW, ZoneOffset.UTC));
        ExportWorker<ExportEvent> w = worker(sink);

        w.offer(List.of(DatadogEventsSinkTest.incident()));
        ExporterHealth h = settled(w, 1);

        assertThat(h.dropped()).containsExactly(Map.entry("rejected http 400", 1L));
        assertThat(dd.requests(DatadogEventsSink.PATH)).hasSize(1);
    }
}
