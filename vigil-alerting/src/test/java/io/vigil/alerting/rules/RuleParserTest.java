package io.vigil.alerting.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vigil.alerting.Severity;
import io.vigil.core.Stat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleParserTest {
    static final String ALL_KINDS = """
            rules:
              - id: guest-list.p95.critical
                name: Guest list access p95 above 5s
                kind: threshold
                severity: critical
                metric: wedding_guest_list_access_seconds
                filters: {client: mobile, status: 200}
                by: [wedding_id]
                stat: p95
                window: 5m
                comparison: ">"
                threshold: 5s
                recovery: 4000ms
                minSamples: 20
                for: 2m
                interval: 30s
              - id: photo-upload.slo
                name: Photo upload 99.9 % SLO
                kind: slo
                metric: wedding_photo_upload_seconds
                objective: 99.9%
              - id: timeline.regression
                kind: regression
                severity: medium
                metric: wedding_timeline_sync_seconds
                stat: p99
                window: 15m
                reference: marker:release-2026.06.1
                ratio: 1.2
                recoveryRatio: 1.1
                minSamples: 100
            """;

    @Test
    void parsesEachKind_withDefaultsFilledIn() {
        List<Rule> rules = RuleParser.parseYaml(ALL_KINDS);

        assertThat(rules).hasSize(3);
        ThresholdRule t = (ThresholdRule) rules.get(0);
        assertThat(t.basics()).isEqualTo(new RuleBasics("guest-list.p95.critical", "Guest list access p95 above 5s",
                "wedding_guest_list_access_seconds", Map.of("client", "mobile", "status", "200"),
                List.of("wedding_id"), Duration.ofMinutes(2), Optional.of(Duration.ofSeconds(30))));
        assertThat(t).isEqualTo(new ThresholdRule(t.basics(), Severity.CRITICAL, Stat.parse("p95"),
                Duration.ofMinutes(5), Comparison.GT, 5, 4, 20));

        SloRule s = (SloRule) rules.get(1);
        assertThat(s.objective()).isEqualTo(0.999);
        assertThat(s.period()).isEqualTo(Duration.ofDays(30));
        assertThat(s.pairs()).isEqualTo(BurnRatePair.WORKBOOK);
        assertThat(s.minRequests()).isEqualTo(100);
        assertThat(s.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(s.pendingFor()).isZero();
        assertThat(s.interval()).isEmpty();

        RegressionRule r = (RegressionRule) rules.get(2);
        assertThat(r.name()).isEqualTo("timeline.regression"); // the id when no name is given
        assertThat(r.reference()).isEqualTo(new Reference.Named(Reference.Named.Kind.MARKER, "release-2026.06.1"));
        assertThat(r.stat()).isEqualTo(Stat.parse("p99"));
        assertThat(r.ratio()).isEqualTo(1.2);
        assertThat(r.recoveryRatio()).isEqualTo(1.1);
        assertThat(r.minSamples()).isEqualTo(100);
    }

    @Test
    void percentagesAndDurations_areStoredInTheStatisticsUnit() {
        ThresholdRule errors = (ThresholdRule) RuleParser.parseRule("""
                {"id": "e", "kind": "threshold", "severity": "high", "metric": "http_server_requests",
                 "stat": "error_rate", "window": "5m", "comparison": ">", "threshold": "5%", "recovery": 0.04}""");
        ThresholdRule latency = (ThresholdRule) RuleParser.parseRule("""
                {"id": "l", "kind": "threshold", "severity": "high", "metric": "m_seconds", "stat": "p99",
                 "window": "1h30m", "comparison": "ge", "threshold": "250ms"}""");

        assertThat(errors.threshold()).isEqualTo(0.05);
        assertThat(errors.recovery()).isEqualTo(0.04);
        assertThat(latency.threshold()).isEqualTo(0.25);
        assertThat(latency.recovery()).isEqualTo(0.25);
        assertThat(latency.window()).isEqualTo(Duration.ofMinutes(90));
        assertThat(latency.comparison()).isEqualTo(Comparison.GE);
    }

    @Test
    void sloWithItsOwnPairs() {
        SloRule s = (SloRule) RuleParser.parseYaml("""
                rules:
                  - id: s
                    kind: slo
                    metric: m
                    objective: 0.995
                    period: 28d
                    minRequests: 500
                    windows:
                      - {long: 1h, short: 5m, factor: 14, severity: high}
                      - {long: 4d, short: 6h, factor: 1, severity: medium}
                """).getFirst();

        assertThat(s.period()).isEqualTo(Duration.ofDays(28));
        assertThat(s.minRequests()).isEqualTo(500);
        assertThat(s.pairs()).containsExactly(
                new BurnRatePair(Duration.ofHours(1), Duration.ofMinutes(5), 14, Severity.HIGH),
                new BurnRatePair(Duration.ofDays(4), Duration.ofHours(6), 1, Severity.MEDIUM));
        assertThat(s.severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void everyProblemIsReported_withItsPath_andWhatIsAllowed() {
        RuleFileException e = catchThrowableOfType(RuleFileException.class, () -> RuleParser.parseYaml("""
                rules:
                  - id: a
                    kind: threshold
                    severity: critical
                    metric: m
                    stat: p95
                    window: 5m
                    comparison: ">"
                    treshold: 5s
                  - id: b
                    kind: threshold
                    severity: urgent
                    metric: m
                    stat: p95x
                    window: 5x
                    comparison: "=>"
                    threshold: 10
                  - id: c
                    metric: m
                  - id: d
                    kind: threshold
                    severity: high
                    metric: http_server_requests
                    stat: error_rate
                    window: 15s
                    comparison: ">"
                    threshold: 10
                  - id: e
                    kind: slo
                    severity: critical
                    metric: m
                    objective: 99.9
                    windows:
                      - {long: 5m, short: 1h, factor: 14.4, severity: critical, page: true}
                  - id: f
                    kind: regression
                    severity: low
                    metric: m
                    stat: avg
                    window: 5m
                    reference: last_week
                    ratio: 0.8
                  - id: a
                    kind: threshold
                    severity: low
                    metric: m
                    stat: count
                    window: 1m
                    comparison: <
                    threshold: 1
                    recovery: 0
                    by: [route, route]
                    filters: {"bad label": x}
                """));

        assertThat(e.problems()).extracting(RuleProblem::path).containsExactly(
                "rules[0].treshold", "rules[0].threshold",
                "rules[1].severity", "rules[1].stat", "rules[1].window", "rules[1].comparison",
                "rules[2].kind",
                "rules[3].window", "rules[3].threshold",
                "rules[4].severity", "rules[4].objective", "rules[4].windows[0].page", "rules[4].windows[0].short",
                "rules[5].stat", "rules[5].reference", "rules[5].ratio",
                "rules[6].filters.bad label", "rules[6].by[1]", "rules[6].recovery");
        assertThat(e.problems()).extracting(RuleProblem::message).contains(
                "rules[0] has unknown field 'treshold'; the fields are id, name, kind, metric, filters, by, for, "
                        + "interval, severity, stat, window, comparison, threshold, recovery and minSamples",
                "rules[0].threshold is missing: it must be a number in the metric's unit or, for seconds, a duration "
                        + "such as 500ms or 2.5s",
                "rules[1].severity was 'urgent' but it must be critical, high, medium or low",
                "rules[1].window was '5x' but it must be a duration that is a multiple of 10s, such as 30s, 5m, 1h or "
                        + "30d",
                "rules[1].comparison was '=>' but it must be one of >, >=, <, <= (quoted in YAML: \">\") or gt, ge, "
                        + "lt, le",
                "rules[2].kind is missing: it must be threshold, slo or regression",
                "rules[3].threshold was 10 but it must be a ratio between 0 and 1 or a percentage, such as 0.05 or 5%",
                "rules[4].severity is not used by an slo rule: each burn-rate pair has its own, in windows[i].severity",
                "rules[4].objective was 99.9 but it must be a share of good events between 0 and 1 or a percentage, "
                        + "such as 0.999 or 99.9%",
                "rules[4].windows[0].short was '1h' but it must be shorter than the long window '5m'",
                "rules[5].stat was 'avg' but it must be a percentile such as p50, p95, p99 or p99.9",
                "rules[5].reference was 'last_week' but it must be previous_week, marker:<name> (a release marker) or "
                        + "run:<name> (a load-test run)",
                "rules[6].recovery was 0 but with comparison < it must be at least the threshold 1 (the value must "
                        + "come back past it to clear)");
        assertThat(e.getMessage()).startsWith("19 problems in the rules: rules[0] has unknown field 'treshold'");
    }

    @Test
    void duplicateIds_areRefused_atTheLaterRule() {
        assertThatThrownBy(() -> RuleParser.parseYaml("""
                rules:
                  - {id: x, kind: slo, metric: m, objective: 0.99}
                  - {id: x, kind: slo, metric: n, objective: 0.99}
                """)).isInstanceOf(RuleFileException.class)
                .hasMessageContaining("rules[1].id 'x' is already the id of rules[0]; ids must be unique");
    }

    @Test
    void unquotedComparisonInYaml_isExplained() {
        RuleFileException e = catchThrowableOfType(RuleFileException.class, () -> RuleParser.parseYaml("""
                rules:
                  - id: x
                    kind: threshold
                    severity: low
                    metric: m
                    stat: p95
                    window: 5m
                    comparison: >
                    threshold: 1
                """));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("quoted in YAML");
    }

    @Test
    void singleRuleJson_pathsHaveNoPrefix() {
        RuleFileException e = catchThrowableOfType(RuleFileException.class, () -> RuleParser.parseRule("""
                {"id": "bad id!", "kind": "slo", "metric": "m", "objective": "99.9%", "windows": [],
                 "coupleName": "x"}"""));

        assertThat(e.problems()).extracting(RuleProblem::message).containsExactly(
                "the rule has unknown field 'coupleName'; the fields are id, name, kind, metric, filters, by, for, "
                        + "interval, objective, period, windows and minRequests",
                "id was 'bad id!' but it must be 1-128 letters, digits, '.', '_', '-' or ':'",
                "windows was a list but it must be a non-empty list of burn-rate pairs such as {long: 1h, short: 5m, "
                        + "factor: 14.4, severity: critical}; leave it out for the SRE workbook's table");
    }

    @Test
    void unreadableDocuments_sayWhere() {
        assertThatThrownBy(() -> RuleParser.parseYaml("rules:\n  - id: [unclosed\n"))
                .isInstanceOf(RuleFileException.class).hasMessageContaining("could not be read at line");
        assertThatThrownBy(() -> RuleParser.parseJson("{\"rules\": [], \"rules\": []}"))
                .isInstanceOf(RuleFileException.class).hasMessageContaining("Duplicate field 'rules'");
        assertThatThrownBy(() -> RuleParser.parseYaml("")).hasMessageContaining("the rules are empty");
        assertThatThrownBy(() -> RuleParser.parseYaml("rulez: []"))
                .hasMessageContaining("the rules file has unknown field 'rulez'; the fields are")
                .hasMessageContaining("rules is missing");
        assertThatThrownBy(() -> RuleParser.parseRule("[1]")).hasMessageContaining("the rule must be an object");
    }

    @Test
    void writtenRules_readBackUnchanged() {
        List<Rule> rules = RuleParser.parseYaml(ALL_KINDS);

        assertThat(RuleParser.parseYaml(RuleWriter.toYaml(rules))).isEqualTo(rules);
        for (Rule r : rules) {
            assertThat(RuleParser.parseRule(RuleWriter.toJson(r))).isEqualTo(r);
        }
        assertThat(RuleWriter.toJson(rules.get(0))).startsWith("{\"id\":\"guest-list.p95.critical\"")
                .contains("\"threshold\":5.0,\"recovery\":4.0");
    }

    @Test
    void durations() {
        assertThat(DurationText.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationText.parse("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(DurationText.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse("2w")).isEqualTo(Duration.ofDays(14));
        for (String bad : new String[] {"5", "m", "5 m", "-5m", "5M", "1.5h", "5mm", "", "999999999w".repeat(20)}) {
            assertThatThrownBy(() -> DurationText.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(DurationText.format(Duration.ofDays(3))).isEqualTo("3d");
        assertThat(DurationText.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(DurationText.format(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(DurationText.format(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void recordsRefuseInvalidRulesBuiltInCode() {
        assertThatThrownBy(() -> RuleBasics.of("no spaces allowed", "n", "m", Duration.ZERO))
                .hasMessageContaining("must be 1-128 letters");
        RuleBasics b = RuleBasics.of("r", "r", "m", Duration.ZERO);
        assertThatThrownBy(() -> new ThresholdRule(b, Severity.LOW, Stat.parse("p95"), Duration.ofSeconds(15),
                Comparison.GT, 1, 1, 0)).hasMessageContaining("multiple of 10s");
        assertThatThrownBy(() -> new ThresholdRule(b, Severity.LOW, Stat.parse("p95"), Duration.ofMinutes(5),
                Comparison.LT, 1, 0.5, 0)).hasMessageContaining("must be at least the threshold");
        assertThatThrownBy(() -> SloRule.of(b, 99.9)).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> new RegressionRule(b, Severity.LOW, Stat.parse("avg"), Duration.ofMinutes(5),
                new Reference.PreviousWeek(), 1.2, 1.2, 0)).hasMessageContaining("percentile");
        assertThatThrownBy(() -> new BurnRatePair(Duration.ofMinutes(5), Duration.ofHours(1), 14.4, Severity.HIGH))
                .hasMessageContaining("must be shorter than the long window");
    }
}
