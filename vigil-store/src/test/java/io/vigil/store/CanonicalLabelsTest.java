package io.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.Labels;
import org.junit.jupiter.api.Test;

class CanonicalLabelsTest {

    @Test
    void encode_empty_isEmptyObject() {
        assertThat(CanonicalLabels.encode(Labels.EMPTY)).isEqualTo("{}");
        assertThat(CanonicalLabels.decode("{}")).isSameAs(Labels.EMPTY);
    }

    @Test
    void encode_sortsByNameAndEscapes() {
        Labels labels = Labels.of("status", "200", "route", "/a\"b\\c\nd\u0001");

        assertThat(CanonicalLabels.encode(labels))
                .isEqualTo("{\"route\":\"/a\\\"b\\\\c\\u000ad\\u0001\",\"status\":\"200\"}");
    }

    @Test
    void decode_roundTripsEveryString_includingLoneSurrogates() {
        Labels labels = Labels.of("emoji", "💍", "lone", "x\uD800y", "low", "\uDC00", "", "empty name", "a=b,c", "{}");

        assertThat(CanonicalLabels.decode(CanonicalLabels.encode(labels))).isEqualTo(labels);
    }

    @Test
    void decode_acceptsWhitespaceAndStandardEscapes() {
        assertThat(CanonicalLabels.decode(" { \"a\" : \"\\t\\/\\u00e9\" } ")).isEqualTo(Labels.of("a", "\t/é"));
    }

    @Test
    void decode_malformed_namesTheOffset() {
        assertThatThrownBy(() -> CanonicalLabels.decode("{\"a\":1}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset 5");
        assertThatThrownBy(() -> CanonicalLabels.decode("{\"a\":\"b\"} x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalLabels.decode("{\"a\":\"b"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
