package io.vigil.export.events;

import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.Priority;
import io.vigil.core.privacy.PersonalData;
import io.vigil.export.ExportEvent;
import io.vigil.export.ExportTags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * P0 and P1 incidents as export events: one when a group starts firing and one when it resolves, grouped by the
 * alert group (Datadog's {@code aggregation_key}). Built from the rule ids, the findings and the rating's explanation
 * only, with anything that looks like personal data redacted; labels (which may name a wedding) are not tags.
 */
public final class IncidentEvents {
    private IncidentEvents() {}

    /** The event for an intent, or null when it is not a P0/P1 firing or resolution. */
    public static ExportEvent from(NotificationIntent intent, ExportTags context) {
        if (intent.priority() != Priority.P0 && intent.priority() != Priority.P1) {
            return null;
        }
        boolean firing = intent.kind() == NotificationIntent.Kind.FIRING;
        if (!firing && intent.kind() != NotificationIntent.Kind.RESOLVED) {
            return null;
        }
        List<String> rules = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (NotificationIntent.AlertSummary a : intent.alerts()) {
            if (!rules.contains(a.ruleId())) {
                rules.add(a.ruleId());
            }
            text.append(a.ruleId()).append(": ").append(a.summary());
            if (a.explanation() != null && !a.explanation().isBlank()) {
                text.append(" (").append(a.explanation()).append(')');
            }
            text.append('\n');
        }
        String priority = intent.priority().name();
        String title = priority + (firing ? " incident: " : " resolved: ") + String.join(", ", rules);
        List<String> tags = new ArrayList<>(List.of("vigil_event:incident", "priority:" + priority,
                "state:" + intent.kind().name().toLowerCase(Locale.ROOT)));
        rules.stream().limit(5).forEach(r -> tags.add("rule:" + r));
        return new ExportEvent(ExportEvent.Kind.INCIDENT, PersonalData.redact(title),
                PersonalData.redact(text.toString().strip()), intent.at(), null, firing ? "error" : "success",
                "vigil-incident-" + Integer.toHexString(intent.groupKey().hashCode()), tags, context);
    }
}
