package io.vigil.export.datadog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.core.Aggregate;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.export.ExportPoint;
import io.vigil.export.ExportSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.zip.GZIPOutputStream;

/**
 * Exports points to Datadog (docs/export/datadog.md, INTEGRATIONS.md 2.1 and 2.2): counters and deltas as counts
 * (type 1, interval 10 s, the interval's count), gauges as gauges (type 3, the last value), distributions with a
 * DDSketch as distribution points rebuilt from the sketch's bins (when {@code distributions} is on), and other
 * distributions as {@code .count}, {@code .avg}, {@code .max}, {@code .p95} and {@code .p99} series.
 *
 * <p><b>Two endpoints.</b> Series go to {@code POST /api/v2/series}, distribution points to
 * {@code POST /api/v1/distribution_points}. {@link #encode} never mixes them in one payload, so each payload is for
 * one endpoint, and {@link #send} picks it from the payload's first point by the same rule ({@link #endpointOf}); a
 * payload split again after a 413 keeps its endpoint.
 *
 * <p><b>Sizes.</b> Every body is gzip-compressed and at most 500,000 bytes compressed and 5,000,000 bytes raw
 * (Datadog's 500 KB and 5 MB, read as decimal units to stay on the safe side); a batch is split into as many bodies
 * as that takes. A point that alone exceeds either limit is refused ({@code too_large}), and so is a count or gauge
 * whose value is NaN or infinite ({@code not_finite}), which Datadog's JSON cannot carry.
 *
 * <p><b>Answers.</b> 202 is success; 408, 429 and 5xx are retried (honouring {@code Retry-After}, or
 * {@code X-RateLimit-Reset} on a 429 without it); 400, 403 and 413 are not (the worker splits a payload answered
 * 413). The API key goes in the {@code DD-API-KEY} header and nowhere else. Thread-safe.
 */
public final class DatadogMetricsSink implements ExportSink<ExportPoint> {
    /** Datadog's limit on a compressed body (500 KB). */
    public static final int MAX_COMPRESSED_BYTES = 500_000;
    /** Datadog's limit on a body once decompressed (5 MB). */
    public static final int MAX_RAW_BYTES = 5_000_000;
    /** The most values a distribution point carries; more observations are scaled down to this (see {@link #values}). */
    public static final int MAX_DISTRIBUTION_VALUES = 10_000;
    /** Retried at the metric endpoints: 408, 429 and 5xx; 400, 403 and 413 are not. */
    static final IntPredicate RETRYABLE = status -> status == 408 || status == 429 || status >= 500;

    static final String SERIES_PATH = "/api/v2/series";
    static final String DISTRIBUTION_PATH = "/api/v1/distribution_points";
    private static final byte[] OPEN = "{\"series\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "]}".getBytes(StandardCharsets.US_ASCII);
    private static final JsonFactory JSON = new JsonFactory();

    /** The endpoint a point is sent to. */
    enum Endpoint { SERIES, DISTRIBUTION_POINTS }

    private final URI base;
    private final URI seriesUri;
    private final URI distributionUri;
    private final boolean distributions;
    private final List<String> extraTags;
    private final DatadogHttp http;
    private final int maxCompressed;
    private final int maxRaw;

    /**
     * @param base the API's base URL, such as {@code https://api.datadoghq.com}
     * @param distributions send DDSketch distributions as distribution points (else as summary series)
     * @param extraTags {@code name:value} tags added to every series
     * @param timeout for connecting and for each answer
     */
    DatadogMetricsSink(URI base, DatadogApiKey key, boolean distributions, List<String> extraTags, Duration timeout) {
        this(base, key, distributions, extraTags, timeout, MAX_COMPRESSED_BYTES, MAX_RAW_BYTES);
    }

    /** With other size limits, for tests. */
    DatadogMetricsSink(URI base, DatadogApiKey key, boolean distributions, List<String> extraTags, Duration timeout,
                       int maxCompressed, int maxRaw) {
        this.base = base;
        this.seriesUri = resolve(base, SERIES_PATH);
        this.distributionUri = resolve(base, DISTRIBUTION_PATH);
        this.distributions = distributions;
        this.extraTags = List.copyOf(extraTags);
        this.http = new DatadogHttp(key, timeout, Clock.systemUTC());
        this.maxCompressed = maxCompressed;
        this.maxRaw = maxRaw;
    }

    static URI resolve(URI base, String path) {
        String b = base.toString();
        return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path);
    }

    @Override
    public String name() {
        return "datadog";
    }

    /** The API's base URL. */
    public URI base() {
        return base;
    }

    /** Whether DDSketch distributions go out as distribution points. */
    public boolean distributions() {
        return distributions;
    }

    @Override
    public String toString() {
        return "DatadogMetricsSink[" + base + ", distributions=" + distributions + "]";
    }

    /** Where a point goes: distribution points for a distribution with a sketch when they are on, series otherwise. */
    Endpoint endpointOf(ExportPoint p) {
        if (distributions && p.isDistribution()) {
            boolean[] bins = {false};
            p.aggregate().forEachSketchBin((value, count) -> bins[0] = true);
            if (bins[0]) {
                return Endpoint.DISTRIBUTION_POINTS;
            }
        }
        return Endpoint.SERIES;
    }

    private record Entry(ExportPoint point, byte[] json) {}

    @Override
    public Encoded<ExportPoint> encode(List<ExportPoint> items) {
        List<Entry> series = new ArrayList<>();
        List<Entry> dists = new ArrayList<>();
        int notFinite = 0;
        for (ExportPoint p : items) {
            boolean dist = endpointOf(p) == Endpoint.DISTRIBUTION_POINTS;
            byte[] json = dist ? distributionJson(p) : seriesJson(p);
            if (json == null) {
                notFinite++;
            } else {
                (dist ? dists : series).add(new Entry(p, json));
            }
        }
        List<Payload<ExportPoint>> out = new ArrayList<>();
        int tooLarge = pack(series, out) + pack(dists, out);
        int refused = notFinite + tooLarge;
        String reason = notFinite > 0 && tooLarge > 0 ? "not_finite,too_large"
                : notFinite > 0 ? "not_finite" : tooLarge > 0 ? "too_large" : null;
        return new Encoded<>(out, refused, reason);
    }

    @Override
    public SendOutcome send(Payload<ExportPoint> payload) {
        boolean dist = !payload.items().isEmpty()
                && endpointOf(payload.items().getFirst()) == Endpoint.DISTRIBUTION_POINTS;
        return http.post(dist ? distributionUri : seriesUri, payload.body(), true, RETRYABLE);
    }

    // ---- packing: bodies within both limits ----

    /** Adds the bodies of the entries to {@code out}, each within both limits; returns how many entries did not fit. */
    private int pack(List<Entry> entries, List<Payload<ExportPoint>> out) {
        int tooLarge = 0;
        List<Entry> group = new ArrayList<>();
        long raw = OPEN.length + CLOSE.length;
        for (Entry e : entries) {
            long alone = OPEN.length + CLOSE.length + e.json().length;
            if (alone > maxRaw) {
                tooLarge++;
                continue;
            }
            long more = e.json().length + (group.isEmpty() ? 0 : 1);
            if (raw + more > maxRaw) {
                tooLarge += compress(group, out);
                group = new ArrayList<>();
                raw = OPEN.length + CLOSE.length;
                more = e.json().length;
            }
            group.add(e);
            raw += more;
        }
        return tooLarge + compress(group, out);
    }

    /**
     * Adds the group's body when it compresses within the limit, else the bodies of its halves; returns how many
     * entries did not fit even alone.
     */
    private int compress(List<Entry> group, List<Payload<ExportPoint>> out) {
        if (group.isEmpty()) {
            return 0;
        }
        byte[] gz = gzip(group);
        if (gz.length <= maxCompressed) {
            out.add(new Payload<>(group.stream().map(Entry::point).toList(), gz));
            return 0;
        }
        if (group.size() == 1) {
            return 1;
        }
        int half = group.size() / 2;
        return compress(group.subList(0, half), out) + compress(group.subList(half, group.size()), out);
    }

    private static byte[] gzip(List<Entry> group) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 64 * 1024)) {
            gz.write(OPEN);
            for (int i = 0; i < group.size(); i++) {
                if (i > 0) {
                    gz.write(',');
                }
                gz.write(group.get(i).json());
            }
            gz.write(CLOSE);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }

    // ---- JSON of one point ----

    /**
     * The series entries of a point (comma-separated, without the enclosing array), or null when its value is not
     * finite.
     */
    byte[] seriesJson(ExportPoint p) {
        String metric = DatadogTags.metricName(p.metric());
        List<String> tags = DatadogTags.of(p.tags(), DatadogTags.labels(p.labels()), extraTags);
        long ts = Math.floorDiv(p.endMillis(), 1000);
        long interval = Math.max(1, p.intervalMillis() / 1000);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.setRootValueSeparator(null); // the summary's entries are separated by commas below
            switch (p.kind()) {
                case COUNTER, DELTA -> {
                    if (!Double.isFinite(p.count())) {
                        return null;
                    }
                    series(g, metric, 1, interval, ts, p.count(), tags);
                }
                case GAUGE -> {
                    if (!Double.isFinite(p.aggregate().lastValue())) {
                        return null;
                    }
                    series(g, metric, 3, 0, ts, p.aggregate().lastValue(), tags);
                }
                case DISTRIBUTION, HISTOGRAM -> summary(g, metric, interval, ts, p.aggregate(), tags);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A distribution without distribution points: {@code <metric>.count} (a count of the observations) and the gauges
     * {@code .avg}, {@code .max}, {@code .p95}, {@code .p99}, each left out when it is unknown (no observations, or a
     * histogram whose points carried no max).
     */
    private static void summary(JsonGenerator g, String metric, long interval, long ts, Aggregate a, List<String> tags)
            throws IOException {
        long n = a.observations();
        series(g, metric + ".count", 1, interval, ts, n, tags);
        if (n == 0) {
            return;
        }
        double[] values = {a.sum() / n, a.max(), a.quantile(0.95), a.quantile(0.99)};
        String[] suffixes = {".avg", ".max", ".p95", ".p99"};
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(values[i])) {
                g.writeRaw(',');
                series(g, metric + suffixes[i], 3, 0, ts, values[i], tags);
            }
        }
    }

    private static void series(JsonGenerator g, String metric, int type, long interval, long ts, double value,
                               List<String> tags) throws IOException {
        g.writeStartObject();
        g.writeStringField("metric", metric);
        g.writeNumberField("type", type);
        if (interval > 0) {
            g.writeNumberField("interval", interval);
        }
        g.writeArrayFieldStart("points");
        g.writeStartObject();
        g.writeNumberField("timestamp", ts);
        g.writeFieldName("value");
        number(g, value);
        g.writeEndObject();
        g.writeEndArray();
        tags(g, tags);
        g.writeEndObject();
        g.flush();
    }

    /** The distribution-point entry of a point: {@code [timestamp, [values]]} from its sketch's bins. */
    byte[] distributionJson(ExportPoint p) {
        List<String> tags = DatadogTags.of(p.tags(), DatadogTags.labels(p.labels()), extraTags);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("metric", DatadogTags.metricName(p.metric()));
            g.writeStringField("type", "distribution");
            g.writeArrayFieldStart("points");
            g.writeStartArray();
            g.writeNumber(Math.floorDiv(p.endMillis(), 1000));
            g.writeStartArray();
            for (double v : values(p.aggregate())) {
                number(g, v);
            }
            g.writeEndArray();
            g.writeEndArray();
            g.writeEndArray();
            tags(g, tags);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The values of a distribution point: each sketch bin's value (within 1 % of its observations) repeated by the
     * bin's count. Beyond {@link #MAX_DISTRIBUTION_VALUES} observations the counts are scaled down proportionally
     * (rounded down, at least one value per bin so that the extremes survive) to stay within it: percentiles stay
     * right to the sketch's accuracy plus the rounding, while Datadog's count and sum of the point become those of the
     * scaled values.
     */
    static double[] values(Aggregate a) {
        List<double[]> bins = new ArrayList<>();
        a.forEachSketchBin((value, count) -> {
            if (count > 0) {
                bins.add(new double[] {value, count});
            }
        });
        long[] counts = new long[bins.size()];
        double total = 0;
        double unscaled = 0; // as a double: a merged sketch's counts may not fit a long when summed
        for (int i = 0; i < counts.length; i++) {
            counts[i] = Math.max(1, Math.round(bins.get(i)[1]));
            unscaled += Math.max(1, Math.round(bins.get(i)[1]));
            total += bins.get(i)[1];
        }
        long sum = (long) unscaled;
        if (unscaled > MAX_DISTRIBUTION_VALUES) {
            // floor(c * scale) summed stays within (cap - bins) and the at-least-one adds at most one per bin
            double scale = Math.max(0, MAX_DISTRIBUTION_VALUES - counts.length) / total;
            sum = 0;
            for (int i = 0; i < counts.length; i++) {
                counts[i] = Math.max(1, (long) Math.floor(bins.get(i)[1] * scale));
                sum += counts[i];
            }
        }
        double[] values = new double[Math.toIntExact(sum)];
        int at = 0;
        for (int i = 0; i < counts.length; i++) {
            java.util.Arrays.fill(values, at, at + (int) counts[i], bins.get(i)[0]);
            at += (int) counts[i];
        }
        return values;
    }

    private static void tags(JsonGenerator g, List<String> tags) throws IOException {
        g.writeArrayFieldStart("tags");
        for (String t : tags) {
            g.writeString(t);
        }
        g.writeEndArray();
    }

    /** A whole number as an integer (counts read better), anything else as a double. */
    private static void number(JsonGenerator g, double v) throws IOException {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            g.writeNumber((long) v);
        } else {
            g.writeNumber(v);
        }
    }
}
