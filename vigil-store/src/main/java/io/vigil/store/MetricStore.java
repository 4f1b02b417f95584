package io.vigil.store;

import java.util.Collection;
import java.util.List;

/**
 * Durable storage of series and their rollups, the SPI that the embedded store and PostgreSQL implement.
 *
 * <p>The engine in front of it keeps a write-ahead log and an in-memory head; it calls {@link #commit} to move a
 * batch of rollups out of the head together with the WAL position they cover, so a store never sees a partial
 * flush. A commit whose outcome is unknown (the connection broke before the answer) is resolved by reading
 * {@link #checkpoint()} afterwards: it took effect if and only if the checkpoint reached its value. Every backend passes the same contract suite ({@code MetricStoreContract}) with the same answers.
 *
 * <p>Implementations are thread-safe. Methods throw {@link StorageException} when the backend fails.
 */
public interface MetricStore extends AutoCloseable {

    /** Every series ever committed, by any node, in no particular order. */
    default List<SeriesRecord> loadSeries() {
        return seriesAfter(0).series();
    }

    /**
     * The series committed after {@code cursor} (by this node or any other node sharing the store), and the cursor
     * for the next call. Start with 0 (everything). A series committed concurrently with this call is returned by
     * this call or by the next one, never by neither; a series is returned more than once only if the caller goes
     * back to an older cursor.
     */
    SeriesChanges seriesAfter(long cursor);

    /**
     * Atomically stores series definitions (existing ones are ignored), merges the rollups into
     * {@link Tier#TEN_SECONDS} (a rollup for a series and bucket that already exists is merged with it, the stored
     * one first), and records {@code checkpoint} as the WAL position of this node now covered. Either all of it is
     * durable when this returns, or none of it is. Stores shared by several nodes keep one checkpoint per node (the
     * node id is given when the store is opened); commits of different nodes may run concurrently.
     *
     * @param checkpoint a non-decreasing WAL position; see {@link #checkpoint()}
     */
    void commit(Collection<SeriesRecord> series, Collection<Rollup> rollups, long checkpoint);

    /** The checkpoint of this node's last successful {@link #commit}, or 0 for a new store or node. */
    long checkpoint();

    /**
     * Reads the rollups of the given series whose bucket start lies in {@code [fromMillis, toMillis)}, in ascending
     * bucket order per series, from one consistent snapshot. Unknown series ids are ignored.
     *
     * @return the {@link #checkpoint()} of the snapshot read, so the engine knows whether a commit under way is
     *     already in what it saw (then it must not count that commit's rollups again)
     */
    default long read(Tier tier, long[] seriesIds, long fromMillis, long toMillis, RollupVisitor visitor) {
        return read(tier, seriesIds, fromMillis, toMillis, true, visitor);
    }

    /**
     * Like {@link #read(Tier, long[], long, long, RollupVisitor)}; without {@code distributions} the aggregates carry
     * their scalar statistics only (no sketch or explicit buckets), which is all a count, rate or error-rate query
     * needs and spares it decoding a sketch per rollup.
     */
    long read(Tier tier, long[] seriesIds, long fromMillis, long toMillis, boolean distributions,
              RollupVisitor visitor);

    /**
     * Merges every bucket of {@code source} that starts before {@code upToMillis} and was not downsampled before
     * into the enclosing buckets of {@code source.coarser()}. Idempotent: a second call with the same bound writes
     * nothing. Returns the number of target rows written.
     *
     * @throws IllegalArgumentException if the tier has no coarser tier
     */
    long downsample(Tier source, long upToMillis);

    /** Deletes every rollup of a tier whose bucket starts before {@code beforeMillis}; returns the rows deleted. */
    long deleteBefore(Tier tier, long beforeMillis);

    /** A cheap check that the store can serve. */
    CheckResult check();

    /** Releases connections and files; idempotent. */
    @Override
    void close();
}
