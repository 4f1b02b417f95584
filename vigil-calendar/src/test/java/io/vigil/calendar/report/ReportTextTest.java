package io.vigil.calendar.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReportTextTest {
    @Test
    void durations_secondsMinutesHours() {
        assertThat(ReportText.duration(Duration.ZERO)).isEqualTo("0 min");
        assertThat(ReportText.duration(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(ReportText.duration(Duration.ofSeconds(380))).isEqualTo("6 min 20 s");
        assertThat(ReportText.duration(Duration.ofMinutes(42))).isEqualTo("42 min");
        assertThat(ReportText.duration(Duration.ofSeconds(3930))).isEqualTo("1 h 5 min");
        assertThat(ReportText.duration(Duration.ofHours(2))).isEqualTo("2 h");
        assertThat(ReportText.duration(Duration.ofMillis(59_500))).isEqualTo("1 min");
        assertThat(ReportText.duration(Duration.ofMinutes(-12))).isEqualTo("12 min");
    }

    @Test
    void signed_andPercentRoundedDown() {
        assertThat(ReportText.signed(Duration.ofMinutes(25))).isEqualTo("+25 min");
        assertThat(ReportText.signed(Duration.ofMinutes(-12))).isEqualTo("-12 min");
        assertThat(ReportText.signed(Duration.ZERO)).isEqualTo("0 min");
        assertThat(ReportText.percent(91, 150)).isEqualTo(60);
        assertThat(ReportText.percent(119, 150)).isEqualTo(79);
        assertThat(ReportText.percent(5, 0)).isZero();
    }
}
