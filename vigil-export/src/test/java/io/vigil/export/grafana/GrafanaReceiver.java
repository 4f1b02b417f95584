package io.vigil.export.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Grafana's {@code POST /api/annotations} (INTEGRATIONS.md 2.10): checks the bearer token (401
 * otherwise) and the body ({@code text} required, {@code time} and {@code timeEnd} in epoch milliseconds with
 * {@code timeEnd >= time}, {@code tags} an array of strings; 400 and a recorded problem otherwise), then answers the
 * next scripted answer or 200 {@code {"message":"Annotation added","id":N}}.
 */
final class GrafanaReceiver implements AutoCloseable {
    /** A scripted answer: a status and body, or a hang until the test ends. */
    record Answer(int status, String body, boolean hang) {
        static Answer status(int status, String body) {
            return new Answer(status, body, false);
        }

        static Answer hanging() {
            return new Answer(200, "", true);
        }
    }

    /** One request as received. */
    record Request(String method, String path, String authorization, String contentType, String body) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2001-09-09 in epoch milliseconds: any smaller time was sent in seconds. */
    private static final long MILLIS_EPOCH_FLOOR = 1_000_000_000_000L;

    final LinkedBlockingQueue<Answer> script = new LinkedBlockingQueue<>();
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    final List<JsonNode> added = Collections.synchronizedList(new ArrayList<>());
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final String token;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger ids = new AtomicInteger();

    GrafanaReceiver(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Grafana's base URL. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    URI base() {
        return URI.create(url());
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String auth = x.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(x.getRequestMethod(), x.getRequestURI().getPath(), auth,
                    x.getRequestHeaders().getFirst("Content-Type"), body));
            if (!"POST".equals(x.getRequestMethod()) || !"/api/annotations".equals(x.getRequestURI().getPath())) {
                problems.add("unexpected " + x.getRequestMethod() + " " + x.getRequestURI());
                answer(x, 404, "{\"message\":\"Not found\"}");
                return;
            }
            if (!("Bearer " + token).equals(auth)) {
                problems.add("wrong or missing bearer token");
                answer(x, 401, "{\"message\":\"Unauthorized\"}");
                return;
            }
            String invalid = invalid(body);
            if (invalid != null) {
                problems.add(invalid);
                answer(x, 400, "{\"message\":\"" + invalid + "\"}");
                return;
            }
            Answer a = script.poll();
            if (a == null) {
                a = Answer.status(200, null);
            }
            if (a.hang()) {
                release.await(30, TimeUnit.SECONDS);
                answer(x, 200, "{\"message\":\"Annotation added\",\"id\":0}");
                return;
            }
            if (a.status() == 200) {
                added.add(JSON.readTree(body));
                answer(x, 200, "{\"message\":\"Annotation added\",\"id\":" + ids.incrementAndGet() + "}");
            } else {
                answer(x, a.status(), a.body() == null ? "{\"message\":\"scripted\"}" : a.body());
            }
        } catch (IOException | InterruptedException e) {
            // the client gave up (a timeout): nothing to answer
        }
    }

    /** What is wrong with a body, or null when Grafana would accept it. */
    static String invalid(String body) {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (IOException e) {
            return "body is not JSON";
        }
        if (n == null || !n.isObject()) {
            return "body is not an object";
        }
        if (!n.path("text").isTextual() || n.path("text").asText().isBlank()) {
            return "text is required";
        }
        if (!n.path("time").isIntegralNumber() || n.path("time").asLong() < MILLIS_EPOCH_FLOOR) {
            return "time must be epoch milliseconds";
        }
        if (n.has("timeEnd")) {
            if (!n.path("timeEnd").isIntegralNumber() || n.path("timeEnd").asLong() < n.path("time").asLong()) {
                return "timeEnd must be epoch milliseconds, not before time";
            }
        }
        if (!n.path("tags").isArray()) {
            return "tags must be an array";
        }
        for (JsonNode t : n.path("tags")) {
            if (!t.isTextual()) {
                return "tags must be strings";
            }
        }
        if (n.has("dashboardUID") && !n.path("dashboardUID").isTextual()) {
            return "dashboardUID must be a string";
        }
        return null;
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
