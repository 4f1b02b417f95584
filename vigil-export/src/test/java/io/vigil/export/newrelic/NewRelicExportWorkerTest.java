package io.vigil.export.newrelic;

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

/** The New Relic exporter inside a real {@link ExportWorker}, against a stand-in answering as scripted. */
class NewRelicExportWorkerTest {
    private final FakeNewRelic newRelic = new FakeNewRelic();
    private ExportWorker<ExportPoint> worker;

    @AfterEach
    void close() {
        if (worker != null) {
            worker.close();
        }
        newRelic.close();
    }

    private ExportWorker<ExportPoint> start(Duration timeout) {
        worker = new ExportWorker<>(newRelic.sink(timeout), TestPoints.quickSettings(), Clock.systemUTC()).start();
        return worker;
    }

    private static List<ExportPoint> points(int n) {
        List<ExportPoint> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(TestPoints.gauge("guest_checkin_queue", Map.of("desk", "d" + i), i));
        }
        return out;
    }

    @Test
    void accepted_pointsCountAsSentAndNothingIsDropped() {
        start(Duration.ofSeconds(5)).offer(points(10));

        ExporterHealth h = TestPoints.await(worker, x -> x.sent() == 10);

        assertThat(h.dropped()).isEmpty();
        assertThat(h.healthy()).isTrue();
        assertThat(newRelic.metrics).hasSize(10);
        assertThat(newRelic.problems).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 403, 415})
    void permanentStatus_isDroppedAndReportedWithoutRetry(int status) {
        newRelic.receiver.script(Receiver.Response.of(status));
        start(Duration.ofSeconds(5)).offer(points(10));

        ExporterHealth h = TestPoints.await(worker, x -> !x.dropped().isEmpty());

        assertThat(h.dropped()).containsExactly(Map.entry("rejected http " + status, 10L));
        assertThat(h.sent()).isZero();
        assertThat(h.failures()).containsEntry("http " + status, 1L);
        assertThat(newRelic.receiver.requests()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503})
    void retryableStatus_isRetriedUntilAccepted(int status) {
        newRelic.receiver.script(Receiver.Response.of(status), Receiver.Response.of(status));
        start(Duration.ofSeconds(5)).offer(points(10));

        ExporterHealth h = TestPoints.await(worker, x -> x.sent() == 10);

        assertThat(h.failures()).containsEntry("http " + status, 2L);
        assertThat(h.dropped()).isEmpty();
        assertThat(newRelic.receiver.statuses()).containsExactly(status, status, 202);
        assertThat(newRelic.metrics).hasSize(10);
    }

    @Test
    void status429WithRetryAfter_isRetriedAndThenAccepted() {
        newRelic.receiver.script(Receiver.Response.of(429).withHeader("Retry-After", "1"));
        start(Duration.ofSeconds(5)).offer(points(3));

        ExporterHealth h = TestPoints.await(worker, x -> x.sent() == 3);

        assertThat(h.failures()).containsEntry("http 429", 1L);
        assertThat(newRelic.receiver.statuses()).containsExactly(429, 202);
    }

    @Test
    void status413_splitsThePayloadUntilEachPartIsAccepted() {
        newRelic.receiver.script(Receiver.Response.of(413), Receiver.Response.of(413));
        start(Duration.ofSeconds(5)).offer(points(8));

        ExporterHealth h = TestPoints.await(worker, x -> x.sent() == 8);

        assertThat(h.dropped()).isEmpty();
        // 8 refused, then its first half (4) refused, then 2 + 2 and the second half of 4 accepted
        assertThat(newRelic.receiver.statuses()).containsExactly(413, 413, 202, 202, 202);
        assertThat(newRelic.metrics).hasSize(8);
    }

    @Test
    void status413_forASinglePoint_isDroppedAsTooLarge() {
        newRelic.receiver.script(Receiver.Response.of(413));
        start(Duration.ofSeconds(5)).offer(points(1));

        ExporterHealth h = TestPoints.await(worker, x -> !x.dropped().isEmpty());

        assertThat(h.dropped()).containsExactly(Map.entry("too_large", 1L));
    }

    @Test
    void hangingAnswer_timesOutAndIsRetried() {
        newRelic.receiver.script(Receiver.Response.of(202).after(Duration.ofSeconds(3)));
        start(Duration.ofMillis(300)).offer(points(5));

        ExporterHealth h = TestPoints.await(worker, x -> x.sent() == 5);

        assertThat(h.failures()).containsEntry("timeout after 300 ms", 1L);
        assertThat(newRelic.metrics).hasSize(5); // only the retry reached the fake's handler
    }

    @Test
    void nonFinitePoints_areDroppedAsRefusedWhileTheRestIsSent() {
        List<ExportPoint> batch = new ArrayList<>(points(4));
        batch.add(TestPoints.gauge("venue_temperature", Map.of(), Double.NaN));
        start(Duration.ofSeconds(5)).offer(batch);

        ExporterHealth h = TestPoints.await(worker, x -> x.sent() == 4 && !x.dropped().isEmpty());

        assertThat(h.dropped()).containsExactly(Map.entry("non_finite", 1L));
        assertThat(newRelic.problems).isEmpty();
    }
}
