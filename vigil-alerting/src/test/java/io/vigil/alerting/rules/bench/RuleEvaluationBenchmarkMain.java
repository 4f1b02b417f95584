package io.vigil.alerting.rules.bench;

import io.vigil.alerting.Condition;
import io.vigil.alerting.Observation;
import io.vigil.alerting.Severity;
import io.vigil.alerting.rules.Comparison;
import io.vigil.alerting.rules.Reference;
import io.vigil.alerting.rules.RegressionRule;
import io.vigil.alerting.rules.Rule;
import io.vigil.alerting.rules.RuleBasics;
import io.vigil.alerting.rules.RuleEvaluator;
import io.vigil.alerting.rules.SloRule;
import io.vigil.alerting.rules.ThresholdRule;
import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.core.Stat;
import io.vigil.core.WriteBatch;
import io.vigil.engine.EngineConfig;
import io.vigil.engine.StorageEngine;
import io.vigil.engine.query.QueryEngine;
import io.vigil.store.embedded.EmbeddedMetricStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Loads 100,000 series into a real engine on the embedded store and evaluates 10,000 rules against it, printing how
 * long that takes, for docs/benchmarks.md. Not a test: it asserts nothing and times one run of each mode.
 *
 * <p>Series: 5 wedding-operation families x 1,000 weddings x 2 clients x 5 routes x 2 statuses (200, 500), with
 * observations in the last 5 minutes, earlier in the hour, and in the same 5 minutes a week ago (downsampled to the
 * 1-minute tier, as in production). Rules, each on one family and one wedding ({@code wedding_id} filter): 8,000
 * thresholds (p95 and error rate of 4,000 family-weddings, by client, at least 5 observations), 1,000 SLOs (the
 * workbook's three pairs: 5 error-rate windows and 3 traffic queries each), 1,000 regressions against the previous
 * week (p95 by route).
 *
 * <p>Run after {@code ./mvnw -q -pl vigil-alerting -am test-compile}, with the test classpath, e.g.
 * {@code java -cp "$(cat cp.txt)" io.vigil.alerting.rules.bench.RuleEvaluationBenchmarkMain [data dir]}, where
 * cp.txt is vigil-alerting's target/test-classes and target/classes plus the output of {@code ./mvnw -q -pl
 * vigil-alerting -am test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test}.
 */
public final class RuleEvaluationBenchmarkMain {
    static final Instant AT = Instant.parse("2026-06-13T18:00:00Z");
    static final String[] FAMILIES = {"wedding_guest_list_access_seconds", "wedding_timeline_sync_seconds",
        "wedding_photo_upload_seconds", "wedding_photo_processing_seconds", "wedding_mobile_app_response_seconds"};
    static final int WEDDINGS = 1_000;
    static final String[] CLIENTS = {"mobile", "web"};
    static final String[] ROUTES = {"/a", "/b", "/c", "/d", "/e"};
    static final String[] STATUSES = {"200", "500"};
    /** {@code -Dbench.oneByOne=false} skips the slow rule-by-rule runs. */
    static final boolean ONE_BY_ONE = !"false".equals(System.getProperty("bench.oneByOne"));

    private RuleEvaluationBenchmarkMain() {}

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("vigil-rule-bench");
        System.out.printf("java %s, %d cores, max heap %d MiB, data in %s%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, dir);
        try (StorageEngine engine = StorageEngine.openManual(EmbeddedMetricStore.open(dir.resolve("store")),
                dir.resolve("wal"), EngineConfig.DEFAULTS, Clock.fixed(AT, ZoneOffset.UTC))) {
            long t0 = System.nanoTime();
            long samples = load(engine);
            long t1 = System.nanoTime();
            engine.flush();
            engine.maintain();
            long t2 = System.nanoTime();
            System.out.printf("loaded %,d series, %,d observations in %.1f s; flush and downsampling %.1f s%n",
                    engine.registry().size(), samples, (t1 - t0) / 1e9, (t2 - t1) / 1e9);

            List<Rule> rules = rules();
            RuleEvaluator evaluator = new RuleEvaluator(new QueryEngine(engine));
            // One untimed pass, so that the timed ones do not pay for class loading, the JIT and a cold page cache.
            time("warm-up (evaluateAll, not counted)", rules.size(), () -> evaluator.evaluateAll(rules, AT));

            for (String kind : List.of("threshold", "slo", "regression")) {
                List<Rule> some = rules.stream().filter(r -> r.kind().equals(kind)).toList();
                if (ONE_BY_ONE) {
                    time(kind + " rules, one by one", some.size(), () -> {
                        List<Observation> out = new ArrayList<>();
                        some.forEach(r -> out.addAll(evaluator.evaluate(r, AT)));
                        return out;
                    });
                }
                time(kind + " rules, evaluateAll", some.size(), () -> evaluator.evaluateAll(some, AT));
            }
            time("all 10,000 rules, evaluateAll", rules.size(), () -> evaluator.evaluateAll(rules, AT));
            time("all 10,000 rules, evaluateAll again", rules.size(), () -> evaluator.evaluateAll(rules, AT));
        }
    }

    private static void time(String what, int ruleCount, Supplier<List<Observation>> run) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        long t = System.nanoTime();
        List<Observation> found = run.get();
        double seconds = (System.nanoTime() - t) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
        Map<Condition, Integer> conditions = new EnumMap<>(Condition.class);
        found.forEach(o -> conditions.merge(o.condition(), 1, Integer::sum));
        System.out.printf("%-38s %,6d rules in %6.2f s (evaluating thread's CPU %.2f s) = %,8.0f rules/s, %.2f ms/rule;"
                + " %,d observations %s%n", what, ruleCount, seconds, cpuSeconds, ruleCount / seconds,
                seconds * 1000 / ruleCount, found.size(), conditions);
    }

    /**
     * Writes the series: every tenth wedding is three times slower now than a week ago, every seventh fails often;
     * the others fail rarely, so that the rules find a bit of everything.
     */
    private static long load(StorageEngine engine) {
        Random random = new Random(42);
        long samples = 0;
        long now = AT.toEpochMilli();
        long weekAgo = AT.minus(Duration.ofDays(7)).toEpochMilli();
        for (String family : FAMILIES) {
            for (int w = 0; w < WEDDINGS; w++) {
                WriteBatch b = new WriteBatch(2_000);
                double scale = w % 10 == 0 ? 3 : 1;
                for (String client : CLIENTS) {
                    for (String route : ROUTES) {
                        for (String status : STATUSES) {
                            Labels labels = Labels.of("wedding_id", "w-" + w, "client", client, "route", route,
                                    "status", status);
                            b.beginSeries(new SeriesKey(family, labels), MetricKind.DISTRIBUTION);
                            boolean ok = status.equals("200");
                            int recent = ok ? 8 : w % 7 == 0 ? 2 : random.nextInt(50) == 0 ? 1 : 0;
                            for (int i = 0; i < recent; i++) {
                                b.addSample(now - 10_000 - random.nextInt(280_000), scale * latency(random));
                            }
                            int older = ok ? 8 : random.nextInt(20) == 0 ? 1 : 0;
                            for (int i = 0; i < older; i++) {
                                b.addSample(now - 300_000 - random.nextInt(3_000_000), latency(random));
                            }
                            int weekEarlier = ok ? 8 : 0;
                            for (int i = 0; i < weekEarlier; i++) {
                                b.addSample(weekAgo - 10_000 - random.nextInt(280_000), latency(random));
                            }
                            if (recent + older + weekEarlier == 0) {
                                // Every series exists, as it would once it has reported once.
                                b.addSample(weekAgo - 3_600_000, latency(random));
                                samples++;
                            }
                            samples += recent + older + weekEarlier;
                        }
                    }
                }
                engine.write(b);
            }
        }
        return samples;
    }

    private static double latency(Random random) {
        return 0.05 + Math.exp(random.nextGaussian() * 0.6 - 1.2);
    }

    private static List<Rule> rules() {
        List<Rule> rules = new ArrayList<>(10_000);
        Stat p95 = Stat.parse("p95");
        Stat errors = Stat.parse("error_rate");
        Severity[] levels = {Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW};
        double[] seconds = {5, 3, 2, 1};
        double[] ratios = {0.10, 0.05, 0.02, 0.01};
        for (int i = 0; i < FAMILIES.length * WEDDINGS; i++) {
            String family = FAMILIES[i % FAMILIES.length];
            String wedding = "w-" + i / FAMILIES.length;
            String id = family + "." + wedding;
            Map<String, String> filter = Map.of("wedding_id", wedding);
            int l = i % levels.length;
            if (i < 4_000) {
                rules.add(new ThresholdRule(basics(id + ".p95", family, filter, List.of("client")), levels[l], p95,
                        Duration.ofMinutes(5), Comparison.GT, seconds[l], seconds[l] * 0.8, 5));
                rules.add(new ThresholdRule(basics(id + ".errors", family, filter, List.of("client")), levels[l],
                        errors, Duration.ofMinutes(5), Comparison.GT, ratios[l], ratios[l] * 0.8, 5));
            } else {
                SloRule slo = SloRule.of(basics(id + ".slo", family, filter, List.of()), 0.999);
                rules.add(new SloRule(slo.basics(), 0.999, slo.period(), slo.pairs(), 20));
                rules.add(new RegressionRule(basics(id + ".regression", family, filter, List.of("route")),
                        Severity.MEDIUM, p95, Duration.ofMinutes(5), new Reference.PreviousWeek(), 1.5, 1.3, 5));
            }
        }
        return rules;
    }

    private static RuleBasics basics(String id, String metric, Map<String, String> filters, List<String> by) {
        return new RuleBasics(id, id, metric, filters, by, Duration.ofMinutes(2), java.util.Optional.empty());
    }
}
