package io.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteBatchTest {

    private static SeriesKey key(int i) {
        return new SeriesKey("m", Labels.of("i", Integer.toString(i)));
    }

    private static Distribution histogram(long count) {
        return Distribution.explicit(count, count, Double.NaN, Double.NaN, new double[] {1}, new long[] {count, 0});
    }

    @Test
    void newBatch_isEmpty() {
        WriteBatch b = new WriteBatch();

        assertThat(b.seriesCount()).isZero();
        assertThat(b.sampleCount()).isZero();
        assertThat(b.rejected()).isZero();
        assertThat(b.errors()).isEmpty();
    }

    @Test
    void beginSeries_samplesBelongToTheLatestSeries() {
        WriteBatch b = new WriteBatch();
        b.beginSeries(key(0), MetricKind.GAUGE);
        b.addSample(1_000, 1.5);
        b.addSample(2_000, 2.5);
        b.addSample(3_000, 3.5);
        b.beginSeries(key(1), MetricKind.COUNTER); // no samples
        b.beginSeries(key(2), MetricKind.DELTA);
        b.addSample(4_000, 7);
        b.addSample(5_000, 8);

        assertThat(b.seriesCount()).isEqualTo(3);
        assertThat(b.sampleCount()).isEqualTo(5);
        assertThat(b.key(0)).isEqualTo(key(0));
        assertThat(b.kind(1)).isEqualTo(MetricKind.COUNTER);
        assertThat(b.kind(2)).isEqualTo(MetricKind.DELTA);
        assertThat(new int[] {b.firstSample(0), b.endSample(0)}).containsExactly(0, 3);
        assertThat(new int[] {b.firstSample(1), b.endSample(1)}).containsExactly(3, 3);
        assertThat(new int[] {b.firstSample(2), b.endSample(2)}).containsExactly(3, 5);
        assertThat(b.timestamp(3)).isEqualTo(4_000);
        assertThat(b.value(4)).isEqualTo(8);
    }

    @Test
    void beginSeries_withoutSamplesLast_hasEmptyRange() {
        WriteBatch b = new WriteBatch();
        b.beginSeries(key(0), MetricKind.GAUGE);
        b.addSample(1, 1);
        b.beginSeries(key(1), MetricKind.GAUGE);

        assertThat(b.firstSample(1)).isEqualTo(1);
        assertThat(b.endSample(1)).isEqualTo(1);
    }

    @Test
    void addDistribution_isKeptAtItsIndexWithItsCountAsValue() {
        WriteBatch b = new WriteBatch();
        b.beginSeries(key(0), MetricKind.GAUGE);
        b.addSample(1_000, 4.5);
        b.beginSeries(key(1), MetricKind.HISTOGRAM);
        Distribution d = histogram(12);
        b.addDistribution(2_000, d);
        b.addSample(3_000, 9);

        assertThat(b.distribution(1)).isSameAs(d);
        assertThat(b.value(1)).isEqualTo(12);
        assertThat(b.timestamp(1)).isEqualTo(2_000);
        assertThat(b.distribution(0)).isNull();
        assertThat(b.distribution(2)).isNull();
        assertThat(b.firstSample(1)).isEqualTo(1);
        assertThat(b.endSample(1)).isEqualTo(3);
    }

    @Test
    void distribution_inBatchOfScalarsOnly_isNull() {
        WriteBatch b = new WriteBatch();
        b.beginSeries(key(0), MetricKind.GAUGE);
        b.addSample(1, 1);

        assertThat(b.distribution(0)).isNull();
    }

    @Test
    void growth_pastInitialCapacities_keepsEverySeriesAndSample() {
        int series = 1_000; // initial series capacity is 16
        int perSeries = 37; // 37 000 samples, initial sample capacity is 64
        WriteBatch b = new WriteBatch();
        List<Distribution> distributions = new ArrayList<>();
        for (int s = 0; s < series; s++) {
            b.beginSeries(key(s), MetricKind.values()[s % MetricKind.values().length]);
            for (int j = 0; j < perSeries; j++) {
                long ts = (long) s * perSeries + j;
                if (s > 0 && j == 5) { // the first distribution arrives after the scalar arrays have grown
                    Distribution d = histogram(s);
                    distributions.add(d);
                    b.addDistribution(ts, d);
                } else {
                    b.addSample(ts, ts * 0.5);
                }
            }
        }

        assertThat(b.seriesCount()).isEqualTo(series);
        assertThat(b.sampleCount()).isEqualTo(series * perSeries);
        int d = 0;
        for (int s = 0; s < series; s++) {
            assertThat(b.key(s)).isEqualTo(key(s));
            assertThat(b.kind(s)).isEqualTo(MetricKind.values()[s % MetricKind.values().length]);
            assertThat(b.firstSample(s)).isEqualTo(s * perSeries);
            assertThat(b.endSample(s)).isEqualTo((s + 1) * perSeries);
            for (int i = b.firstSample(s); i < b.endSample(s); i++) {
                assertThat(b.timestamp(i)).isEqualTo(i);
                if (s > 0 && i - b.firstSample(s) == 5) {
                    assertThat(b.distribution(i)).isSameAs(distributions.get(d++));
                    assertThat(b.value(i)).isEqualTo(s);
                } else {
                    assertThat(b.distribution(i)).isNull();
                    assertThat(b.value(i)).isEqualTo(i * 0.5);
                }
            }
        }
    }

    @Test
    void reject_countsEveryPointAndKeepsAtMostMaxErrorsDistinctReasons() {
        WriteBatch b = new WriteBatch();
        long expected = 0;
        for (int i = 0; i < 25; i++) {
            b.reject(i + 1, "reason " + i);
            b.reject(2, "reason " + i); // a repeated reason is counted but not kept twice
            expected += i + 3;
        }

        assertThat(b.rejected()).isEqualTo(expected);
        assertThat(b.errors()).hasSize(WriteBatch.MAX_ERRORS);
        assertThat(b.errors()).containsExactly("reason 0", "reason 1", "reason 2", "reason 3", "reason 4",
                "reason 5", "reason 6", "reason 7", "reason 8", "reason 9");
    }

    @Test
    void reject_sameReasonRepeatedly_keptOnce() {
        WriteBatch b = new WriteBatch();
        b.reject(3, "label value too long");
        b.reject(4, "label value too long");

        assertThat(b.rejected()).isEqualTo(7);
        assertThat(b.errors()).containsExactly("label value too long");
    }

    @Test
    void errors_isAnUnmodifiableCopy() {
        WriteBatch b = new WriteBatch();
        b.reject(1, "bad");
        List<String> errors = b.errors();

        b.reject(1, "worse");

        assertThat(errors).containsExactly("bad");
        assertThatThrownBy(() -> errors.add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void addSample_beforeBeginSeries_throwsIllegalState() {
        WriteBatch b = new WriteBatch();

        assertThatThrownBy(() -> b.addSample(1, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("beginSeries");
        assertThat(b.sampleCount()).isZero();
    }

    @Test
    void addDistribution_beforeBeginSeries_throwsIllegalState() {
        WriteBatch b = new WriteBatch();

        assertThatThrownBy(() -> b.addDistribution(1, histogram(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("beginSeries");
        assertThat(b.sampleCount()).isZero();
    }

    @Test
    void metricNames_areDistinct_inFirstSeenOrder_whetherGroupedOrNot() {
        WriteBatch b = new WriteBatch();
        for (String m : new String[] {"uploads", "uploads", "guests", "uploads", "timeline", "guests"}) {
            b.beginSeries(new SeriesKey(m, Labels.of("n", Integer.toString(b.seriesCount()))), MetricKind.GAUGE);
            b.addSample(1, 1);
        }

        assertThat(b.metricNames()).containsExactly("uploads", "guests", "timeline");
        assertThat(new WriteBatch().metricNames()).isEmpty();
    }
}
