package io.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datadoghq.sketch.ddsketch.DDSketch;
import org.junit.jupiter.api.Test;

class DistributionTest {

    @Test
    void explicit_isExplicitWithItsBuckets() {
        Distribution d = Distribution.explicit(3, 4.5, 1, 2, new double[] {1, 2}, new long[] {1, 2, 0});

        assertThat(d.isExplicit()).isTrue();
        assertThat(d.count()).isEqualTo(3);
        assertThat(d.sketch()).isNull();
    }

    @Test
    void explicit_wrongNumberOfBucketCounts_throwsNamingBoth() {
        assertThatThrownBy(() -> Distribution.explicit(3, 0, 0, 0, new double[] {1, 2}, new long[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 2 for 2 bounds");
        assertThatThrownBy(() -> Distribution.explicit(3, 0, 0, 0, new double[] {1}, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("none");
    }

    @Test
    void new_negativeCount_throwsNamingIt() {
        assertThatThrownBy(() -> Distribution.explicit(-1, 0, 0, 0, new double[0], new long[] {0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void new_bothOrNeitherBucketsAndSketch_throws() {
        DDSketch sketch = Sketches.newSketch();

        assertThatThrownBy(() -> new Distribution(0, 0, 0, 0, new double[0], new long[] {0}, sketch))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Distribution(0, 0, 0, 0, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ofSketch_takesTheCountFromTheSketch() {
        DDSketch sketch = Sketches.newSketch();
        sketch.accept(1);
        sketch.accept(2, 4);

        Distribution d = Distribution.ofSketch(sketch, 9, 1, 2);

        assertThat(d.count()).isEqualTo(5);
        assertThat(d.isExplicit()).isFalse();
        assertThat(d.sketch()).isSameAs(sketch);
    }

    @Test
    void equals_sameBucketContentInOtherArrays_equal() {
        Distribution a = Distribution.explicit(3, 4.5, 1, 2, new double[] {1, 2}, new long[] {1, 2, 0});
        Distribution b = Distribution.explicit(3, 4.5, 1, 2, new double[] {1, 2}, new long[] {1, 2, 0});

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(Distribution.explicit(3, 4.5, 1, 2, new double[] {1, 2}, new long[] {0, 3, 0}));
    }
}
