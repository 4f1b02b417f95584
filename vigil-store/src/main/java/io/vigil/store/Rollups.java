package io.vigil.store;

import io.vigil.core.Aggregate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The key-ordered merge that every backend's commit and downsampling share: rollups sorted by primary key
 * {@code (seriesId, bucketStart)}, cut into slices of a bounded number of distinct keys, each run of one key merged
 * in order into the stored aggregate.
 */
public final class Rollups {
    private Rollups() {}

    /** Primary-key order. */
    public static final Comparator<Rollup> BY_KEY =
            Comparator.comparingLong(Rollup::seriesId).thenComparingLong(Rollup::bucketStart);

    public static boolean sameKey(Rollup a, Rollup b) {
        return a.seriesId() == b.seriesId() && a.bucketStart() == b.bucketStart();
    }

    /** A copy in primary-key order; the sort is stable, so rollups of one key keep their order. */
    public static List<Rollup> sortedByKey(Collection<Rollup> rollups) {
        List<Rollup> sorted = new ArrayList<>(rollups);
        sorted.sort(BY_KEY);
        return sorted;
    }

    /** What to do with one slice of key-sorted rollups; returns a count that {@link #forEachSlice} sums. */
    @FunctionalInterface
    public interface SliceAction<E extends Exception> {
        long apply(List<Rollup> slice, int distinctKeys) throws E;
    }

    /**
     * Cuts key-sorted rollups into consecutive slices of at most {@code maxKeys} distinct keys, never splitting the
     * rollups of one key, and applies the action to each.
     *
     * @return the sum of what the action returned
     */
    public static <E extends Exception> long forEachSlice(List<Rollup> sorted, int maxKeys, SliceAction<E> action)
            throws E {
        long total = 0;
        int start = 0;
        int distinct = 0;
        for (int i = 0; i < sorted.size(); i++) {
            boolean newKey = i == 0 || !sameKey(sorted.get(i - 1), sorted.get(i));
            if (newKey && distinct == maxKeys) {
                total += action.apply(sorted.subList(start, i), distinct);
                start = i;
                distinct = 0;
            }
            if (newKey) {
                distinct++;
            }
        }
        if (start < sorted.size()) {
            total += action.apply(sorted.subList(start, sorted.size()), distinct);
        }
        return total;
    }

    /** The index after the run of rollups that share the key of {@code sorted.get(from)}. */
    public static int endOfRun(List<Rollup> sorted, int from) {
        int end = from + 1;
        while (end < sorted.size() && sameKey(sorted.get(from), sorted.get(end))) {
            end++;
        }
        return end;
    }

    /** Merges {@code sorted[from, to)} in order into {@code into}, each with its own kind; returns {@code into}. */
    public static Aggregate mergeInto(Aggregate into, List<Rollup> sorted, int from, int to) {
        for (int i = from; i < to; i++) {
            into.merge(sorted.get(i).aggregate(), sorted.get(i).kind());
        }
        return into;
    }

    /** The distinct values of {@code ids}, ascending (a new array). */
    public static long[] distinctSorted(long[] ids) {
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        int n = sorted.length == 0 ? 0 : 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[n - 1]) {
                sorted[n++] = sorted[i];
            }
        }
        return n == sorted.length ? sorted : Arrays.copyOf(sorted, n);
    }

    /**
     * Checks the arguments of {@link MetricStore#commit}: no nulls, every rollup of the 10-second tier aligned to it.
     *
     * @throws IllegalArgumentException naming the rollup and its aligned bucket start
     * @throws NullPointerException naming what is null
     */
    public static void checkCommit(Collection<SeriesRecord> series, Collection<Rollup> rollups) {
        java.util.Objects.requireNonNull(series, "series");
        java.util.Objects.requireNonNull(rollups, "rollups");
        for (SeriesRecord s : series) {
            java.util.Objects.requireNonNull(s, "series must not contain null");
            java.util.Objects.requireNonNull(s.kind(), "series kind");
        }
        Tier tier = Tier.TEN_SECONDS;
        for (Rollup r : rollups) {
            java.util.Objects.requireNonNull(r, "rollups must not contain null");
            java.util.Objects.requireNonNull(r.kind(), "rollup kind");
            java.util.Objects.requireNonNull(r.aggregate(), "rollup aggregate");
            if (tier.bucketStart(r.bucketStart()) != r.bucketStart()) {
                throw new IllegalArgumentException("rollup of series " + r.seriesId() + " has bucketStart "
                        + r.bucketStart() + " but it must be a multiple of " + tier.widthMillis() + " ms (tier " + tier
                        + "), e.g. " + tier.bucketStart(r.bucketStart()));
            }
        }
    }
}
