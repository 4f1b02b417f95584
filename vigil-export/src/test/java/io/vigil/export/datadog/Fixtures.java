package io.vigil.export.datadog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.Aggregate;
import io.vigil.core.MetricKind;
import io.vigil.core.outbound.RetryPolicy;
import io.vigil.export.ExportPoint;
import io.vigil.export.ExportSink;
import io.vigil.export.ExportTags;
import io.vigil.export.pipeline.ExportWorker;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Points, sinks and workers for the Datadog tests: a Saturday afternoon in June, peak season, high load. */
final class Fixtures {
    static final Instant NOW = Instant.parse("2026-06-06T14:00:30Z");
    /** A 10-second interval that has settled by {@link #NOW}. */
    static final long START = Instant.parse("2026-06-06T14:00:00Z").toEpochMilli();
    static final ExportTags CONTEXT = new ExportTags(true, true, "high");
    static final ObjectMapper JSON = new ObjectMapper();
    /** Quick retries, a short linger, a minute before giving up. */
    static final ExportWorker.Settings FAST = new ExportWorker.Settings(100_000, Duration.ofMillis(50),
            new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMinutes(1), Duration.ZERO),
            Duration.ofMinutes(1));

    private Fixtures() {}

    /** A point of a kind from scalar samples, spread over the interval. */
    static ExportPoint point(String metric, MetricKind kind, Map<String, String> labels, double... values) {
        Aggregate a = new Aggregate();
        for (int i = 0; i < values.length; i++) {
            a.add(START + i, values[i], kind);
        }
        return new ExportPoint(metric, kind, labels, START, 10_000, a, CONTEXT);
    }

    /** A distribution point of n latencies spread evenly over (0, max]. */
    static ExportPoint latencies(String metric, int n, double max) {
        Aggregate a = new Aggregate();
        for (int i = 1; i <= n; i++) {
            a.add(START + i % 10_000, max * i / n, MetricKind.DISTRIBUTION);
        }
        return new ExportPoint(metric, MetricKind.DISTRIBUTION, Map.of("endpoint", "guest_list"), START, 10_000, a,
                CONTEXT);
    }

    /** n gauges with distinct labels. */
    static List<ExportPoint> gauges(int n) {
        List<ExportPoint> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(point("wedding.db.pool_active", MetricKind.GAUGE, Map.of("pool", "p" + i), i));
        }
        return out;
    }

    static DatadogMetricsSink metricsSink(FakeDatadog dd, boolean distributions) {
        return new DatadogMetricsSink(dd.base(), new DatadogApiKey(FakeDatadog.KEY), distributions,
                List.of("env:test"), Duration.ofSeconds(5));
    }

    static DatadogMetricsSink metricsSink(FakeDatadog dd, String key, Duration timeout) {
        return new DatadogMetricsSink(dd.base(), new DatadogApiKey(key), true, List.of("env:test"), timeout);
    }

    /** The decompressed JSON of a metrics payload. */
    static JsonNode body(ExportSink.Payload<ExportPoint> p) {
        try {
            return JSON.readTree(gunzip(p.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gunzip(byte[] gz) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tags of a JSON entry as a list. */
    static List<String> tags(JsonNode entry) {
        List<String> out = new ArrayList<>();
        entry.get("tags").forEach(t -> out.add(t.asText()));
        return out;
    }

    /** A string of n pseudo-random letters and digits (does not compress), the same for the same seed. */
    static String noise(long seed, int n) {
        java.util.Random r = new java.util.Random(seed);
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
