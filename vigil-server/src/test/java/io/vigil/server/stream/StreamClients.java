package io.vigil.server.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Real clients of a real server for the stream tests: JSON ingest, a WebSocket client and an SSE line reader. */
final class StreamClients {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String READ_KEY = "read-key-for-streams";
    static final String INGEST_KEY = "ingest-key-for-streams";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private StreamClients() {}

    static VigilServer start(Path dir) {
        VigilConfig config = new VigilConfig(null, null, new VigilConfig.Auth(List.of(
                new VigilConfig.ApiKeyConfig("dashboards", READ_KEY, null, null, List.of("read")),
                new VigilConfig.ApiKeyConfig("apps", INGEST_KEY, null, null, List.of("ingest")))), null, null, null);
        return VigilServer.start(dir, config, "127.0.0.1", 0, Map.of(), Clock.systemUTC());
    }

    /** Posts a JSON ingest body; returns the status. */
    static int ingest(int port, String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/metrics"))
                .header("Authorization", "Bearer " + INGEST_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String latency(String metric, double... observations) {
        StringBuilder sb = new StringBuilder();
        for (double o : observations) {
            sb.append(sb.isEmpty() ? "" : ",").append(o);
        }
        return "{\"metrics\":[{\"name\":\"" + metric + "\",\"type\":\"latency\",\"observations\":[" + sb + "]}]}";
    }

    static HttpResponse<String> get(int port, String pathAndQuery, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        // A stream wrongly opened would never end: waiting at most 30 s turns that into a failure instead of a hang.
        return HTTP.sendAsync(b.GET().build(), HttpResponse.BodyHandlers.ofString())
                .get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    static String token(int port) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/stream/token"))
                .header("Authorization", "Bearer " + READ_KEY).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> res = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new AssertionError("token: " + res.statusCode() + " " + res.body());
        }
        return JSON.readTree(res.body()).get("token").asText();
    }

    /** A WebSocket client that keeps every message it receives. */
    static final class Ws implements WebSocket.Listener {
        final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        /** Every message received, in order. */
        final List<JsonNode> all = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        static Ws open(int port, String key, String query) {
            Ws ws = new Ws();
            WebSocket.Builder b = HTTP.newWebSocketBuilder();
            if (key != null) {
                b.header("Authorization", "Bearer " + key);
            }
            ws.socket = b.buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/stream/ws" + query), ws).join();
            return ws;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode m = JSON.readTree(partial.toString());
                    all.add(m);
                    messages.add(m);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        /** The first message received so far or within the wait that matches (any order). */
        JsonNode await(Predicate<JsonNode> p, Duration wait) throws InterruptedException {
            return awaitFrom(0, p, wait);
        }

        /** The next message taken from the queue (dropping earlier non-matching ones) that matches, in order. */
        JsonNode next(Predicate<JsonNode> p, Duration wait) throws InterruptedException {
            long end = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < end) {
                JsonNode m = messages.poll(100, TimeUnit.MILLISECONDS);
                if (m != null && p.test(m)) {
                    return m;
                }
            }
            throw new AssertionError("no matching message within " + wait + "; received " + all);
        }

        /** Like {@link #await}, among the messages from index {@code from} of {@link #all}. */
        JsonNode awaitFrom(int from, Predicate<JsonNode> p, Duration wait) throws InterruptedException {
            long end = System.nanoTime() + wait.toNanos();
            do {
                List<JsonNode> now = List.copyOf(all);
                for (int i = from; i < now.size(); i++) {
                    if (p.test(now.get(i))) {
                        return now.get(i);
                    }
                }
                Thread.sleep(20);
            } while (System.nanoTime() < end);
            throw new AssertionError("no matching message within " + wait + "; received " + all);
        }
    }

    /** An SSE event as read from the stream. */
    record Event(String id, JsonNode data) {}

    /** Reads an SSE response line by line on a thread of its own. */
    static final class Sse implements AutoCloseable {
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        final HttpResponse<Stream<String>> response;
        final List<String> retryLines = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread reader;

        Sse(int port, String query, String key, String lastEventId) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/stream/sse"
                    + query)).header("Accept", "text/event-stream");
            if (key != null) {
                b.header("Authorization", "Bearer " + key);
            }
            if (lastEventId != null) {
                b.header("Last-Event-ID", lastEventId);
            }
            response = HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofLines());
            reader = Thread.ofVirtual().start(() -> {
                String id = null;
                StringBuilder data = new StringBuilder();
                try {
                    for (String line : (Iterable<String>) response.body()::iterator) {
                        if (line.isEmpty()) {
                            if (!data.isEmpty()) {
                                events.add(new Event(id, JSON.readTree(data.toString())));
                            }
                            data.setLength(0);
                        } else if (line.startsWith("id: ")) {
                            id = line.substring(4);
                        } else if (line.startsWith("data: ")) {
                            data.append(line.substring(6));
                        } else if (line.startsWith("retry: ")) {
                            retryLines.add(line);
                        }
                    }
                } catch (Exception e) {
                    // stream closed
                }
            });
        }

        Event await(Predicate<Event> p, Duration wait) throws InterruptedException {
            long end = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < end) {
                Event e = events.poll(100, TimeUnit.MILLISECONDS);
                if (e != null && p.test(e)) {
                    return e;
                }
            }
            throw new AssertionError("no matching SSE event within " + wait);
        }

        @Override
        public void close() {
            response.body().close();
            reader.interrupt();
        }
    }
}
