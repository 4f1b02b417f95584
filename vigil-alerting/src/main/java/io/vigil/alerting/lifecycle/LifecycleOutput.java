package io.vigil.alerting.lifecycle;

import io.vigil.alerting.NotificationIntent;
import java.util.List;

/**
 * What one call to the lifecycle produced: the intents to write to the outbox (under their idempotency keys) and the
 * history entries to append.
 */
public record LifecycleOutput(List<NotificationIntent> intents, List<AlertHistoryEntry> history) {
    public LifecycleOutput {
        intents = List.copyOf(intents);
        history = List.copyOf(history);
    }

    static final LifecycleOutput EMPTY = new LifecycleOutput(List.of(), List.of());
}
