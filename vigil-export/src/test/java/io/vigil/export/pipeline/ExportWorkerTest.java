package io.vigil.export.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.outbound.RetryPolicy;
import io.vigil.core.outbound.SendOutcome;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ExportWorkerTest {
    static final RetryPolicy FAST_RETRY = new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(20),
            Duration.ofMinutes(10), Duration.ZERO);

    static ExportWorker.Settings settings(int capacity) {
        return new ExportWorker.Settings(capacity, Duration.ofMillis(50), FAST_RETRY, Duration.ofMinutes(10));
    }

    static List<String> items(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    static List<String> flat(List<List<String>> batches) {
        List<String> out = new ArrayList<>();
        synchronized (batches) {
            batches.forEach(out::addAll);
        }
        return out;
    }

    @Test
    void itemsAreBatchedBySize_andSentInOrder() throws Exception {
        ScriptedSink sink = new ScriptedSink(10);
        try (ExportWorker<String> worker = new ExportWorker<>(sink, settings(1_000), Clock.systemUTC()).start()) {
            worker.offer(items("a", 25));
            await(() -> flat(sink.delivered).size() == 25);
            assertThat(flat(sink.delivered)).isEqualTo(items("a", 25));
            assertThat(sink.delivered).allSatisfy(batch -> assertThat(batch.size()).isLessThanOrEqualTo(10));
            await(() -> worker.health().sent() == 25);
            assertThat(worker.health().backlog()).isZero();
            assertThat(worker.health().healthy()).isTrue();
        }
    }

    @Test
    void aHangingFarSide_neverBlocksOffer_andTheBufferKeepsTheNewestItems() throws Exception {
        ScriptedSink sink = new ScriptedSink(10);
        sink.hang = new CountDownLatch(1);
        try (ExportWorker<String> worker = new ExportWorker<>(sink, settings(100), Clock.systemUTC()).start()) {
            worker.offer(items("first", 10));
            await(() -> sink.attempts.size() == 1); // the first batch is stuck in send
            for (int i = 0; i < 50; i++) {
                worker.offer(items("b" + i + "-", 10)); // 500 items into a buffer of 100: returns at once
            }
            ExporterHealth h = worker.health();
            assertThat(h.dropped()).containsEntry("buffer_full", 400L);
            assertThat(h.backlog()).isEqualTo(110); // 100 buffered + 10 in flight

            sink.hang.countDown();
            sink.hang = null;
            await(() -> worker.health().sent() == 110);
            List<String> sent = flat(sink.delivered);
            assertThat(sent).startsWith(items("first", 10).toArray(String[]::new));
            assertThat(sent.subList(10, sent.size())).first().isEqualTo("b40-0"); // the newest 100 survived
        }
    }

    @Test
    void retryableFailures_areRetriedUntilDelivered_andCountedByReason() throws Exception {
        ScriptedSink sink = new ScriptedSink(10);
        sink.script.add(p -> new SendOutcome.Retry("http 503", 503, null));
        sink.script.add(p -> new SendOutcome.Retry("http 429", 429, Duration.ofMillis(30)));
        sink.script.add(p -> new SendOutcome.Retry("timeout after 10000 ms", 0, null));
        try (ExportWorker<String> worker = new ExportWorker<>(sink, settings(1_000), Clock.systemUTC()).start()) {
            worker.offer(items("r", 3));
            await(() -> worker.health().sent() == 3);
            assertThat(sink.attempts).hasSize(4).allSatisfy(a -> assertThat(a).isEqualTo(items("r", 3)));
            ExporterHealth h = worker.health();
            assertThat(h.failures()).containsEntry("http 503", 1L).containsEntry("http 429", 1L)
                    .containsEntry("timeout after 10000 ms", 1L);
            assertThat(h.dropped()).isEmpty();
            assertThat(h.healthy()).as("delivered after the failures").isTrue();
        }
    }

    @Test
    void tooLarge_isSplitInHalvesUntilAccepted() throws Exception {
        ScriptedSink sink = new ScriptedSink(8);
        sink.script.add(p -> new SendOutcome.Rejected("http 413", 413)); // 8 items
        sink.script.add(p -> new SendOutcome.Rejected("http 413", 413)); // first 4
        try (ExportWorker<String> worker = new ExportWorker<>(sink, settings(1_000), Clock.systemUTC()).start()) {
            worker.offer(items("s", 8));
            await(() -> worker.health().sent() == 8);
            assertThat(sink.attempts.stream().map(List::size).toList()).containsExactly(8, 4, 2, 2, 4);
            assertThat(flat(sink.delivered)).isEqualTo(items("s", 8));
            assertThat(worker.health().dropped()).isEmpty();
        }
    }

    @Test
    void aSingleItemTooLarge_andAPermanentRejection_areDroppedAndReported_notRetried() throws Exception {
        ScriptedSink sink = new ScriptedSink(1);
        sink.script.add(p -> new SendOutcome.Rejected("http 413", 413));
        sink.script.add(p -> new SendOutcome.Rejected("http 400", 400));
        try (ExportWorker<String> worker = new ExportWorker<>(sink, settings(1_000), Clock.systemUTC()).start()) {
            worker.offer(List.of("huge", "bad", "fine", "unencodable-1"));
            await(() -> worker.health().sent() == 1 && worker.health().dropped().size() == 2);
            assertThat(sink.attempts).containsExactly(List.of("huge"), List.of("bad"), List.of("fine"));
            assertThat(worker.health().dropped()).containsEntry("too_large", 2L) // "huge" and the unencodable one
                    .containsEntry("rejected http 400", 1L);
        }
    }

    @Test
    void aFarSideThatKeepsFailing_opensTheCircuit_andNothingIsSentWhileOpen() throws Exception {
        ScriptedSink sink = new ScriptedSink(1);
        for (int i = 0; i < 1000; i++) {
            sink.script.add(p -> new SendOutcome.Retry("http 500", 500, null));
        }
        try (ExportWorker<String> worker = new ExportWorker<>(sink, settings(1_000), Clock.systemUTC()).start()) {
            worker.offer(items("c", 3));
            await(() -> worker.health().circuit().equals("OPEN"));
            int attemptsWhenOpen = sink.attempts.size();
            Thread.sleep(300); // the circuit waits 30 s before it lets one attempt through
            assertThat(sink.attempts).hasSize(attemptsWhenOpen);
            assertThat(worker.health().healthy()).isFalse();
            assertThat(worker.health().lastError()).isEqualTo("http 500");
            assertThat(worker.health().backlog()).isEqualTo(3);
        }
    }

    @Test
    void payloadsOlderThanTheGiveUpTime_areDroppedAsExpired() throws Exception {
        ScriptedSink sink = new ScriptedSink(5);
        for (int i = 0; i < 1000; i++) {
            sink.script.add(p -> new SendOutcome.Retry("http 503", 503, null));
        }
        ExportWorker.Settings quickGiveUp = new ExportWorker.Settings(1_000, Duration.ofMillis(50), FAST_RETRY,
                Duration.ofMillis(100));
        try (ExportWorker<String> worker = new ExportWorker<>(sink, quickGiveUp, Clock.systemUTC()).start()) {
            worker.offer(items("e", 5));
            await(() -> worker.health().dropped().getOrDefault("expired", 0L) == 5);
            assertThat(worker.health().sent()).isZero();
            assertThat(worker.health().backlog()).isZero();
        }
    }
}
