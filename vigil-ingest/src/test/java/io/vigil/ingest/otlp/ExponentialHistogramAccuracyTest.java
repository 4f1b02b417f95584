package io.vigil.ingest.otlp;

import static io.vigil.ingest.Batches.CLOCK;
import static io.vigil.ingest.Batches.only;
import static io.vigil.ingest.otlp.OtlpFixtures.DELTA;
import static io.vigil.ingest.otlp.OtlpFixtures.NOW_NANOS;
import static io.vigil.ingest.otlp.OtlpFixtures.exponential;
import static io.vigil.ingest.otlp.OtlpFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.vigil.core.Distribution;
import io.vigil.core.Sketches;
import io.vigil.ingest.LabelRules;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Quantiles of the sketch made from an exponential histogram stay within the documented accuracy of the true data:
 * a factor (1 + h)(1 + 1 %) with h = √base − 1.
 */
class ExponentialHistogramAccuracyTest {

    /** Builds an OTLP point from raw data the way an SDK would: value v goes to index ceil(log_base |v|) − 1. */
    static ExponentialHistogramDataPoint point(double[] data, int scale) {
        TreeMap<Long, Long> positive = new TreeMap<>();
        TreeMap<Long, Long> negative = new TreeMap<>();
        long zero = 0;
        double sum = 0;
        for (double v : data) {
            sum += v;
            if (v == 0) {
                zero++;
                continue;
            }
            long index = (long) Math.ceil(Math.log(Math.abs(v)) / Math.log(2) * Math.scalb(1.0, scale)) - 1;
            (v > 0 ? positive : negative).merge(index, 1L, Long::sum);
        }
        return ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(NOW_NANOS).setScale(scale)
                .setCount(data.length).setZeroCount(zero).setSum(sum)
                .setMin(Arrays.stream(data).min().orElseThrow()).setMax(Arrays.stream(data).max().orElseThrow())
                .setPositive(buckets(positive)).setNegative(buckets(negative)).build();
    }

    private static ExponentialHistogramDataPoint.Buckets buckets(TreeMap<Long, Long> counts) {
        ExponentialHistogramDataPoint.Buckets.Builder b = ExponentialHistogramDataPoint.Buckets.newBuilder();
        if (counts.isEmpty()) {
            return b.build();
        }
        long first = counts.firstKey();
        b.setOffset((int) first);
        for (long i = first; i <= counts.lastKey(); i++) {
            b.addBucketCounts(counts.getOrDefault(i, 0L));
        }
        return b.build();
    }

    static double[] data(String shape, long seed) {
        Random r = new Random(seed);
        DoubleSupplier next = switch (shape) {
            case "lognormal" -> () -> Math.exp(r.nextGaussian() * 1.5 - 1); // latencies in seconds
            case "uniform" -> () -> 1 + r.nextDouble() * 999;
            case "mixed" -> () -> r.nextInt(10) == 0 ? 0 : (r.nextBoolean() ? 1 : -1) * Math.exp(r.nextGaussian() * 3);
            default -> throw new IllegalArgumentException(shape);
        };
        double[] data = new double[5000];
        for (int i = 0; i < data.length; i++) {
            data[i] = next.getAsDouble();
        }
        return data;
    }

    @ParameterizedTest(name = "{0} data at scale {1}")
    @CsvSource({"lognormal, 8", "lognormal, 3", "lognormal, 0", "lognormal, -2", "uniform, 5", "uniform, 20",
            "mixed, 4", "mixed, 1"})
    void decode_exponentialHistogram_quantilesWithinDocumentedAccuracy(String shape, int scale) {
        double[] data = data(shape, 42 + scale);
        OtlpMetricsDecoder decoder = new OtlpMetricsDecoder(LabelRules.DEFAULTS, CLOCK);

        Distribution d = only(decoder.decode(request(exponential("latency", DELTA, point(data, scale).toBuilder()))
                .toByteArray(), false)).distribution();

        double base = Math.pow(2, Math.scalb(1.0, -scale));
        double bound = (Math.sqrt(base)) * (1 + Sketches.RELATIVE_ACCURACY) - 1 + 1e-9;
        double[] sorted = data.clone();
        Arrays.sort(sorted);
        DDSketch sketch = d.sketch();
        assertThat(d.count()).isEqualTo(data.length);
        for (int percent = 0; percent <= 100; percent++) {
            double q = percent / 100.0;
            double expected = sorted[(int) Math.floor(q * (sorted.length - 1))];
            double actual = sketch.getValueAtQuantile(q);
            if (expected == 0) {
                assertThat(actual).as("q=%s", q).isZero();
            } else {
                assertThat(Math.abs(actual - expected) / Math.abs(expected)).as("q=%s: %s vs %s", q, actual, expected)
                        .isLessThanOrEqualTo(bound);
            }
        }
    }
}
