/**
 * The alert lifecycle (A4): {@link io.vigil.alerting.lifecycle.AlertLifecycle} turns each evaluation's
 * {@link io.vigil.alerting.lifecycle.RatedObservation}s into {@link io.vigil.alerting.NotificationIntent}s.
 *
 * <p><b>One alert</b> (a rule and a label group, by fingerprint), on the observation's {@code Condition}:
 * <ul>
 *   <li>INACTIVE or RESOLVED + BREACHING: PENDING (the rule's {@code for} starts), or FIRING at once when
 *       {@code for} is zero. Other conditions change nothing; a CLEAR observation never creates an alert.</li>
 *   <li>PENDING + BREACHING once {@code for} has passed since the breach started: FIRING. HOLDING keeps it
 *       PENDING (it fires on the next BREACHING once {@code for} has passed). CLEAR or NO_DATA: INACTIVE (the
 *       {@code for} clock restarts with the next breach).</li>
 *   <li>FIRING + BREACHING or HOLDING: stays FIRING (HOLDING is the rule's hysteresis band). CLEAR: RESOLVED.
 *       NO_DATA: stays FIRING, and resolves (resolution {@code NO_DATA}) after 10 min of NO_DATA without data in
 *       between: losing the data of a failing system is no reason to call it healthy at once.</li>
 *   <li>A rule evaluated at a tick that reports nothing for one of its alerts' groups counts as NO_DATA for it. An
 *       alert with no observation at all for 1 h (its rule was removed) resolves as {@code STALE}; a pending one
 *       goes back to INACTIVE.</li>
 *   <li>Flapping: a change into or out of FIRING that would be the 5th within 15 min marks the alert flapping. A
 *       flapping alert is held FIRING (not resolved and re-fired) until its condition has been CLEAR for 10 min in a
 *       row; HOLDING or BREACHING restarts that count.</li>
 *   <li>An alert is forgotten 1 h after it became INACTIVE or RESOLVED, once its resolution has been sent.</li>
 * </ul>
 *
 * <p><b>Groups and intents.</b> Firing alerts are grouped by the values of the group-by labels (default
 * {@code alertname}, the rule id, and {@code wedding_id}). A group's first notification waits the group wait, later
 * changes (alerts firing or resolving, a higher priority) wait the group interval after the previous notification,
 * and a group that stays firing with an unacknowledged alert is repeated every repeat interval; the timers follow the
 * group's highest priority (P0 0 s / 0 s / 15 min, P1 0 s / 1 min / 4 h, P2 30 s / 1 min / 4 h, P3 5 min / 1 min /
 * 4 h). Each alert is announced FIRING once while it stays firing (de-duplication by fingerprint); a FIRING intent
 * lists all the group's firing alerts, a RESOLVED intent the ones that resolved. ESCALATED and ACKNOWLEDGED are
 * written at once. The idempotency key is {@code groupKey|episodeStartMillis|sequence|KIND}: the same state and
 * inputs give the same key, so an intent written again after a crash is dropped by the outbox.
 *
 * <p><b>Muting.</b> Silences and maintenance windows keep matching alerts from writing any intent (firing,
 * resolved, escalated, acknowledged); the alerts are still tracked. An alert that is still firing when its silence
 * ends is announced again. Maintenance windows never mute a P0 alert rated CRITICAL unless forced.
 *
 * <p><b>Escalation.</b> A notified firing alert nobody acknowledged escalates every
 * {@link io.vigil.alerting.Priority#escalateAfter()} since it was first notified (P0 2 min, P1 15 min, P2 1 h; P3
 * never), level 1, 2, ...; a change of its priority restarts the clock. Acknowledging stops escalation and repeats
 * until the alert resolves.
 *
 * <p><b>Context keys</b> added to the wedding context of an intent: FIRING {@code repeat}, {@code flapping};
 * RESOLVED {@code group_resolved}, {@code resolutions} (fingerprint to {@code cleared}, {@code no_data},
 * {@code stale}); ESCALATED {@code escalation_level}; ACKNOWLEDGED {@code acknowledged_by}, {@code ack_comment},
 * {@code ack_via}.
 */
package io.vigil.alerting.lifecycle;
