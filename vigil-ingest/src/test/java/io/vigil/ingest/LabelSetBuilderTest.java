package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.Labels;
import org.junit.jupiter.api.Test;

class LabelSetBuilderTest {
    private final LabelSetBuilder builder = new LabelSetBuilder(LabelRules.DEFAULTS);

    @Test
    void build_laterPutWins() {
        LabelSetBuilder.Result result = builder.put("service.name", "a").put("route", "/guests")
                .put("service.name", "b").build("m");

        assertThat(result.accepted()).isTrue();
        assertThat(result.labels()).isEqualTo(Labels.of("route", "/guests", "service.name", "b"));
    }

    @Test
    void build_tooManyLabels_reportsCountFirst() {
        for (int i = 0; i < 1000; i++) {
            builder.put("bad name " + i, "");
        }

        LabelSetBuilder.Result result = builder.build("m");

        assertThat(result.accepted()).isFalse();
        assertThat(result.reason()).isEqualTo("series of 'm' has 1000 labels, more than 64");
    }

    @Test
    void build_badNameOrValue_namesMetricAndLabelButNotValue() {
        assertThat(builder.clear().put("1st", "x").build("m").reason())
                .isEqualTo("series of 'm': label name '1st' must match [a-zA-Z_][a-zA-Z0-9_.]*");
        assertThat(builder.clear().put("guest", "").build("m").reason())
                .isEqualTo("series of 'm': label 'guest' has an empty value");
        String secret = "Alice Smith ".repeat(200);
        assertThat(builder.clear().put("guest", secret).build("m").reason())
                .isEqualTo("series of 'm': label 'guest' has a value of 2400 characters, more than 2048")
                .doesNotContain("Alice");
    }

    @Test
    void clear_afterLabelBomb_forgetsEverything() {
        for (int i = 0; i < 10_000; i++) {
            builder.put("l" + i, "v");
        }

        LabelSetBuilder.Result result = builder.clear().put("route", "/guests").build("m");

        assertThat(builder.size()).isEqualTo(1);
        assertThat(result.labels()).isEqualTo(Labels.of("route", "/guests"));
    }

    @Test
    void build_noLabels_isEmpty() {
        assertThat(builder.build("m").labels()).isSameAs(Labels.EMPTY);
    }
}
