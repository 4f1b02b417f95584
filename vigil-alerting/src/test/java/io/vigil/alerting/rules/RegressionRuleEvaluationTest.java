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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegressionRuleEvaluationTest {
    static final String TIMELINE = "wedding_timeline_sync_seconds";
    static final Duration WEEK = Duration.ofDays(7);
    static final Labels OK = Labels.of("status", "200");

    @TempDir
    Path dir;
    TestEngine data;

    @BeforeEach
    void open() {
        data = new TestEngine(dir);
    }

    @AfterEach
    void close() {
        data.close();
    }

    static RegressionRule rule(Reference reference, double ratio, double recoveryRatio, long minSamples) {
        return new RegressionRule(RuleBasics.of("timeline.regression", "Timeline sync slower", TIMELINE,
                Duration.ofMinutes(10)), Severity.MEDIUM, Stat.parse("p95"), Duration.ofMinutes(5), reference, ratio,
                recoveryRatio, minSamples);
    }

    static RegressionRule previousWeek() {
        return rule(new Reference.PreviousWeek(), 1.2, 1.1, 50);
    }

    /** Writes a week-old window and the current one, then lets the week-old data reach the 1-minute tier. */
    private void weekAgoAndNow(int thenCount, double thenSeconds, int nowCount, double nowSeconds) {
        data.latencies(TIMELINE, ago(WEEK.plusMinutes(2)), OK, thenCount, thenSeconds);
        data.latencies(TIMELINE, ago(Duration.ofMinutes(2)), OK, nowCount, nowSeconds);
        data.flushAndMaintain();
    }

    @Test
    void slowerReleaseThanThePreviousWeek_isDetected() {
        weekAgoAndNow(100, 1.2, 100, 1.8);

        Observation o = new RuleEvaluator(data.query).evaluate(previousWeek(), AT).getFirst();

        assertThat(o.condition()).isEqualTo(Condition.BREACHING);
        assertThat(o.summary()).matches("p95 1\\.8\\d? s is 1\\.\\d+x the previous week's 1\\.[12]\\d? s");
        assertThat(o.value()).isCloseTo(1.8, within(0.018));
        assertThat(o.threshold()).isCloseTo(1.2 * 1.2, within(0.02)); // the value past which it breaches
        assertThat(o.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(o.pendingFor()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void sameSpeed_isClear_andBetweenRecoveryAndRatio_holds() {
        weekAgoAndNow(100, 1.0, 100, 1.0);
        assertThat(new RuleEvaluator(data.query).evaluate(previousWeek(), AT).getFirst())
                .satisfies(o -> {
                    assertThat(o.condition()).isEqualTo(Condition.CLEAR);
                    assertThat(o.summary())
                            .matches("p95 \\d+(\\.\\d+)? s is 1x the previous week's .* \\(alert above 1\\.2x\\)");
                });
    }

    @Test
    void fifteenPercentSlower_withRatio1_2AndRecovery1_1_holds() {
        weekAgoAndNow(100, 1.0, 100, 1.15);
        Observation o = new RuleEvaluator(data.query).evaluate(previousWeek(), AT).getFirst();
        assertThat(o.condition()).isEqualTo(Condition.HOLDING);
    }

    @Test
    void tooFewSamplesInTheReferenceWindow_isNoData() {
        weekAgoAndNow(20, 1.0, 100, 3.0);
        Observation o = new RuleEvaluator(data.query).evaluate(previousWeek(), AT).getFirst();
        assertThat(o.condition()).isEqualTo(Condition.NO_DATA);
        assertThat(o.summary()).isEqualTo("20 observations in the previous week's window, fewer than the 50 needed");
    }

    @Test
    void tooFewSamplesNow_isNoData() {
        weekAgoAndNow(100, 1.0, 10, 3.0);
        Observation o = new RuleEvaluator(data.query).evaluate(previousWeek(), AT).getFirst();
        assertThat(o.condition()).isEqualTo(Condition.NO_DATA);
        assertThat(o.summary()).isEqualTo("10 observations in the last 5m, fewer than the 50 needed");
    }

    @Test
    void groupsAreComparedWithTheirOwnReference() {
        data.latencies(TIMELINE, ago(WEEK.plusMinutes(2)), Labels.of("client", "web"), 60, 1.0);
        data.latencies(TIMELINE, ago(WEEK.plusMinutes(2)), Labels.of("client", "mobile"), 60, 2.0);
        data.latencies(TIMELINE, ago(Duration.ofMinutes(2)), Labels.of("client", "web"), 60, 2.0);
        data.latencies(TIMELINE, ago(Duration.ofMinutes(2)), Labels.of("client", "mobile"), 60, 2.0);
        data.flushAndMaintain();
        RegressionRule byClient = new RegressionRule(previousWeek().basics().withBy(List.of("client")),
                Severity.MEDIUM, Stat.parse("p95"), Duration.ofMinutes(5), new Reference.PreviousWeek(), 1.2, 1.2, 50);

        List<Observation> found = new RuleEvaluator(data.query).evaluate(byClient, AT);

        assertThat(found).extracting(o -> o.labels().get("client") + " " + o.condition())
                .containsExactly("mobile CLEAR", "web BREACHING");
    }

    @Test
    void namedReference_loadTestRun_resolvesThroughReferenceWindows_unknownIsNoData() {
        TimeWindow run = new TimeWindow(ago(Duration.ofHours(5)), ago(Duration.ofHours(4)));
        data.latencies(TIMELINE, ago(Duration.ofMinutes(270)), OK, 200, 0.5);
        data.latencies(TIMELINE, ago(Duration.ofMinutes(2)), OK, 100, 0.9);
        ReferenceWindows windows = ReferenceWindows.of(Map.of("run:lt-17", run));
        RuleEvaluator evaluator = new RuleEvaluator(data.query, windows);

        Observation known = evaluator.evaluate(rule(Reference.parse("run:lt-17"), 1.5, 1.5, 50), AT).getFirst();
        Observation unknown = evaluator.evaluate(rule(Reference.parse("marker:release-42"), 1.5, 1.5, 50), AT)
                .getFirst();

        assertThat(known.condition()).isEqualTo(Condition.BREACHING);
        assertThat(known.summary()).matches("p95 \\d+ ms is 1\\.\\d+x load-test run lt-17's \\d+ ms");
        assertThat(unknown.condition()).isEqualTo(Condition.NO_DATA);
        assertThat(unknown.summary()).isEqualTo("reference marker:release-42 is not known");
    }
}
