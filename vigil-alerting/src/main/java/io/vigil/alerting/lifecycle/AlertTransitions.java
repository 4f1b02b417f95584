package io.vigil.alerting.lifecycle;

import io.vigil.alerting.Condition;
import io.vigil.alerting.Observation;
import io.vigil.alerting.Priority;
import io.vigil.alerting.lifecycle.AlertHistoryEntry.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The state machine of one alert: how an observation, a missing observation or the passing of time moves it. Pure:
 * takes an alert, returns the next one and adds what happened to a history list.
 */
final class AlertTransitions {
    private final LifecycleConfig config;

    AlertTransitions(LifecycleConfig config) {
        this.config = config;
    }

    /** Applies one observation; null when there is no alert and the observation starts none. */
    Alert observe(Alert current, RatedObservation rated, String groupKey, List<AlertHistoryEntry> history) {
        Observation o = rated.observation();
        Instant at = o.at();
        Condition c = o.condition();
        if (current == null) {
            if (c != Condition.BREACHING) {
                return null;
            }
            current = new Alert(o.fingerprint(), o.ruleId(), o.metric(), o.labels(), groupKey, AlertState.INACTIVE,
                    at, null, null, null, rated.rating(), o.severity(), o.summary(), at, null, null, 0, null,
                    List.of(), false, null, List.of(), List.of(), o.family(), List.of());
        }
        Priority before = current.priority();
        Alert a = current.with(b -> {
            b.rating = rated.rating();
            b.severity = o.severity();
            b.family = o.family();
            b.summary = o.summary();
            b.metric = o.metric();
            b.lastObservedAt = at;
            if (c != Condition.NO_DATA) {
                b.noDataSince = null;
            }
            // A new priority means new response time: the escalation clock restarts at the new level.
            if (b.escalationClockFrom != null && b.rating.priority() != before) {
                b.escalationClockFrom = at;
                b.escalationLevel = 0;
            }
        });
        return switch (a.state()) {
            case INACTIVE, RESOLVED -> c == Condition.BREACHING ? startBreach(a, o, history) : a;
            case PENDING -> switch (c) {
                case BREACHING -> !Duration.between(a.pendingSince(), at).minus(o.pendingFor()).isNegative()
                        ? fire(a, at, history) : a;
                case HOLDING -> a;
                case CLEAR -> move(a, AlertState.INACTIVE, at, "condition clear", history);
                case NO_DATA -> move(a, AlertState.INACTIVE, at, "no data", history);
            };
            case FIRING -> switch (c) {
                case BREACHING, HOLDING -> a.clearSince() == null ? a : a.with(b -> b.clearSince = null);
                case NO_DATA -> a.noDataSince() == null ? a.with(b -> b.noDataSince = at) : a;
                case CLEAR -> clear(a, at, history);
            };
        };
    }

    /** Its rule was evaluated but reported nothing for this alert's group: the group is gone, as if NO_DATA. */
    Alert missing(Alert a, Instant at, List<AlertHistoryEntry> history) {
        return switch (a.state()) {
            case PENDING -> move(a, AlertState.INACTIVE, at, "no data", history);
            case FIRING -> a.noDataSince() == null ? a.with(b -> b.noDataSince = at) : a;
            default -> a;
        };
    }

    /** What the passing of time does: no-data and stale resolution, the end of flap damping. */
    Alert timers(Alert a, Instant now, List<AlertHistoryEntry> history) {
        boolean stale = a.lastObservedAt() != null
                && !Duration.between(a.lastObservedAt(), now).minus(config.staleAfter()).isNegative();
        if (a.state() == AlertState.PENDING && stale) {
            return move(a, AlertState.INACTIVE, now, "no observation for " + config.staleAfter(), history);
        }
        if (a.state() != AlertState.FIRING) {
            return a;
        }
        if (a.noDataSince() != null && reached(a.noDataSince(), now, config.noDataResolveAfter())) {
            return resolve(a, now, Resolution.NO_DATA, "no data for " + config.noDataResolveAfter(), history);
        }
        if (stale) {
            return resolve(a, now, Resolution.STALE, "no observation for " + config.staleAfter(), history);
        }
        if (a.flapping() && a.clearSince() != null && reached(a.clearSince(), now, config.flap().damping())) {
            return resolve(a, now, Resolution.CLEARED, "clear for " + config.flap().damping() + " after flapping",
                    history);
        }
        return a;
    }

    private Alert startBreach(Alert a, Observation o, List<AlertHistoryEntry> history) {
        Instant at = o.at();
        Alert pending = a.with(b -> {
            b.pendingSince = at;
            b.resolution = null;
        });
        if (o.pendingFor().isZero() || o.pendingFor().isNegative()) {
            return fire(pending, at, history);
        }
        return move(pending, AlertState.PENDING, at, o.summary(), history);
    }

    private Alert fire(Alert a, Instant at, List<AlertHistoryEntry> history) {
        List<Instant> transitions = recent(a.transitions(), at);
        transitions.add(at);
        boolean flapping = a.flapping() || transitions.size() > config.flap().maxTransitions();
        AlertState from = a.state();
        Alert fired = a.with(b -> {
            b.state = AlertState.FIRING;
            b.since = at;
            b.firingSince = at;
            b.resolution = null;
            b.noDataSince = null;
            b.clearSince = null;
            b.acknowledgement = null;
            b.escalationClockFrom = null;
            b.escalationLevel = 0;
            b.transitions = transitions;
            b.flapping = flapping;
        });
        history.add(AlertHistoryEntry.of(fired, at, Event.TRANSITION, from, fired.summary()));
        if (flapping && !a.flapping()) {
            history.add(AlertHistoryEntry.of(fired, at, Event.FLAPPING_STARTED, AlertState.FIRING,
                    transitions.size() + " transitions in " + config.flap().window()));
        }
        return fired;
    }

    private Alert clear(Alert a, Instant at, List<AlertHistoryEntry> history) {
        if (a.flapping()) {
            Instant clearSince = a.clearSince() == null ? at : a.clearSince();
            if (reached(clearSince, at, config.flap().damping())) {
                return resolve(a, at, Resolution.CLEARED, "clear for " + config.flap().damping() + " after flapping",
                        history);
            }
            return a.with(b -> b.clearSince = clearSince);
        }
        if (recent(a.transitions(), at).size() + 1 > config.flap().maxTransitions()) {
            // Resolving now would be one transition too many: hold it FIRING instead of resolving and re-firing.
            Alert held = a.with(b -> {
                b.flapping = true;
                b.clearSince = at;
            });
            history.add(AlertHistoryEntry.of(held, at, Event.FLAPPING_STARTED, AlertState.FIRING,
                    "more than " + config.flap().maxTransitions() + " transitions in " + config.flap().window()));
            return held;
        }
        return resolve(a, at, Resolution.CLEARED, a.summary(), history);
    }

    private Alert resolve(Alert a, Instant at, Resolution resolution, String detail, List<AlertHistoryEntry> history) {
        List<Instant> transitions = recent(a.transitions(), at);
        transitions.add(at);
        Alert resolved = a.with(b -> {
            b.state = AlertState.RESOLVED;
            b.since = at;
            b.resolution = resolution;
            b.pendingSince = null;
            b.noDataSince = null;
            b.clearSince = null;
            b.escalationClockFrom = null;
            b.transitions = transitions;
            b.flapping = false;
        });
        history.add(AlertHistoryEntry.of(resolved, at, Event.TRANSITION, AlertState.FIRING, detail));
        if (a.flapping()) {
            history.add(AlertHistoryEntry.of(resolved, at, Event.FLAPPING_ENDED, AlertState.RESOLVED, detail));
        }
        return resolved;
    }

    private static Alert move(Alert a, AlertState to, Instant at, String detail, List<AlertHistoryEntry> history) {
        AlertState from = a.state();
        Alert moved = a.with(b -> {
            b.state = to;
            b.since = at;
            if (to == AlertState.INACTIVE) {
                b.pendingSince = null;
            }
        });
        history.add(AlertHistoryEntry.of(moved, at, Event.TRANSITION, from, detail));
        return moved;
    }

    /** Transitions still inside the flap window ending at {@code at}. */
    private List<Instant> recent(List<Instant> transitions, Instant at) {
        Instant from = at.minus(config.flap().window());
        List<Instant> out = new ArrayList<>();
        for (Instant t : transitions) {
            if (t.isAfter(from)) {
                out.add(t);
            }
        }
        return out;
    }

    private static boolean reached(Instant from, Instant now, Duration period) {
        return !Duration.between(from, now).minus(period).isNegative();
    }
}
