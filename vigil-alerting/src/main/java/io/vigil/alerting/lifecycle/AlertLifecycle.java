package io.vigil.alerting.lifecycle;

import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.NotificationIntent.AlertSummary;
import io.vigil.alerting.NotificationIntent.Kind;
import io.vigil.alerting.Priority;
import io.vigil.alerting.lifecycle.AlertHistoryEntry.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The alert lifecycle (A4): fed each evaluation's rated observations, it keeps one {@link Alert} per fingerprint
 * (INACTIVE, PENDING, FIRING, RESOLVED), groups firing alerts by label, applies silences and maintenance windows,
 * acknowledgements, escalation and flap damping, and returns the {@link NotificationIntent}s to write and the history
 * entries to append. Deterministic: the same state and the same inputs give the same outputs, idempotency keys
 * included; all times come from the arguments or the injected clock. Thread-safe (one lock).
 *
 * <p>See the package documentation for the state machine and the timers.
 */
public final class AlertLifecycle {
    /** How long a resolved alert still inhibits the less severe alerts of its family. */
    static final Duration INHIBIT_AFTER_RESOLVED = Duration.ofMinutes(5);
    private final LifecycleConfig config;
    private final Clock clock;
    private final AlertTransitions transitions;
    private final TreeMap<String, Alert> alerts = new TreeMap<>();
    private final TreeMap<String, AlertGroup> groups = new TreeMap<>();
    private final TreeMap<String, Silence> silences = new TreeMap<>();
    private final TreeMap<String, MaintenanceWindow> windows = new TreeMap<>();
    private Instant lastEvaluation;
    private Map<String, Object> weddingContext = Map.of();

    /** An empty lifecycle. */
    public AlertLifecycle(LifecycleConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.transitions = new AlertTransitions(config);
    }

    /** A lifecycle that carries on from a snapshot taken with {@link #snapshot()}. */
    public static AlertLifecycle restore(LifecycleState state, LifecycleConfig config, Clock clock) {
        AlertLifecycle lifecycle = new AlertLifecycle(config, clock);
        state.alerts().forEach(a -> lifecycle.alerts.put(a.fingerprint(), a));
        state.groups().forEach(g -> lifecycle.groups.put(g.key(), g));
        state.silences().forEach(s -> lifecycle.silences.put(s.id(), s));
        state.maintenanceWindows().forEach(w -> lifecycle.windows.put(w.id(), w));
        lifecycle.lastEvaluation = state.at();
        return lifecycle;
    }

    // --- evaluation --------------------------------------------------------------------------------------------------

    /**
     * One evaluation tick at {@code now}: the observations of the rules evaluated now (none: only timers run). Pass
     * every group a rule evaluated, CLEAR ones included: an alert its evaluated rule says nothing about counts as
     * NO_DATA. Store the intents, then a {@link #snapshot()}: replaying a tick whose snapshot was lost writes the
     * same idempotency keys.
     */
    public LifecycleOutput evaluate(List<RatedObservation> observations, Instant now) {
        return evaluate(observations, now, Map.of());
    }

    /**
     * One evaluation tick, with the wedding context of the moment (season, peak time, active weddings, estimated
     * load) that the intents written now carry.
     */
    public synchronized LifecycleOutput evaluate(List<RatedObservation> observations, Instant now,
                                                 Map<String, Object> weddingContext) {
        Objects.requireNonNull(now, "now");
        this.weddingContext = Map.copyOf(weddingContext);
        List<AlertHistoryEntry> history = new ArrayList<>();
        List<NotificationIntent> intents = new ArrayList<>();

        Set<String> rulesEvaluated = new HashSet<>();
        Set<String> observed = new HashSet<>();
        for (RatedObservation rated : observations) {
            String fingerprint = rated.fingerprint();
            rulesEvaluated.add(rated.observation().ruleId());
            observed.add(fingerprint);
            Alert current = alerts.get(fingerprint);
            String groupKey = current != null ? current.groupKey() : groupKeyOf(rated);
            Alert next = transitions.observe(current, rated, groupKey, history);
            if (next != null) {
                alerts.put(fingerprint, next);
            }
        }
        for (Alert a : List.copyOf(alerts.values())) {
            Alert next = a;
            if (rulesEvaluated.contains(a.ruleId()) && !observed.contains(a.fingerprint())) {
                next = transitions.missing(next, now, history);
            }
            next = transitions.timers(next, now, history);
            alerts.put(a.fingerprint(), next);
        }
        applyMuting(now, history);
        for (Alert a : alerts.values()) {
            if (a.state() == AlertState.FIRING && !groups.containsKey(a.groupKey())) {
                groups.put(a.groupKey(), AlertGroup.start(a.groupKey(),
                        MatchLabels.groupLabels(config.groupBy(), MatchLabels.of(a)), now));
            }
        }
        for (AlertGroup g : List.copyOf(groups.values())) {
            flush(g, now, intents);
        }
        escalate(now, intents, history);
        forget(now);
        lastEvaluation = now;
        return new LifecycleOutput(intents, history);
    }

    // --- acknowledgement ---------------------------------------------------------------------------------------------

    /** Acknowledges by API now (by the injected clock). */
    public AckOutcome acknowledge(AckTarget target, String by, String comment) {
        return acknowledge(target, by, comment, "api", clock.instant());
    }

    /** Acknowledges through a verified signed link, in the name of whom the link was issued to. */
    public AckOutcome acknowledge(AckLinks.Accepted link, Instant at) {
        String by = link.issuedTo().isEmpty() ? "ack link" : link.issuedTo();
        return acknowledge(link.target(), by, "acknowledged by link", "link", at);
    }

    /**
     * Acknowledges the alert, or every firing alert of the group: it stops escalating and repeating, and the groups
     * that had notified it get an ACKNOWLEDGED intent. The acknowledgement lasts until the alert resolves.
     */
    public synchronized AckOutcome acknowledge(AckTarget target, String by, String comment, String via, Instant at) {
        List<Alert> named = switch (target.scope()) {
            case ALERT -> Optional.ofNullable(alerts.get(target.id())).map(List::of).orElse(List.of());
            case GROUP -> alerts.values().stream().filter(a -> a.groupKey().equals(target.id())).toList();
        };
        if (named.isEmpty()) {
            return AckOutcome.of(groups.containsKey(target.id()) ? AckOutcome.Status.NOT_FIRING
                    : AckOutcome.Status.UNKNOWN);
        }
        List<Alert> firing = named.stream().filter(a -> a.state() == AlertState.FIRING).toList();
        if (firing.isEmpty()) {
            return AckOutcome.of(AckOutcome.Status.NOT_FIRING);
        }
        List<Alert> fresh = firing.stream().filter(a -> a.acknowledgement() == null).toList();
        if (fresh.isEmpty()) {
            return AckOutcome.of(AckOutcome.Status.ALREADY_ACKNOWLEDGED);
        }
        Acknowledgement ack = new Acknowledgement(by, at, comment, via);
        List<AlertHistoryEntry> history = new ArrayList<>();
        Map<String, List<Alert>> byGroup = new TreeMap<>();
        for (Alert a : fresh) {
            Alert acked = a.with(b -> b.acknowledgement = ack);
            alerts.put(acked.fingerprint(), acked);
            history.add(AlertHistoryEntry.of(acked, at, Event.ACKNOWLEDGED, acked.state(),
                    by + (ack.comment().isEmpty() ? "" : ": " + ack.comment())));
            byGroup.computeIfAbsent(acked.groupKey(), k -> new ArrayList<>()).add(acked);
        }
        List<NotificationIntent> intents = new ArrayList<>();
        byGroup.forEach((key, acked) -> {
            AlertGroup g = groups.get(key);
            if (g == null) {
                return;
            }
            // Only receivers that were told the alert fires hear that someone took it on.
            List<Alert> told = acked.stream().filter(a -> g.notified().contains(a.fingerprint()) && !a.muted())
                    .toList();
            if (!told.isEmpty()) {
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("acknowledged_by", by);
                extra.put("ack_comment", ack.comment());
                extra.put("ack_via", ack.via());
                groups.put(key, emit(g, Kind.ACKNOWLEDGED, told, extra, at, intents));
            }
        });
        return new AckOutcome(AckOutcome.Status.ACKNOWLEDGED, intents, history);
    }

    // --- silences and maintenance windows ----------------------------------------------------------------------------

    /** Adds a silence, or replaces the one with its id; it applies from the next evaluation. */
    public synchronized void putSilence(Silence silence) {
        silences.put(silence.id(), Objects.requireNonNull(silence, "silence"));
    }

    /** Ends a silence now (by the injected clock); empty if there is no such silence. */
    public synchronized Optional<Silence> expireSilence(String id) {
        Silence s = silences.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Silence expired = s.expiredAt(clock.instant());
        silences.put(id, expired);
        return Optional.of(expired);
    }

    /** Every silence, active, future or recently expired, by id. */
    public synchronized List<Silence> silences() {
        return List.copyOf(silences.values());
    }

    /** Adds a maintenance window, or replaces the one with its id; it applies from the next evaluation. */
    public synchronized void putMaintenanceWindow(MaintenanceWindow window) {
        windows.put(window.id(), Objects.requireNonNull(window, "window"));
    }

    /** Removes a maintenance window; returns whether it existed. */
    public synchronized boolean removeMaintenanceWindow(String id) {
        return windows.remove(id) != null;
    }

    /** Every maintenance window, by id. */
    public synchronized List<MaintenanceWindow> maintenanceWindows() {
        return List.copyOf(windows.values());
    }

    // --- views and state ---------------------------------------------------------------------------------------------

    /** The tracked alerts for the API: firing first, then pending, resolved, inactive; by priority, then age. */
    public synchronized List<AlertView> alerts() {
        Comparator<Alert> order = Comparator.<Alert>comparingInt(a -> switch (a.state()) {
                    case FIRING -> 0;
                    case PENDING -> 1;
                    case RESOLVED -> 2;
                    case INACTIVE -> 3;
                })
                .thenComparing(Alert::priority)
                .thenComparing(Alert::since)
                .thenComparing(Alert::fingerprint);
        return alerts.values().stream().sorted(order).map(AlertView::of).toList();
    }

    /** One alert for the API. */
    public synchronized Optional<AlertView> alert(String fingerprint) {
        return Optional.ofNullable(alerts.get(fingerprint)).map(AlertView::of);
    }

    /** The open notification groups, by key. */
    public synchronized List<AlertGroup> groups() {
        return List.copyOf(groups.values());
    }

    /** Everything to store so that {@link #restore} can carry on. */
    public synchronized LifecycleState snapshot() {
        return new LifecycleState(LifecycleState.CURRENT_VERSION, lastEvaluation, List.copyOf(alerts.values()),
                List.copyOf(groups.values()), List.copyOf(silences.values()), List.copyOf(windows.values()));
    }

    // --- internals ---------------------------------------------------------------------------------------------------

    private String groupKeyOf(RatedObservation rated) {
        var o = rated.observation();
        return MatchLabels.groupKey(MatchLabels.groupLabels(config.groupBy(),
                MatchLabels.of(o.ruleId(), o.labels(), rated.rating(), o.severity())));
    }

    private void applyMuting(Instant now, List<AlertHistoryEntry> history) {
        List<Silence> activeSilences = silences.values().stream().filter(s -> s.activeAt(now)).toList();
        List<MaintenanceWindow> activeWindows = windows.values().stream()
                .filter(w -> w.occurrenceAt(now).isPresent()).toList();
        for (Alert a : List.copyOf(alerts.values())) {
            Map<String, String> labels = MatchLabels.of(a);
            List<String> silencedBy = activeSilences.stream().filter(s -> s.matches(labels)).map(Silence::id).toList();
            List<String> mutedBy = activeWindows.stream().filter(w -> w.mutes(labels, a.rating()))
                    .map(MaintenanceWindow::id).toList();
            List<String> inhibitedBy = inhibitors(a, now);
            if (silencedBy.equals(a.silencedBy()) && mutedBy.equals(a.mutedBy())
                    && inhibitedBy.equals(a.inhibitedBy())) {
                continue;
            }
            Alert next = a.with(b -> {
                b.silencedBy = silencedBy;
                b.mutedBy = mutedBy;
                b.inhibitedBy = inhibitedBy;
            });
            alerts.put(a.fingerprint(), next);
            if (next.state() == AlertState.FIRING || next.state() == AlertState.PENDING) {
                if (a.silencedBy().isEmpty() != silencedBy.isEmpty()) {
                    history.add(AlertHistoryEntry.of(next, now, silencedBy.isEmpty() ? Event.UNSILENCED
                            : Event.SILENCED, next.state(), String.join(",", silencedBy.isEmpty() ? a.silencedBy()
                            : silencedBy)));
                }
                if (a.mutedBy().isEmpty() != mutedBy.isEmpty()) {
                    history.add(AlertHistoryEntry.of(next, now, mutedBy.isEmpty() ? Event.UNMUTED : Event.MUTED,
                            next.state(), String.join(",", mutedBy.isEmpty() ? a.mutedBy() : mutedBy)));
                }
                if (a.inhibitedBy().isEmpty() != inhibitedBy.isEmpty()) {
                    history.add(AlertHistoryEntry.of(next, now, inhibitedBy.isEmpty() ? Event.UNINHIBITED
                            : Event.INHIBITED, next.state(), String.join(",", inhibitedBy.isEmpty()
                            ? a.inhibitedBy() : inhibitedBy)));
                }
            }
        }
    }

    /**
     * The rules of the alerts that inhibit {@code a}: same family, same labels, more severe, and firing or resolved
     * less than {@link #INHIBIT_AFTER_RESOLVED} ago. The SPEC's table gives every statistic a critical, a high and a
     * medium rule; when the critical one fires, the high and medium ones describe the same problem and would only page
     * again (Alertmanager's inhibit rules, built in). Their recovery thresholds are lower, so they resolve a little
     * after the critical one: the grace keeps that tail from announcing a problem whose end was just notified.
     */
    private List<String> inhibitors(Alert a, Instant now) {
        if (a.family() == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Alert other : alerts.values()) {
            boolean inhibiting = other.state() == AlertState.FIRING || (other.state() == AlertState.RESOLVED
                    && now.isBefore(other.since().plus(INHIBIT_AFTER_RESOLVED)));
            if (inhibiting && a.family().equals(other.family())
                    && other.severity().compareTo(a.severity()) < 0 && other.labels().equals(a.labels())) {
                out.add(other.ruleId());
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * Notifies a group if its timers allow: new firing alerts (or a higher priority) and resolutions wait for the
     * group wait (first notification) or the group interval (later ones); an unchanged firing group is repeated
     * every repeat interval while any of its alerts is unacknowledged.
     */
    private void flush(AlertGroup group, Instant now, List<NotificationIntent> intents) {
        List<Alert> members = alerts.values().stream().filter(a -> a.groupKey().equals(group.key())).toList();
        List<Alert> notifiable = members.stream().filter(a -> a.state() == AlertState.FIRING && !a.muted()).toList();
        // A muted alert writes no intents at all, its resolution included; if it still fires when the silence
        // ends it is announced again.
        List<String> notified = group.notified().stream()
                .filter(fp -> alerts.containsKey(fp) && !alerts.get(fp).muted()).toList();
        for (String fp : group.notified()) {
            if (!notified.contains(fp) && alerts.containsKey(fp)) {
                // Its escalation starts over when it is announced again.
                alerts.put(fp, alerts.get(fp).with(b -> {
                    b.escalationClockFrom = null;
                    b.escalationLevel = 0;
                }));
            }
        }
        AlertGroup g = notified.equals(group.notified()) ? group : group.withNotified(notified);
        List<Alert> newlyFiring = notifiable.stream().filter(a -> !notified.contains(a.fingerprint())).toList();
        List<Alert> resolved = notified.stream().map(alerts::get).filter(a -> a.state() != AlertState.FIRING)
                .toList();

        if (!notifiable.isEmpty() || !resolved.isEmpty()) {
            List<Alert> involved = new ArrayList<>(notifiable);
            involved.addAll(resolved);
            GroupTiming timing = config.timing(highestPriority(involved));
            boolean raised = !notifiable.isEmpty() && g.notifiedPriority() != null
                    && highestPriority(notifiable).compareTo(g.notifiedPriority()) < 0;
            boolean changed = !newlyFiring.isEmpty() || !resolved.isEmpty() || raised;
            boolean due = g.lastFlushAt() == null
                    ? reached(g.createdAt(), now, timing.groupWait())
                    : reached(g.lastFlushAt(), now, timing.groupInterval());
            boolean repeat = !notifiable.isEmpty() && g.lastFiringAt() != null
                    && reached(g.lastFiringAt(), now, timing.repeatInterval())
                    && notifiable.stream().anyMatch(a -> a.acknowledgement() == null);
            if ((due && changed) || repeat) {
                if (!notifiable.isEmpty() && (!newlyFiring.isEmpty() || raised || repeat)) {
                    boolean isRepeat = newlyFiring.isEmpty() && !raised;
                    Map<String, Object> extra = new LinkedHashMap<>();
                    extra.put("repeat", isRepeat);
                    extra.put("flapping", notifiable.stream().anyMatch(Alert::flapping));
                    g = emit(g, Kind.FIRING, notifiable, extra, now, intents).fired(now, highestPriority(notifiable));
                    for (Alert a : newlyFiring) {
                        if (a.escalationClockFrom() == null) {
                            alerts.put(a.fingerprint(), a.with(b -> b.escalationClockFrom = now));
                        }
                    }
                }
                if (!resolved.isEmpty()) {
                    Map<String, Object> extra = new LinkedHashMap<>();
                    extra.put("group_resolved", notifiable.isEmpty());
                    Map<String, String> reasons = new TreeMap<>();
                    resolved.forEach(a -> reasons.put(a.fingerprint(), a.resolution() == null ? "not firing"
                            : a.resolution().name().toLowerCase(java.util.Locale.ROOT)));
                    extra.put("resolutions", Collections.unmodifiableMap(reasons));
                    g = emit(g, Kind.RESOLVED, resolved, extra, now, intents);
                }
                g = g.flushed(now, notifiable.stream().map(Alert::fingerprint).toList());
            }
        }
        if (g.notified().isEmpty() && members.stream().noneMatch(a -> a.state() == AlertState.FIRING)) {
            groups.remove(g.key());
        } else {
            groups.put(g.key(), g);
        }
    }

    /**
     * A notified, unacknowledged, unmuted firing alert escalates once per {@link Priority#escalateAfter()} since its
     * first notification (level 1 after one period, 2 after two...); a tick that skips periods escalates once, to the
     * current level.
     */
    private void escalate(Instant now, List<NotificationIntent> intents, List<AlertHistoryEntry> history) {
        for (AlertGroup g : List.copyOf(groups.values())) {
            List<Alert> escalated = new ArrayList<>();
            for (String fp : g.notified()) {
                Alert a = alerts.get(fp);
                Duration period = a.priority().escalateAfter();
                if (a.state() != AlertState.FIRING || a.muted() || a.acknowledgement() != null
                        || a.escalationClockFrom() == null || period == null) {
                    continue;
                }
                int level = (int) Math.min(Integer.MAX_VALUE,
                        Duration.between(a.escalationClockFrom(), now).dividedBy(period));
                if (level > a.escalationLevel()) {
                    Alert next = a.with(b -> b.escalationLevel = level);
                    alerts.put(fp, next);
                    history.add(AlertHistoryEntry.of(next, now, Event.ESCALATED, next.state(),
                            "level " + level + ": not acknowledged within " + period.multipliedBy(level)));
                    escalated.add(next);
                }
            }
            if (!escalated.isEmpty()) {
                int level = escalated.stream().mapToInt(Alert::escalationLevel).max().orElseThrow();
                groups.put(g.key(), emit(g, Kind.ESCALATED, escalated, Map.of("escalation_level", level), now,
                        intents));
            }
        }
    }

    /** Drops what no longer matters: long-resolved alerts nobody is waiting to hear about, old silences and windows. */
    private void forget(Instant now) {
        Set<String> awaited = new HashSet<>();
        groups.values().forEach(g -> awaited.addAll(g.notified()));
        alerts.values().removeIf(a -> (a.state() == AlertState.INACTIVE || a.state() == AlertState.RESOLVED)
                && reached(a.since(), now, config.resolvedRetention()) && !awaited.contains(a.fingerprint()));
        silences.values().removeIf(s -> reached(s.endsAt(), now, config.expiredRetention()));
        Predicate<MaintenanceWindow> ended = w -> w.rrule() == null
                && reached(w.end().atZone(ZoneId.of(w.timeZone())).toInstant(), now, config.expiredRetention());
        windows.values().removeIf(ended);
    }

    private AlertGroup emit(AlertGroup g, Kind kind, List<Alert> included, Map<String, Object> extra, Instant at,
                            List<NotificationIntent> intents) {
        long seq = g.sequence() + 1;
        List<Alert> ordered = included.stream()
                .sorted(Comparator.comparing(Alert::priority).thenComparing(Alert::fingerprint)).toList();
        List<AlertSummary> summaries = ordered.stream().map(a -> new AlertSummary(a.fingerprint(), a.ruleId(),
                a.labels(), a.severity(), a.summary(), a.rating().explanation(), a.firingSince())).toList();
        Map<String, Object> context = new TreeMap<>(weddingContext);
        context.putAll(extra);
        intents.add(new NotificationIntent(g.intentKey(seq, kind.name()), g.key(), kind, highestPriority(ordered),
                highestImpact(ordered), summaries, Collections.unmodifiableMap(context), at));
        return g.withSequence(seq);
    }

    private static Priority highestPriority(List<Alert> alerts) {
        return alerts.stream().map(Alert::priority).min(Comparator.naturalOrder()).orElseThrow();
    }

    private static Impact highestImpact(List<Alert> alerts) {
        return alerts.stream().map(a -> a.rating().impact()).min(Comparator.naturalOrder()).orElseThrow();
    }

    private static boolean reached(Instant from, Instant now, Duration period) {
        return !Duration.between(from, now).minus(period).isNegative();
    }
}
