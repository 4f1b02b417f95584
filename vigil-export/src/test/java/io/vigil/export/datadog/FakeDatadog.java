package io.vigil.export.datadog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;
import java.util.zip.GZIPInputStream;

/**
 * A local stand-in for Datadog's intake that behaves as INTEGRATIONS.md 2.1-2.3 documents: {@code POST} only, the
 * {@code DD-API-KEY} checked (403 otherwise), {@code Content-Type: application/json} required, gzip bodies
 * decompressed, 413 for bodies over 500 KB compressed or 5 MB raw, the JSON parsed and checked against the documented
 * schema (400 with the problems otherwise), and 202 {@code {"errors":[]}} (events: {@code {"status":"ok",...}}).
 * Scripted answers (a status with headers, or a hang) come first when queued for a path.
 */
final class FakeDatadog implements AutoCloseable {
    static final String KEY = "dd0123456789abcdef0123456789abcd";
    static final Set<String> CONTEXT_TAGS = Set.of("wedding_season", "wedding_peak_time", "estimated_wedding_load");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ALERT_TYPES = Set.of("error", "warning", "info", "success", "user_update",
            "recommendation", "snapshot");

    /** One request as received. */
    record Request(String path, Map<String, List<String>> headers, byte[] raw, byte[] body, JsonNode json,
                   List<String> problems, int status) {
        String header(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? null : v.getFirst();
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A scripted answer: a status and headers, or no answer at all until the receiver closes. */
    record Answer(int status, Map<String, String> headers, boolean hangs) {
        static Answer status(int status) {
            return new Answer(status, Map.of(), false);
        }

        static Answer status(int status, Map<String, String> headers) {
            return new Answer(status, headers, false);
        }

        static Answer hang() {
            return new Answer(0, Map.of(), true);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch released = new CountDownLatch(1);
    private final Clock clock;
    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile IntPredicate tooLargeOverEntries = n -> false;

    FakeDatadog(Clock clock) throws IOException {
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Queues answers for a path, used before the receiver's own checks. */
    void script(String path, Answer... answers) {
        Deque<Answer> q = scripts.computeIfAbsent(path, p -> new ArrayDeque<>());
        synchronized (q) {
            q.addAll(List.of(answers));
        }
    }

    /** Answers 413 to a valid body whose {@code series} array has more entries than the predicate allows. */
    void tooLargeWhen(IntPredicate entries) {
        this.tooLargeOverEntries = entries;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The series entries of every accepted (202) request to a path. */
    List<JsonNode> accepted(String path) {
        List<JsonNode> out = new ArrayList<>();
        for (Request r : requests(path)) {
            if (r.status() == 202) {
                if (r.json().has("series")) {
                    r.json().get("series").forEach(out::add);
                } else {
                    out.add(r.json());
                }
            }
        }
        return out;
    }

    /** Every schema problem found in any request. */
    List<String> problems() {
        return requests.stream().flatMap(r -> r.problems().stream()).toList();
    }

    /** Waits until the condition holds (at most 20 s). */
    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(20);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            byte[] raw = ex.getRequestBody().readAllBytes();
            Answer scripted = null;
            Deque<Answer> q = scripts.get(path);
            if (q != null) {
                synchronized (q) {
                    scripted = q.pollFirst();
                }
            }
            List<String> problems = new ArrayList<>();
            byte[] body = raw;
            JsonNode json = null;
            int status;
            if (!"POST".equals(ex.getRequestMethod())) {
                status = 405;
            } else if (!KEY.equals(ex.getRequestHeaders().getFirst("DD-API-KEY"))) {
                status = 403;
            } else if (!"application/json".equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
                status = 415;
                problems.add("content type " + ex.getRequestHeaders().getFirst("Content-Type"));
            } else {
                boolean gzip = "gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"));
                if (gzip) {
                    body = gunzip(raw);
                }
                if (path.equals("/api/v1/events")) {
                    status = 202;
                } else if (gzip && raw.length > DatadogMetricsSink.MAX_COMPRESSED_BYTES
                        || body.length > DatadogMetricsSink.MAX_RAW_BYTES) {
                    status = 413;
                } else {
                    status = 202;
                }
                if (status == 202) {
                    try {
                        json = JSON.readTree(body);
                        switch (path) {
                            case "/api/v2/series" -> checkSeries(json, problems);
                            case "/api/v1/distribution_points" -> checkDistributions(json, problems);
                            case "/api/v1/events" -> checkEvent(json, problems);
                            default -> {
                                status = 404;
                            }
                        }
                    } catch (IOException e) {
                        problems.add("not JSON: " + e.getMessage());
                    }
                    if (!problems.isEmpty()) {
                        status = 400;
                    } else if (status == 202 && json.has("series")
                            && tooLargeOverEntries.test(json.get("series").size())) {
                        status = 413;
                    }
                }
            }
            if (scripted != null) {
                status = scripted.hangs() ? 0 : scripted.status();
            }
            requests.add(new Request(path, Map.copyOf(ex.getRequestHeaders()), raw, body, json, problems, status));
            if (scripted != null && scripted.hangs()) {
                released.await(30, TimeUnit.SECONDS);
                return;
            }
            if (scripted != null) {
                scripted.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            }
            String answer = status == 202
                    ? (path.equals("/api/v1/events") ? "{\"status\":\"ok\",\"event\":{\"id\":1}}" : "{\"errors\":[]}")
                    : "{\"errors\":[\"status " + status + "\"]}";
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, out.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] gunzip(byte[] raw) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            return in.readAllBytes();
        }
    }

    // ---- the documented schema ----

    private void checkSeries(JsonNode json, List<String> problems) {
        JsonNode series = json.get("series");
        if (series == null || !series.isArray() || series.isEmpty()) {
            problems.add("series must be a non-empty array");
            return;
        }
        for (JsonNode s : series) {
            String metric = metric(s, problems);
            JsonNode type = s.get("type");
            if (type == null || !type.isInt() || type.asInt() < 0 || type.asInt() > 3) {
                problems.add(metric + ": type must be 0, 1, 2 or 3 but was " + type);
            } else if ((type.asInt() == 1 || type.asInt() == 2)
                    && (s.get("interval") == null || !s.get("interval").canConvertToLong()
                    || s.get("interval").asLong() <= 0)) {
                problems.add(metric + ": a count or rate needs a positive interval");
            }
            JsonNode points = s.get("points");
            if (points == null || !points.isArray() || points.isEmpty()) {
                problems.add(metric + ": points must be a non-empty array");
            } else {
                for (JsonNode p : points) {
                    seconds(metric, p.get("timestamp"), problems);
                    JsonNode v = p.get("value");
                    if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
                        problems.add(metric + ": value must be a finite number but was " + v);
                    }
                }
            }
            allowedFields(s, Set.of("metric", "type", "points", "interval", "resources", "tags", "unit",
                    "source_type_name", "metadata"), metric, problems);
            tags(metric, s.get("tags"), problems);
        }
    }

    private void checkDistributions(JsonNode json, List<String> problems) {
        JsonNode series = json.get("series");
        if (series == null || !series.isArray() || series.isEmpty()) {
            problems.add("series must be a non-empty array");
            return;
        }
        for (JsonNode s : series) {
            String metric = metric(s, problems);
            if (!"distribution".equals(s.path("type").asText(null))) {
                problems.add(metric + ": type must be \"distribution\"");
            }
            JsonNode points = s.get("points");
            if (points == null || !points.isArray() || points.isEmpty()) {
                problems.add(metric + ": points must be a non-empty array");
            } else {
                for (JsonNode p : points) {
                    if (!p.isArray() || p.size() != 2 || !p.get(1).isArray() || p.get(1).isEmpty()) {
                        problems.add(metric + ": a point must be [timestamp, [values...]]");
                        continue;
                    }
                    seconds(metric, p.get(0), problems);
                    for (JsonNode v : p.get(1)) {
                        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                            problems.add(metric + ": values must be finite numbers");
                            break;
                        }
                    }
                }
            }
            allowedFields(s, Set.of("metric", "type", "points", "tags", "host"), metric, problems);
            tags(metric, s.get("tags"), problems);
        }
    }

    private void checkEvent(JsonNode e, List<String> problems) {
        if (!e.path("title").isTextual() || e.get("title").asText().isBlank()) {
            problems.add("title is required");
        }
        if (!e.path("text").isTextual()) {
            problems.add("text is required");
        } else if (e.get("text").asText().length() > 4000) {
            problems.add("text is over 4000 characters");
        }
        JsonNode date = e.get("date_happened");
        seconds("event", date, problems);
        if (date != null && date.canConvertToLong()
                && Duration.between(Instant.ofEpochSecond(date.asLong()), clock.instant()).toHours() >= 18) {
            problems.add("date_happened is more than 18 h old");
        }
        if (e.has("priority") && !Set.of("normal", "low").contains(e.get("priority").asText())) {
            problems.add("priority must be normal or low");
        }
        if (e.has("alert_type") && !ALERT_TYPES.contains(e.get("alert_type").asText())) {
            problems.add("alert_type " + e.get("alert_type") + " is not one of " + ALERT_TYPES);
        }
        if (e.has("aggregation_key") && e.get("aggregation_key").asText().length() > 100) {
            problems.add("aggregation_key is over 100 characters");
        }
        allowedFields(e, Set.of("title", "text", "date_happened", "priority", "alert_type", "aggregation_key",
                "source_type_name", "host", "tags", "device_name", "related_event_id"), "event", problems);
        tags("event", e.get("tags"), problems);
    }

    private static String metric(JsonNode s, List<String> problems) {
        JsonNode m = s.get("metric");
        if (m == null || !m.isTextual() || !m.asText().matches("[a-zA-Z0-9_.]+")) {
            problems.add("metric must be a name of [a-zA-Z0-9_.] but was " + m);
            return String.valueOf(m);
        }
        return m.asText();
    }

    private static void seconds(String what, JsonNode ts, List<String> problems) {
        // POSIX seconds of 2001..2286; milliseconds would be 1000 times larger
        if (ts == null || !ts.isIntegralNumber() || ts.asLong() < 1_000_000_000L || ts.asLong() > 9_999_999_999L) {
            problems.add(what + ": timestamp must be POSIX seconds but was " + ts);
        }
    }

    private static void allowedFields(JsonNode s, Set<String> allowed, String what, List<String> problems) {
        s.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                problems.add(what + ": unknown field " + f);
            }
        });
    }

    /** Tags are strings of at most 200 characters, and every series and event carries the wedding context tags. */
    private static void tags(String what, JsonNode tags, List<String> problems) {
        if (tags == null || !tags.isArray()) {
            problems.add(what + ": tags must be an array (the wedding context tags are required)");
            return;
        }
        Set<String> names = new java.util.HashSet<>();
        for (JsonNode t : tags) {
            if (!t.isTextual() || t.asText().length() > 200) {
                problems.add(what + ": a tag must be a string of at most 200 characters");
            } else {
                names.add(t.asText().split(":", 2)[0]);
            }
        }
        if (!names.containsAll(CONTEXT_TAGS)) {
            problems.add(what + ": the wedding context tags are missing: " + names);
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
