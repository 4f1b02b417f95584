package io.vigil.store;

import io.vigil.core.Aggregate;

/**
 * Receives rollups read from a store, in ascending bucket order for each series. Each aggregate is the visitor's own
 * (stores decode a new one per row), so the visitor may keep and change it.
 */
@FunctionalInterface
public interface RollupVisitor {
    void visit(long seriesId, long bucketStart, Aggregate aggregate);
}
