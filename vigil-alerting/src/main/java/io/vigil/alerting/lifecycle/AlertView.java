package io.vigil.alerting.lifecycle;

import io.vigil.alerting.Rating;
import io.vigil.alerting.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An alert as the API lists it.
 *
 * @param since when it entered its current state
 * @param firingSince when it last started firing, null if it has not fired
 * @param acknowledgedBy who acknowledged it, null if nobody
 * @param silencedBy ids of the silences muting it
 * @param mutedBy ids of the maintenance windows muting it
 * @param inhibitedBy rules of the more severe firing alerts of its family that keep it from notifying
 * @param flapping whether it is held FIRING because it flaps
 */
public record AlertView(String fingerprint, String ruleId, Map<String, String> labels, String groupKey,
                        AlertState state, Instant since, Instant firingSince, Resolution resolution, Rating rating,
                        Severity severity, String summary, String acknowledgedBy, Instant acknowledgedAt,
                        String ackComment, List<String> silencedBy, List<String> mutedBy, List<String> inhibitedBy,
                        boolean flapping, int escalationLevel) {

    static AlertView of(Alert a) {
        Acknowledgement ack = a.acknowledgement();
        return new AlertView(a.fingerprint(), a.ruleId(), a.labels(), a.groupKey(), a.state(), a.since(),
                a.firingSince(), a.resolution(), a.rating(), a.severity(), a.summary(),
                ack == null ? null : ack.by(), ack == null ? null : ack.at(), ack == null ? null : ack.comment(),
                a.silencedBy(), a.mutedBy(), a.inhibitedBy(), a.flapping(), a.escalationLevel());
    }
}
