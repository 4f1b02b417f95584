package io.vigil.store;

import io.vigil.core.Aggregate;
import io.vigil.core.MetricKind;

/**
 * The aggregate of one series over one bucket of a tier.
 *
 * @param seriesId {@link io.vigil.core.SeriesKey#id()}
 * @param kind the series' kind, needed to merge counter increases across a seam
 * @param bucketStart bucket start in epoch milliseconds, aligned to the tier width
 */
public record Rollup(long seriesId, MetricKind kind, long bucketStart, Aggregate aggregate) {}
