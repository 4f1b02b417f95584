package io.vigil.export.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.export.ExportPoint;
import io.vigil.export.TestPoints;
import io.vigil.export.http.Receiver;
import io.vigil.export.pipeline.ExportWorker;
import io.vigil.export.pipeline.ExporterHealth;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The OTLP exporter inside a real {@link ExportWorker}, against a collector answering as scripted. */
class OtlpExportWorkerTest {
    private final FakeCollector collector = new FakeCollector();
    private OtlpMetricsSink sink;
    private ExportWorker<ExportPoint> worker;

    @AfterEach
    void close() {
        if (worker != null) {
            worker.close();
        }
        collector.close();
    }

    private ExportWorker<ExportPoint> start(Duration timeout) {
        sink = collector.sink(timeout);
        worker = new ExportWorker<>(sink, TestPoints.quickSettings(), Clock.systemUTC()).start();
        return worker;
    }

    private static List<ExportPoint> points(int n) {
        List<ExportPoint> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(TestPoints.latencies("http_request_duration_seconds", Map.of("route", "/r" + i), 100, 0.2, i));
        }
        return out;
    }

    private int dataPoints() {
        return collector.metrics().stream().mapToInt(m -> m.getExponentialHistogram().getDataPointsCount()).sum();
    }

    @Test
    void accepted_pointsCountAsSentAndNothingIsDropped() {
        start(Duration.ofSeconds(5)).offer(points(10));

        ExporterHealth h = TestPoints.await(worker, x -> x.sent() == 10);

        assertThat(h.dropped()).isEmpty();
        assertThat(h.healthy()).isTrue();
        assertThat(dataPoints()).isEqualTo(10);
        assertThat(collector.problems).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 415, 500, 501})
    void nonRetryableStatus_isDroppedAndReportedWithoutRetry(int status) {
        collector.receiver.script(Receiver.Response.of(status));
        start(Duration.ofSeconds(5)).offer(points(10));

        ExporterHealth h = TestPoints.await(worker, x -> !x.dropped().isEmpty());

        assertThat(h.dropped()).containsExactly(Map.entry("rejected http " + status, 10L));
        assertThat(h.sent()).isZero();
        assertThat(collector.receiver.requests()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 502, 503, 504})
    void retryableStatus_isRetriedUntilAccepted(int status) {
        collector.receiver.script(Receiver.Response.of(status), Receiver.Response.of(status));
        start(Duration.ofSeconds(5)).offer(points(10));

        ExporterHealth h = TestPoints.await(worker, x -> x.sent() == 10);

        assertThat(h.failures()).containsEntry("http " + status, 2L);
        assertThat(h.dropped()).isEmpty();
        assertThat(collector.receiver.statuses()).containsExactly(status, status, 200);
        assertThat(dataPoints()).isEqualTo(10);
    }

    @Test
    void status429WithRetryAfter_isRetriedAndThenAccepted() {
        collector.receiver.script(Receiver.Response.of(429).withHeader("Retry-After", "1"));
        start(Duration.ofSeconds(5)).offer(points(3));

        ExporterHealth h = TestPoints.await(worker, x -> x.sent() == 3);

        assertThat(h.failures()).containsEntry("http 429", 1L);
        assertThat(collector.receiver.statuses()).containsExactly(429, 200);
    }

    @Test
    void status413_isNotResentAsIs_butSplitIntoSmallerPayloads() {
        collector.receiver.script(Receiver.Response.of(413));
        start(Duration.ofSeconds(5)).offer(points(8));

        ExporterHealth h = TestPoints.await(worker, x -> x.sent() == 8);

        assertThat(collector.receiver.statuses()).containsExactly(413, 200, 200);
        assertThat(collector.accepted).allSatisfy(r -> assertThat(r.getResourceMetrics(0).getScopeMetrics(0)
                .getMetrics(0).getExponentialHistogram().getDataPointsCount()).isEqualTo(4));
        assertThat(h.dropped()).isEmpty();
    }

    @Test
    void partialSuccess_isNotRetried_andTheRejectedPointsAreCounted() {
        collector.partialSuccess(3, "3 data points rejected");
        start(Duration.ofSeconds(5)).offer(points(10));

        ExporterHealth h = TestPoints.await(worker, x -> x.sent() == 10);

        assertThat(collector.receiver.requests()).hasSize(1);
        assertThat(h.failures()).isEmpty();
        assertThat(sink.rejectedByCollector()).isEqualTo(3);
    }

    @Test
    void hangingAnswer_timesOutAndIsRetried() {
        collector.receiver.script(Receiver.Response.of(200).after(Duration.ofSeconds(3)));
        start(Duration.ofMillis(300)).offer(points(5));

        ExporterHealth h = TestPoints.await(worker, x -> x.sent() == 5);

        assertThat(h.failures()).containsEntry("timeout after 300 ms", 1L);
        assertThat(dataPoints()).isEqualTo(5);
    }

    @Test
    void hugeLabel_pointIsDroppedAsTooLarge_whileTheRestIsSent() {
        List<ExportPoint> batch = new ArrayList<>(points(4));
        batch.add(TestPoints.gauge("venue_wifi_clients", Map.of("ssid", "x".repeat(5 * 1024 * 1024)), 1));
        start(Duration.ofSeconds(5)).offer(batch);

        ExporterHealth h = TestPoints.await(worker, x -> x.sent() == 4 && !x.dropped().isEmpty());

        assertThat(h.dropped()).containsExactly(Map.entry("too_large", 1L));
    }
}
