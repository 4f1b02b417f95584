package io.vigil.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Durable state of the alerting and delivery features, on the same backend as the metrics: small JSON documents by
 * kind and id (rules, alert states, silences, maintenance windows), an append-only history, and an outbox of
 * notification intents that one node claims at a time. Every backend passes {@code StateStoreContract}.
 * Thread-safe; methods throw {@link StorageException} when the backend fails.
 */
public interface StateStore {

    /** A history entry: what happened when, as JSON. */
    record HistoryEntry(long seq, String stream, Instant at, String json) {}

    /**
     * An outbox item.
     *
     * @param id the store's id of the item
     * @param key the idempotency key it was enqueued with
     * @param json the intent
     * @param attempts how many times it was claimed before this claim ({@link #pending}: how many times so far)
     */
    record OutboxItem(long id, String key, String json, Instant enqueuedAt, int attempts) {}

    // --- documents ---------------------------------------------------------------------------------------------------

    /** Stores (inserts or replaces) documents of one kind in one transaction. */
    void put(String kind, Map<String, String> jsonById);

    /** The document, if any. */
    Optional<String> get(String kind, String id);

    /** Every document of a kind, by id in ascending order. */
    Map<String, String> list(String kind);

    /** Deletes a document; returns whether it existed. */
    boolean delete(String kind, String id);

    // --- history -----------------------------------------------------------------------------------------------------

    /** Appends an entry to a history stream (for example {@code alerts}, or one alert's fingerprint). */
    void append(String stream, Instant at, String json);

    /** Entries of a stream with {@code from <= at < to}, newest first, at most {@code limit}. */
    List<HistoryEntry> history(String stream, Instant from, Instant to, int limit);

    /** Deletes history entries older than {@code before}; returns how many. */
    long pruneHistory(Instant before);

    // --- outbox ------------------------------------------------------------------------------------------------------

    /** Enqueues an intent once per idempotency key; returns false when the key was enqueued before. */
    boolean enqueue(String key, String json);

    /**
     * Claims up to {@code limit} items that are neither done nor under a claim, this consumer's own included (an
     * expired claim counts as unclaimed), oldest first, for {@code claimFor}; concurrent callers never receive the
     * same item.
     */
    List<OutboxItem> claim(String consumer, int limit, Duration claimFor);

    /** Marks a claimed item done; returns false when the item is not claimed by this consumer any more. */
    boolean complete(long id, String consumer);

    /** Items not done yet, oldest first, at most {@code limit} (for health and tests). */
    List<OutboxItem> pending(int limit);
}
