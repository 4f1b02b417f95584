package io.vigil.alerting.rules;

import static io.vigil.alerting.rules.TestEngine.AT;
import static io.vigil.alerting.rules.TestEngine.ago;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alerting.Condition;
import io.vigil.alerting.Observation;
import io.vigil.alerting.Severity;
import io.vigil.core.Labels;
import io.vigil.core.Stat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules that differ only in their filters' values are answered by one query per window, with the same results. */
class BatchedEvaluationTest {
    static final String UPLOADS = "wedding_photo_upload_seconds";
    static final int WEDDINGS = 20;

    @TempDir
    Path dir;

    private static RuleBasics perWedding(String id, int w, List<String> by) {
        return new RuleBasics(id + ".w-" + w, id, UPLOADS, Map.of("wedding_id", "w-" + w, "status", "200"), by,
                Duration.ZERO, Optional.empty());
    }

    private static List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        for (int w = 0; w < WEDDINGS + 2; w++) { // two weddings without any series
            rules.add(new ThresholdRule(perWedding("p95", w, List.of("client")), Severity.HIGH, Stat.parse("p95"),
                    Duration.ofMinutes(5), Comparison.GT, 3, 2.5, 5));
            rules.add(new ThresholdRule(perWedding("p95-all", w, List.of()), Severity.HIGH, Stat.parse("p95"),
                    Duration.ofMinutes(5), Comparison.GT, 3, 2.5, 0));
            rules.add(new RegressionRule(perWedding("regression", w, List.of("client")), Severity.MEDIUM,
                    Stat.parse("p95"), Duration.ofMinutes(5), new Reference.PreviousWeek(), 1.5, 1.5, 5));
            rules.add(new SloRule(new RuleBasics("slo.w-" + w, "slo", UPLOADS, Map.of("wedding_id", "w-" + w),
                    List.of(), Duration.ZERO, Optional.empty()), 0.99, Duration.ofDays(30), BurnRatePair.WORKBOOK, 10));
        }
        return rules;
    }

    @Test
    void evaluateAll_batchesPerWeddingRules_andFindsExactlyWhatOneByOneFinds() {
        try (TestEngine data = new TestEngine(dir)) {
            for (int w = 0; w < WEDDINGS; w++) {
                for (String client : new String[] {"mobile", "web"}) {
                    Labels ok = Labels.of("wedding_id", "w-" + w, "client", client, "status", "200");
                    Labels failed = Labels.of("wedding_id", "w-" + w, "client", client, "status", "500");
                    data.latencies(UPLOADS, ago(Duration.ofMinutes(1)), ok, 10, w % 3 == 0 ? 4.0 : 1.0);
                    data.latencies(UPLOADS, ago(Duration.ofMinutes(1)), failed, w % 4, 4.0);
                    data.latencies(UPLOADS, ago(Duration.ofDays(7).plusMinutes(1)), ok, 10, 1.0);
                }
            }
            data.latencies(UPLOADS, ago(Duration.ofMinutes(1)), Labels.of("status", "200"), 10, 9.0); // no wedding
            data.flushAndMaintain();
            RuleEvaluator evaluator = new RuleEvaluator(data.query);
            List<Rule> rules = rules();

            List<Observation> together = evaluator.evaluateAll(rules, AT);
            List<Observation> oneByOne = rules.stream().flatMap(r -> evaluator.evaluate(r, AT).stream()).toList();

            assertThat(together).isEqualTo(oneByOne);
            assertThat(together).extracting(Observation::condition).contains(Condition.BREACHING, Condition.CLEAR,
                    Condition.NO_DATA);
            assertThat(together).filteredOn(o -> o.ruleId().equals("p95.w-3"))
                    .extracting(o -> o.labels() + " " + o.condition())
                    .containsExactly("{client=mobile} BREACHING", "{client=web} BREACHING");
            assertThat(together).filteredOn(o -> o.ruleId().equals("p95-all.w-21"))
                    .extracting(o -> o.labels() + " " + o.condition()).containsExactly("{} NO_DATA");
            assertThat(together).filteredOn(o -> o.ruleId().equals("p95.w-21")).isEmpty();
        }
    }

    @Test
    void oneQueryServesEveryRuleOfAShape_fewerRulesAreQueriedOneByOne() {
        try (TestEngine data = new TestEngine(dir)) {
            for (int w = 0; w < WEDDINGS; w++) {
                data.latencies(UPLOADS, ago(Duration.ofMinutes(1)),
                        Labels.of("wedding_id", "w-" + w, "client", "web", "status", "200"), 10, 1.0);
            }
            List<Rule> thresholds = rules().stream().filter(r -> r.id().startsWith("p95.")).toList();
            TimeWindow window = TimeWindow.ending(AT, Duration.ofMinutes(5));
            Stat p95 = Stat.parse("p95");

            WindowQueries batched = new WindowQueries(data.query, thresholds, AT);
            WindowQueries single = new WindowQueries(data.query);
            for (Rule r : thresholds) {
                assertThat(batched.values(r, p95, window)).isEqualTo(single.values(r, p95, window));
                assertThat(batched.traffic(r, window)).isEqualTo(single.traffic(r, window));
            }
            // One read answers the percentile and the traffic behind it.
            assertThat(batched.queries()).isEqualTo(1);
            assertThat(single.queries()).isEqualTo(thresholds.size());

            WindowQueries few = new WindowQueries(data.query, thresholds.subList(0, WindowQueries.BATCH_MIN - 1), AT);
            thresholds.subList(0, WindowQueries.BATCH_MIN - 1).forEach(r -> few.values(r, p95, window));
            assertThat(few.queries()).isEqualTo(WindowQueries.BATCH_MIN - 1);
        }
    }
}
