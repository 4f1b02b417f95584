package io.vigil.store;

import io.vigil.core.Aggregate;

/** Receives rollups read from a store, in ascending bucket order for each series. */
@FunctionalInterface
public interface RollupVisitor {
    void visit(long seriesId, long bucketStart, Aggregate aggregate);
}
