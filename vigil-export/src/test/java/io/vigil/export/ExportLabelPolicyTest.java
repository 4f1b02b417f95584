package io.vigil.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.Labels;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportLabelPolicyTest {
    final ExportLabelPolicy policy = new ExportLabelPolicy(ExportLabelPolicy.DEFAULT_DROPPED, 3);

    @Test
    void unboundedLabels_areDropped_soSeriesOfDifferentWeddingsBecomeOne() {
        Map<String, String> a = policy.apply("m", Labels.of("wedding_id", "w-1", "route", "/photos"));
        Map<String, String> b = policy.apply("m", Labels.of("wedding_id", "w-2", "route", "/photos",
                "load_test_run", "run-7"));
        assertThat(a).isEqualTo(Map.of("route", "/photos")).isEqualTo(b);
    }

    @Test
    void valuesThatLookLikePersonalDataOrSecrets_goOutRedacted() {
        Map<String, String> out = policy.apply("m", Labels.of("guest", "olivia.hartley@example.com",
                "phone", "+44 7700 900123", "key", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "route", "/guests"));
        assertThat(out).containsEntry("guest", "[redacted]").containsEntry("phone", "[redacted]")
                .containsEntry("key", "[redacted]").containsEntry("route", "/guests");
        assertThat(out.toString()).doesNotContain("olivia", "7700", "4eC39");
        assertThat(policy.redacted()).isEqualTo(3);
    }

    @Test
    void pastTheCapPerMetric_newLabelSetsAreCombinedIntoTheOverflowSet_knownOnesStay() {
        for (int i = 0; i < 3; i++) {
            assertThat(policy.apply("m", Labels.of("route", "/r" + i))).containsEntry("route", "/r" + i);
        }
        assertThat(policy.apply("m", Labels.of("route", "/r3"))).isEqualTo(ExportLabelPolicy.OVERFLOW);
        assertThat(policy.apply("m", Labels.of("route", "/r4"))).isEqualTo(ExportLabelPolicy.OVERFLOW);
        assertThat(policy.apply("m", Labels.of("route", "/r1"))).containsEntry("route", "/r1");
        assertThat(policy.apply("other", Labels.of("route", "/r9"))).containsEntry("route", "/r9");
        assertThat(policy.overflowed()).isEqualTo(2);
    }

    @Test
    void exportedLabels_areSortedByName() {
        assertThat(policy.apply("m", Labels.of("z", "1", "a", "2", "m", "3")).keySet()).containsExactly("a", "m", "z");
    }

    @Test
    void aCapBelowOne_isRefused() {
        assertThatThrownBy(() -> new ExportLabelPolicy(java.util.Set.of(), 0))
                .hasMessageContaining("maxSeriesPerMetric must be at least 1");
    }
}
