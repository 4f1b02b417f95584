package io.vigil.alerting.lifecycle;

import java.time.Instant;
import java.util.List;

/**
 * Everything the lifecycle must remember across a restart: alerts (with their acknowledgements), groups (with their
 * timers, notified alerts and intent sequence numbers), silences and maintenance windows. Serialise it with
 * {@link LifecycleJson}; restoring it with {@link AlertLifecycle#restore} neither forgets a firing alert nor writes
 * its FIRING intent again.
 *
 * @param version the snapshot format, {@value #CURRENT_VERSION}
 * @param at the time of the latest evaluation, null before the first
 */
public record LifecycleState(int version, Instant at, List<Alert> alerts, List<AlertGroup> groups,
                             List<Silence> silences, List<MaintenanceWindow> maintenanceWindows) {
    public static final int CURRENT_VERSION = 1;

    public LifecycleState {
        if (version != CURRENT_VERSION) {
            throw new IllegalArgumentException("unsupported lifecycle snapshot version " + version);
        }
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
        groups = groups == null ? List.of() : List.copyOf(groups);
        silences = silences == null ? List.of() : List.copyOf(silences);
        maintenanceWindows = maintenanceWindows == null ? List.of() : List.copyOf(maintenanceWindows);
    }
}
