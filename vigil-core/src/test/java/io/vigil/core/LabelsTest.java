package io.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NotEmpty;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class LabelsTest {

    @Test
    void of_pairs_sortsByName() {
        Labels labels = Labels.of("status", "200", "method", "GET", "route", "/guests");

        assertThat(labels.size()).isEqualTo(3);
        assertThat(List.of(labels.name(0), labels.name(1), labels.name(2))).containsExactly("method", "route", "status");
        assertThat(List.of(labels.value(0), labels.value(1), labels.value(2))).containsExactly("GET", "/guests", "200");
    }

    @Test
    void of_map_sortsByNameAndCopiesTheMap() {
        Map<String, String> map = new HashMap<>(Map.of("z", "1", "a", "2"));
        Labels labels = Labels.of(map);

        map.put("b", "3");
        map.put("a", "changed");

        assertThat(labels.toMap()).containsExactly(Map.entry("a", "2"), Map.entry("z", "1"));
    }

    @Test
    void of_oddNumberOfStrings_throwsNamingTheCount() {
        assertThatThrownBy(() -> Labels.of("a", "1", "b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 strings");
    }

    @Test
    void of_nothing_isEmpty() {
        assertThat(Labels.of()).isSameAs(Labels.EMPTY);
        assertThat(Labels.of(Map.of())).isSameAs(Labels.EMPTY);
        assertThat(Labels.EMPTY.size()).isZero();
        assertThat(Labels.EMPTY.toString()).isEqualTo("{}");
    }

    @Test
    void equalsAndHashCode_mapOrPairsInAnyOrder_equal() {
        Labels a = Labels.of("a", "1", "b", "2", "c", "3");
        Labels b = Labels.of("c", "3", "a", "1", "b", "2");
        Labels c = Labels.of(Map.of("b", "2", "c", "3", "a", "1"));

        assertThat(a).isEqualTo(b).isEqualTo(c).hasSameHashCodeAs(b).hasSameHashCodeAs(c);
    }

    @Test
    void equals_differentValueOrName_notEqual() {
        Labels base = Labels.of("a", "1", "b", "2");

        assertThat(base).isNotEqualTo(Labels.of("a", "1", "b", "3"));
        assertThat(base).isNotEqualTo(Labels.of("a", "1", "c", "2"));
        assertThat(base).isNotEqualTo(Labels.of("a", "1"));
        assertThat(base).isNotEqualTo("{a=\"1\",b=\"2\"}");
    }

    @Property(tries = 200)
    void equalsAndHashCode_independentOfInsertionOrder(
            @ForAll @Size(max = 12) Map<@AlphaChars @NotEmpty @StringLength(max = 8) String, String> map,
            @ForAll Random random) {
        List<String> names = new ArrayList<>(map.keySet());
        Collections.shuffle(names, random);
        String[] pairs = new String[names.size() * 2];
        for (int i = 0; i < names.size(); i++) {
            pairs[2 * i] = names.get(i);
            pairs[2 * i + 1] = map.get(names.get(i));
        }

        Labels shuffled = Labels.of(pairs);
        Labels fromMap = Labels.of(map);

        assertThat(shuffled).isEqualTo(fromMap);
        assertThat(shuffled.hashCode()).isEqualTo(fromMap.hashCode());
        assertThat(shuffled.toMap()).isEqualTo(map);
    }

    @Test
    void get_presentName_returnsValueAndAbsentName_returnsNull() {
        Labels labels = Labels.of("method", "GET", "status", "500");

        assertThat(labels.get("status")).isEqualTo("500");
        assertThat(labels.get("method")).isEqualTo("GET");
        assertThat(labels.get("route")).isNull();
        assertThat(labels.get("")).isNull();
        assertThat(Labels.EMPTY.get("status")).isNull();
    }

    @Test
    void keep_givenNames_dropsTheOthers() {
        Labels labels = Labels.of("method", "GET", "route", "/guests", "status", "200");

        assertThat(labels.keep(Set.of("status", "method"))).isEqualTo(Labels.of("method", "GET", "status", "200"));
        assertThat(labels.keep(List.of("route", "absent"))).isEqualTo(Labels.of("route", "/guests"));
    }

    @Test
    void keep_noneOfTheNames_isEmpty() {
        Labels labels = Labels.of("method", "GET");

        assertThat(labels.keep(Set.of())).isSameAs(Labels.EMPTY);
        assertThat(labels.keep(Set.of("status"))).isSameAs(Labels.EMPTY);
    }

    @Test
    void toString_rendersPrometheusStyleSortedByName() {
        assertThat(Labels.of("status", "200", "route", "/guests").toString())
                .isEqualTo("{route=\"/guests\",status=\"200\"}");
    }

    @Test
    void toString_escapesBackslashQuoteAndNewline() {
        Labels labels = Labels.of("path", "C:\\temp", "quote", "say \"hi\"", "text", "two\nlines");

        assertThat(labels.toString())
                .isEqualTo("{path=\"C:\\\\temp\",quote=\"say \\\"hi\\\"\",text=\"two\\nlines\"}");
    }

    @Test
    void ofSorted_wrapsTheArrays() {
        Labels labels = Labels.ofSorted(new String[] {"a", "b"}, new String[] {"1", "2"});

        assertThat(labels).isEqualTo(Labels.of("b", "2", "a", "1"));
        assertThat(Labels.ofSorted(new String[0], new String[0])).isSameAs(Labels.EMPTY);
    }
}
