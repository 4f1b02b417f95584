package io.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vigil.core.Stat.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class StatTest {

    @ParameterizedTest
    @CsvSource({
        "count, COUNT", "sum, SUM", "min, MIN", "max, MAX", "avg, AVG", "mean, AVG", "rate, RATE",
        "error_rate, ERROR_RATE", "availability, AVAILABILITY"})
    void parse_everyName_givesItsTypeWithoutQuantile(String name, Type type) {
        assertThat(Stat.parse(name)).isEqualTo(new Stat(type, 0));
    }

    @ParameterizedTest
    @CsvSource({
        "p50, 0.5", "p90, 0.9", "p95, 0.95", "p99, 0.99", "p99.9, 0.999", "p99.99, 0.9999", "p0, 0", "p100, 1",
        "p0.5, 0.005", "p050, 0.5"})
    void parse_percentile_givesQuantile(String name, double quantile) {
        Stat stat = Stat.parse(name);

        assertThat(stat.type()).isEqualTo(Type.QUANTILE);
        assertThat(stat.quantile()).isCloseTo(quantile, within(1e-12));
    }

    @ParameterizedTest
    @CsvSource({"COUNT, COUNT", "Avg, AVG", "' rate ', RATE", "Error_Rate, ERROR_RATE", "AVAILABILITY, AVAILABILITY"})
    void parse_anyCaseAndSurroundingSpace_sameAsLowerCase(String name, Type type) {
        assertThat(Stat.parse(name).type()).isEqualTo(type);
    }

    @Test
    void parse_upperCaseP_isAPercentile() {
        assertThat(Stat.parse("P99")).isEqualTo(Stat.parse("p99"));
        assertThat(Stat.parse("P99.9").quantile()).isCloseTo(0.999, within(1e-12));
    }

    @ParameterizedTest
    @ValueSource(strings = {"p101", "p100.1", "p1000"})
    void parse_percentileAbove100_throwsNamingValueAndRange(String name) {
        assertThatThrownBy(() -> Stat.parse(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + name + "'")
                .hasMessageContaining("p100");
    }

    @ParameterizedTest
    @ValueSource(strings = {"p", "pabc", "median", "p-5", "p9.", "p9e1", "p50d", "p0x1p6", "p 5", "percentile",
        "counts"})
    void parse_unknownName_throwsNamingValueAndAcceptedForms(String name) {
        assertThatThrownBy(() -> Stat.parse(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + name + "'")
                .hasMessageContaining("count, sum, min, max, avg, rate, p50");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void parse_missingName_throwsSayingMissing(String name) {
        assertThatThrownBy(() -> Stat.parse(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(missing)")
                .hasMessageContaining("count");
    }
}
