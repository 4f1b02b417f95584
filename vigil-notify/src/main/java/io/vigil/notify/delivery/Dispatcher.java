package io.vigil.notify.delivery;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent.AlertSummary;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.Priority;
import io.vigil.alerting.Severity;
import io.vigil.alerting.lifecycle.LifecycleJson;
import io.vigil.core.outbound.RetryPolicy;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.notify.incident.IncidentLog;
import io.vigil.store.StateStore.OutboxItem;
import io.vigil.store.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends queued deliveries (A5): claims them from the state store (on PostgreSQL with {@code FOR UPDATE SKIP LOCKED},
 * so each is sent by one node), and sends each on its own virtual thread through its receiver's Resilience4j
 * bulkhead (at most {@value #CONCURRENT_PER_RECEIVER} sends at once per receiver) and circuit breaker, so that a slow
 * or failing receiver never holds up another. A failed send is retried with {@link RetryPolicy}'s backoff (the far
 * side's {@code Retry-After} honoured); a delivery still failing after the policy's fallback time also goes to the
 * route's fallback receiver; one rejected for good, or still failing after the policy's give-up time, becomes a dead
 * letter. Every failure that reaches the fallback or the dead letters is itself reported as a P1 alert
 * ({@code vigil.delivery-failing}), and every attempt is counted in {@link DeliveryMetrics}.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    static final int CONCURRENT_PER_RECEIVER = 4;
    /** Longer than any channel's timeout: a node dying mid-send leaves the delivery to another after this. */
    static final Duration CLAIM = Duration.ofSeconds(30);
    static final Duration BUSY_RETRY = Duration.ofMillis(250);
    public static final String FAILING_RULE = "vigil.delivery-failing";

    private final StateStore state;
    private final Map<String, Receiver> receivers;
    private final CoordinatorContacts contacts;
    private final IncidentLog incidents;
    private final DeliveryMetrics metrics;
    private final RetryPolicy policy;
    private final Clock clock;
    private final String consumer;
    private final Map<String, CircuitBreaker> breakers = new HashMap<>();
    private final Map<String, Bulkhead> bulkheads = new HashMap<>();
    private final ExecutorService sends = Executors.newVirtualThreadPerTaskExecutor();
    /** Each receiver's latest failure reason, quoted while its circuit is open. */
    private final Map<String, String> lastFailure = new java.util.concurrent.ConcurrentHashMap<>();

    public Dispatcher(StateStore state, Map<String, Receiver> receivers, CoordinatorContacts contacts,
                      IncidentLog incidents, DeliveryMetrics metrics, RetryPolicy policy, Clock clock, String consumer) {
        this.state = state;
        this.receivers = Map.copyOf(receivers);
        this.contacts = contacts;
        this.incidents = incidents;
        this.metrics = metrics;
        this.policy = policy;
        this.clock = clock;
        this.consumer = consumer;
        CircuitBreakerConfig breaker = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED).slidingWindowSize(10)
                .minimumNumberOfCalls(4).failureRateThreshold(50).waitDurationInOpenState(Duration.ofSeconds(30))
                .permittedNumberOfCallsInHalfOpenState(1).build();
        BulkheadConfig bulkhead = BulkheadConfig.custom().maxConcurrentCalls(CONCURRENT_PER_RECEIVER)
                .maxWaitDuration(Duration.ZERO).build();
        for (String name : this.receivers.keySet()) {
            breakers.put(name, CircuitBreaker.of("receiver-" + name, breaker));
            bulkheads.put(name, Bulkhead.of("receiver-" + name, bulkhead));
        }
    }

    /** The circuit breaker state of each receiver ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}). */
    public Map<String, String> circuits() {
        Map<String, String> out = new java.util.TreeMap<>();
        breakers.forEach((name, b) -> out.put(name, b.getState().name()));
        return out;
    }

    /** Claims up to {@code limit} due deliveries and starts sending them; returns how many were claimed. */
    public int dispatchOnce(int limit) {
        List<OutboxItem> items = state.claim(Delivery.QUEUE, consumer, limit, CLAIM);
        for (OutboxItem item : items) {
            Delivery d;
            try {
                d = LifecycleJson.read(item.json(), Delivery.class);
            } catch (RuntimeException e) {
                LOG.error("delivery {} cannot be read and is set aside: {}", item.id(), e.getMessage());
                state.deadLetter(item.id(), consumer, "unreadable delivery");
                continue;
            }
            Receiver receiver = receivers.get(d.receiver());
            if (receiver == null) {
                state.deadLetter(item.id(), consumer, "receiver " + d.receiver() + " is not configured on this node");
                continue;
            }
            CircuitBreaker breaker = breakers.get(receiver.name());
            Bulkhead bulkhead = bulkheads.get(receiver.name());
            if (!breaker.tryAcquirePermission()) {
                metrics.attempt(receiver, "circuit_open", 0, clock.instant(), null);
                failed(item, d, "circuit open after repeated failures, the latest "
                        + lastFailure.getOrDefault(receiver.name(), "unknown"), null);
                continue;
            }
            if (!bulkhead.tryAcquirePermission()) {
                breaker.releasePermission();
                metrics.attempt(receiver, "busy", 0, clock.instant(), null);
                state.retryLater(item.id(), consumer, BUSY_RETRY);
                continue;
            }
            sends.execute(() -> {
                try {
                    send(item, d, receiver, breaker);
                } catch (RuntimeException e) {
                    LOG.error("delivery to {} failed unexpectedly, will retry: {}", receiver.name(), e.toString());
                } finally {
                    bulkhead.onComplete();
                }
            });
        }
        return items.size();
    }

    private void send(OutboxItem item, Delivery d, Receiver receiver, CircuitBreaker breaker) {
        List<String> to = List.of();
        if (receiver.toCoordinators()) {
            to = contacts.forChannel(receiver.channel().type(), d.message().context().affectedWeddings());
            if (to.isEmpty()) {
                breaker.releasePermission();
                state.complete(item.id(), consumer);
                incidentLine(d, "skipped", receiver.name(), "no coordinator contact for the affected weddings");
                return;
            }
        }
        long start = System.nanoTime();
        SendOutcome outcome = receiver.channel().send(d.message(), to);
        long took = System.nanoTime() - start;
        Instant now = clock.instant();
        switch (outcome) {
            case SendOutcome.Delivered ok -> {
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                state.complete(item.id(), consumer);
                metrics.attempt(receiver, "delivered", ok.status(), now, Duration.between(d.message().at(), now));
                incidentLine(d, "sent", receiver.name(), "status " + ok.status());
            }
            case SendOutcome.Retry retry -> {
                breaker.onError(took, TimeUnit.NANOSECONDS, new DeliveryFailure(retry.reason()));
                lastFailure.put(receiver.name(), retry.reason());
                metrics.attempt(receiver, "retry", retry.status(), now, null);
                failed(item, d, retry.reason(), retry.retryAfter());
            }
            case SendOutcome.Rejected rejected -> {
                // The receiver answered: a bad message or configuration, not an unhealthy channel.
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                metrics.attempt(receiver, "rejected", rejected.status(), now, null);
                giveUp(item, d, "rejected: " + rejected.reason());
            }
        }
    }

    /** A failure that may pass: retry later, or give up when too old; fall back once old enough. */
    private void failed(OutboxItem item, Delivery d, String reason, Duration retryAfter) {
        Duration age = Duration.between(item.enqueuedAt(), clock.instant());
        if (age.compareTo(policy.giveUpAfter()) >= 0) {
            giveUp(item, d, "gave up after " + age.toMinutes() + " min: " + reason);
            return;
        }
        if (age.compareTo(policy.fallbackAfter()) >= 0) {
            fallBack(d, reason);
        }
        incidentLine(d, "failed", d.receiver(), reason);
        state.retryLater(item.id(), consumer, policy.delay(item.attempts() + 1, retryAfter));
    }

    private void giveUp(OutboxItem item, Delivery d, String reason) {
        LOG.warn("delivery to {} given up: {}", d.receiver(), reason);
        state.deadLetter(item.id(), consumer, reason);
        incidentLine(d, "gave-up", d.receiver(), reason);
        fallBack(d, reason);
    }

    /** Sends the message to the fallback receiver (once: its key is idempotent) and reports the failure. */
    private void fallBack(Delivery d, String reason) {
        if (d.fallback() != null && receivers.containsKey(d.fallback())) {
            Delivery instead = new Delivery(d.fallback(), d.message(), null, d.receiver(), d.incidentId());
            if (state.enqueue(Delivery.QUEUE, instead.key(), LifecycleJson.write(instead))) {
                incidentLine(d, "fallback", d.fallback(), "instead of " + d.receiver());
            }
        }
        reportFailing(d.receiver(), reason);
    }

    /**
     * A P1 alert of its own, routed like any other; its key allows one an hour per receiver, which also bounds the
     * reports of a failing report.
     */
    private void reportFailing(String receiver, String reason) {
        Instant now = clock.instant();
        long hour = now.getEpochSecond() / 3600;
        String group = FAILING_RULE + "|" + receiver;
        NotificationIntent intent = new NotificationIntent(group + "|" + hour, group, NotificationIntent.Kind.FIRING,
                Priority.P1, Impact.POTENTIAL, List.of(new AlertSummary(group, FAILING_RULE,
                Map.of("receiver", receiver), Severity.HIGH, "deliveries to " + receiver + " failing: " + reason,
                "notifications may not reach " + receiver + "; its fallback, if any, is used", now)),
                Map.of(), now);
        state.enqueue(StateStore.INTENTS, intent.idempotencyKey(), LifecycleJson.write(intent));
    }

    private void incidentLine(Delivery d, String event, String receiver, String detail) {
        if (d.incidentId() != null) {
            incidents.timeline(d.incidentId(), clock.instant(), event, receiver, detail);
        }
    }

    @Override
    public void close() {
        sends.shutdown();
        try {
            sends.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A send that failed in a way worth retrying, as the circuit breaker records it (no stack trace). */
    static final class DeliveryFailure extends RuntimeException {
        DeliveryFailure(String reason) {
            super(reason, null, false, false);
        }
    }
}
