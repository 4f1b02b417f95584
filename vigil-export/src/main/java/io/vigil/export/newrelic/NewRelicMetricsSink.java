package io.vigil.export.newrelic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.Aggregate;
import io.vigil.core.MetricKind;
import io.vigil.core.outbound.HttpDelivery;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.export.ExportPoint;
import io.vigil.export.ExportSink;
import io.vigil.export.ExportTags;
import io.vigil.export.Refusals;
import io.vigil.export.http.ExportDelivery;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports points to the New Relic Metric API ({@code POST /metric/v1}, INTEGRATIONS.md 2.4): a gzipped JSON array of
 * blocks, one per set of wedding context tags, each with {@code common} ({@code interval.ms} and the attributes
 * {@code service.name=vigil}, {@code wedding_season}, {@code wedding_peak_time}, {@code estimated_wedding_load}) and
 * its {@code metrics}:
 * <ul>
 *   <li>counters and deltas as {@code count} (the interval's count, {@code interval.ms}, timestamp = interval start);
 *   <li>gauges as {@code gauge} (the last value, timestamped when it was sampled);
 *   <li>distributions and histograms as {@code summary} {@code {count, sum, min, max}} at the interval start, plus
 *       the gauges {@code <metric>.p95} and {@code <metric>.p99} (New Relic summaries carry no quantiles).
 * </ul>
 *
 * <p>Limits: at most {@value #MAX_ATTRIBUTES} attributes per metric (labels past it, in name order, are dropped),
 * names and keys of at most {@value #MAX_NAME} characters (a longer label name is dropped, a point whose metric name is
 * longer is refused), values of at most {@value #MAX_VALUE} characters (longer ones are cut), at most
 * {@value #MAX_PAYLOAD_BYTES} bytes per gzipped request (batches are split; a point too large alone is refused).
 * Points New Relic would drop silently are refused here so that the exporter's health shows them: values JSON cannot
 * carry (NaN, infinities), distributions without observations, and points older than 48 h or more than 24 h ahead.
 *
 * <p>A 202 means only that New Relic queued the payload: it validates asynchronously and reports problems as
 * {@code NrIntegrationError} events carrying the payload's {@code requestId}, which this sink keeps
 * ({@link #lastRequestId()}) and logs at debug. The API key goes only into the {@code Api-Key} header. Thread-safe.
 */
public final class NewRelicMetricsSink implements ExportSink<ExportPoint> {
    private static final Logger LOG = LoggerFactory.getLogger(NewRelicMetricsSink.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] COMMON_KEY = "{\"common\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] METRICS_KEY = ",\"metrics\":[".getBytes(StandardCharsets.US_ASCII);

    /** The US endpoint. */
    public static final URI US = URI.create("https://metric-api.newrelic.com/metric/v1");
    /** The EU endpoint. */
    public static final URI EU = URI.create("https://metric-api.eu.newrelic.com/metric/v1");
    /** The most bytes of one (gzipped) request: 1 MB = 10^6 bytes. */
    static final int MAX_PAYLOAD_BYTES = 1_000_000;
    /** Attributes per metric, the common ones included. */
    static final int MAX_ATTRIBUTES = 150;
    /** Characters of a metric name or attribute key. */
    static final int MAX_NAME = 255;
    /** Characters of an attribute value. */
    static final int MAX_VALUE = 4_096;
    /** New Relic drops points older than this. */
    static final Duration MAX_AGE = Duration.ofHours(48);
    /** New Relic drops points further ahead than this. */
    static final Duration MAX_AHEAD = Duration.ofHours(24);
    /** The quantiles exported as gauges next to each summary, and their name suffixes. */
    private static final double[] QUANTILES = {0.95, 0.99};
    private static final String[] QUANTILE_SUFFIXES = {".p95", ".p99"};
    /** The {@code service.name} common attribute. */
    static final String SERVICE_NAME = "vigil";

    private final URI endpoint;
    private final String apiKey;
    private final ExportDelivery delivery;
    private final Clock clock;
    private final AtomicLong attributesDropped = new AtomicLong();
    private final AtomicLong valuesTruncated = new AtomicLong();
    private volatile String lastRequestId;

    /**
     * @param endpoint the Metric API endpoint ({@link #US}, {@link #EU} or a stand-in)
     * @param apiKey the license or ingest key (a secret: sent only in the {@code Api-Key} header)
     * @param timeout for connecting and for the whole exchange
     * @param clock for the 48-hour window and {@code Retry-After} dates
     */
    NewRelicMetricsSink(URI endpoint, String apiKey, Duration timeout, Clock clock) {
        this.endpoint = endpoint;
        this.apiKey = apiKey;
        this.delivery = new ExportDelivery(timeout, clock);
        this.clock = clock;
    }

    @Override
    public String name() {
        return "newrelic";
    }

    /** Where payloads go. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * The {@code requestId} New Relic gave the last accepted payload, or null before the first: the key to look its
     * asynchronous validation errors up, e.g. {@code SELECT * FROM NrIntegrationError WHERE requestId = '…'}.
     */
    @Override
    public java.util.Map<String, Object> details() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("lastRequestId", lastRequestId());
        m.put("attributesDropped", attributesDropped());
        m.put("valuesTruncated", valuesTruncated());
        return m;
    }

    public String lastRequestId() {
        return lastRequestId;
    }

    /** Labels left out so far: past 150 attributes, keys over 255 characters, names taken by the context tags. */
    public long attributesDropped() {
        return attributesDropped.get();
    }

    /** Label values cut to 4,096 characters so far. */
    public long valuesTruncated() {
        return valuesTruncated.get();
    }

    /** One point's metric objects, written once, and the common block they belong in. */
    private record Fragment(ExportPoint point, Common common, byte[] json) {}

    /** What the points of one block share. */
    private record Common(ExportTags tags, long intervalMillis) {}

    @Override
    public Encoded<ExportPoint> encode(List<ExportPoint> points) {
        Refusals refusals = new Refusals();
        List<Fragment> fragments = new ArrayList<>(points.size());
        long now = clock.millis();
        for (ExportPoint p : points) {
            String refused = refusal(p, now);
            if (refused != null) {
                refusals.add(refused);
                continue;
            }
            fragments.add(new Fragment(p, new Common(p.tags(), p.intervalMillis()), metrics(p)));
        }
        List<Payload<ExportPoint>> payloads = new ArrayList<>();
        pack(fragments, payloads, refusals);
        if (refusals.total() > 0) {
            LOG.debug("exporter newrelic left out {} of {} points: {}", refusals.total(), points.size(), refusals);
        }
        return refusals.encoded(payloads);
    }

    /** Why a point cannot go to New Relic, or null when it can. */
    private String refusal(ExportPoint p, long now) {
        if (p.metric().isEmpty() || p.metric().length() > MAX_NAME) {
            return "name_too_long";
        }
        if (p.startMillis() < now - MAX_AGE.toMillis()) {
            return "too_old";
        }
        if (p.startMillis() > now + MAX_AHEAD.toMillis()) {
            return "too_far_ahead";
        }
        Aggregate a = p.aggregate();
        if (p.isDistribution()) {
            if (a.observations() == 0) {
                return "no_observations";
            }
            return finite(a.sum(), min(a), max(a)) ? null : "non_finite";
        }
        return switch (p.kind()) {
            case COUNTER, DELTA -> finite(p.count()) ? null : "non_finite";
            default -> finite(a.lastValue()) ? null : "non_finite";
        };
    }

    private static boolean finite(double... values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The smallest observation; for explicit buckets from a source that sends no min (Prometheus classic histograms),
     * the lower bound of the lowest used bucket, which is as close as the buckets tell.
     */
    private static double min(Aggregate a) {
        return Double.isNaN(a.min()) ? a.quantile(0) : a.min();
    }

    /** The largest observation, or for explicit buckets without a max the upper bound of the highest used bucket. */
    private static double max(Aggregate a) {
        return Double.isNaN(a.max()) ? a.quantile(1) : a.max();
    }

    /** The point's metric objects, comma-separated, without brackets. */
    private byte[] metrics(ExportPoint p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.setRootValueSeparator(null);
            Aggregate a = p.aggregate();
            Map<String, String> attributes = attributes(p.labels());
            if (p.isDistribution()) {
                g.writeStartObject();
                head(g, p.metric(), "summary");
                g.writeObjectFieldStart("value");
                g.writeNumberField("count", a.observations());
                g.writeNumberField("sum", a.sum());
                g.writeNumberField("min", min(a));
                g.writeNumberField("max", max(a));
                g.writeEndObject();
                g.writeNumberField("timestamp", p.startMillis());
                g.writeNumberField("interval.ms", p.intervalMillis());
                attributes(g, attributes);
                g.writeEndObject();
                for (int i = 0; i < QUANTILES.length; i++) {
                    String name = p.metric() + QUANTILE_SUFFIXES[i];
                    double q = a.quantile(QUANTILES[i]);
                    if (!Double.isFinite(q) || name.length() > MAX_NAME) {
                        continue;
                    }
                    g.flush();
                    out.write(',');
                    g.writeStartObject();
                    head(g, name, "gauge");
                    g.writeNumberField("value", q);
                    g.writeNumberField("timestamp", p.startMillis());
                    attributes(g, attributes);
                    g.writeEndObject();
                }
            } else if (p.kind() == MetricKind.COUNTER || p.kind() == MetricKind.DELTA) {
                g.writeStartObject();
                head(g, p.metric(), "count");
                g.writeNumberField("value", p.count());
                g.writeNumberField("timestamp", p.startMillis());
                g.writeNumberField("interval.ms", p.intervalMillis());
                attributes(g, attributes);
                g.writeEndObject();
            } else {
                g.writeStartObject();
                head(g, p.metric(), "gauge");
                g.writeNumberField("value", a.lastValue());
                g.writeNumberField("timestamp", sampledAt(p));
                attributes(g, attributes);
                g.writeEndObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /** When a gauge's last value was sampled, kept within the point's interval. */
    static long sampledAt(ExportPoint p) {
        long t = p.aggregate().lastTimestamp();
        return Math.max(p.startMillis(), Math.min(t, p.endMillis() - 1));
    }

    private static void head(JsonGenerator g, String name, String type) throws IOException {
        g.writeStringField("name", name);
        g.writeStringField("type", type);
    }

    private static void attributes(JsonGenerator g, Map<String, String> attributes) throws IOException {
        if (attributes.isEmpty()) {
            return;
        }
        g.writeObjectFieldStart("attributes");
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    /**
     * A point's own attributes within New Relic's limits: labels named like a common attribute (they would override
     * the context tags) or with a key over 255 characters are dropped, values are cut to 4,096 characters, and past
     * 150 attributes with the common ones, the remaining labels (in name order) are dropped.
     */
    Map<String, String> attributes(Map<String, String> labels) {
        Map<String, String> out = new LinkedHashMap<>();
        int room = MAX_ATTRIBUTES - 4; // service.name and the three context tags
        int dropped = 0;
        int cut = 0;
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String key = e.getKey();
            if (key.isEmpty() || key.length() > MAX_NAME || isCommon(key) || out.size() >= room) {
                dropped++;
                continue;
            }
            String value = e.getValue();
            if (value.length() > MAX_VALUE) {
                value = cut(value, MAX_VALUE);
                cut++;
            }
            out.put(key, value);
        }
        if (dropped > 0) {
            attributesDropped.addAndGet(dropped);
        }
        if (cut > 0) {
            valuesTruncated.addAndGet(cut);
        }
        return out;
    }

    private static boolean isCommon(String key) {
        return key.equals("service.name") || key.equals("wedding_season") || key.equals("wedding_peak_time")
                || key.equals("estimated_wedding_load");
    }

    /** The first {@code max} characters, one fewer when the cut would split a surrogate pair. */
    static String cut(String s, int max) {
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }

    /** Gzipped payloads of the fragments, halved until each is within the limit; a point too large alone is refused. */
    private void pack(List<Fragment> fragments, List<Payload<ExportPoint>> out, Refusals refusals) {
        if (fragments.isEmpty()) {
            return;
        }
        byte[] body = gzip(fragments);
        if (body.length <= MAX_PAYLOAD_BYTES) {
            out.add(new Payload<>(fragments.stream().map(Fragment::point).toList(), body));
        } else if (fragments.size() == 1) {
            refusals.add("too_large");
        } else {
            int half = fragments.size() / 2;
            pack(fragments.subList(0, half), out, refusals);
            pack(fragments.subList(half, fragments.size()), out, refusals);
        }
    }

    /** The JSON array of blocks, one per {@link Common}, in first-seen order, gzipped. */
    private static byte[] gzip(List<Fragment> fragments) {
        Map<Common, List<Fragment>> blocks = new LinkedHashMap<>();
        for (Fragment f : fragments) {
            blocks.computeIfAbsent(f.common(), c -> new ArrayList<>()).add(f);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
        try (OutputStream out = new GZIPOutputStream(bytes, 8 * 1024)) {
            out.write('[');
            boolean firstBlock = true;
            for (Map.Entry<Common, List<Fragment>> block : blocks.entrySet()) {
                if (!firstBlock) {
                    out.write(',');
                }
                firstBlock = false;
                out.write(COMMON_KEY);
                out.write(common(block.getKey()));
                out.write(METRICS_KEY);
                boolean first = true;
                for (Fragment f : block.getValue()) {
                    if (!first) {
                        out.write(',');
                    }
                    first = false;
                    out.write(f.json());
                }
                out.write(']');
                out.write('}');
            }
            out.write(']');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The {@code common} object of a block: {@code interval.ms} and the attributes every metric in it shares. */
    private static byte[] common(Common c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(200);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("interval.ms", c.intervalMillis());
            g.writeObjectFieldStart("attributes");
            g.writeStringField("service.name", SERVICE_NAME);
            for (Map.Entry<String, String> e : c.tags().asMap().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public SendOutcome send(Payload<ExportPoint> payload) {
        ExportDelivery.Answer answer = delivery.send(HttpRequest.newBuilder(endpoint)
                .header("Api-Key", apiKey)
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "GZIP")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload.body())), HttpDelivery.COMMON_RETRYABLE);
        if (answer.outcome() instanceof SendOutcome.Delivered) {
            String id = requestId(answer.body());
            if (id != null) {
                lastRequestId = id;
            }
            LOG.debug("exporter newrelic: {} points accepted for asynchronous validation, requestId {}",
                    payload.items().size(), id);
        }
        return answer.outcome();
    }

    /** The {@code requestId} of an accepted payload's answer, if it is a short token. */
    static String requestId(byte[] body) {
        try {
            JsonNode id = MAPPER.readTree(body).path("requestId");
            String s = id.isTextual() ? id.asText() : null;
            return s != null && s.matches("[A-Za-z0-9._:-]{1,100}") ? s : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The endpoint; never the key. */
    @Override
    public String toString() {
        return "NewRelicMetricsSink[" + endpoint + "]";
    }
}
