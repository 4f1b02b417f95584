package io.vigil.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.Distribution;
import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.core.Sketches;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleRecordTest {
    private final SeriesKey key = new SeriesKey("guest_list_seconds", Labels.of("route", "/guests", "client", "mobile"));

    @Test
    void writeThenRead_returnsEveryEntryInOrder() {
        SampleRecord.Writer w = new SampleRecord.Writer(16);
        w.define(key.id(), MetricKind.DISTRIBUTION, key);
        w.samples(key.id(), 2);
        w.sample(1000, 0.25);
        w.sample(2000, 0.5);
        var sketch = Sketches.newSketch();
        sketch.accept(3.0);
        w.distribution(key.id(), 3000, Distribution.explicit(3, 1.5, 0.1, 1.0, new double[] {0.5, 1}, new long[] {1, 2, 0}));
        w.distribution(key.id(), 4000, Distribution.ofSketch(sketch, 3.0, 3.0, 3.0));
        List<String> seen = new ArrayList<>();
        SampleRecord.read(Arrays.copyOf(w.array(), w.length()), new SampleRecord.Visitor() {
            @Override
            public void define(long id, MetricKind kind, SeriesKey k) {
                seen.add("define " + kind + " " + k + " " + (id == key.id()));
            }

            @Override
            public void sample(long id, long ts, double value) {
                seen.add("sample " + ts + "=" + value);
            }

            @Override
            public void distribution(long id, long ts, Distribution d) {
                seen.add("dist " + ts + " count=" + d.count() + " explicit=" + d.isExplicit()
                        + (d.isExplicit() ? " " + Arrays.toString(d.bucketCounts()) : " q=" + d.sketch().getValueAtQuantile(0.5)));
            }
        });
        assertThat(seen).hasSize(5);
        assertThat(seen.get(0)).isEqualTo("define DISTRIBUTION " + key + " true");
        assertThat(seen.get(1)).isEqualTo("sample 1000=0.25");
        assertThat(seen.get(2)).isEqualTo("sample 2000=0.5");
        assertThat(seen.get(3)).isEqualTo("dist 3000 count=3 explicit=true [1, 2, 0]");
        assertThat(seen.get(4)).startsWith("dist 4000 count=1 explicit=false q=");
    }

    @Test
    void read_truncatedRecord_throwsIllegalArgument() {
        SampleRecord.Writer w = new SampleRecord.Writer(16);
        w.define(key.id(), MetricKind.GAUGE, key);
        w.samples(key.id(), 1);
        w.sample(1000, 1);
        int failures = 0;
        for (int cut = 1; cut < w.length(); cut++) {
            byte[] part = Arrays.copyOf(w.array(), cut);
            try {
                SampleRecord.read(part, new NoOp()); // a cut at an entry boundary is a valid shorter record
            } catch (IllegalArgumentException expected) {
                failures++;
            }
        }
        assertThat(failures).isGreaterThanOrEqualTo(w.length() - 3);
        assertThatThrownBy(() -> SampleRecord.read(new byte[] {42}, new NoOp()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown WAL entry tag 42");
    }

    private static final class NoOp implements SampleRecord.Visitor {
        @Override
        public void define(long seriesId, MetricKind kind, SeriesKey key) {}

        @Override
        public void sample(long seriesId, long timestampMillis, double value) {}

        @Override
        public void distribution(long seriesId, long timestampMillis, Distribution distribution) {}
    }
}
