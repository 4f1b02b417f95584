package io.vigil.export.pipeline;

import java.time.Instant;
import java.util.Map;

/**
 * How one exporter is doing, for the API, the dashboard's integration view and Vigil's own metrics.
 *
 * @param name the exporter
 * @param circuit the circuit breaker's state: {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
 * @param lastSuccess when a payload was last accepted, or null
 * @param lastFailure when an attempt last failed, or null
 * @param lastError why it failed (a status or a network reason, never a secret), or null
 * @param backlog items waiting, including those of the payload being sent
 * @param sent items the far side accepted
 * @param dropped items given up, by reason ({@code buffer_full}, {@code rejected http 400}, {@code too_large},
 *     {@code expired})
 * @param failures failed attempts by reason (each retried)
 * @param details what the far side told that the worker cannot see ({@link io.vigil.export.ExportSink#details()})
 */
public record ExporterHealth(String name, String circuit, Instant lastSuccess, Instant lastFailure, String lastError,
                             long backlog, long sent, Map<String, Long> dropped, Map<String, Long> failures,
                             Map<String, Object> details) {

    public ExporterHealth {
        dropped = Map.copyOf(dropped);
        failures = Map.copyOf(failures);
        details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }

    /** Healthy: nothing failed since the last success, and the circuit is closed. */
    public boolean healthy() {
        return "CLOSED".equals(circuit) && (lastFailure == null || (lastSuccess != null && !lastSuccess.isBefore(lastFailure)));
    }
}
