package io.vigil.alerting.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alerting.Severity;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DefaultRulesTest {
    static final List<String> WEDDING_FAMILIES = List.of("wedding_guest_list_access_seconds",
            "wedding_timeline_sync_seconds", "wedding_photo_upload_seconds", "wedding_photo_processing_seconds",
            "wedding_mobile_app_response_seconds");

    @Test
    void loadAndValidate_theSeverityTableOnEveryFamily_andTheSlos() {
        List<Rule> rules = DefaultRules.load();

        assertThat(rules).hasSize(58);
        assertThat(rules).extracting(Rule::id).doesNotHaveDuplicates();
        List<ThresholdRule> thresholds = rules.stream().filter(r -> r instanceof ThresholdRule)
                .map(r -> (ThresholdRule) r).toList();
        assertThat(thresholds).hasSize(54);
        for (String family : WEDDING_FAMILIES) {
            assertThat(thresholds).filteredOn(t -> t.metric().equals(family)).hasSize(9)
                    .allSatisfy(t -> assertThat(t.by()).startsWith("wedding_id"));
        }
        assertThat(thresholds).filteredOn(t -> t.metric().startsWith("http_")).hasSize(9)
                .allSatisfy(t -> assertThat(t.by()).containsExactly("route"));
        // The SPEC's table: critical 5 s / 10 % / 95 %, high 3 s / 5 % / 97 %, medium 2 s / 2 % / 99 %.
        Map<String, List<Double>> table = thresholds.stream()
                .filter(t -> t.metric().equals("wedding_guest_list_access_seconds"))
                .collect(Collectors.groupingBy(t -> t.severity().wireName(), java.util.TreeMap::new,
                        Collectors.mapping(ThresholdRule::threshold, Collectors.toList())));
        assertThat(table).containsExactly(Map.entry("critical", List.of(5.0, 0.10, 0.95)),
                Map.entry("high", List.of(3.0, 0.05, 0.97)), Map.entry("medium", List.of(2.0, 0.02, 0.99)));
        List<SloRule> slos = rules.stream().filter(r -> r instanceof SloRule).map(r -> (SloRule) r).toList();
        assertThat(slos).extracting(Rule::metric).containsExactly("wedding_guest_list_access_seconds",
                "wedding_timeline_sync_seconds", "wedding_photo_upload_seconds", "wedding_mobile_app_response_seconds");
        assertThat(slos).allSatisfy(s -> {
            assertThat(s.objective()).isEqualTo(0.999);
            assertThat(s.pairs()).isEqualTo(BurnRatePair.WORKBOOK);
            assertThat(s.minRequests()).isEqualTo(100);
            assertThat(s.severity()).isEqualTo(Severity.CRITICAL);
        });
    }

    @Test
    void photoUploadIsJudgedOnItsOwnCommitment_anAveragePerClient_photoProcessingOnItsOwnPercentiles() {
        Map<String, ThresholdRule> byId = DefaultRules.load().stream().filter(r -> r instanceof ThresholdRule)
                .collect(Collectors.toMap(Rule::id, r -> (ThresholdRule) r));
        // SPEC: "photo upload (mobile) < 5 s average".
        ThresholdRule high = byId.get("photo-upload.avg.high");
        assertThat(high.stat()).isEqualTo(io.vigil.core.Stat.parse("avg"));
        assertThat(high.by()).containsExactly("wedding_id", "client");
        assertThat(high.threshold()).isEqualTo(5.0);
        assertThat(byId.get("photo-upload.avg.critical").threshold()).isEqualTo(10.0);
        assertThat(byId.get("photo-upload.avg.medium").threshold()).isEqualTo(4.0);
        assertThat(byId).doesNotContainKey("photo-upload.p95.high");
        assertThat(byId.get("photo-processing.p95.critical").threshold()).isEqualTo(30.0);
        // One family per measurement: the three levels inhibit each other, other measurements do not.
        assertThat(byId.get("photo-upload.avg.critical").family()).isEqualTo(high.family());
        assertThat(byId.get("photo-upload.errors.high").family()).isNotEqualTo(high.family());
        assertThat(byId.get("guest-list.p95.high").family()).isNotEqualTo(byId.get("timeline-sync.p95.high").family());
    }

    @Test
    void theDocumentedTable_namesEveryRule() throws Exception {
        String doc;
        try (var in = DefaultRules.class.getResourceAsStream("/io/vigil/alerting/rules/default-rules.md")) {
            doc = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        for (Rule r : DefaultRules.load()) {
            assertThat(doc).as(r.id()).contains("| `" + r.id() + "` |");
        }
    }

    @Test
    void defaultsSurviveAWriteAndRead() {
        List<Rule> rules = DefaultRules.load();
        assertThat(RuleParser.parseYaml(RuleWriter.toYaml(rules))).isEqualTo(rules);
    }
}
