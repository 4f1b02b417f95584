package io.vigil.server.stream;

import static io.vigil.server.stream.StreamClients.READ_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.server.VigilServer;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** R2: a WebSocket client that stops reading slows neither ingest nor another client, and is cut off. */
class StalledClientTest {
    @TempDir
    Path dir;

    /** Asks for no message at all: the JDK client then stops reading the socket, and the server's writes back up. */
    static final class NeverReads implements WebSocket.Listener {
        @Override
        public void onOpen(WebSocket webSocket) {
            // no request(n): demand stays zero
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            return null;
        }
    }

    static String batch(int series, int round) {
        StringBuilder sb = new StringBuilder("{\"metrics\":[");
        for (int k = 0; k < series; k++) {
            sb.append(k == 0 ? "" : ",").append("{\"name\":\"stall_requests_total\",\"type\":\"increment\",")
                    .append("\"labels\":{\"instance\":\"host-").append(k).append("-with-a-longish-name\"},\"value\":1}");
        }
        return sb.append("]}").toString();
    }

    @Test
    void stalledClient_slowsNeitherIngestNorAHealthyClient_andIsDisconnected() throws Exception {
        try (VigilServer server = StreamClients.start(dir)) {
            int port = server.port();
            WebSocket stalled = StreamClients.HTTP.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + READ_KEY)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/stream/ws"), new NeverReads()).join();
            // Many subscriptions with large updates (one group per instance), so its socket buffers fill quickly.
            for (int i = 0; i < 40; i++) {
                stalled.sendText("{\"subscribe\": {\"metric\": \"stall_requests_total\", \"stat\": \"sum\", "
                        + "\"by\": \"instance\"}, \"id\": \"s" + i + "\"}", true).join();
            }
            StreamClients.Ws healthy = StreamClients.Ws.open(port, READ_KEY, "");
            healthy.send("{\"subscribe\": {\"metric\": \"stall_requests_total\", \"stat\": \"sum\"}, \"id\": \"h\"}");
            healthy.next(m -> m.path("type").asText().equals("subscribed"), Duration.ofSeconds(10));
            assertThat(server.streams().clientCount()).isEqualTo(2);

            // Ingest until the stalled client is cut off (or 90 s pass), timing every request.
            int series = 300;
            int requests = 0;
            long slowest = 0;
            long start = System.nanoTime();
            while (server.streams().clientCount() > 1 && System.nanoTime() - start < Duration.ofSeconds(90).toNanos()) {
                long t0 = System.nanoTime();
                assertThat(StreamClients.ingest(port, batch(series, requests))).isEqualTo(200);
                slowest = Math.max(slowest, System.nanoTime() - t0);
                requests++;
                Thread.sleep(20);
            }
            long elapsed = System.nanoTime() - start;
            assertThat(server.streams().clientCount()).as("the stalled client was disconnected").isEqualTo(1);
            // Ingest kept its ordinary latency: no request waited on the stalled client (generous bound).
            assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofSeconds(2));
            assertThat(requests).isGreaterThan(10);
            assertThat(Duration.ofNanos(elapsed).toMillis() / requests).isLessThan(500);

            // The healthy client kept up: it sees the total of everything ingested.
            double total = (double) series * requests;
            for (int i = 0; i < 3; i++) {
                assertThat(StreamClients.ingest(port, batch(series, requests++))).isEqualTo(200);
                total += series;
            }
            double expected = total;
            JsonNode last = healthy.await(m -> m.path("type").asText().equals("update")
                    && m.path("groups").path(0).path("value").asDouble() == expected, Duration.ofSeconds(10));
            assertThat(last.path("seq").asLong()).isPositive();
            assertThat(server.streams().updatesProduced()).isGreaterThan(40);
            System.out.printf("stalled client cut off after %d ingest requests in %d ms; slowest %d ms%n", requests,
                    Duration.ofNanos(elapsed).toMillis(), Duration.ofNanos(slowest).toMillis());
            healthy.socket.sendClose(1000, "done").join();
        }
    }
}
