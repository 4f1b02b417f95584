package io.vigil.export;

import io.vigil.core.Aggregate;
import io.vigil.core.Distribution;
import io.vigil.core.MetricKind;
import io.vigil.export.pipeline.ExportWorker;
import io.vigil.export.pipeline.ExporterHealth;
import io.vigil.core.outbound.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/** Export points built from real aggregates, on a Saturday evening in June (a wedding at its peak). */
public final class TestPoints {
    /** 2025-06-14 18:00:00 UTC, a Saturday. */
    public static final long T0 = Instant.parse("2025-06-14T18:00:00Z").toEpochMilli();
    /** A minute after {@link #T0}: the exporters' clock, so that every point is recent. */
    public static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(T0 + 60_000), ZoneOffset.UTC);
    public static final ExportTags PEAK = new ExportTags(true, true, "high");
    public static final ExportTags QUIET = new ExportTags(false, false, "none");
    public static final long INTERVAL = 10_000;

    private TestPoints() {}

    public static ExportPoint counter(String metric, Map<String, String> labels, double... cumulative) {
        return scalar(metric, MetricKind.COUNTER, labels, cumulative);
    }

    public static ExportPoint delta(String metric, Map<String, String> labels, double... increments) {
        return scalar(metric, MetricKind.DELTA, labels, increments);
    }

    public static ExportPoint gauge(String metric, Map<String, String> labels, double... samples) {
        return scalar(metric, MetricKind.GAUGE, labels, samples);
    }

    /** Samples one second apart from {@link #T0}. */
    public static ExportPoint scalar(String metric, MetricKind kind, Map<String, String> labels, double... values) {
        Aggregate a = new Aggregate();
        for (int i = 0; i < values.length; i++) {
            a.add(T0 + 1_000L * i, values[i], kind);
        }
        return new ExportPoint(metric, kind, labels, T0, INTERVAL, a, PEAK);
    }

    /** A latency distribution of {@code n} observations, log-normal around {@code median} seconds. */
    public static ExportPoint latencies(String metric, Map<String, String> labels, int n, double median, long seed) {
        return distribution(metric, labels, lognormal(n, median, seed));
    }

    /** {@code n} values, log-normal around {@code median} (a latency's long right tail). */
    public static double[] lognormal(int n, double median, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = median * Math.exp(0.8 * gaussian(random));
        }
        return values;
    }

    /** The exact quantile of values the way DDSketch ranks them: the value at rank ⌊q·(n−1)⌋ of the sorted values. */
    public static double exactQuantile(double[] values, double q) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }

    public static ExportPoint distribution(String metric, Map<String, String> labels, double... observations) {
        Aggregate a = new Aggregate();
        for (int i = 0; i < observations.length; i++) {
            a.add(T0 + (i % 10_000), observations[i], MetricKind.DISTRIBUTION);
        }
        return new ExportPoint(metric, MetricKind.DISTRIBUTION, labels, T0, INTERVAL, a, PEAK);
    }

    /** An explicit-bucket histogram point (as from Prometheus or an OTLP Histogram). */
    public static ExportPoint histogram(String metric, Map<String, String> labels, double[] bounds, long[] counts,
                                        double sum, double min, double max) {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        Aggregate a = new Aggregate();
        a.add(T0 + 5_000, Distribution.explicit(n, sum, min, max, bounds, counts));
        return new ExportPoint(metric, MetricKind.HISTOGRAM, labels, T0, INTERVAL, a, PEAK);
    }

    public static ExportPoint at(ExportPoint p, long startMillis, ExportTags tags) {
        return new ExportPoint(p.metric(), p.kind(), p.labels(), startMillis, p.intervalMillis(), p.aggregate(), tags);
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Random text of {@code n} characters from {@code alphabet} characters starting at {@code first}. */
    public static String randomText(int n, char first, int alphabet, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = (char) (first + r.nextInt(alphabet));
        }
        return new String(c);
    }

    /** Worker settings for tests: quick batches and retries, items given up after a minute. */
    public static ExportWorker.Settings quickSettings() {
        return new ExportWorker.Settings(100_000, Duration.ofMillis(20),
                new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMinutes(1), Duration.ZERO),
                Duration.ofMinutes(1));
    }

    /** Waits until the worker's health matches, for at most 20 seconds; returns the health it matched. */
    public static ExporterHealth await(ExportWorker<?> worker, Predicate<ExporterHealth> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        ExporterHealth h = worker.health();
        while (!done.test(h)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("exporter did not get there within 20 s: " + h);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            h = worker.health();
        }
        return h;
    }
}
