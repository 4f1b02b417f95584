package io.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class MetricKindTest {

    @ParameterizedTest
    @EnumSource(MetricKind.class)
    void ofCode_ofEveryKindsCode_isThatKind(MetricKind kind) {
        assertThat(MetricKind.ofCode(kind.code())).isSameAs(kind);
    }

    /** Codes are stored (write-ahead log, aggregates): reordering the enum would misread stored series. */
    @Test
    void code_valuesAreFixed() {
        assertThat(MetricKind.GAUGE.code()).isZero();
        assertThat(MetricKind.COUNTER.code()).isEqualTo(1);
        assertThat(MetricKind.DELTA.code()).isEqualTo(2);
        assertThat(MetricKind.DISTRIBUTION.code()).isEqualTo(3);
        assertThat(MetricKind.HISTOGRAM.code()).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 5, 6, 127, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void ofCode_unknownCode_throwsNamingIt(int code) {
        assertThatThrownBy(() -> MetricKind.ofCode(code))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("code " + code);
    }
}
