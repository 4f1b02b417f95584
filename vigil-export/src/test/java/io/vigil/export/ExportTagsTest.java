package io.vigil.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.calendar.WeddingContext;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExportTagsTest {
    @Test
    void theLoadGoesOutAsOneOfFiveBands() {
        assertThat(ExportTags.band(0)).isEqualTo("none");
        assertThat(ExportTags.band(Double.NaN)).isEqualTo("none");
        assertThat(ExportTags.band(120)).isEqualTo("low");
        assertThat(ExportTags.band(500)).isEqualTo("moderate");
        assertThat(ExportTags.band(1_999)).isEqualTo("moderate");
        assertThat(ExportTags.band(2_000)).isEqualTo("high");
        assertThat(ExportTags.band(50_000)).isEqualTo("extreme");
    }

    @Test
    void theTagsOfAContext_inTheSpecsNames() {
        WeddingContext ctx = new WeddingContext(Instant.parse("2026-06-13T18:00:00Z"), true, true, List.of(),
                List.of(), 2_400);
        assertThat(ExportTags.of(ctx).asMap()).containsExactly(
                java.util.Map.entry("wedding_season", "true"), java.util.Map.entry("wedding_peak_time", "true"),
                java.util.Map.entry("estimated_wedding_load", "high"));
    }
}
