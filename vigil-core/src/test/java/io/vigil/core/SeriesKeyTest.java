package io.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SeriesKeyTest {

    private static SeriesKey key(String metric, String... labels) {
        return new SeriesKey(metric, Labels.of(labels));
    }

    /**
     * The id is persisted as the series id in storage and must be identical on every node and in every release: if
     * this value ever changes, series written before the change are orphaned (queries no longer find them, and new
     * samples start a second series). The values below were observed once and are hard-coded on purpose; never
     * "fix" this test by updating them.
     */
    @Test
    void id_fixedKeys_neverChange() {
        SeriesKey http = key("http_server_requests_seconds_count", "route", "/guests/{id}", "method", "GET",
                "status", "200");

        assertThat(http.id()).isEqualTo(0x357ff470a71d66f6L);
        assertThat(key("up").id()).isEqualTo(6305139542536788361L);
    }

    @Test
    void id_equalKeysBuiltDifferently_equal() {
        SeriesKey a = key("m", "a", "1", "b", "2");
        SeriesKey b = new SeriesKey("m", Labels.ofSorted(new String[] {"a", "b"}, new String[] {"1", "2"}));

        assertThat(a.id()).isEqualTo(b.id());
        assertThat(a).isEqualTo(b);
    }

    @Test
    void id_nameValueBoundaryMoved_differs() {
        assertThat(key("m", "a", "bc").id()).isNotEqualTo(key("m", "ab", "c").id());
        assertThat(key("m", "a", "b", "c", "d").id()).isNotEqualTo(key("m", "a", "bc", "", "d").id());
    }

    @Test
    void id_metricLabelBoundaryMoved_differs() {
        assertThat(key("ab").id()).isNotEqualTo(key("a", "b", "").id());
        assertThat(key("a", "b", "c").id()).isNotEqualTo(key("ab", "", "c").id());
    }

    @Test
    void id_valuesSwappedBetweenLabels_differs() {
        assertThat(key("m", "a", "1", "b", "2").id()).isNotEqualTo(key("m", "a", "2", "b", "1").id());
    }

    @Test
    void id_valueContainingSeparatorBytes_differsFromTheLabelsItImitates() {
        // Label values may hold any character. The separators between names and values used to be hashed like
        // ordinary bytes 0x01 and 0x02, so this one label had the same id as the two labels a="x", b="c".
        SeriesKey imitation = key("m", "a", "x\u0001b\u0002c");
        SeriesKey twoLabels = key("m", "a", "x", "b", "c");

        assertThat(imitation.id()).isNotEqualTo(twoLabels.id());
        assertThat(key("m", "a", "x\u0003").id()).isNotEqualTo(key("m", "a", "x").id());
    }

    @Test
    void id_millionDistinctKeys_noCollisions() {
        int n = 1_000_000;
        long[] ids = new long[n];
        String[] names = {"instance", "job", "route", "status"};
        for (int i = 0; i < n; i++) {
            // Keys that differ in one small field, like the series of a real server.
            String[] values = {"10.0." + (i >>> 8 & 255) + "." + (i & 255), "job" + i % 7, "/r/" + i / 65_536,
                    Integer.toString(200 + i % 5)};
            ids[i] = new SeriesKey("metric_" + i % 13, Labels.ofSorted(names, values)).id();
        }

        Arrays.sort(ids);
        int collisions = 0;
        for (int i = 1; i < n; i++) {
            if (ids[i] == ids[i - 1]) {
                collisions++;
            }
        }
        assertThat(collisions).isZero();
    }

    @Test
    void new_emptyOrNullMetric_throws() {
        assertThatThrownBy(() -> new SeriesKey("", Labels.EMPTY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metric name");
        assertThatThrownBy(() -> new SeriesKey(null, Labels.EMPTY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void new_nullLabels_meansNoLabels() {
        SeriesKey k = new SeriesKey("up", null);

        assertThat(k.labels()).isSameAs(Labels.EMPTY);
        assertThat(k).isEqualTo(key("up"));
        assertThat(k.id()).isEqualTo(key("up").id());
    }

    @Test
    void toString_isMetricFollowedByLabels() {
        assertThat(key("up", "job", "api").toString()).isEqualTo("up{job=\"api\"}");
        assertThat(key("up").toString()).isEqualTo("up{}");
    }
}
