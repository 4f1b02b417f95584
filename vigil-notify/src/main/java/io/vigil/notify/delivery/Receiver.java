package io.vigil.notify.delivery;

import io.vigil.notify.channel.Channel;
import java.util.Objects;

/**
 * A named destination of the routing tree and the channel that reaches it.
 *
 * @param name as routes name it, e.g. {@code wedding-emergency}
 * @param channel the configured channel
 * @param toCoordinators whether each message also goes to the coordinators of the weddings it affects (their email
 *     address or phone number, by the channel's type)
 */
public record Receiver(String name, Channel channel, boolean toCoordinators) {
    public Receiver {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(channel, "channel");
    }

    @Override
    public String toString() {
        return "Receiver{" + name + ", " + channel.type() + "}";
    }
}
