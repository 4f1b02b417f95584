package io.vigil.alerting.rules;

import static io.vigil.alerting.rules.TestEngine.AT;
import static io.vigil.alerting.rules.TestEngine.ago;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.alerting.Condition;
import io.vigil.alerting.Observation;
import io.vigil.alerting.Severity;
import io.vigil.core.Labels;
import io.vigil.core.Stat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThresholdRuleEvaluationTest {
    static final String GUESTS = "wedding_guest_list_access_seconds";
    static final String REQUESTS = "http_server_requests";

    @TempDir
    Path dir;
    TestEngine data;
    RuleEvaluator evaluator;

    @BeforeEach
    void open() {
        data = new TestEngine(dir);
        evaluator = new RuleEvaluator(data.query);
    }

    @AfterEach
    void close() {
        data.close();
    }

    static ThresholdRule p95(String id, double threshold, double recovery, long minSamples, String... by) {
        RuleBasics basics = new RuleBasics(id, id, GUESTS, Map.of(), List.of(by), Duration.ofMinutes(2),
                Optional.empty());
        return new ThresholdRule(basics, Severity.CRITICAL, Stat.parse("p95"), Duration.ofMinutes(5), Comparison.GT,
                threshold, recovery, minSamples);
    }

    @Test
    void p95AboveThreshold_breachesPerWedding_andTheOtherWeddingIsClear() {
        data.latencies(GUESTS, ago(Duration.ofMinutes(2)), Labels.of("wedding_id", "w-slow", "status", "200"), 40, 2.4);
        data.latencies(GUESTS, ago(Duration.ofMinutes(2)), Labels.of("wedding_id", "w-fast", "status", "200"), 40, 0.2);

        List<Observation> found = evaluator.evaluate(p95("guest-list.p95", 0.5, 0.5, 20, "wedding_id"), AT);

        assertThat(found).hasSize(2);
        Observation fast = found.get(0);
        Observation slow = found.get(1);
        assertThat(slow.labels()).isEqualTo(Map.of("wedding_id", "w-slow"));
        assertThat(slow.condition()).isEqualTo(Condition.BREACHING);
        assertThat(slow.value()).isCloseTo(2.4, within(2.4 * 0.01));
        assertThat(slow.threshold()).isEqualTo(0.5);
        assertThat(slow.summary()).matches("p95 2\\.[34]\\d? s > 500 ms");
        assertThat(slow.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(slow.pendingFor()).isEqualTo(Duration.ofMinutes(2));
        assertThat(slow.metric()).isEqualTo(GUESTS);
        assertThat(slow.at()).isEqualTo(AT);
        assertThat(slow.ruleId()).isEqualTo("guest-list.p95");
        assertThat(fast.labels()).isEqualTo(Map.of("wedding_id", "w-fast"));
        assertThat(fast.condition()).isEqualTo(Condition.CLEAR);
        assertThat(fast.summary()).matches("p95 (199|200|201|202) ms <= 500 ms");
    }

    @Test
    void hysteresis_breachesAbove5s_holdsBetween4And5_clearsAtOrUnder4() {
        Labels w = Labels.of("wedding_id", "w-1", "status", "200");
        data.latencies(GUESTS, ago(Duration.ofMinutes(32)), w, 30, 6.0);   // the window ending 30 minutes ago
        data.latencies(GUESTS, ago(Duration.ofMinutes(22)), w, 30, 4.5);   // ... 20 minutes ago
        data.latencies(GUESTS, ago(Duration.ofMinutes(12)), w, 30, 3.0);   // ... 10 minutes ago
        ThresholdRule rule = p95("guest-list.p95.critical", 5, 4, 20);

        Observation breach = evaluator.evaluate(rule, ago(Duration.ofMinutes(30))).getFirst();
        Observation hold = evaluator.evaluate(rule, ago(Duration.ofMinutes(20))).getFirst();
        Observation clear = evaluator.evaluate(rule, ago(Duration.ofMinutes(10))).getFirst();

        assertThat(breach.condition()).isEqualTo(Condition.BREACHING);
        assertThat(breach.summary()).matches("p95 (5\\.9\\d|6|6\\.0\\d) s > 5 s");
        assertThat(hold.condition()).isEqualTo(Condition.HOLDING);
        assertThat(hold.summary()).matches("p95 4\\.\\d+ s, between the recovery 4 s and the threshold 5 s");
        assertThat(hold.threshold()).isEqualTo(5);
        assertThat(clear.condition()).isEqualTo(Condition.CLEAR);
        assertThat(clear.summary()).endsWith(" <= 5 s");
    }

    @Test
    void recoveryBoundary_isClearAtTheRecoveryValueItself_withoutHysteresisNoHolding() {
        assertThat(condition(Comparison.GT, 5, 4, 4.0)).isEqualTo(Condition.CLEAR);
        assertThat(condition(Comparison.GT, 5, 4, 4.0001)).isEqualTo(Condition.HOLDING);
        assertThat(condition(Comparison.GT, 5, 4, 5.0)).isEqualTo(Condition.HOLDING);
        assertThat(condition(Comparison.GE, 5, 4, 5.0)).isEqualTo(Condition.BREACHING);
        assertThat(condition(Comparison.GT, 5, 5, 5.0)).isEqualTo(Condition.CLEAR);
        assertThat(condition(Comparison.LT, 0.95, 0.96, 0.955)).isEqualTo(Condition.HOLDING);
        assertThat(condition(Comparison.LT, 0.95, 0.96, 0.96)).isEqualTo(Condition.CLEAR);
        assertThat(condition(Comparison.LE, 0.95, 0.96, 0.95)).isEqualTo(Condition.BREACHING);
    }

    /** Evaluates a max-statistic rule on one sample of exactly {@code value}: the max is exact, unlike a percentile. */
    private Condition condition(Comparison c, double threshold, double recovery, double value) {
        String metric = "gauge_" + Math.abs((c + "" + threshold + recovery + value).hashCode());
        var b = new io.vigil.core.WriteBatch();
        b.beginSeries(new io.vigil.core.SeriesKey(metric, Labels.EMPTY), io.vigil.core.MetricKind.GAUGE);
        b.addSample(ago(Duration.ofMinutes(1)).toEpochMilli(), value);
        data.write(b);
        ThresholdRule rule = new ThresholdRule(RuleBasics.of("r", "r", metric, Duration.ZERO), Severity.HIGH,
                Stat.parse("max"), Duration.ofMinutes(5), c, threshold, recovery, 1);
        return evaluator.evaluate(rule, AT).getFirst().condition();
    }

    @Test
    void errorRate_ofRequestCounters_byRoute_reportsPercent() {
        data.requests(REQUESTS, ago(Duration.ofMinutes(1)), Labels.of("route", "/guests"), 70, 10);
        data.requests(REQUESTS, ago(Duration.ofMinutes(1)), Labels.of("route", "/photos"), 99, 1);
        RuleBasics basics = RuleBasics.of("http.errors.critical", "HTTP errors", REQUESTS, Duration.ZERO)
                .withBy(List.of("route"));
        ThresholdRule rule = new ThresholdRule(basics, Severity.CRITICAL, Stat.parse("error_rate"),
                Duration.ofMinutes(5), Comparison.GT, 0.10, 0.08, 20);

        List<Observation> found = evaluator.evaluate(rule, AT);

        assertThat(found).extracting(o -> o.labels().get("route") + " " + o.condition() + " " + o.summary())
                .containsExactly("/guests BREACHING error rate 12.5 % > 10 %",
                        "/photos CLEAR error rate 1 % <= 10 %");
        assertThat(found.getFirst().value()).isEqualTo(0.125);
    }

    @Test
    void availability_belowThreshold_breaches() {
        data.requests(REQUESTS, ago(Duration.ofMinutes(30)), Labels.of("route", "/rsvp"), 930, 70);
        RuleBasics basics = RuleBasics.of("http.availability.critical", "HTTP availability", REQUESTS, Duration.ZERO);
        ThresholdRule rule = new ThresholdRule(basics, Severity.CRITICAL, Stat.parse("availability"),
                Duration.ofHours(1), Comparison.LT, 0.95, 0.96, 100);

        Observation o = evaluator.evaluate(rule, AT).getFirst();

        assertThat(o.condition()).isEqualTo(Condition.BREACHING);
        assertThat(o.summary()).isEqualTo("availability 93 % < 95 %");
        assertThat(o.labels()).isEmpty();
    }

    @Test
    void noDataInTheWindow_andTrafficBelowTheMinimum_areNoData() {
        data.latencies(GUESTS, ago(Duration.ofMinutes(40)), Labels.of("wedding_id", "w-old", "status", "200"), 40, 9);
        data.latencies(GUESTS, ago(Duration.ofMinutes(1)), Labels.of("wedding_id", "w-quiet", "status", "200"), 5, 9);

        List<Observation> found = evaluator.evaluate(p95("guest-list.p95", 5, 5, 20, "wedding_id"), AT);

        assertThat(found).extracting(o -> o.labels().get("wedding_id") + " " + o.condition() + " " + o.summary())
                .containsExactly("w-old NO_DATA no data for p95 in the last 5m",
                        "w-quiet NO_DATA 5 observations in the last 5m, fewer than the 20 needed");
        assertThat(found.get(1).value()).isCloseTo(9, within(0.09));
    }

    @Test
    void aMetricWithoutSeries_isOneNoDataGroup_withoutBy_andNothingWithBy() {
        assertThat(evaluator.evaluate(p95("r", 5, 5, 0), AT)).singleElement()
                .satisfies(o -> {
                    assertThat(o.condition()).isEqualTo(Condition.NO_DATA);
                    assertThat(o.labels()).isEmpty();
                    assertThat(o.value()).isNaN();
                });
        assertThat(evaluator.evaluate(p95("r", 5, 5, 0, "wedding_id"), AT)).isEmpty();
    }

    @Test
    void filters_selectSeries_andCountRate_onGauges_useTheirSamples() {
        data.latencies(GUESTS, ago(Duration.ofMinutes(1)), Labels.of("client", "mobile", "status", "200"), 30, 3);
        data.latencies(GUESTS, ago(Duration.ofMinutes(1)), Labels.of("client", "web", "status", "200"), 30, 0.1);
        RuleBasics mobile = RuleBasics.of("mobile", "mobile", GUESTS, Duration.ZERO)
                .withFilters(Map.of("client", "mobile"));
        RuleBasics web = RuleBasics.of("web", "web", GUESTS, Duration.ZERO).withFilters(Map.of("client", "web"));
        Stat avg = Stat.parse("avg");

        assertThat(evaluator.evaluate(ThresholdRule.of(mobile, Severity.HIGH, avg, Duration.ofMinutes(5),
                Comparison.GT, 2), AT).getFirst().summary()).isEqualTo("avg 3 s > 2 s");
        assertThat(evaluator.evaluate(ThresholdRule.of(web, Severity.HIGH, avg, Duration.ofMinutes(5),
                Comparison.GT, 2), AT).getFirst().summary()).isEqualTo("avg 100 ms <= 2 s");
        assertThat(evaluator.evaluate(ThresholdRule.of(web, Severity.LOW, Stat.parse("rate"), Duration.ofMinutes(5),
                Comparison.LT, 1), AT).getFirst().summary()).isEqualTo("rate 0.1/s < 1/s");
    }

    @Test
    void evaluateAll_givesTheSameObservationsAsOneByOne() {
        data.latencies(GUESTS, ago(Duration.ofMinutes(2)), Labels.of("wedding_id", "w-1", "status", "200"), 40, 3.5);
        data.latencies(GUESTS, ago(Duration.ofMinutes(2)), Labels.of("wedding_id", "w-1", "status", "503"), 10, 3.5);
        List<Rule> rules = DefaultRules.load();

        List<Observation> together = evaluator.evaluateAll(rules, AT);
        List<Observation> oneByOne = rules.stream().flatMap(r -> evaluator.evaluate(r, AT).stream()).toList();

        assertThat(together).isEqualTo(oneByOne);
        assertThat(together).filteredOn(o -> o.condition() == Condition.BREACHING)
                .extracting(Observation::ruleId)
                .containsExactly("guest-list.p95.high", "guest-list.p95.medium", "guest-list.errors.critical",
                        "guest-list.errors.high", "guest-list.errors.medium");
    }
}
