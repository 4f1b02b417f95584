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

    /** The queue of notification intents: alerting enqueues, notification routing claims. */
    String INTENTS = "intents";

    /**
     * A dead letter: an item given up for good.
     *
     * @param item the item, with its attempts
     * @param reason why it was given up
     * @param at when
     */
    record DeadLetter(OutboxItem item, String reason, Instant at) {}

    /** Enqueues an item on the {@link #INTENTS} queue; see {@link #enqueue(String, String, String)}. */
    default boolean enqueue(String key, String json) {
        return enqueue(INTENTS, key, json);
    }

    /**
     * Enqueues an item once per idempotency key (keys are unique across queues); returns false when the key was
     * enqueued before.
     */
    boolean enqueue(String queue, String key, String json);

    /** Claims from the {@link #INTENTS} queue; see {@link #claim(String, String, int, Duration)}. */
    default List<OutboxItem> claim(String consumer, int limit, Duration claimFor) {
        return claim(INTENTS, consumer, limit, claimFor);
    }

    /**
     * Claims up to {@code limit} items of a queue that are neither done nor under a claim or a retry delay, this
     * consumer's own included (an expired claim counts as unclaimed), oldest first, for {@code claimFor}; concurrent
     * callers never receive the same item.
     */
    List<OutboxItem> claim(String queue, String consumer, int limit, Duration claimFor);

    /** Marks a claimed item done; returns false when the item is not claimed by this consumer any more. */
    boolean complete(long id, String consumer);

    /**
     * Gives a claimed item back, to be claimed again (by anyone) no sooner than {@code delay} from now: a retry with
     * backoff. Returns false when the item is not claimed by this consumer any more.
     */
    boolean retryLater(long id, String consumer, Duration delay);

    /**
     * Gives a claimed item up for good: it is done, kept with the reason among the {@link #deadLetters}. Returns false
     * when the item is not claimed by this consumer any more.
     */
    boolean deadLetter(long id, String consumer, String reason);

    /** Items of the {@link #INTENTS} queue not done yet; see {@link #pending(String, int)}. */
    default List<OutboxItem> pending(int limit) {
        return pending(INTENTS, limit);
    }

    /** Items of a queue not done yet (under a retry delay included), oldest first, at most {@code limit}. */
    List<OutboxItem> pending(String queue, int limit);

    /** The dead letters of a queue, newest first, at most {@code limit}. */
    List<DeadLetter> deadLetters(String queue, int limit);

    /**
     * Deletes items of every queue that were done (completed or dead letters) before {@code before}; returns how many.
     * Their keys are forgotten with them: an item enqueued again under such a key is accepted.
     */
    long pruneOutbox(Instant before);
}
