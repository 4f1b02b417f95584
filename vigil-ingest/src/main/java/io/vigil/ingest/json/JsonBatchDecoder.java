package io.vigil.ingest.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.core.WriteBatch;
import io.vigil.ingest.LabelRules;
import io.vigil.ingest.LabelSetBuilder;
import io.vigil.ingest.MalformedPayloadException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decodes the body of the JSON batch API ({@code POST /api/v1/metrics}) into a {@link WriteBatch}. The format is
 * documented in {@code docs/api.md}, section "JSON batch ingest"; in short:
 *
 * <pre>{@code
 * {"metrics": [
 *   {"name": "wedding_api_requests_total", "type": "counter", "labels": {"route": "/guests"},
 *    "samples": [{"t": 1717250400000, "v": 1027}]},
 *   {"name": "guest_list_load_seconds", "type": "latency", "observations": [0.12, 0.3], "t": "2024-06-01T14:00:00Z"},
 *   {"name": "active_ceremonies", "type": "gauge", "value": 37}
 * ]}
 * }</pre>
 *
 * Types: {@code counter} → {@link MetricKind#COUNTER}, {@code increment} (alias {@code delta}) →
 * {@link MetricKind#DELTA}, {@code gauge} → {@link MetricKind#GAUGE}, {@code latency} →
 * {@link MetricKind#DISTRIBUTION} (each observation one sample, in the sender's unit). Each item has exactly one of
 * {@code value}, {@code samples} or {@code observations} (latency only). Timestamps are epoch milliseconds or RFC 3339
 * strings, default now from the injected clock. Labels are checked with {@link LabelRules} exactly as for OTLP.
 *
 * <p>A bad item, or a bad sample inside an item, is rejected on its own with {@link WriteBatch#reject} and a reason
 * naming its path and what to send instead ({@code metrics[3].type was 'histo' but it must be one of counter,
 * increment, gauge, latency}); reasons never contain label values. A body that is not JSON, not an object with a
 * {@code metrics} array, has duplicate keys, nests deeper than {@value #MAX_DEPTH}, has a string longer than
 * {@value #MAX_STRING_LENGTH} characters or more than {@value #MAX_POINTS} points throws
 * {@link MalformedPayloadException}.
 *
 * <p>Thread-safe: one instance serves all requests.
 */
public final class JsonBatchDecoder {
    /** Most points (values, samples and observations; an item counts at least one) in one request. */
    public static final int MAX_POINTS = 100_000;
    /** Deepest nesting of objects and arrays; the format itself needs 5. */
    public static final int MAX_DEPTH = 16;
    /** Longest string, in characters; label values are further limited by {@link LabelRules}. */
    public static final int MAX_STRING_LENGTH = 1 << 20;
    /** Timestamps from 1 ms up to this are taken for epoch seconds sent by mistake (this is 1973-03-03 in ms). */
    static final long SECONDS_CUTOFF = 100_000_000_000L;

    private static final int MAX_NAME_LENGTH = 4096;
    private static final int MAX_DETAIL_LENGTH = 200;
    private static final String TYPES = "counter, increment, gauge, latency";
    private static final Set<String> ITEM_FIELDS = Set.of("name", "type", "labels", "t", "value", "samples",
            "observations");
    private static final Set<String> SAMPLE_FIELDS = Set.of("t", "v");
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNameLength(MAX_NAME_LENGTH)
                    .maxNumberLength(100)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    /** The metric types of the format. */
    private enum Type {
        COUNTER("counter", MetricKind.COUNTER),
        INCREMENT("increment", MetricKind.DELTA),
        GAUGE("gauge", MetricKind.GAUGE),
        LATENCY("latency", MetricKind.DISTRIBUTION);

        final String text;
        final MetricKind kind;

        Type(String text, MetricKind kind) {
            this.text = text;
            this.kind = kind;
        }

        static Type of(String text) {
            return switch (text) {
                case "counter" -> COUNTER;
                case "increment", "delta" -> INCREMENT;
                case "gauge" -> GAUGE;
                case "latency" -> LATENCY;
                default -> null;
            };
        }
    }

    /** Why an item or a point is refused; stackless, used to leave the item or point early. */
    private static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private final LabelRules rules;
    private final Clock clock;

    /** @param clock supplies the default timestamp and "now" for the future-timestamp check */
    public JsonBatchDecoder(LabelRules rules, Clock clock) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Decodes one request body.
     *
     * @param body the request body (UTF-8 JSON), decompressed
     * @return the accepted series and samples, plus the count of rejected points and why
     * @throws MalformedPayloadException if the body is not a JSON object with a {@code metrics} array, or breaks a
     *     limit of the whole request
     */
    public WriteBatch decode(byte[] body) {
        Objects.requireNonNull(body, "body");
        Decoding decoding = new Decoding(clock.millis());
        try (JsonParser parser = MAPPER.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new MalformedPayloadException("body is empty; send a JSON object such as {\"metrics\": [...]}");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new MalformedPayloadException("body must be a JSON object such as {\"metrics\": [...]}");
            }
            boolean sawMetrics = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!"metrics".equals(field)) {
                    parser.skipChildren(); // unknown top-level fields are ignored, for forward compatibility
                    continue;
                }
                if (value != JsonToken.START_ARRAY) {
                    throw new MalformedPayloadException("\"metrics\" must be an array of metric objects");
                }
                sawMetrics = true;
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    JsonNode item = MAPPER.readTree(parser);
                    decoding.item(index++, item);
                }
            }
            if (parser.nextToken() != null) {
                throw new MalformedPayloadException("body has more content after the top-level JSON object");
            }
            if (!sawMetrics) {
                throw new MalformedPayloadException("body has no \"metrics\" array; send {\"metrics\": [...]}");
            }
        } catch (JsonProcessingException e) {
            throw new MalformedPayloadException("body is not valid JSON: " + detail(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a byte array cannot fail", e);
        }
        return decoding.batch;
    }

    private static String detail(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.length() > MAX_DETAIL_LENGTH) {
            message = message.substring(0, MAX_DETAIL_LENGTH) + "…";
        }
        JsonLocation at = e.getLocation();
        return at == null ? message : message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }


    /** A field's value, or null when it is missing or JSON null. */
    private static JsonNode field(JsonNode object, String name) {
        JsonNode node = object.get(name);
        return node == null || node.isNull() ? null : node;
    }

    private static int pointCount(JsonNode item) {
        if (!item.isObject()) {
            return 1;
        }
        int n = field(item, "value") != null ? 1 : 0;
        for (String array : new String[] {"samples", "observations"}) {
            JsonNode node = field(item, array);
            n += node == null ? 0 : node.isArray() ? node.size() : 1;
        }
        return Math.max(1, n);
    }

    private static void checkFields(String at, JsonNode object, Set<String> known, String knownText) throws Refused {
        for (Map.Entry<String, JsonNode> property : object.properties()) {
            String name = property.getKey();
            if (!known.contains(name)) {
                throw new Refused(at + " has unknown field '" + LabelRules.printable(name) + "'; the fields are " + knownText);
            }
        }
    }

    /** The state of decoding one request. */
    private final class Decoding {
        final WriteBatch batch = new WriteBatch();
        final long nowMillis;
        final LabelSetBuilder labels = new LabelSetBuilder(rules);
        int points;
        SeriesKey key;
        Type type;
        boolean begun;

        Decoding(long nowMillis) {
            this.nowMillis = nowMillis;
        }

        void item(int index, JsonNode item) {
            int itemPoints = pointCount(item);
            points += itemPoints;
            if (points > MAX_POINTS) {
                throw new MalformedPayloadException("request has more than " + MAX_POINTS
                        + " points; split it into smaller requests");
            }
            String at = "metrics[" + index + "]";
            try {
                decodeItem(at, item);
            } catch (Refused refused) {
                batch.reject(itemPoints, refused.getMessage());
            }
        }

        /** Checks everything the item's points share, then decodes each point; throws only before the first. */
        private void decodeItem(String at, JsonNode item) throws Refused {
            if (!item.isObject()) {
                throw new Refused(at + " must be an object with name, type and one of value, samples or observations");
            }
            checkFields(at, item, ITEM_FIELDS, "name, type, labels, t, value, samples and observations");
            JsonNode nameNode = field(item, "name");
            if (nameNode == null) {
                throw new Refused(at + ".name is missing; it must be the metric name, such as wedding_api_requests_total");
            }
            if (!nameNode.isTextual()) {
                throw new Refused(at + ".name must be a string");
            }
            String name = nameNode.textValue();
            String problem = rules.checkMetricName(name);
            if (problem != null) {
                throw new Refused(at + ".name: " + problem);
            }
            type = type(at, field(item, "type"));
            key = new SeriesKey(name, labels(at, name, field(item, "labels")));
            begun = false;

            JsonNode value = field(item, "value");
            JsonNode samples = field(item, "samples");
            JsonNode observations = field(item, "observations");
            int given = (value != null ? 1 : 0) + (samples != null ? 1 : 0) + (observations != null ? 1 : 0);
            if (given == 0) {
                throw new Refused(at + " has no value, samples or observations; send exactly one of them");
            }
            if (given > 1) {
                throw new Refused(at + " has more than one of value, samples and observations; send exactly one");
            }
            if (samples != null && !samples.isArray()) {
                throw new Refused(at + ".samples must be an array of objects such as {\"t\": 1717250400000, \"v\": 1}");
            }
            if (observations != null && type != Type.LATENCY) {
                throw new Refused(at + ".observations is only for type latency; use value or samples for type "
                        + type.text);
            }
            if (observations != null && !observations.isArray()) {
                throw new Refused(at + ".observations must be an array of numbers");
            }
            JsonNode t = field(item, "t");
            long itemTime = t == null ? nowMillis : timestamp(at + ".t", name, t);

            if (value != null) {
                point(at + ".value", itemTime, value);
            } else if (samples != null) {
                for (int j = 0; j < samples.size(); j++) {
                    sample(at + ".samples[" + j + "]", itemTime, samples.get(j));
                }
            } else {
                for (int j = 0; j < observations.size(); j++) {
                    point(at + ".observations[" + j + "]", itemTime, observations.get(j));
                }
            }
        }

        private Type type(String at, JsonNode node) throws Refused {
            if (node == null) {
                throw new Refused(at + ".type is missing; it must be one of " + TYPES);
            }
            if (!node.isTextual()) {
                throw new Refused(at + ".type must be a string, one of " + TYPES);
            }
            Type parsed = Type.of(node.textValue());
            if (parsed == null) {
                throw new Refused(at + ".type was '" + LabelRules.printable(node.textValue()) + "' but it must be one of " + TYPES);
            }
            return parsed;
        }

        private Labels labels(String at, String metric, JsonNode node) throws Refused {
            if (node == null) {
                return Labels.EMPTY;
            }
            if (!node.isObject()) {
                throw new Refused(at + ".labels must be an object of label names to string values");
            }
            labels.clear();
            for (Map.Entry<String, JsonNode> label : node.properties()) {
                JsonNode value = label.getValue();
                if (!value.isTextual() && !value.isNumber() && !value.isBoolean()) {
                    String nameProblem = rules.checkLabelName(label.getKey());
                    throw new Refused(at + ".labels: " + (nameProblem != null ? nameProblem
                            : "label '" + label.getKey() + "' must have a string, number or boolean value"));
                }
                labels.put(label.getKey(), value.asText());
            }
            LabelSetBuilder.Result result = labels.build(metric);
            if (!result.accepted()) {
                throw new Refused(at + ".labels: " + result.reason());
            }
            return result.labels();
        }

        private void sample(String at, long itemTime, JsonNode sample) {
            try {
                if (!sample.isObject()) {
                    throw new Refused(at + " must be an object such as {\"t\": 1717250400000, \"v\": 1}");
                }
                checkFields(at, sample, SAMPLE_FIELDS, "t and v");
                JsonNode v = field(sample, "v");
                if (v == null) {
                    throw new Refused(at + ".v is missing; it must be a number");
                }
                JsonNode t = field(sample, "t");
                long time = t == null ? itemTime : timestamp(at + ".t", key.metric(), t);
                add(at + ".v", time, v);
            } catch (Refused refused) {
                batch.reject(1, refused.getMessage());
            }
        }

        private void point(String at, long time, JsonNode value) {
            try {
                add(at, time, value);
            } catch (Refused refused) {
                batch.reject(1, refused.getMessage());
            }
        }

        private void add(String at, long time, JsonNode node) throws Refused {
            if (!node.isNumber()) {
                throw new Refused(at + " must be a number");
            }
            double value = node.doubleValue();
            String problem = rules.checkValue(key.metric(), value);
            if (problem != null) {
                throw new Refused(at + ": " + problem);
            }
            if (value < 0 && (type == Type.COUNTER || type == Type.LATENCY)) {
                throw new Refused(at + " was " + value + " but a " + type.text + " must not be negative");
            }
            if (!begun) {
                batch.beginSeries(key, type.kind);
                begun = true;
            }
            batch.addSample(time, value);
        }

        /** Epoch milliseconds from a number or an RFC 3339 string, checked against the rules. */
        private long timestamp(String at, String metric, JsonNode node) throws Refused {
            long millis;
            if (node.isIntegralNumber()) {
                if (!node.canConvertToLong()) {
                    throw new Refused(at + " is out of range; it must be epoch milliseconds");
                }
                millis = node.longValue();
            } else if (node.isNumber()) {
                double d = node.doubleValue();
                if (d != Math.rint(d) || Math.abs(d) > 1e15) {
                    throw new Refused(at + " was " + d + " but it must be whole epoch milliseconds");
                }
                millis = (long) d;
            } else if (node.isTextual()) {
                millis = rfc3339(at, node.textValue());
            } else {
                throw new Refused(at + " must be epoch milliseconds or an RFC 3339 string such as 2024-06-01T14:00:00Z");
            }
            if (millis > 0 && millis < SECONDS_CUTOFF) {
                throw new Refused(at + " was " + millis + ", which looks like epoch seconds; send milliseconds ("
                        + millis * 1000 + ")");
            }
            String problem = rules.checkTimestamp(metric, millis, nowMillis);
            if (problem != null) {
                throw new Refused(at + ": " + problem);
            }
            return millis;
        }

        private static long rfc3339(String at, String text) throws Refused {
            try {
                if (text.length() <= 40) {
                    StringBuilder normalized = new StringBuilder(text.toUpperCase(Locale.ROOT));
                    if (normalized.length() > 10 && normalized.charAt(10) == ' ') {
                        normalized.setCharAt(10, 'T');
                    }
                    return OffsetDateTime.parse(normalized, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                            .toInstant().toEpochMilli();
                }
            } catch (DateTimeParseException | ArithmeticException e) {
                // fall through to the reason below
            }
            throw new Refused(at + " was '" + LabelRules.printable(text) + "' but it must be epoch milliseconds or an RFC 3339"
                    + " timestamp such as 2024-06-01T14:00:00Z");
        }
    }
}
