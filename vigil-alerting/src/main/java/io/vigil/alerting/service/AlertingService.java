package io.vigil.alerting.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.alerting.EvaluationSchedule;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.Observation;
import io.vigil.alerting.impact.ImpactAssessor;
import io.vigil.alerting.lifecycle.AckTarget;
import io.vigil.alerting.lifecycle.AlertHistoryEntry;
import io.vigil.alerting.lifecycle.AlertLifecycle;
import io.vigil.alerting.lifecycle.LifecycleConfig;
import io.vigil.alerting.lifecycle.LifecycleJson;
import io.vigil.alerting.lifecycle.LifecycleOutput;
import io.vigil.alerting.lifecycle.LifecycleState;
import io.vigil.alerting.lifecycle.MaintenanceWindow;
import io.vigil.alerting.lifecycle.RatedObservation;
import io.vigil.alerting.lifecycle.Silence;
import io.vigil.alerting.rules.Rule;
import io.vigil.alerting.rules.RuleEvaluator;
import io.vigil.alerting.rules.RuleParser;
import io.vigil.calendar.ContextJson;
import io.vigil.calendar.WeddingCalendar;
import io.vigil.calendar.WeddingContext;
import io.vigil.core.WriteBatch;
import io.vigil.store.Lease;
import io.vigil.store.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs alerting on the node that holds the {@code alerting} lease: every second it evaluates the rules that are due
 * (see {@link EvaluationSchedule}), rates each finding's wedding impact, feeds the {@link AlertLifecycle}, and writes
 * what comes out to the {@link StateStore}: notification intents to the outbox first (idempotent keys, so a crash in
 * between repeats nothing), then the history, then the lifecycle snapshot. Acknowledgements, silences and maintenance
 * windows arrive as documents that any node may write ({@link AlertingRequests}); the evaluating node applies them
 * at its next tick. When another node takes the lease over it restores the snapshot: no firing alert is forgotten
 * and none fires twice.
 *
 * <p>Rules evaluated every second (wedding-critical operations while weddings are active) are also evaluated on
 * ingest: {@link #ingested} marks their metrics, and a round for just those rules runs at once on the alerting thread
 * (at most one every {@value #NUDGE_SPACING_MILLIS} ms), so a breaking sample need not wait for the next tick.
 */
public final class AlertingService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertingService.class);
    /** The alert history stream in the state store. */
    public static final String HISTORY = "alerts";
    static final Duration TICK = Duration.ofSeconds(1);
    /** How often the rule documents are read again. */
    static final Duration RULES_REFRESH = Duration.ofSeconds(5);
    /** How often the evaluating node prunes the alert history and the finished outbox items. */
    static final Duration PRUNE_EVERY = Duration.ofHours(1);
    /** How long the alert history is kept. */
    public static final Duration HISTORY_RETENTION = Duration.ofDays(90);
    /** How long finished notification intents and deliveries (dead letters included) are kept. */
    public static final Duration OUTBOX_RETENTION = Duration.ofDays(7);
    /** Least time between two rounds started by ingest: bounds their CPU under a steady stream of writes. */
    static final long NUDGE_SPACING_MILLIS = 100;

    private final StateStore state;
    private final RuleEvaluator evaluator;
    private final ImpactAssessor assessor = new ImpactAssessor();
    private final WeddingCalendar calendar;
    private final Lease lease;
    private final Clock clock;
    private final List<Rule> configuredRules;
    private final LifecycleConfig config;
    /** When each rule was last evaluated; a rule is due when its interval under the current context has passed. */
    private final Map<String, Instant> lastEvaluated = new HashMap<>();
    private AlertLifecycle lifecycle; // only while this node holds the lease; guarded by this
    private List<Rule> rules = List.of();
    private long rulesLoadedNanos = Long.MIN_VALUE / 2;
    private ScheduledExecutorService scheduler;
    /** Metrics of the rules evaluated every second at the latest tick; empty when none is (ingest then costs nothing). */
    private volatile Set<String> hotMetrics = Set.of();
    private final Set<String> dirtyMetrics = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean nudgePending = new AtomicBoolean();
    private volatile long lastNudgeNanos = System.nanoTime() - NUDGE_SPACING_MILLIS * 1_000_000;
    private volatile Runnable intentsWritten = () -> { };
    private final List<java.util.function.Consumer<List<NotificationIntent>>> intentObservers =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private Instant lastPruned = Instant.MIN;

    /**
     * @param configuredRules the rules of the config file (or the defaults); rules created through the API are read
     *     from the state store and override a configured rule of the same id
     */
    public AlertingService(StateStore state, RuleEvaluator evaluator, WeddingCalendar calendar, Lease lease,
                           Clock clock, List<Rule> configuredRules, LifecycleConfig config) {
        this.state = state;
        this.evaluator = evaluator;
        this.calendar = calendar;
        this.lease = lease;
        this.clock = clock;
        this.configuredRules = List.copyOf(configuredRules);
        this.config = config;
    }

    public AlertingService start() {
        return start(TICK);
    }

    /** Starts the rounds every {@code tick} (tests use a long one to see what ingest alone starts). */
    AlertingService start(Duration tick) {
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("vigil-alerting").daemon(true).factory());
        scheduler.scheduleWithFixedDelay(() -> guarded(this::tick), 0, tick.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void guarded(Runnable round) {
        try {
            round.run();
        } catch (RuntimeException e) {
            LOG.error("alert evaluation failed, will retry: {}", e.toString());
            synchronized (this) {
                lifecycle = null; // read the snapshot again: what was written is the truth
            }
        }
    }

    /** Whether {@link #ingested} would do anything now: some rule runs every second (a wedding is active). */
    public boolean wantsIngest() {
        return !hotMetrics.isEmpty() && scheduler != null;
    }

    /**
     * Tells alerting that a batch with series of these metrics was acknowledged ({@link WriteBatch#metricNames()}): if
     * a rule evaluated every second reads one of them, a round for those rules starts at once. Called on the ingest
     * path: a set lookup per metric, nothing at all while no rule runs every second.
     */
    public void ingested(Set<String> metrics) {
        Set<String> hot = hotMetrics;
        if (hot.isEmpty() || scheduler == null) {
            return;
        }
        boolean marked = false;
        for (String metric : metrics) {
            if (hot.contains(metric)) {
                dirtyMetrics.add(metric);
                marked = true;
            }
        }
        if (marked && nudgePending.compareAndSet(false, true)) {
            long wait = Math.max(0, lastNudgeNanos + NUDGE_SPACING_MILLIS * 1_000_000 - System.nanoTime());
            try {
                scheduler.schedule(() -> guarded(this::nudgedRound), wait, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                nudgePending.set(false); // closed
            }
        }
    }

    /** The metrics of the rules evaluated every second at the latest tick. */
    Set<String> hotMetrics() {
        return hotMetrics;
    }

    /** Whether a round started by ingest is waiting to run. */
    boolean nudgeScheduled() {
        return nudgePending.get();
    }

    /** The rules evaluated every second whose metrics received data since the last such round. */
    private synchronized void nudgedRound() {
        nudgePending.set(false);
        lastNudgeNanos = System.nanoTime();
        Set<String> metrics = new java.util.HashSet<>(dirtyMetrics);
        dirtyMetrics.removeAll(metrics);
        if (lifecycle == null || !lease.tryAcquire()) {
            return; // not evaluating here: the tick restores or leaves it to the lease holder
        }
        Instant now = clock.instant();
        WeddingContext context = calendar.contextAt(now);
        List<Rule> due = new ArrayList<>();
        for (Rule r : rules()) {
            if (metrics.contains(r.metric()) && interval(r, context).compareTo(TICK) <= 0) {
                due.add(r);
                lastEvaluated.put(r.id(), now);
            }
        }
        if (!due.isEmpty()) {
            evaluate(due, now, context);
        }
    }

    private static Duration interval(Rule r, WeddingContext context) {
        return EvaluationSchedule.interval(r.interval().orElse(null), r.metric(), r.filters(), context);
    }

    /** One evaluation round; returns the intents written (none when this node does not hold the lease). */
    public synchronized List<NotificationIntent> tick() {
        if (!lease.tryAcquire()) {
            lifecycle = null;
            hotMetrics = Set.of();
            return List.of();
        }
        if (lifecycle == null) {
            lifecycle = restore();
            lastEvaluated.clear();
        }
        Instant now = clock.instant();
        prune(now);
        List<Rule> current = rules();
        applyRequests(now);
        WeddingContext context = calendar.contextAt(now);
        List<Rule> due = new ArrayList<>();
        Set<String> hot = new java.util.HashSet<>();
        for (Rule r : current) {
            // The interval is worked out again at every tick: when a wedding becomes active, its rules speed up at once.
            Duration interval = interval(r, context);
            if (interval.compareTo(TICK) <= 0) {
                hot.add(r.metric());
            }
            Instant last = lastEvaluated.get(r.id());
            if (last == null || !now.isBefore(last.plus(interval))) {
                due.add(r);
                lastEvaluated.put(r.id(), now);
            }
        }
        List<NotificationIntent> written = evaluate(due, now, context);
        hotMetrics = Set.copyOf(hot); // after the round, so that a test seeing it knows the round is done
        return written;
    }

    /** Evaluates the rules, rates and feeds the findings to the lifecycle, and writes what comes out. */
    private List<NotificationIntent> evaluate(List<Rule> due, Instant now, WeddingContext context) {
        List<RatedObservation> rated = new ArrayList<>();
        for (Observation o : evaluator.evaluateAll(due, now)) {
            rated.add(new RatedObservation(o, assessor.rate(o, context)));
        }
        LifecycleOutput out = lifecycle.evaluate(rated, now, ContextJson.write(context));
        write(out.intents(), out.history());
        return out.intents();
    }

    /** Keeps the state bounded: history older than 90 days, finished outbox items older than 7 days go. */
    private void prune(Instant now) {
        if (now.isBefore(lastPruned.plus(PRUNE_EVERY))) {
            return;
        }
        lastPruned = now;
        long history = state.pruneHistory(now.minus(HISTORY_RETENTION));
        long outbox = state.pruneOutbox(now.minus(OUTBOX_RETENTION));
        if (history + outbox > 0) {
            LOG.info("pruned {} alert history entries and {} finished outbox items", history, outbox);
        }
    }

    private AlertLifecycle restore() {
        Optional<String> snapshot = state.get(AlertingRequests.LIFECYCLE_KIND, AlertingRequests.LIFECYCLE_ID);
        if (snapshot.isEmpty()) {
            LOG.info("alerting starts on this node with no earlier state");
            return new AlertLifecycle(config, clock);
        }
        LifecycleState s = LifecycleJson.readState(snapshot.get());
        LOG.info("alerting takes over on this node: {} alerts restored", s.alerts().size());
        return AlertLifecycle.restore(s, config, clock);
    }

    /** The rules in force now: the configured ones, overridden and extended by those created through the API. */
    public List<Rule> rulesInForce() {
        Map<String, Rule> byId = new LinkedHashMap<>();
        configuredRules.forEach(r -> byId.put(r.id(), r));
        for (String json : state.list(AlertingRequests.RULE_KIND).values()) {
            try {
                Rule r = RuleParser.parseRule(json);
                byId.put(r.id(), r);
            } catch (IllegalArgumentException e) {
                LOG.error("a stored rule cannot be read and is skipped: {}", e.getMessage());
            }
        }
        return List.copyOf(byId.values());
    }

    private List<Rule> rules() {
        long now = System.nanoTime();
        if (now - rulesLoadedNanos >= RULES_REFRESH.toNanos()) {
            rules = rulesInForce();
            rulesLoadedNanos = now;
        }
        return rules;
    }

    /** Applies what API calls on any node asked for: acknowledgements, silences, maintenance windows. */
    private void applyRequests(Instant now) {
        List<NotificationIntent> intents = new ArrayList<>();
        List<AlertHistoryEntry> history = new ArrayList<>();
        for (Map.Entry<String, String> e : state.list(AlertingRequests.ACK_KIND).entrySet()) {
            JsonNode ack = AlertingRequests.tree(e.getValue());
            AckTarget target = new AckTarget(AckTarget.Scope.valueOf(ack.path("scope").asText("ALERT")),
                    ack.path("target").asText());
            var outcome = lifecycle.acknowledge(target, ack.path("by").asText("api"), ack.path("comment").asText(null),
                    ack.path("via").asText("api"), now);
            intents.addAll(outcome.intents());
            history.addAll(outcome.history());
            state.delete(AlertingRequests.ACK_KIND, e.getKey());
        }
        Map<String, String> silences = state.list(AlertingRequests.SILENCE_KIND);
        for (String json : silences.values()) {
            Silence s = LifecycleJson.read(json, Silence.class);
            if (lifecycle.silences().stream().noneMatch(x -> x.equals(s))) {
                lifecycle.putSilence(s);
            }
        }
        for (Silence s : lifecycle.silences()) {
            if (!silences.containsKey(s.id()) && s.activeAt(now)) {
                lifecycle.expireSilence(s.id());
            }
        }
        Map<String, String> windows = state.list(AlertingRequests.WINDOW_KIND);
        for (String json : windows.values()) {
            MaintenanceWindow w = LifecycleJson.read(json, MaintenanceWindow.class);
            if (lifecycle.maintenanceWindows().stream().noneMatch(x -> x.equals(w))) {
                lifecycle.putMaintenanceWindow(w);
            }
        }
        for (MaintenanceWindow w : List.copyOf(lifecycle.maintenanceWindows())) {
            if (!windows.containsKey(w.id())) {
                lifecycle.removeMaintenanceWindow(w.id());
            }
        }
        write(intents, history);
    }

    /** Called after a round wrote notification intents (delivery then picks them up at once). */
    public void whenIntentsWritten(Runnable listener) {
        this.intentsWritten = listener;
    }

    /**
     * Also shows every intent written to an observer (exports mark P0/P1 incidents on other tools), on the alerting
     * thread after the intents are durable; the observer must not block, and its failures are logged and ignored.
     */
    public void observeIntents(java.util.function.Consumer<List<NotificationIntent>> observer) {
        intentObservers.add(observer);
    }

    /** Outbox first, then history, then the snapshot: see the class comment. */
    private void write(List<NotificationIntent> intents, List<AlertHistoryEntry> history) {
        for (NotificationIntent i : intents) {
            state.enqueue(i.idempotencyKey(), LifecycleJson.write(i));
        }
        if (!intents.isEmpty()) {
            intentsWritten.run();
            for (var observer : intentObservers) {
                try {
                    observer.accept(List.copyOf(intents));
                } catch (RuntimeException e) {
                    LOG.warn("an intent observer failed: {}", e.toString());
                }
            }
        }
        for (AlertHistoryEntry h : history) {
            state.append(HISTORY, h.at(), LifecycleJson.write(h));
        }
        state.put(AlertingRequests.LIFECYCLE_KIND, Map.of(AlertingRequests.LIFECYCLE_ID,
                LifecycleJson.writeState(lifecycle.snapshot())));
    }

    /** Whether this node evaluated at its last tick. */
    public synchronized boolean evaluating() {
        return lifecycle != null;
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        lease.close();
    }
}
