package io.vigil.alerting.rules;

import static io.vigil.alerting.rules.TestEngine.AT;
import static io.vigil.alerting.rules.TestEngine.ago;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.alerting.Condition;
import io.vigil.alerting.Observation;
import io.vigil.alerting.Severity;
import io.vigil.core.Labels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SRE workbook's multiwindow, multi-burn-rate table on a 99.9 % SLO, against the real engine. */
class SloRuleEvaluationTest {
    static final String UPLOADS = "wedding_photo_upload_seconds";
    static final Labels NONE = Labels.EMPTY;

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

    static SloRule slo(String... by) {
        return SloRule.of(RuleBasics.of("photo-upload.slo", "Photo upload SLO", UPLOADS, Duration.ZERO)
                .withBy(List.of(by)), 0.999);
    }

    /**
     * With all traffic in the last minute every window sees the same error rate, so the burn rate alone decides which
     * pairs breach: a pair needs a burn strictly above its factor, and the worst breaching pair sets the severity.
     */
    @ParameterizedTest(name = "{0} errors in 10,000 requests -> {1} {2}")
    @CsvSource({
        "145, BREACHING, CRITICAL, burn 14.5x (1h) and 14.5x (5m) > 14.4x",
        "144, BREACHING, HIGH,     burn 14.4x (6h) and 14.4x (30m) > 6.0x",
        "61,  BREACHING, HIGH,     burn 6.1x (6h) and 6.1x (30m) > 6.0x",
        "60,  BREACHING, LOW,      burn 6.0x (3d) and 6.0x (6h) > 1.0x",
        "11,  BREACHING, LOW,      burn 1.1x (3d) and 1.1x (6h) > 1.0x",
        "10,  CLEAR,     CRITICAL, burn 1.0x (3d) and 1.0x (6h) not both > 1.0x",
        "0,   CLEAR,     CRITICAL, burn 0.00x (1h) and 0.00x (5m) not both > 14.4x",
    })
    void burnRateTable_exactThresholds(long errors, Condition condition, Severity severity, String summary) {
        data.requests(UPLOADS, ago(Duration.ofMinutes(1)), NONE, 10_000 - errors, errors);

        Observation o = evaluator.evaluate(slo(), AT).getFirst();

        assertThat(o.condition()).isEqualTo(condition);
        assertThat(o.severity()).isEqualTo(severity);
        assertThat(o.summary()).isEqualTo(summary);
    }

    @Test
    void burningReport_valueIsTheLongWindowBurn_thresholdThePairsFactor() {
        data.requests(UPLOADS, ago(Duration.ofMinutes(1)), NONE, 9_838, 162);

        Observation o = evaluator.evaluate(slo(), AT).getFirst();

        assertThat(o.value()).isCloseTo(16.2, within(1e-9));
        assertThat(o.threshold()).isEqualTo(14.4);
        assertThat(o.summary()).isEqualTo("burn 16.2x (1h) and 16.2x (5m) > 14.4x");
    }

    @Test
    void bothWindowsRequired_longWindowBurningButShortWindowClean_doesNotPage() {
        // 50 minutes ago a burst of 5 % errors; the last 5 (and 30) minutes are clean.
        data.requests(UPLOADS, ago(Duration.ofMinutes(50)), NONE, 9_500, 500);
        data.requests(UPLOADS, ago(Duration.ofMinutes(2)), NONE, 1_000, 0);

        Observation o = evaluator.evaluate(slo(), AT).getFirst();

        // 1h: 500 / 11,000 = 4.5 % (burn 45), yet 5m and 30m burn 0: no page. 3d and 6h both see the burst: a ticket.
        assertThat(o.condition()).isEqualTo(Condition.BREACHING);
        assertThat(o.severity()).isEqualTo(Severity.LOW);
        assertThat(o.summary()).isEqualTo("burn 45.5x (3d) and 45.5x (6h) > 1.0x");
    }

    @Test
    void bothWindowsRequired_shortWindowBurningButLongWindowQuiet_doesNotFire() {
        data.requests(UPLOADS, ago(Duration.ofMinutes(40)), NONE, 100_000, 0);
        data.requests(UPLOADS, ago(Duration.ofMinutes(2)), NONE, 980, 20); // 2 % for the last 5 minutes: burn 20

        Observation o = evaluator.evaluate(slo(), AT).getFirst();

        assertThat(o.condition()).isEqualTo(Condition.CLEAR);
        // The summary names the pair closest to firing: here the ticket pair, whose windows both see 0.2x.
        assertThat(o.summary()).isEqualTo("burn 0.20x (3d) and 0.20x (6h) not both > 1.0x");
    }

    @Test
    void trafficGuard_aHandfulOfFailingRequestsOnAQuietWedding_isNoData() {
        data.requests(UPLOADS, ago(Duration.ofMinutes(3)), NONE, 40, 9); // 18 % errors, but 49 requests

        Observation o = evaluator.evaluate(slo(), AT).getFirst();

        assertThat(o.condition()).isEqualTo(Condition.NO_DATA);
        assertThat(o.summary()).isEqualTo("49 requests in the last 1h, fewer than the 100 needed");
        assertThat(o.value()).isNaN();
    }

    @Test
    void trafficGuard_appliesPerPair_theLongerWindowMayHaveEnough() {
        data.requests(UPLOADS, ago(Duration.ofHours(3)), NONE, 950, 50);  // 5 % three hours ago
        data.requests(UPLOADS, ago(Duration.ofMinutes(10)), NONE, 47, 3);  // 50 requests in the last hour

        Observation o = evaluator.evaluate(slo(), AT).getFirst();

        // 1h has 50 requests (under the guard); 6h has 1,050 at 53 / 1,050 = 5.05 % and 30m 6 %: the 6x pair pages.
        assertThat(o.condition()).isEqualTo(Condition.BREACHING);
        assertThat(o.severity()).isEqualTo(Severity.HIGH);
        assertThat(o.summary()).isEqualTo("burn 50.5x (6h) and 60.0x (30m) > 6.0x");
    }

    @Test
    void groupsByLabel_eachJudgedOnItsOwn() {
        data.requests(UPLOADS, ago(Duration.ofMinutes(1)), Labels.of("client", "mobile"), 900, 100);
        data.requests(UPLOADS, ago(Duration.ofMinutes(1)), Labels.of("client", "web"), 1000, 0);

        List<Observation> found = evaluator.evaluate(slo("client"), AT);

        assertThat(found).extracting(o -> o.labels().get("client") + " " + o.condition() + " " + o.severity())
                .containsExactly("mobile BREACHING CRITICAL", "web CLEAR CRITICAL");
    }

    @Test
    void errorBudget_exactNumbers_overThePeriod_withCurrentBurnRates() {
        data.requests(UPLOADS, ago(Duration.ofDays(2)), NONE, 49_970, 30);
        data.requests(UPLOADS, ago(Duration.ofMinutes(2)), NONE, 49_990, 10);

        ErrorBudget b = evaluator.errorBudget(slo(), AT).getFirst();

        assertThat(b.requests()).isCloseTo(100_000, within(1e-6));
        assertThat(b.failed()).isCloseTo(40, within(1e-6));
        assertThat(b.allowedFailures()).isCloseTo(100, within(1e-6));
        assertThat(b.consumedShare()).isCloseTo(0.4, within(1e-9));
        assertThat(b.remainingShare()).isCloseTo(0.6, within(1e-9));
        assertThat(b.from()).isEqualTo(AT.minus(Duration.ofDays(30)));
        assertThat(b.to()).isEqualTo(AT);
        assertThat(b.objective()).isEqualTo(0.999);
        assertThat(b.burnRates()).extracting(w -> DurationText.format(w.window()))
                .containsExactly("5m", "30m", "1h", "6h", "3d");
        // 10 errors in 50,000 requests (0.02 %) in every window up to 6h: burn 0.2; 3d sees all 40 in 100,000: 0.4.
        assertThat(b.burnRates()).extracting(ErrorBudget.WindowBurn::burnRate)
                .satisfiesExactly(r -> assertThat(r).isCloseTo(0.2, within(1e-9)),
                        r -> assertThat(r).isCloseTo(0.2, within(1e-9)),
                        r -> assertThat(r).isCloseTo(0.2, within(1e-9)),
                        r -> assertThat(r).isCloseTo(0.2, within(1e-9)),
                        r -> assertThat(r).isCloseTo(0.4, within(1e-9)));
    }

    @Test
    void errorBudget_overspent_isNegative_andWithoutTrafficNothingIsConsumed() {
        data.requests(UPLOADS, ago(Duration.ofHours(1)), Labels.of("client", "mobile"), 9_970, 30);
        data.requests(UPLOADS, ago(Duration.ofDays(40)), Labels.of("client", "web"), 1_000, 0); // before the period

        List<ErrorBudget> budgets = evaluator.errorBudget(slo("client"), AT);

        assertThat(budgets).hasSize(2);
        assertThat(budgets.get(0).labels()).containsEntry("client", "mobile");
        assertThat(budgets.get(0).consumedShare()).isCloseTo(3, within(1e-9));
        assertThat(budgets.get(0).remainingShare()).isCloseTo(-2, within(1e-9));
        assertThat(budgets.get(1).requests()).isZero();
        assertThat(budgets.get(1).remainingShare()).isEqualTo(1);
        assertThat(budgets.get(1).burnRates()).allSatisfy(w -> assertThat(w.burnRate()).isNaN());
    }

    @Test
    void sharedWindowsAreReadOnceForTheErrorRateAndTheTraffic() {
        data.requests(UPLOADS, ago(Duration.ofMinutes(1)), NONE, 10_000, 0);
        WindowQueries queries = new WindowQueries(data.query);
        SloRule rule = slo();
        TimeWindow sixHours = TimeWindow.ending(AT, Duration.ofHours(6));

        queries.values(rule, io.vigil.core.Stat.parse("error_rate"), sixHours);
        queries.values(rule, io.vigil.core.Stat.parse("error_rate"), sixHours);
        queries.traffic(rule, sixHours);
        queries.traffic(rule, sixHours);

        assertThat(queries.queries()).isEqualTo(1);
    }

    @Test
    void evaluatedTogether_anSloReadsAllItsWindowsInOneQuery_andObservesWhatItObservesAlone() {
        for (String client : new String[] {"mobile", "web"}) {
            data.requests(UPLOADS, ago(Duration.ofDays(2)), Labels.of("client", client), 20_000, 4);
        }
        data.requests(UPLOADS, ago(Duration.ofMinutes(50)), Labels.of("client", "mobile"), 9_500, 500);
        data.requests(UPLOADS, ago(Duration.ofMinutes(2)), Labels.of("client", "mobile"), 1_000, 0);
        data.requests(UPLOADS, ago(Duration.ofHours(3)), Labels.of("client", "web"), 950, 50);
        data.requests(UPLOADS, ago(Duration.ofMinutes(10)), Labels.of("client", "web"), 47, 3);
        data.requests(UPLOADS, ago(Duration.ofMinutes(5)), Labels.of("client", "web"), 200, 10); // on the 5m start
        List<SloRule> rules = List.of(slo(), slo("client"));
        WindowQueries together = new WindowQueries(data.query, rules, AT);
        WindowQueries alone = new WindowQueries(data.query);

        List<Observation> found = rules.stream().flatMap(r -> evaluator.evaluate(r, AT, together).stream()).toList();
        rules.forEach(r -> evaluator.evaluate(r, AT, alone));

        assertThat(found).isEqualTo(rules.stream().flatMap(r -> evaluator.evaluate(r, AT).stream()).toList())
                .isEqualTo(evaluator.evaluateAll(rules, AT));
        assertThat(found).extracting(o -> o.labels() + " " + o.condition() + " " + o.severity() + ": " + o.summary())
                .containsExactly("{} BREACHING HIGH: burn 45.9x (6h) and 10.3x (30m) > 6.0x",
                        "{client=mobile} BREACHING LOW: burn 16.3x (3d) and 45.5x (6h) > 1.0x",
                        "{client=web} BREACHING CRITICAL: burn 50.0x (1h) and 47.6x (5m) > 14.4x");
        assertThat(together.queries()).as("one per metric, filters and by").isEqualTo(2);
        assertThat(alone.queries()).as("one per window").isEqualTo(10);
    }

    @Test
    void evaluatedTogether_sloRulesPerWeddingShareOneQueryOfAllTheirWindows() {
        List<SloRule> rules = new ArrayList<>();
        for (int w = 0; w < WindowQueries.BATCH_MIN; w++) {
            Labels wedding = Labels.of("wedding_id", "w-" + w);
            data.requests(UPLOADS, ago(Duration.ofHours(2)), wedding, 1_000, w);
            data.requests(UPLOADS, ago(Duration.ofMinutes(3)), wedding, 1_000, 3 * w % 7);
            rules.add(new SloRule(RuleBasics.of("slo.w-" + w, "Photo upload SLO", UPLOADS, Duration.ZERO)
                    .withFilters(Map.of("wedding_id", "w-" + w)), 0.999, SloRule.DEFAULT_PERIOD,
                    BurnRatePair.WORKBOOK, 100));
        }
        WindowQueries together = new WindowQueries(data.query, rules, AT);

        List<Observation> found = rules.stream().flatMap(r -> evaluator.evaluate(r, AT, together).stream()).toList();

        assertThat(found).isEqualTo(rules.stream().flatMap(r -> evaluator.evaluate(r, AT).stream()).toList());
        assertThat(found).extracting(Observation::condition).contains(Condition.BREACHING, Condition.CLEAR);
        assertThat(together.queries()).isEqualTo(1);
    }

    @Test
    void aPercentileAfterARateOfTheSameWindowReadsAgainWithSketches_notTheOtherWayRound() {
        data.latencies(UPLOADS, ago(Duration.ofMinutes(1)), NONE, 100, 2.0);
        SloRule rule = slo();
        TimeWindow fiveMinutes = TimeWindow.ending(AT, Duration.ofMinutes(5));
        io.vigil.core.Stat p95 = io.vigil.core.Stat.parse("p95");

        WindowQueries rateFirst = new WindowQueries(data.query);
        assertThat(rateFirst.traffic(rule, fiveMinutes)).containsValue(100.0);
        assertThat(rateFirst.values(rule, p95, fiveMinutes).values()).singleElement()
                .satisfies(v -> assertThat(v).isCloseTo(2.0, within(0.02)));
        assertThat(rateFirst.queries()).isEqualTo(2);

        WindowQueries percentileFirst = new WindowQueries(data.query);
        assertThat(percentileFirst.values(rule, p95, fiveMinutes).values()).singleElement()
                .satisfies(v -> assertThat(v).isCloseTo(2.0, within(0.02)));
        assertThat(percentileFirst.traffic(rule, fiveMinutes)).containsValue(100.0);
        assertThat(percentileFirst.queries()).isEqualTo(1);
    }
}
