package io.vigil.export;

import io.vigil.core.outbound.SendOutcome;
import java.util.List;

/**
 * A far side that items (points or events) are exported to: it turns a batch into request bodies within its size
 * limit and sends one, saying what became of it by the vendor's rules. The {@link io.vigil.export.pipeline.ExportWorker}
 * around it batches, retries, breaks the circuit and bounds the backlog. Implementations are thread-safe.
 *
 * @param <T> {@link ExportPoint} or {@link ExportEvent}
 */
public interface ExportSink<T> {

    /** A short name for health, metrics and logs, such as {@code datadog} or {@code grafana-annotations}. */
    String name();

    /**
     * The request bodies for a batch, each within the far side's size limit (a batch is split as needed). Items that
     * cannot be sent at all (for example one larger than the limit alone) are left out and reported by
     * {@link Encoded#refused}.
     */
    Encoded<T> encode(List<T> items);

    /** Sends one payload and classifies the answer; never throws for a failure of the far side. */
    SendOutcome send(Payload<T> payload);

    /**
     * What the far side told that the worker cannot see, for the exporter's health: e.g. New Relic's last
     * {@code requestId}, points an OTLP collector rejected in a partial success. Never a secret. Empty by default.
     */
    default java.util.Map<String, Object> details() {
        return java.util.Map.of();
    }

    /** The most items a batch should hold. */
    default int maxBatch() {
        return 1_000;
    }

    /** One request body and the items in it (kept to split the payload again if the far side says it is too large). */
    record Payload<T>(List<T> items, byte[] body) {
        public Payload {
            items = List.copyOf(items);
        }
    }

    /**
     * What a batch became.
     *
     * @param payloads the requests to send
     * @param refused how many items could not be encoded
     * @param refusedReason why, e.g. {@code too_large}
     */
    record Encoded<T>(List<Payload<T>> payloads, int refused, String refusedReason) {
        public Encoded {
            payloads = List.copyOf(payloads);
        }

        /** Payloads with nothing refused. */
        public static <T> Encoded<T> of(List<Payload<T>> payloads) {
            return new Encoded<>(payloads, 0, null);
        }
    }
}
