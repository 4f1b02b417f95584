package io.vigil.store;

import java.util.function.Consumer;

/**
 * Small messages from one node to every node (for example "node A ingested into series 42"), so that live streams on
 * node B see what node A ingested. Delivery is best effort and at most once: a node that is down misses what was
 * sent meanwhile and reads the store instead. Thread-safe.
 */
public interface EventChannel extends AutoCloseable {

    /**
     * Sends a message to every subscriber on every node, this one included.
     *
     * @param payload at most {@value #MAX_PAYLOAD_CHARS} characters
     * @throws IllegalArgumentException if the payload is longer
     */
    void publish(String payload);

    /** Registers a receiver, called on the channel's own thread for each message; it must not block. */
    void subscribe(Consumer<String> receiver);

    @Override
    void close();

    /** PostgreSQL's NOTIFY payload limit (8000 bytes) leaves room for this many characters of any script. */
    int MAX_PAYLOAD_CHARS = 2000;
}
