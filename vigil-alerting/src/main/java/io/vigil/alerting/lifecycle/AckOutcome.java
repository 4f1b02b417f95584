package io.vigil.alerting.lifecycle;

import io.vigil.alerting.NotificationIntent;
import java.util.List;

/**
 * The result of an acknowledgement: what happened, and the ACKNOWLEDGED intents and history entries to write.
 */
public record AckOutcome(Status status, List<NotificationIntent> intents, List<AlertHistoryEntry> history) {

    /** What happened to the acknowledgement. */
    public enum Status {
        /** At least one firing alert was acknowledged. */
        ACKNOWLEDGED,
        /** Every firing alert named was acknowledged already. */
        ALREADY_ACKNOWLEDGED,
        /** The alert or group exists but nothing in it is firing. */
        NOT_FIRING,
        /** No such alert or group. */
        UNKNOWN
    }

    public AckOutcome {
        intents = List.copyOf(intents);
        history = List.copyOf(history);
    }

    static AckOutcome of(Status status) {
        return new AckOutcome(status, List.of(), List.of());
    }
}
