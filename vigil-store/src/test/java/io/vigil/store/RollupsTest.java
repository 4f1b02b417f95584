package io.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.Aggregate;
import io.vigil.core.MetricKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollupsTest {
    private static Rollup rollup(long series, long bucket, double value) {
        Aggregate a = new Aggregate();
        a.add(bucket + 1, value, MetricKind.GAUGE);
        return new Rollup(series, MetricKind.GAUGE, bucket, a);
    }

    @Test
    void sortedByKey_ordersByKey_andKeepsTheOrderOfOneKey() {
        List<Rollup> sorted = Rollups.sortedByKey(List.of(rollup(2, 0, 1), rollup(1, 10_000, 2), rollup(1, 0, 3),
                rollup(1, 10_000, 4)));
        assertThat(sorted).extracting(r -> r.aggregate().sum()).containsExactly(3.0, 2.0, 4.0, 1.0);
    }

    @Test
    void forEachSlice_boundsDistinctKeys_neverSplitsAKey() {
        List<Rollup> sorted = Rollups.sortedByKey(List.of(rollup(1, 0, 1), rollup(1, 0, 2), rollup(2, 0, 3),
                rollup(3, 0, 4), rollup(3, 0, 5), rollup(3, 0, 6), rollup(4, 0, 7)));
        List<List<Long>> slices = new ArrayList<>();
        List<Integer> distinct = new ArrayList<>();

        long total = Rollups.forEachSlice(sorted, 2, (slice, keys) -> {
            slices.add(slice.stream().map(Rollup::seriesId).toList());
            distinct.add(keys);
            return slice.size();
        });

        assertThat(slices).containsExactly(List.of(1L, 1L, 2L), List.of(3L, 3L, 3L, 4L));
        assertThat(distinct).containsExactly(2, 2);
        assertThat(total).isEqualTo(7);
        assertThat(Rollups.forEachSlice(List.of(), 2, (slice, keys) -> 1)).isZero();
    }

    @Test
    void mergeInto_mergesARunInOrder() {
        List<Rollup> sorted = Rollups.sortedByKey(List.of(rollup(1, 0, 1), rollup(1, 0, 2), rollup(2, 0, 5)));
        int end = Rollups.endOfRun(sorted, 0);
        Aggregate merged = Rollups.mergeInto(new Aggregate(), sorted, 0, end);
        assertThat(end).isEqualTo(2);
        assertThat(merged.samples()).isEqualTo(2);
        assertThat(merged.sum()).isEqualTo(3.0);
    }

    @Test
    void distinctSorted_dropsRepeats() {
        assertThat(Rollups.distinctSorted(new long[] {5, -1, 5, 3, -1})).containsExactly(-1, 3, 5);
        assertThat(Rollups.distinctSorted(new long[0])).isEmpty();
    }
}
