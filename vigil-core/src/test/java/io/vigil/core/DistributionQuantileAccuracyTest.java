package io.vigil.core;

/** Quantile accuracy when every observation arrives as a scalar DISTRIBUTION sample (one latency each). */
class DistributionQuantileAccuracyTest extends QuantileAccuracyContract {

    @Override
    protected MetricKind kind() {
        return MetricKind.DISTRIBUTION;
    }

    @Override
    protected void record(Aggregate aggregate, long ts, double[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            aggregate.add(ts + i, values[i], MetricKind.DISTRIBUTION);
        }
    }
}
