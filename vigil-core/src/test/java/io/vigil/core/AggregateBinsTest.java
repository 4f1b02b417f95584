package io.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The read-only views exporters rebuild distributions from: sketch bins and explicit buckets. */
class AggregateBinsTest {

    @Test
    void sketchBins_coverEveryObservation_inAscendingOrder_withinOnePercent() {
        Aggregate a = new Aggregate();
        double[] values = {-2.5, 0, 0, 0.2, 0.2, 0.2, 1.5, 12};
        for (double v : values) {
            a.add(1000, v, MetricKind.GAUGE);
        }
        List<double[]> bins = new ArrayList<>();
        a.forEachSketchBin((value, count) -> bins.add(new double[] {value, count}));

        assertThat(bins.stream().mapToDouble(b -> b[1]).sum()).isEqualTo(values.length);
        for (int i = 1; i < bins.size(); i++) {
            assertThat(bins.get(i)[0]).isGreaterThan(bins.get(i - 1)[0]);
        }
        assertThat(bins.get(0)[0]).isCloseTo(-2.5, within(0.025));
        assertThat(bins.get(1)).containsExactly(0, 2);
        assertThat(bins.get(2)[0]).isCloseTo(0.2, within(0.002));
        assertThat(bins.get(2)[1]).isEqualTo(3);
        assertThat(bins.get(bins.size() - 1)[0]).isCloseTo(12, within(0.12));
    }

    @Test
    void anAggregateWithoutObservations_hasNoBins_andNoBuckets() {
        Aggregate a = new Aggregate();
        a.add(1000, 5, MetricKind.COUNTER);
        List<Double> seen = new ArrayList<>();
        a.forEachSketchBin((value, count) -> seen.add(value));
        assertThat(seen).isEmpty();
        assertThat(a.explicitBounds()).isNull();
        assertThat(a.explicitCounts()).isNull();
    }

    @Test
    void explicitBuckets_areCopies() {
        Aggregate a = new Aggregate();
        a.add(1000, Distribution.explicit(3, 0.9, 0.05, 0.6, new double[] {0.1, 0.5}, new long[] {1, 1, 1}));
        double[] bounds = a.explicitBounds();
        assertThat(bounds).containsExactly(0.1, 0.5);
        assertThat(a.explicitCounts()).containsExactly(1, 1, 1);
        bounds[0] = 99;
        assertThat(a.explicitBounds()).containsExactly(0.1, 0.5);
    }
}
