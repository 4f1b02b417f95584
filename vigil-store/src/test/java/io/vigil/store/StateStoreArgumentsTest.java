package io.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateStoreArgumentsTest {
    @Test
    void storedMillis_truncatesTowardThePast() {
        assertThat(StateStoreArguments.storedMillis(Instant.ofEpochMilli(1_500).plusNanos(999_999))).isEqualTo(1_500);
        assertThat(StateStoreArguments.storedMillis(Instant.ofEpochMilli(-1).plusNanos(500_000))).isEqualTo(-1);
        assertThatThrownBy(() -> StateStoreArguments.storedMillis(Instant.MAX))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epoch milliseconds");
    }

    @Test
    void boundMillis_roundsUp_andSaturates() {
        assertThat(StateStoreArguments.boundMillis(Instant.ofEpochMilli(1_500))).isEqualTo(1_500);
        assertThat(StateStoreArguments.boundMillis(Instant.ofEpochMilli(1_500).plusNanos(1))).isEqualTo(1_501);
        assertThat(StateStoreArguments.boundMillis(Instant.ofEpochMilli(-2).plusNanos(1))).isEqualTo(-1);
        assertThat(StateStoreArguments.boundMillis(Instant.MIN)).isEqualTo(Long.MIN_VALUE);
        assertThat(StateStoreArguments.boundMillis(Instant.MAX)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void claimMillis_atLeastOne_atMostTheMaximum_neverZeroOrNegative() {
        assertThat(StateStoreArguments.claimMillis(Duration.ofNanos(1), 1_000)).isEqualTo(1);
        assertThat(StateStoreArguments.claimMillis(Duration.ofMillis(250), 1_000)).isEqualTo(250);
        assertThat(StateStoreArguments.claimMillis(Duration.ofDays(1), 1_000)).isEqualTo(1_000);
        assertThat(StateStoreArguments.claimMillis(Duration.ofSeconds(Long.MAX_VALUE), Long.MAX_VALUE))
                .isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> StateStoreArguments.claimMillis(Duration.ZERO, 1_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("claimFor was PT0S");
    }

    @Test
    void documents_sortsById_andRefusesNulls() {
        assertThat(StateStoreArguments.documents(Map.of("b", "2", "a", "1")).keySet()).containsExactly("a", "b");
        Map<String, String> nullDocument = new HashMap<>();
        nullDocument.put("r-1", null);
        assertThatThrownBy(() -> StateStoreArguments.documents(nullDocument))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("r-1");
        assertThatThrownBy(() -> StateStoreArguments.limit(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
