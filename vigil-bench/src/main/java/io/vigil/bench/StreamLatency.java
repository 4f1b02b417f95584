package io.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Live-stream latency (issue 8, R2: p99 under 100 ms from ingest acknowledgement to the client receiving it at full
 * ingest load). A server on the embedded store in this process; {@code clients} healthy WebSocket clients each
 * subscribed to {@code stream_probe} with {@code stat=count}; one stalled WebSocket client that reads its first
 * message and then never asks for more, with 50 subscriptions (one to the probe, 49 to the background metrics grouped
 * by series, so its updates are large); two threads posting JSON batches of 500 gauge series of other metrics as fast
 * as they are acknowledged. Every 100 to 300 ms (random) one request adds exactly one sample to the probe metric; after
 * probe i the count over the window is i + 1, so a client has received probe i with its first update whose value is at
 * least i + 1. Latency is from the probe's HTTP 200 to that update's arrival, over every (probe, client) pair.
 *
 * <p>Usage: {@code StreamLatency [probes] [clients] [heavy]} (default 200 probes, 50 clients, 49 grouped subscriptions
 * of the stalled client on the background metrics).
 */
public final class StreamLatency {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SERIES_PER_BATCH = 500;

    private StreamLatency() {}

    public static void main(String[] args) throws Exception {
        int probes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int heavy = args.length > 2 ? Integer.parseInt(args[2]) : 49;
        Path dir = Files.createTempDirectory("vigil-stream-latency-");
        String key = "stream-latency-bench-key";
        HttpClient http = HttpClient.newHttpClient();
        try (VigilServer server = VigilServer.start(dir, VigilConfig.DEFAULTS, "127.0.0.1", 0,
                Map.of("VIGIL_API_KEY", key), Clock.systemUTC())) {
            URI base = URI.create("http://127.0.0.1:" + server.port());
            URI ws = URI.create("ws://127.0.0.1:" + server.port() + "/api/v1/stream/ws");
            long[] sent = new long[probes];
            long[] acked = new long[probes];
            Arrays.fill(acked, Long.MIN_VALUE);

            // Healthy clients, each on its own HTTP client (its own connection and reader).
            List<Healthy> healthy = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Healthy h = new Healthy(probes);
                WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                        .header("Authorization", "Bearer " + key).buildAsync(ws, h).get(10, TimeUnit.SECONDS);
                socket.sendText("{\"subscribe\": {\"metric\": \"stream_probe\", \"stat\": \"count\", \"window\": \"1h\"},"
                        + " \"id\": \"s1\"}", true).get(10, TimeUnit.SECONDS);
                healthy.add(h);
            }
            for (Healthy h : healthy) {
                if (!h.subscribed.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("a healthy client got no 'subscribed' within 10 s");
                }
            }

            // The stalled client: reads one message, never requests another.
            Stalled stalled = new Stalled();
            WebSocket stalledSocket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .header("Authorization", "Bearer " + key).buildAsync(ws, stalled).get(10, TimeUnit.SECONDS);
            stalledSocket.sendText("{\"subscribe\": {\"metric\": \"stream_probe\", \"stat\": \"count\", \"window\": \"1h\"},"
                    + " \"id\": \"p\"}", true).get(10, TimeUnit.SECONDS);
            for (int s = 0; s < heavy; s++) {
                stalledSocket.sendText(("{\"subscribe\": {\"metric\": \"stream_bg_%d\", \"stat\": \"%s\", \"by\": [\"series\"],"
                        + " \"window\": \"%ds\"}, \"id\": \"b%d\"}").formatted(s % 2, s % 3 == 0 ? "max" : "count",
                        30 + s, s), true).get(10, TimeUnit.SECONDS);
            }

            // Background ingest load: two threads, 500 series each per request, as fast as they are acknowledged.
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong backgroundSamples = new AtomicLong();
            List<Thread> loaders = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                String body = backgroundBatch("stream_bg_" + t);
                loaders.add(Thread.ofPlatform().name("bg-ingest-" + t).start(() -> {
                    while (!stop.get()) {
                        try {
                            BenchHttp.post(http, base, key, "/api/v1/metrics", body);
                            backgroundSamples.addAndGet(SERIES_PER_BATCH);
                        } catch (Exception e) {
                            if (!stop.get()) {
                                System.err.println("background ingest failed: " + e);
                            }
                        }
                    }
                }));
            }
            Thread.sleep(3_000); // warm up under load
            long loadStart = System.nanoTime();
            long samplesAtStart = backgroundSamples.get();

            java.util.SplittableRandom jitter = new java.util.SplittableRandom(42);
            String probeBody = "{\"metrics\": [{\"name\": \"stream_probe\", \"type\": \"gauge\", \"value\": 1}]}";
            for (int i = 0; i < probes; i++) {
                sent[i] = System.nanoTime();
                BenchHttp.post(http, base, key, "/api/v1/metrics", probeBody);
                acked[i] = System.nanoTime();
                Thread.sleep(100 + jitter.nextInt(201));
            }
            long loadEnd = System.nanoTime();
            long samples = backgroundSamples.get() - samplesAtStart;
            Thread.sleep(2_000); // the last updates arrive
            stop.set(true);
            for (Thread t : loaders) {
                t.join(30_000);
            }

            List<Double> latencies = new ArrayList<>();
            List<Double> fromSend = new ArrayList<>();
            List<Double> ackTimes = new ArrayList<>();
            for (int i = 0; i < probes; i++) {
                ackTimes.add((acked[i] - sent[i]) / 1e6);
            }
            int missing = 0;
            int early = 0;
            for (Healthy h : healthy) {
                for (int i = 0; i < probes; i++) {
                    if (h.received[i] == 0) {
                        missing++;
                    } else {
                        double ms = (h.received[i] - acked[i]) / 1e6;
                        if (ms < 0) {
                            early++;
                        }
                        latencies.add(ms);
                        fromSend.add((h.received[i] - sent[i]) / 1e6);
                    }
                }
            }
            // One hub thread computes each subscription on its own: the spread between a probe's first and last
            // receiving client shows the cost of recomputing identical subscriptions one after the other.
            List<Double> firstClient = new ArrayList<>();
            List<Double> spread = new ArrayList<>();
            for (int i = 0; i < probes; i++) {
                long first = Long.MAX_VALUE;
                long lastReceipt = Long.MIN_VALUE;
                for (Healthy h : healthy) {
                    if (h.received[i] != 0) {
                        first = Math.min(first, h.received[i]);
                        lastReceipt = Math.max(lastReceipt, h.received[i]);
                    }
                }
                if (first != Long.MAX_VALUE) {
                    firstClient.add((first - acked[i]) / 1e6);
                    spread.add((lastReceipt - first) / 1e6);
                }
            }
            int closedHealthy = (int) healthy.stream().filter(h -> h.closed.get() != null).count();

            // Let the stalled client read what is left, to see whether (and why) the server closed it.
            stalled.drain(stalledSocket);
            String stalledEnd = stalled.closed.await(10, TimeUnit.SECONDS) ? stalled.how.get()
                    : "still open after " + Math.round((System.nanoTime() - stalled.openedAt) / 1e9) + " s";

            System.out.println("probes: " + probes + ", healthy clients: " + clients + ", embedded store, "
                    + Runtime.getRuntime().availableProcessors() + " cores");
            System.out.printf(Locale.ROOT, "background ingest: %.0f samples/s (2 threads, %d series per request)%n",
                    samples / ((loadEnd - loadStart) / 1e9), SERIES_PER_BATCH);
            System.out.println("ack of the probe -> healthy client received the update, ms, over "
                    + latencies.size() + " (probe, client) pairs: " + BenchHttp.percentiles(latencies));
            System.out.println("send of the probe -> healthy client received the update, ms: " + BenchHttp.percentiles(fromSend));
            System.out.println("send of the probe -> its HTTP 200, ms: " + BenchHttp.percentiles(ackTimes));
            System.out.println("ack of the probe -> first client received it, ms: " + BenchHttp.percentiles(firstClient));
            System.out.println("first -> last client received the probe, ms: " + BenchHttp.percentiles(spread));
            System.out.println("pairs never received: " + missing + ", received before the ack: " + early
                    + ", healthy clients closed: " + closedHealthy);
            System.out.println("stalled client: " + stalledEnd + " (it read " + stalled.messages.get()
                    + " messages after draining)");
        }
        System.exit(0);
    }

    private static String backgroundBatch(String metric) {
        StringBuilder b = new StringBuilder("{\"metrics\": [");
        for (int s = 0; s < SERIES_PER_BATCH; s++) {
            b.append(s == 0 ? "" : ", ").append("{\"name\": \"").append(metric)
                    .append("\", \"type\": \"gauge\", \"labels\": {\"series\": \"s").append(s)
                    .append("\", \"service\": \"guests-api\"}, \"value\": ").append(s % 97).append('}');
        }
        return b.append("]}").toString();
    }

    /** Reads every message; records when each probe's count is first seen. */
    private static final class Healthy implements WebSocket.Listener {
        final long[] received;
        final CountDownLatch subscribed = new CountDownLatch(1);
        final AtomicReference<String> closed = new AtomicReference<>();
        private final StringBuilder partial = new StringBuilder();
        private int next; // first probe not yet seen

        Healthy(int probes) {
            received = new long[probes];
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long at = System.nanoTime();
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode m = JSON.readTree(text);
                    String type = m.path("type").asText();
                    if (type.equals("subscribed")) {
                        subscribed.countDown();
                    } else if (type.equals("update")) {
                        JsonNode groups = m.path("groups");
                        long count = groups.isEmpty() ? 0 : groups.get(0).path("value").asLong();
                        while (next < received.length && count >= next + 1) {
                            received[next++] = at;
                        }
                    } else if (type.equals("error")) {
                        System.err.println("healthy client: " + text);
                    }
                } catch (Exception e) {
                    System.err.println("healthy client could not read " + text + ": " + e);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.set(statusCode + " " + reason);
            return null;
        }
    }

    /** Reads its first message and then nothing until {@link #drain}. */
    private static final class Stalled implements WebSocket.Listener {
        final long openedAt = System.nanoTime();
        final AtomicLong messages = new AtomicLong();
        final CountDownLatch closed = new CountDownLatch(1);
        final AtomicReference<String> how = new AtomicReference<>();
        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (last) {
                messages.incrementAndGet();
            }
            return null; // no request(): after drain() the demand is unbounded
        }

        void drain(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            how.compareAndSet(null, "disconnected by the server, close code " + statusCode + " '" + reason + "'");
            closed.countDown();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            how.compareAndSet(null, "connection dropped (" + error + ")");
            closed.countDown();
        }
    }
}
