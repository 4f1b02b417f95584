package io.vigil.export.newrelic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.export.http.Receiver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * The New Relic Metric API as INTEGRATIONS.md 2.4 documents it: {@code POST /metric/v1} with the {@code Api-Key}
 * header (403 without the right key), {@code Content-Type: application/json} (415 otherwise), gzip when
 * {@code Content-Encoding: GZIP}, at most 10^6 bytes (413), a JSON array of blocks with {@code metrics} and optional
 * {@code common}; 202 {@code {"requestId":"…"}} for a valid payload and 400 for one that breaks the schema (the real
 * API may accept and report later; a stand-in that refuses makes the test fail loudly). Accepted metrics are kept,
 * each with the block's common attributes merged under its own.
 */
final class FakeNewRelic implements AutoCloseable {
    static final String KEY = "NRAK-WEDDING0TEST0KEY0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TYPES = Set.of("gauge", "count", "summary");

    /** One accepted metric with its effective timestamp, interval and attributes (common merged under its own). */
    record Metric(String name, String type, JsonNode value, long timestamp, Long intervalMs,
                  Map<String, String> attributes) {}

    final Receiver receiver;
    final List<Metric> metrics = new CopyOnWriteArrayList<>();
    final List<String> requestIds = new CopyOnWriteArrayList<>();
    final List<Integer> compressedSizes = new CopyOnWriteArrayList<>();
    /** What was wrong with payloads answered 400: a test expects none. */
    final List<String> problems = new CopyOnWriteArrayList<>();

    FakeNewRelic() {
        receiver = new Receiver(this::handle);
    }

    NewRelicMetricsSink sink(java.time.Duration timeout) {
        return new NewRelicMetricsSink(receiver.uri("/metric/v1"), KEY, timeout, io.vigil.export.TestPoints.CLOCK);
    }

    private Receiver.Response handle(Receiver.Request r) throws IOException {
        if (!r.method().equals("POST") || !r.path().equals("/metric/v1")) {
            return Receiver.Response.of(404);
        }
        if (!KEY.equals(r.header("Api-Key"))) {
            return Receiver.Response.of(403);
        }
        if (!"application/json".equals(r.header("Content-Type"))) {
            return Receiver.Response.of(415);
        }
        if (r.body().length > 1_000_000) {
            return Receiver.Response.of(413);
        }
        byte[] json = r.body();
        if ("GZIP".equalsIgnoreCase(r.header("Content-Encoding"))) {
            compressedSizes.add(json.length);
            json = new GZIPInputStream(new ByteArrayInputStream(json)).readAllBytes();
        }
        if (new String(json, StandardCharsets.UTF_8).contains(KEY)) {
            throw new AssertionError("the API key is in the body");
        }
        List<Metric> parsed = new ArrayList<>();
        try {
            validate(JSON.readTree(json), parsed); // reading fails on NaN tokens too: JSON has none
        } catch (IllegalArgumentException | IOException e) {
            problems.add(e.getMessage());
            return Receiver.Response.of(400, "application/json", "{\"error\":\"invalid\"}".getBytes(StandardCharsets.UTF_8));
        }
        metrics.addAll(parsed);
        String id = UUID.randomUUID().toString();
        requestIds.add(id);
        return Receiver.Response.of(202, "application/json",
                ("{\"requestId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static void validate(JsonNode root, List<Metric> out) {
        check(root.isArray() && !root.isEmpty(), "body must be a non-empty JSON array");
        for (JsonNode block : root) {
            check(block.isObject(), "each element must be an object");
            JsonNode common = block.path("common");
            check(common.isMissingNode() || common.isObject(), "common must be an object");
            Map<String, String> commonAttributes = attributes(common.path("attributes"));
            Long commonInterval = common.has("interval.ms") ? positiveLong(common.get("interval.ms")) : null;
            Long commonTimestamp = common.has("timestamp") ? common.get("timestamp").asLong() : null;
            JsonNode metrics = block.path("metrics");
            check(metrics.isArray(), "metrics must be an array");
            for (JsonNode m : metrics) {
                String name = m.path("name").asText("");
                check(!name.isEmpty() && name.length() <= 255, "metric name must have 1 to 255 characters: " + name);
                String type = m.path("type").asText("gauge");
                check(TYPES.contains(type), "unknown type " + type);
                JsonNode value = m.path("value");
                if (type.equals("summary")) {
                    for (String f : List.of("count", "sum", "min", "max")) {
                        check(value.path(f).isNumber(), "summary value needs a number " + f);
                    }
                    check(value.size() == 4, "summary value has only count, sum, min, max: no quantiles");
                } else {
                    check(value.isNumber(), type + " value must be a number");
                }
                Long interval = m.has("interval.ms") ? positiveLong(m.get("interval.ms")) : commonInterval;
                check(!type.equals("gauge") ? interval != null : true, type + " needs interval.ms");
                Long timestamp = m.has("timestamp") ? Long.valueOf(m.get("timestamp").asLong()) : commonTimestamp;
                check(timestamp != null && timestamp > 1_000_000_000_000L && timestamp < 10_000_000_000_000L,
                        "timestamp must be epoch milliseconds: " + timestamp);
                Map<String, String> attributes = new LinkedHashMap<>(commonAttributes);
                attributes.putAll(attributes(m.path("attributes")));
                check(attributes.size() <= 150, "at most 150 attributes per metric, got " + attributes.size());
                out.add(new Metric(name, type, value, timestamp, interval, attributes));
            }
        }
    }

    private static Map<String, String> attributes(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node.isMissingNode()) {
            return out;
        }
        check(node.isObject(), "attributes must be an object");
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            check(e.getKey().length() <= 255, "attribute key over 255 characters");
            check(e.getValue().isValueNode() && !e.getValue().isNull(), "attribute values are strings, numbers or booleans");
            check(e.getValue().asText().length() <= 4096, "attribute value over 4096 characters");
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static Long positiveLong(JsonNode n) {
        check(n.canConvertToLong() && n.asLong() > 0, "interval.ms must be a positive integer");
        return n.asLong();
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** The accepted metrics named so. */
    List<Metric> named(String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).toList();
    }

    @Override
    public void close() {
        receiver.close();
    }
}
