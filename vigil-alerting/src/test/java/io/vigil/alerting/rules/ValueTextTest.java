package io.vigil.alerting.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.Stat;
import org.junit.jupiter.api.Test;

class ValueTextTest {
    @Test
    void secondsPercentBurnAndRatios() {
        assertThat(ValueText.seconds(2.4)).isEqualTo("2.4 s");
        assertThat(ValueText.seconds(0.5)).isEqualTo("500 ms");
        assertThat(ValueText.seconds(0.01234)).isEqualTo("12.3 ms");
        assertThat(ValueText.seconds(5)).isEqualTo("5 s");
        assertThat(ValueText.seconds(1234)).isEqualTo("1230 s");
        assertThat(ValueText.percent(0.125)).isEqualTo("12.5 %");
        assertThat(ValueText.percent(0.1)).isEqualTo("10 %");
        assertThat(ValueText.percent(0.9995)).isEqualTo("99.95 %");
        assertThat(ValueText.percent(0.001)).isEqualTo("0.1 %");
        assertThat(ValueText.percent(0.000123)).isEqualTo("0.0123 %");
        assertThat(ValueText.percent(0)).isEqualTo("0 %");
        assertThat(ValueText.burn(16.2)).isEqualTo("16.2x");
        assertThat(ValueText.burn(15)).isEqualTo("15.0x");
        assertThat(ValueText.burn(0.42)).isEqualTo("0.42x");
        assertThat(ValueText.times(1.5)).isEqualTo("1.5x");
        assertThat(ValueText.times(1.254)).isEqualTo("1.25x");
        assertThat(ValueText.of(Stat.parse("p95"), "bytes_total", 1234.5)).isEqualTo("1235");
        assertThat(ValueText.of(Stat.parse("count"), "m_seconds", 12)).isEqualTo("12");
        assertThat(ValueText.of(Stat.parse("availability"), "m", 0.93)).isEqualTo("93 %");
        assertThat(StatText.format(Stat.parse("p99.9"))).isEqualTo("p99.9");
        assertThat(StatText.format(Stat.parse("p95"))).isEqualTo("p95");
        assertThat(StatText.format(Stat.parse("mean"))).isEqualTo("avg");
    }

    @Test
    void aValueNextToItsLimit_getsTheDigitsThatTellThemApart() {
        Stat p95 = Stat.parse("p95");
        assertThat(ValueText.against(p95, "upload_seconds", 5.004, 5)).isEqualTo("5.004 s");
        assertThat(ValueText.against(p95, "upload_seconds", 5.000000001, 5)).isEqualTo("5 s"); // gives up after 6 more digits
        assertThat(ValueText.against(p95, "upload_seconds", 6.12, 5)).isEqualTo("6.12 s");
        assertThat(ValueText.against(Stat.parse("error_rate"), "requests", 0.100012, 0.1)).isEqualTo("10.001 %");
        assertThat(ValueText.against(p95, "upload_seconds", 5, 5)).isEqualTo("5 s");
    }
}
