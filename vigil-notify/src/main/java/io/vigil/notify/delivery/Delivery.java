package io.vigil.notify.delivery;

import io.vigil.notify.Message;
import java.util.Objects;

/**
 * One message for one receiver, as kept in the {@code deliveries} queue of the state store until it is sent or given
 * up.
 *
 * @param receiver the receiver's name
 * @param message what to send
 * @param fallback the receiver to use instead if this one keeps failing, null if none
 * @param fallbackFor the receiver this delivery replaces, null for a routed one
 * @param incidentId the incident whose timeline records this delivery, null if none
 */
public record Delivery(String receiver, Message message, String fallback, String fallbackFor, String incidentId) {
    /** The queue deliveries wait in. */
    public static final String QUEUE = "deliveries";

    public Delivery {
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(message, "message");
    }

    /** The idempotency key: the intent's key and the receiver, so each receiver gets each intent once. */
    public String key() {
        return message.key() + "|" + receiver;
    }
}
