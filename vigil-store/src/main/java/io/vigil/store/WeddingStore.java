package io.vigil.store;

import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingEvent;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Durable storage of the wedding calendar and of each wedding's critical-path events, on the same backend as the
 * metrics (the embedded SQLite file, or PostgreSQL shared by every node). Every backend passes
 * {@code WeddingStoreContract}. Thread-safe; methods throw {@link StorageException} when the backend fails.
 */
public interface WeddingStore {

    /**
     * Inserts or replaces each wedding by id (every field, the coordinator included), all in one transaction: either
     * all are stored or none. A collection naming one id twice stores the last.
     *
     * @return how many ids were new
     */
    int upsert(Collection<Wedding> weddings);

    /** The wedding with this id, any status. */
    Optional<Wedding> get(String id);

    /** The weddings whose date lies in {@code [from, to]}, any status, ordered by date, then ceremony start, then id. */
    List<Wedding> between(LocalDate from, LocalDate to);

    /** The weddings that came from a source (see {@link Wedding#source()}), any status, ordered by id. */
    List<Wedding> fromSource(String source);

    /**
     * Stores events in one transaction; an event whose {@code (weddingId, id)} is already stored is ignored, so a
     * retried report counts once.
     *
     * @return how many were new
     */
    int appendEvents(Collection<WeddingEvent> events);

    /** The events of a wedding, ordered by time, then id. */
    List<WeddingEvent> events(String weddingId);
}
