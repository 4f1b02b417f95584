package io.vigil.core;

import com.datadoghq.sketch.ddsketch.DDSketch;

/**
 * Quantile accuracy when observations arrive pre-aggregated, as sketch distribution points
 * ({@link Distribution#ofSketch}) of up to {@value #POINT_SIZE} observations each, like exponential histograms.
 */
class SketchPointQuantileAccuracyTest extends QuantileAccuracyContract {
    private static final int POINT_SIZE = 97;

    @Override
    protected MetricKind kind() {
        return MetricKind.DISTRIBUTION;
    }

    @Override
    protected void record(Aggregate aggregate, long ts, double[] values, int from, int to) {
        for (int start = from; start < to; start += POINT_SIZE) {
            int end = Math.min(to, start + POINT_SIZE);
            DDSketch sketch = Sketches.newSketch();
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = start; i < end; i++) {
                sketch.accept(values[i]);
                sum += values[i];
                min = Math.min(min, values[i]);
                max = Math.max(max, values[i]);
            }
            aggregate.add(ts + start, Distribution.ofSketch(sketch, sum, min, max));
        }
    }
}
