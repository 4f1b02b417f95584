package io.vigil.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.vigil.core.Aggregate;
import io.vigil.core.MetricKind;
import io.vigil.core.time.SettableClock;
import io.vigil.export.ExportPoint;
import io.vigil.export.ExportTags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PrometheusExpositionTest {
    static final long T0 = Instant.parse("2026-06-13T15:00:00Z").toEpochMilli();
    static final long BUCKET = 10_000;
    static final ExportTags QUIET = new ExportTags(false, false, "none");
    static final ExportTags SATURDAY_PEAK = new ExportTags(true, true, "high");

    final SettableClock clock = new SettableClock(Instant.ofEpochMilli(T0 + 30_000));

    PrometheusExposition exposition() {
        return new PrometheusExposition(PrometheusExposition.DEFAULT_MAX_SERIES,
                PrometheusExposition.DEFAULT_FORGET_AFTER, clock);
    }

    /** A point of one bucket whose samples are the values in order, a millisecond apart. */
    static ExportPoint point(String metric, MetricKind kind, Map<String, String> labels, long start, ExportTags tags,
                             double... values) {
        Aggregate a = new Aggregate();
        for (int i = 0; i < values.length; i++) {
            a.add(start + i % BUCKET, values[i], kind);
        }
        return new ExportPoint(metric, kind, labels, start, BUCKET, a, tags);
    }

    static ExportPoint point(String metric, MetricKind kind, long start, double... values) {
        return point(metric, kind, Map.of(), start, QUIET, values);
    }

    static ExpositionParser.Parsed parse(PrometheusExposition e) {
        return ExpositionParser.parse(e.render());
    }

    @Test
    void render_everyLineMatchesTheGrammar_typeOncePerFamilyBeforeItsSamples_familiesContiguous() {
        PrometheusExposition e = exposition();
        // Batches interleave the metrics and their series, the second batch brings families and series between
        // those of the first (by name), so a renderer grouping naively by arrival would split families.
        e.accept(List.of(
                point("wedding_photo_upload_seconds", MetricKind.DISTRIBUTION, Map.of("region", "eu"), T0, QUIET,
                        0.2, 0.4, 1.5),
                point("http_server_requests_total", MetricKind.COUNTER, Map.of("status", "200"), T0, QUIET, 1, 5),
                point("queue_depth", MetricKind.GAUGE, Map.of("queue", "mail"), T0, QUIET, 3),
                point("wedding_photo_upload_seconds", MetricKind.DISTRIBUTION, Map.of("region", "us"), T0, QUIET,
                        0.3)));
        e.accept(List.of(
                point("queue_depth", MetricKind.GAUGE, Map.of("queue", "alerts"), T0 + BUCKET, QUIET, 1),
                point("http_server_requests_total", MetricKind.COUNTER, Map.of("status", "500"), T0 + BUCKET, QUIET,
                        0, 2),
                point("aaa_first", MetricKind.DELTA, T0 + BUCKET, 1),
                point("wedding_photo_upload_seconds", MetricKind.DISTRIBUTION, Map.of("region", "eu"), T0 + BUCKET,
                        QUIET, 0.9)));

        String text = e.render();
        ExpositionParser.Parsed p = ExpositionParser.parse(text); // grammar, TYPE order, contiguity, no repeats

        assertThat(p.types()).containsEntry("aaa_first_total", "counter")
                .containsEntry("http_server_requests_total", "counter").containsEntry("queue_depth", "gauge")
                .containsEntry("wedding_photo_upload_seconds", "summary")
                .containsEntry("vigil_exposition_series", "gauge")
                .containsEntry("vigil_exposition_series_dropped_total", "counter");
        assertThat(p.named("queue_depth")).hasSize(2);
        assertThat(p.named("http_server_requests_total")).hasSize(2);
        assertThat(p.named("wedding_photo_upload_seconds")).hasSize(8); // 2 series x 4 quantiles
        assertThat(p.named("wedding_photo_upload_seconds_count")).hasSize(2);
        assertThat(p.value("vigil_exposition_series")).isEqualTo(7);
        assertThat(text).doesNotContain("\n\n");
        assertThat(e.seriesCount()).isEqualTo(7);
    }

    @Test
    void render_hostileLabelValuesAreEscaped_andNamesMadeValid() {
        PrometheusExposition e = exposition();
        String hostile = "/guests\"} 1\nfake_metric{x=\"y\\\\z\" 2\\";
        Map<String, String> labels = new HashMap<>();
        labels.put("route", hostile);
        labels.put("weird.name-1", "a");
        labels.put("9lives", "b");
        labels.put("__private", "c");
        e.accept(List.of(
                point("http.server.duration-ms", MetricKind.GAUGE, labels, T0, QUIET, 12),
                point("1st.metric", MetricKind.DELTA, Map.of("quantile", "q"), T0, QUIET, 1),
                point("upload latency", MetricKind.DISTRIBUTION, Map.of("quantile", "mine"), T0, QUIET, 1, 2)));

        String text = e.render();
        ExpositionParser.Parsed p = ExpositionParser.parse(text);

        assertThat(p.sampleNames()).doesNotContain("fake_metric");
        assertThat(p.value("http_server_duration_ms", Map.of("route", hostile, "weird_name_1", "a", "_9lives", "b",
                "_private", "c"))).isEqualTo(12);
        assertThat(text).contains("route=\"/guests\\\"} 1\\nfake_metric{x=\\\"y\\\\\\\\z\\\" 2\\\\\"");
        assertThat(p.value("_1st_metric_total", "quantile", "q")).isEqualTo(1); // a counter may keep "quantile"
        assertThat(p.named("upload_latency")).extracting(s -> s.labels().get("exported_quantile"))
                .containsOnly("mine");
        assertThat(p.named("upload_latency")).extracting(s -> s.labels().get("quantile"))
                .containsExactly("0.5", "0.9", "0.95", "0.99");
    }

    @Test
    void counters_areCumulativeAcrossBatches_andNamedWithTotal() {
        PrometheusExposition e = exposition();
        Map<String, String> ok = Map.of("status", "200");
        e.accept(List.of(point("http_server_requests_total", MetricKind.COUNTER, ok, T0, QUIET, 100, 110, 130),
                point("jobs_done", MetricKind.DELTA, Map.of(), T0, QUIET, 1, 2, 3)));
        assertThat(parse(e).value("http_server_requests_total", ok)).isEqualTo(30);
        assertThat(parse(e).value("jobs_done_total")).isEqualTo(6);

        e.accept(List.of(point("http_server_requests_total", MetricKind.COUNTER, ok, T0 + BUCKET, QUIET, 130, 150),
                point("jobs_done", MetricKind.DELTA, Map.of(), T0 + BUCKET, QUIET, 4)));
        e.accept(List.of(point("http_server_requests_total", MetricKind.COUNTER, ok, T0 + 2 * BUCKET, QUIET,
                        150, 5), // a reset: the increase is the new value
                point("jobs_done", MetricKind.DELTA, Map.of(), T0 + 2 * BUCKET, QUIET, -50))); // never decreases

        ExpositionParser.Parsed p = parse(e);
        assertThat(p.value("http_server_requests_total", ok)).isEqualTo(30 + 20 + 5);
        assertThat(p.value("jobs_done_total")).isEqualTo(10);
        assertThat(p.types()).containsEntry("jobs_done_total", "counter").doesNotContainKey("jobs_done")
                .doesNotContainKey("http_server_requests_total_total");
    }

    @Test
    void gauges_showTheLastValueOfTheNewestPoint() {
        PrometheusExposition e = exposition();
        e.accept(List.of(point("queue_depth", MetricKind.GAUGE, T0 + BUCKET, 7, 9),
                point("queue_depth", MetricKind.GAUGE, T0, 100))); // an older bucket later in the batch
        assertThat(parse(e).value("queue_depth")).isEqualTo(9);
        e.accept(List.of(point("queue_depth", MetricKind.GAUGE, T0 + 2 * BUCKET, 4.5)));
        assertThat(parse(e).value("queue_depth")).isEqualTo(4.5);
    }

    @Test
    void summaries_quantilesWithinOnePercentOverTheLastMinute_sumAndCountSinceStart() {
        PrometheusExposition e = exposition();
        Map<String, String> route = Map.of("route", "/photos");
        // 1..1000 spread over three buckets of one batch.
        double[] values = IntStream.rangeClosed(1, 1000).asDoubleStream().toArray();
        List<ExportPoint> first = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            int bucket = b;
            first.add(point("wedding_photo_upload_seconds", MetricKind.DISTRIBUTION, route, T0 + b * BUCKET, QUIET,
                    IntStream.range(0, values.length).filter(i -> i % 3 == bucket).mapToDouble(i -> values[i])
                            .toArray()));
        }
        e.accept(first);

        ExpositionParser.Parsed p = parse(e);
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (double q : PrometheusExposition.QUANTILES) {
            double exact = sorted[(int) Math.floor(q * (sorted.length - 1))];
            assertThat(p.value("wedding_photo_upload_seconds", Map.of("route", "/photos", "quantile",
                    q == 0.5 ? "0.5" : Double.toString(q)))).as("q %s", q).isCloseTo(exact, withinPercentage(1));
        }
        assertThat(p.value("wedding_photo_upload_seconds_sum", route)).isEqualTo(500_500);
        assertThat(p.value("wedding_photo_upload_seconds_count", route)).isEqualTo(1000);

        // Seven later buckets of 5,000 each: the first minute's buckets leave the window, sum and count keep them.
        List<ExportPoint> later = new ArrayList<>();
        for (int b = 6; b < 13; b++) {
            later.add(point("wedding_photo_upload_seconds", MetricKind.DISTRIBUTION, route, T0 + b * BUCKET, QUIET,
                    5_000, 5_000));
        }
        e.accept(later);
        p = parse(e);
        for (String q : List.of("0.5", "0.9", "0.95", "0.99")) {
            assertThat(p.value("wedding_photo_upload_seconds", Map.of("route", "/photos", "quantile", q)))
                    .isCloseTo(5_000, withinPercentage(1));
        }
        assertThat(p.value("wedding_photo_upload_seconds_sum", route)).isEqualTo(500_500 + 14 * 5_000);
        assertThat(p.value("wedding_photo_upload_seconds_count", route)).isEqualTo(1014);
    }

    @Test
    void summaries_withoutPointsInTheLastMinute_haveNaNQuantiles_andKeepSumAndCount() {
        PrometheusExposition e = exposition();
        e.accept(List.of(point("wedding_timeline_sync_seconds", MetricKind.DISTRIBUTION, T0, 0.5, 1.5)));
        e.accept(List.of(point("wedding_guest_list_access_seconds", MetricKind.DISTRIBUTION, T0 + 7 * BUCKET, 0.1)));

        ExpositionParser.Parsed p = parse(e);
        assertThat(p.named("wedding_timeline_sync_seconds")).hasSize(4)
                .allSatisfy(s -> assertThat(s.value()).isNaN());
        assertThat(p.value("wedding_timeline_sync_seconds_count")).isEqualTo(2);
        assertThat(p.value("wedding_timeline_sync_seconds_sum")).isEqualTo(2);
        assertThat(p.value("wedding_guest_list_access_seconds", "quantile", "0.99")).isCloseTo(0.1,
                withinPercentage(1));
    }

    @Test
    void weddingContext_isOneInfoSeriesWithNumbers_neverALabelThatSplitsCounters() {
        PrometheusExposition e = exposition();
        Map<String, String> ok = Map.of("status", "200");
        e.accept(List.of(point("http_server_requests_total", MetricKind.COUNTER, ok, T0, QUIET, 0, 10),
                point("queue_depth", MetricKind.GAUGE, Map.of(), T0, QUIET, 1)));
        ExpositionParser.Parsed quiet = parse(e);
        assertThat(quiet.value("vigil_wedding_context", "wedding_season", "false", "wedding_peak_time", "false",
                "estimated_wedding_load", "none")).isEqualTo(1);
        assertThat(quiet.value("vigil_wedding_load_band")).isZero();

        // The context changes (Saturday peak in season): the counter keeps one series and its total.
        e.accept(List.of(point("http_server_requests_total", MetricKind.COUNTER, ok, T0 + BUCKET, SATURDAY_PEAK,
                10, 25), point("queue_depth", MetricKind.GAUGE, Map.of(), T0 + BUCKET, SATURDAY_PEAK, 2)));

        ExpositionParser.Parsed p = parse(e);
        assertThat(p.named("http_server_requests_total")).singleElement()
                .satisfies(s -> assertThat(s.labels()).isEqualTo(ok)).satisfies(s -> assertThat(s.value())
                        .isEqualTo(25));
        assertThat(p.named("queue_depth")).singleElement().satisfies(s -> assertThat(s.labels()).isEmpty());
        assertThat(p.named("vigil_wedding_context")).singleElement().satisfies(s -> {
            assertThat(s.labels()).isEqualTo(SATURDAY_PEAK.asMap());
            assertThat(s.value()).isEqualTo(1);
        });
        assertThat(p.value("vigil_wedding_season")).isEqualTo(1);
        assertThat(p.value("vigil_wedding_peak_time")).isEqualTo(1);
        assertThat(p.value("vigil_wedding_load_band")).isEqualTo(3);
        assertThat(p.samples()).filteredOn(s -> !s.name().equals("vigil_wedding_context"))
                .allSatisfy(s -> assertThat(s.labels()).doesNotContainKeys("wedding_season", "wedding_peak_time",
                        "estimated_wedding_load"));
    }

    @Test
    void theSeriesCap_refusesNewSeries_countsEachOnce_andKeepsUpdatingTheExposedOnes() {
        PrometheusExposition e = new PrometheusExposition(5, Duration.ofMinutes(15), clock);
        e.accept(gauges(T0, 8, 1));
        ExpositionParser.Parsed p = parse(e);
        assertThat(p.named("queue_depth")).hasSize(5);
        assertThat(p.value("vigil_exposition_series_dropped_total", "reason", "limit")).isEqualTo(3);
        assertThat(p.value("vigil_exposition_series")).isEqualTo(5);
        assertThat(p.value("vigil_exposition_series_limit")).isEqualTo(5);

        e.accept(gauges(T0 + BUCKET, 8, 2)); // the same eight again
        p = parse(e);
        assertThat(p.named("queue_depth")).hasSize(5).allSatisfy(s -> assertThat(s.value()).isEqualTo(2));
        assertThat(p.value("vigil_exposition_series_dropped_total", "reason", "limit")).isEqualTo(3);
        assertThat(e.seriesDropped()).isEqualTo(3);
        // Nor may a new family slip past the cap.
        e.accept(List.of(point("another", MetricKind.GAUGE, T0 + BUCKET, 1)));
        assertThat(parse(e).types()).doesNotContainKey("another");
        assertThat(e.seriesDropped()).isEqualTo(4);
    }

    static List<ExportPoint> gauges(long start, int n, double value) {
        List<ExportPoint> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(point("queue_depth", MetricKind.GAUGE, Map.of("queue", "q" + i), start, QUIET, value));
        }
        return out;
    }

    @Test
    void staleSeries_areForgottenAfter15Minutes_andFreeTheirPlace() {
        PrometheusExposition e = new PrometheusExposition(2, Duration.ofMinutes(15), clock);
        e.accept(List.of(point("queue_depth", MetricKind.GAUGE, Map.of("queue", "a"), T0, QUIET, 1),
                point("jobs", MetricKind.DELTA, Map.of(), T0, QUIET, 1)));
        clock.advance(Duration.ofMinutes(10));
        e.accept(List.of(point("queue_depth", MetricKind.GAUGE, Map.of("queue", "a"), T0 + BUCKET, QUIET, 2),
                point("queue_depth", MetricKind.GAUGE, Map.of("queue", "b"), T0 + BUCKET, QUIET, 3)));
        assertThat(parse(e).named("queue_depth")).hasSize(1); // b refused: the cap is 2

        clock.advance(Duration.ofMinutes(5).plusSeconds(1)); // jobs untouched for 15 min 1 s, a for 5 min 1 s
        ExpositionParser.Parsed p = parse(e);
        assertThat(p.types()).doesNotContainKey("jobs_total");
        assertThat(p.named("queue_depth")).extracting(s -> s.labels().get("queue")).containsExactly("a");
        assertThat(p.value("vigil_exposition_series")).isEqualTo(1);

        e.accept(List.of(point("queue_depth", MetricKind.GAUGE, Map.of("queue", "b"), T0 + 2 * BUCKET, QUIET, 4)));
        assertThat(parse(e).value("queue_depth", "queue", "b")).isEqualTo(4); // the freed place is taken

        clock.advance(Duration.ofMinutes(16));
        p = parse(e);
        assertThat(p.types()).doesNotContainKey("queue_depth").doesNotContainKey("vigil_wedding_context");
        assertThat(e.seriesCount()).isZero();
    }

    @Test
    void nameConflicts_betweenFamilies_areRefusedAndCounted() {
        PrometheusExposition e = exposition();
        e.accept(List.of(point("foo_total", MetricKind.GAUGE, T0, 1),
                point("foo", MetricKind.COUNTER, T0, 1, 2), // foo_total would be a counter too
                point("latency_sum", MetricKind.GAUGE, T0, 1),
                point("latency", MetricKind.DISTRIBUTION, T0, 1), // its latency_sum is taken
                point("vigil_wedding_context", MetricKind.GAUGE, T0, 5), // the exposition's own
                point("vigil_exposition_series_dropped", MetricKind.DELTA, T0, 5)));

        ExpositionParser.Parsed p = parse(e); // one TYPE per name
        assertThat(p.types()).containsEntry("foo_total", "gauge").containsEntry("latency_sum", "gauge")
                .doesNotContainKey("latency");
        assertThat(p.value("foo_total")).isEqualTo(1);
        assertThat(p.value("vigil_exposition_series_dropped_total", "reason", "name_conflict")).isEqualTo(4);
        assertThat(p.value("vigil_exposition_series_dropped_total", "reason", "limit")).isZero();
    }

    @Test
    void registeredFamilies_areRenderedAfterTheExportedOnes_takenNamesAndFailingSuppliersSkipped() {
        PrometheusExposition e = exposition();
        e.accept(List.of(point("queue_depth", MetricKind.GAUGE, T0, 3)));
        e.register(() -> List.of(
                Family.gauge("vigil_store_lag_seconds", "Seconds the store is behind.", Family.sample(1.5)),
                Family.counter("vigil_ingest_samples", "Samples accepted.", Family.sample(10, "format", "otlp"),
                        Family.sample(20, "format", "remote_write")),
                Family.gauge("queue_depth", "Taken by an exported metric.", Family.sample(99)),
                Family.gauge("vigil_exposition_series", "Taken by the exposition.", Family.sample(99))));
        e.register(() -> {
            throw new IllegalStateException("health unavailable");
        });

        ExpositionParser.Parsed p = parse(e);
        assertThat(p.value("vigil_store_lag_seconds")).isEqualTo(1.5);
        assertThat(p.value("vigil_ingest_samples_total", "format", "remote_write")).isEqualTo(20);
        assertThat(p.types()).containsEntry("vigil_ingest_samples_total", "counter");
        assertThat(p.value("queue_depth")).isEqualTo(3);
        assertThat(p.value("vigil_exposition_series")).isEqualTo(1);
        assertThatThrownBy(() -> Family.sample(1, "odd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyExposition_rendersItsOwnFamilies_andEndsWithALineFeed() {
        PrometheusExposition e = exposition();
        String text = e.render();
        ExpositionParser.Parsed p = ExpositionParser.parse(text);
        assertThat(p.types()).containsOnlyKeys("vigil_exposition_series", "vigil_exposition_series_limit",
                "vigil_exposition_series_dropped_total");
        assertThat(text).endsWith("\n");
        assertThat(PrometheusExposition.CONTENT_TYPE).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    }

    @Test
    void render_whilePointsArrive_isAlwaysWellFormed_andCountersNeverGoBack() throws Exception {
        PrometheusExposition e = exposition();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<?> producer = pool.submit(() -> {
                try {
                    for (int b = 0; b < 300; b++) {
                        List<ExportPoint> batch = new ArrayList<>();
                        long start = T0 + b * BUCKET;
                        for (int s = 0; s < 20; s++) {
                            batch.add(point("jobs", MetricKind.DELTA, Map.of("shard", "s" + s), start, QUIET, 1));
                            batch.add(point("wedding_photo_upload_seconds", MetricKind.DISTRIBUTION,
                                    Map.of("shard", "s" + s), start, b % 2 == 0 ? QUIET : SATURDAY_PEAK, 0.1, 0.2,
                                    0.3));
                        }
                        e.accept(batch);
                    }
                } finally {
                    done.set(true);
                }
            });
            List<Future<Integer>> scrapers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                scrapers.add(pool.submit(() -> {
                    int renders = 0;
                    double lastJobs = 0;
                    double lastCount = 0;
                    while (!done.get() || renders == 0) {
                        StringBuilder out = new StringBuilder();
                        e.render(out);
                        ExpositionParser.Parsed p = ExpositionParser.parse(out.toString());
                        double jobs = p.named("jobs_total").stream().mapToDouble(ExpositionParser.Sample::value)
                                .sum();
                        double count = p.named("wedding_photo_upload_seconds_count").stream()
                                .mapToDouble(ExpositionParser.Sample::value).sum();
                        assertThat(jobs).isGreaterThanOrEqualTo(lastJobs);
                        assertThat(count).isGreaterThanOrEqualTo(lastCount);
                        lastJobs = jobs;
                        lastCount = count;
                        renders++;
                    }
                    return renders;
                }));
            }
            producer.get(60, TimeUnit.SECONDS);
            for (Future<Integer> f : scrapers) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isPositive();
            }
            ExpositionParser.Parsed end = parse(e);
            assertThat(end.named("jobs_total").stream().mapToDouble(ExpositionParser.Sample::value).sum())
                    .isEqualTo(20 * 300);
            assertThat(end.named("wedding_photo_upload_seconds_count")).hasSize(20)
                    .allSatisfy(s -> assertThat(s.value()).isEqualTo(900));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void accept_neverThrows_aBadPointIsSkipped_andTheRestOfTheBatchKept() {
        PrometheusExposition e = exposition();
        ExportPoint broken = new ExportPoint("broken", null, Map.of(), T0, BUCKET, new Aggregate(), QUIET);
        e.accept(List.of(point("queue_depth", MetricKind.GAUGE, T0, 1), broken,
                point("jobs", MetricKind.DELTA, T0, 2)));

        ExpositionParser.Parsed p = parse(e);
        assertThat(p.value("queue_depth")).isEqualTo(1);
        assertThat(p.value("jobs_total")).isEqualTo(2);
        assertThat(p.sampleNames()).noneMatch(n -> n.startsWith("broken"));
    }

    @Test
    void constructor_refusesANonPositiveCapOrForgetTime() {
        assertThatThrownBy(() -> new PrometheusExposition(0, Duration.ofMinutes(15), clock))
                .hasMessageContaining("maxSeries was 0");
        assertThatThrownBy(() -> new PrometheusExposition(10, Duration.ZERO, clock))
                .hasMessageContaining("forgetAfter was PT0S");
    }
}
