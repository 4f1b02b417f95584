package io.vigil.server.stream;

import static io.vigil.server.stream.StreamClients.READ_KEY;
import static io.vigil.server.stream.StreamClients.ingest;
import static io.vigil.server.stream.StreamClients.latency;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.server.VigilServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebSocket and SSE streams of a real server: updates with values and context, unsubscribe, bad subscriptions. */
class LiveStreamsTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    static boolean update(JsonNode m, String sub) {
        return m.path("type").asText().equals("update") && m.path("subscription").asText().equals(sub);
    }

    static double value(JsonNode update) {
        return update.path("groups").path(0).path("value").asDouble(Double.NaN);
    }

    @Test
    void ingestedMetric_reachesWebSocketAndSse_withValueAndWeddingContext_untilUnsubscribed() throws Exception {
        try (VigilServer server = StreamClients.start(dir)) {
            int port = server.port();
            StreamClients.Ws ws = StreamClients.Ws.open(port, READ_KEY, "");
            ws.send("{\"subscribe\": {\"metric\": \"checkout_seconds\", \"stat\": \"p95\", \"window\": \"5m\"}, \"id\": \"p\"}");
            ws.send("{\"subscribe\": {\"metric\": \"checkout_seconds\", \"stat\": \"count\"}, \"id\": \"c\"}");
            ws.await(m -> m.path("type").asText().equals("subscribed") && m.path("subscription").asText().equals("c"), WAIT);

            try (StreamClients.Sse sse = new StreamClients.Sse(port, "?metric=checkout_seconds&stat=count", READ_KEY, null)) {
                assertThat(sse.response.statusCode()).isEqualTo(200);
                assertThat(sse.response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");

                double[] obs = new double[20];
                for (int i = 0; i < obs.length; i++) {
                    obs[i] = (i + 1) / 10.0; // 0.1 .. 2.0 s
                }
                assertThat(ingest(port, latency("checkout_seconds", obs))).isEqualTo(200);

                JsonNode count = ws.await(m -> update(m, "c") && value(m) == 20.0, WAIT);
                assertThat(count.path("metric").asText()).isEqualTo("checkout_seconds");
                assertThat(count.path("stat").asText()).isEqualTo("count");
                assertThat(count.path("window").asText()).isEqualTo("60s");
                assertThat(count.path("seq").asLong()).isPositive();
                assertThat(count.path("context").has("peakTime")).isTrue();
                assertThat(count.path("context").has("weddingSeason")).isTrue();
                assertThat(count.path("context").has("activeWeddings")).isTrue();
                JsonNode p95 = ws.await(m -> update(m, "p") && !Double.isNaN(value(m)) && value(m) > 0, WAIT);
                assertThat(value(p95)).isBetween(1.8, 2.05); // 95th of 0.1..2.0, DDSketch 1 % accuracy
                assertThat(p95.path("window").asText()).isEqualTo("300s");

                StreamClients.Event e = sse.await(ev -> ev.data().path("type").asText().equals("update")
                        && value(ev.data()) == 20.0, WAIT);
                assertThat(e.id()).isEqualTo(e.data().path("seq").asText());
                assertThat(e.data().path("context").has("peakTime")).isTrue();
                assertThat(sse.retryLines).isNotEmpty();

                // Unsubscribe 'c': acknowledged, and no update of it follows, while 'p' keeps updating.
                ws.send("{\"unsubscribe\": \"c\"}");
                JsonNode ack = ws.await(m -> m.path("type").asText().equals("unsubscribed"), WAIT);
                int ackIndex = ws.all.indexOf(ack);
                assertThat(ingest(port, latency("checkout_seconds", 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0,
                        5.0, 5.0, 5.0))).isEqualTo(200);
                ws.awaitFrom(ackIndex, m -> update(m, "p") && value(m) > 4.0, WAIT);
                Thread.sleep(500);
                assertThat(ws.all.subList(ackIndex, ws.all.size())).noneMatch(m -> update(m, "c"));
                sse.await(ev -> value(ev.data()) == 32.0, WAIT);
            }
            ws.socket.sendClose(1000, "done").join();
        }
    }

    @Test
    void badSubscriptions_getClearErrors_andTheWebSocketStaysUsable() throws Exception {
        try (VigilServer server = StreamClients.start(dir)) {
            int port = server.port();
            StreamClients.Ws ws = StreamClients.Ws.open(port, READ_KEY, "");
            ws.send("{\"subscribe\": {\"metric\": \"m\", \"stat\": \"p95x\"}, \"id\": \"a\"}");
            JsonNode e1 = ws.next(m -> m.path("type").asText().equals("error"), WAIT);
            assertThat(e1.path("subscription").asText()).isEqualTo("a");
            assertThat(e1.path("message").asText()).contains("stat was 'p95x'").contains("p95");
            ws.send("{\"subscribe\": {\"metric\": \"m\", \"window\": \"2h\"}, \"id\": \"b\"}");
            assertThat(ws.next(m -> m.path("type").asText().equals("error"), WAIT).path("message").asText())
                    .contains("window").contains("1h");
            ws.send("{\"subscribe\": {\"stat\": \"count\"}, \"id\": \"c\"}");
            assertThat(ws.next(m -> m.path("type").asText().equals("error"), WAIT).path("message").asText())
                    .contains("'metric' is required");
            ws.send("not json");
            assertThat(ws.next(m -> m.path("type").asText().equals("error"), WAIT).path("message").asText())
                    .contains("not JSON");
            ws.send("{\"subscribe\": {\"metric\": \"m\"}}");
            assertThat(ws.next(m -> m.path("type").asText().equals("error"), WAIT).path("message").asText())
                    .contains("'id' is required");
            ws.send("{\"unsubscribe\": \"nope\"}");
            assertThat(ws.next(m -> m.path("type").asText().equals("error"), WAIT).path("message").asText())
                    .contains("no subscription with id 'nope'");

            // Still usable: a good subscription is acknowledged and updated.
            ws.send("{\"subscribe\": {\"metric\": \"m\", \"stat\": \"count\"}, \"id\": \"ok\"}");
            ws.next(m -> m.path("type").asText().equals("subscribed"), WAIT);
            assertThat(ingest(port, latency("m", 1, 2, 3))).isEqualTo(200);
            ws.next(m -> update(m, "ok") && value(m) == 3.0, WAIT);

            var bad = StreamClients.get(port, "/api/v1/stream/sse?metric=m&stat=nope", READ_KEY);
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("stat was 'nope'");
            bad = StreamClients.get(port, "/api/v1/stream/sse?metric=m&window=3h", READ_KEY);
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("window");
            bad = StreamClients.get(port, "/api/v1/stream/sse?stat=count", READ_KEY);
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("'metric' is required");
        }
    }

    @Test
    void sseLastEventId_continuesTheSequence_andResendsTheLatestValue() throws Exception {
        try (VigilServer server = StreamClients.start(dir)) {
            int port = server.port();
            long lastSeq;
            try (StreamClients.Sse sse = new StreamClients.Sse(port, "?metric=resume_seconds&stat=count", READ_KEY, null)) {
                assertThat(ingest(port, latency("resume_seconds", 1, 1))).isEqualTo(200);
                StreamClients.Event e = sse.await(ev -> value(ev.data()) == 2.0, WAIT);
                assertThat(ingest(port, latency("resume_seconds", 1))).isEqualTo(200);
                e = sse.await(ev -> value(ev.data()) == 3.0, WAIT);
                lastSeq = Long.parseLong(e.id());
                assertThat(lastSeq).isGreaterThanOrEqualTo(2);
            }
            try (StreamClients.Sse again = new StreamClients.Sse(port, "?metric=resume_seconds&stat=count", READ_KEY,
                    String.valueOf(lastSeq))) {
                StreamClients.Event first = again.await(ev -> ev.data().path("type").asText().equals("update"), WAIT);
                assertThat(Long.parseLong(first.id())).isEqualTo(lastSeq + 1);
                assertThat(first.data().path("seq").asLong()).isEqualTo(lastSeq + 1);
                assertThat(value(first.data())).isEqualTo(3.0); // the latest value, at once
                assertThat(ingest(port, latency("resume_seconds", 1))).isEqualTo(200);
                StreamClients.Event next = again.await(ev -> value(ev.data()) == 4.0, WAIT);
                assertThat(Long.parseLong(next.id())).isEqualTo(lastSeq + 2);
            }
            // The query-string form (for clients that cannot set the header) resumes the same way and filters nothing.
            try (StreamClients.Sse byQuery = new StreamClients.Sse(port, "?metric=resume_seconds&stat=count&lastEventId="
                    + (lastSeq + 2), READ_KEY, null)) {
                StreamClients.Event first = byQuery.await(ev -> ev.data().path("type").asText().equals("update"), WAIT);
                assertThat(first.data().path("seq").asLong()).isEqualTo(lastSeq + 3);
                assertThat(value(first.data())).isEqualTo(4.0);
            }
        }
    }

    static String runLatency(String metric, String run, int observations) {
        StringBuilder obs = new StringBuilder();
        for (int i = 0; i < observations; i++) {
            obs.append(i == 0 ? "" : ",").append(0.1 * (i + 1));
        }
        String labels = run == null ? "{\"route\": \"/guests\"}"
                : "{\"route\": \"/guests\", \"load_test_run\": \"" + run + "\"}";
        return "{\"name\": \"" + metric + "\", \"type\": \"latency\", \"labels\": " + labels
                + ", \"observations\": [" + obs + "]}";
    }

    @Test
    void loadTestStreams_overWebSocketAndSse_seeOnlyTheirRunsSamples_andNameTheRun() throws Exception {
        try (VigilServer server = StreamClients.start(dir)) {
            int port = server.port();
            StreamClients.Ws ws = StreamClients.Ws.open(port, READ_KEY, "");
            ws.send("{\"subscribe\": {\"metric\": \"checkout_seconds\", \"stat\": \"count\", "
                    + "\"loadTest\": \"run-1\"}, \"id\": \"lt\"}");
            ws.await(m -> m.path("type").asText().equals("subscribed"), WAIT);
            try (StreamClients.Sse sse = new StreamClients.Sse(port,
                    "?metric=checkout_seconds&stat=count&loadTest=run-2", READ_KEY, null)) {
                assertThat(sse.response.statusCode()).isEqualTo(200);
                sse.await(ev -> ev.data().path("type").asText().equals("update"), WAIT); // the first, empty

                // One batch: samples of two runs and of real traffic, all of one metric.
                String body = "{\"metrics\": [" + runLatency("checkout_seconds", "run-1", 3) + ", "
                        + runLatency("checkout_seconds", "run-2", 5) + ", "
                        + runLatency("checkout_seconds", null, 7) + "]}";
                assertThat(ingest(port, body)).isEqualTo(200);

                JsonNode run1 = ws.await(m -> update(m, "lt") && value(m) == 3.0, WAIT);
                assertThat(run1.path("loadTest").asText()).isEqualTo("run-1");
                assertThat(run1.path("metric").asText()).isEqualTo("checkout_seconds");
                StreamClients.Event run2 = sse.await(ev -> value(ev.data()) == 5.0, WAIT);
                assertThat(run2.data().path("loadTest").asText()).isEqualTo("run-2");
                assertThat(ws.all).filteredOn(m -> update(m, "lt")).allSatisfy(m -> {
                    assertThat(value(m) == 3.0 || m.path("groups").isEmpty()).as("only run-1's samples: " + m).isTrue();
                    assertThat(m.path("loadTest").asText()).isEqualTo("run-1");
                });
            }

            ws.send("{\"subscribe\": {\"loadTest\": \"run-1\"}, \"id\": \"bad\"}");
            assertThat(ws.next(m -> m.path("type").asText().equals("error"), WAIT).path("message").asText())
                    .contains("'loadTest' needs 'metric'");
            var bad = StreamClients.get(port, "/api/v1/stream/sse?metric=checkout_seconds&loadTest=run%201", READ_KEY);
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("is not a load-test run id");
            ws.socket.sendClose(1000, "done").join();
        }
    }
}
