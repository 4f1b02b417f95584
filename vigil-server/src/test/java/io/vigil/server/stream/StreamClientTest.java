package io.vigil.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The per-client buffer: conflation for a slow client, cut-off for a stalled one. */
class StreamClientTest {
    record Recorded(List<StreamClient.Outgoing> sent, List<String> closes) implements StreamClient.Sink {
        Recorded() {
            this(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        }

        @Override
        public void send(StreamClient.Outgoing message) throws Exception {
            Thread.sleep(20); // a slow client: 50 messages a second at most
            sent.add(message);
        }

        @Override
        public void close(String reason) {
            closes.add(reason);
        }
    }

    @Test
    void slowClient_getsTheLatestValue_inFewerMessagesThanUpdates() throws Exception {
        Recorded sink = new Recorded();
        StreamClient client = new StreamClient(sink, StreamClient.Limits.DEFAULTS);
        assertThat(client.activate("s1")).isTrue();
        assertThat(client.activate("s2")).isTrue();
        client.startSender();
        for (int i = 1; i <= 300; i++) {
            assertThat(client.offerUpdate(new StreamClient.Outgoing("s1", i, "{\"v\":" + i + "}"))).isTrue();
            if (i % 100 == 0) {
                client.offerUpdate(new StreamClient.Outgoing("s2", i, "{\"w\":" + i + "}"));
            }
            Thread.sleep(1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.sent().stream()
                .anyMatch(m -> m.subscription().equals("s1") && m.seq() == 300));
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.sent().stream()
                .anyMatch(m -> m.subscription().equals("s2") && m.seq() == 300));
        List<StreamClient.Outgoing> s1 = sink.sent().stream().filter(m -> m.subscription().equals("s1")).toList();
        assertThat(s1.size()).isLessThan(300);
        assertThat(client.dropped()).isPositive();
        // In order, never an older value after a newer one.
        for (int i = 1; i < s1.size(); i++) {
            assertThat(s1.get(i).seq()).isGreaterThan(s1.get(i - 1).seq());
        }
        assertThat(client.isClosed()).isFalse();
        client.disconnect("done");
    }

    @Test
    void stalledClient_isCutOffAfterTooManyReplacedUpdates_withoutBlockingTheProducer() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        List<String> closes = new CopyOnWriteArrayList<>();
        StreamClient client = new StreamClient(new StreamClient.Sink() {
            @Override
            public void send(StreamClient.Outgoing message) throws Exception {
                never.await();
            }

            @Override
            public void close(String reason) {
                closes.add(reason);
                never.countDown();
            }
        }, new StreamClient.Limits(10, Duration.ofSeconds(30), 1_000));
        client.activate("s");
        client.startSender();
        long start = System.nanoTime();
        int offered = 0;
        while (client.offerUpdate(new StreamClient.Outgoing("s", ++offered, "{}"))) {
            assertThat(offered).isLessThan(5_000);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(client.isClosed()).isTrue();
        assertThat(client.closeReason()).contains("too slow").contains("replaced");
        assertThat(closes).hasSize(1);
    }

    @Test
    void anUnsentUpdate_makesTheNextOneConflateWithoutBeingComputed_andCountsTowardsTheLimit() {
        List<String> closes = new CopyOnWriteArrayList<>();
        StreamClient client = new StreamClient(new StreamClient.Sink() {
            @Override
            public void send(StreamClient.Outgoing message) {
                throw new AssertionError("no sender was started");
            }

            @Override
            public void close(String reason) {
                closes.add(reason);
            }
        }, new StreamClient.Limits(10, Duration.ofSeconds(30), 5));
        client.activate("s");
        client.activate("t");

        assertThat(client.conflateIfUnsent("s")).as("nothing waits: compute it").isFalse();
        assertThat(client.offerUpdate(new StreamClient.Outgoing("s", 1, "{}"))).isTrue();
        assertThat(client.conflateIfUnsent("t")).as("another subscription").isFalse();
        for (int i = 0; i < 4; i++) {
            assertThat(client.conflateIfUnsent("s")).isTrue();
        }
        assertThat(client.dropped()).isEqualTo(4);
        assertThat(client.isClosed()).isFalse();
        assertThat(client.conflateIfUnsent("s")).isTrue();
        assertThat(client.isClosed()).as("the fifth replaced update reaches the limit").isTrue();
        assertThat(client.closeReason()).contains("replaced");
    }

    @Test
    void stalledWrite_isCutOffByTheStallCheck() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        StreamClient client = new StreamClient(new StreamClient.Sink() {
            @Override
            public void send(StreamClient.Outgoing message) throws Exception {
                never.await();
            }

            @Override
            public void close(String reason) {
                never.countDown();
            }
        }, new StreamClient.Limits(10, Duration.ofMillis(200), 1_000));
        client.activate("s");
        client.startSender();
        client.offerUpdate(new StreamClient.Outgoing("s", 1, "{}"));
        client.offerUpdate(new StreamClient.Outgoing("s", 2, "{}"));
        Thread.sleep(400);
        client.checkStall(System.nanoTime());
        assertThat(client.closeReason()).contains("too slow");
    }
}
