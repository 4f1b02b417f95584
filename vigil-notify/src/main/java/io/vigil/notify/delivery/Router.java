package io.vigil.notify.delivery;

import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.lifecycle.LifecycleJson;
import io.vigil.notify.Message;
import io.vigil.notify.MessageBuilder;
import io.vigil.notify.incident.IncidentLog;
import io.vigil.notify.routing.RoutingTree;
import io.vigil.store.StateStore;
import io.vigil.store.StateStore.OutboxItem;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns notification intents into deliveries: claims intents from the state store, builds each one's message, asks
 * the routing tree for its receivers, records the incident when the route keeps one, and enqueues one delivery per
 * receiver (idempotent: a re-routed intent enqueues nothing twice) before completing the intent. A receiver the
 * tree names but the config does not define is replaced by its fallback, or skipped and listed by
 * {@link #unconfigured()}.
 */
public final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    static final Duration CLAIM = Duration.ofSeconds(30);
    /**
     * Intents older than this when routed (written while no receiver was configured, or while delivery was down for
     * long) are set aside as dead letters rather than sent: an hour-old page helps nobody and a backlog would flood.
     */
    public static final Duration MAX_AGE = Duration.ofHours(1);

    private final StateStore state;
    private final RoutingTree tree;
    private final MessageBuilder messages;
    private final Map<String, Receiver> receivers;
    private final IncidentLog incidents;
    private final String consumer;
    private final Clock clock;
    private final Set<String> unconfigured = ConcurrentHashMap.newKeySet();

    public Router(StateStore state, RoutingTree tree, MessageBuilder messages, Map<String, Receiver> receivers,
                  IncidentLog incidents, Clock clock, String consumer) {
        this.state = state;
        this.clock = clock;
        this.tree = tree;
        this.messages = messages;
        this.receivers = Map.copyOf(receivers);
        this.incidents = incidents;
        this.consumer = consumer;
    }

    /** Routes up to {@code limit} waiting intents; returns how many were claimed. */
    public int routeOnce(int limit) {
        var items = state.claim(StateStore.INTENTS, consumer, limit, CLAIM);
        for (OutboxItem item : items) {
            NotificationIntent intent;
            try {
                intent = LifecycleJson.read(item.json(), NotificationIntent.class);
            } catch (RuntimeException e) {
                LOG.error("notification intent {} cannot be read and is set aside: {}", item.key(), e.getMessage());
                state.deadLetter(item.id(), consumer, "unreadable intent");
                continue;
            }
            if (Duration.between(intent.at(), clock.instant()).compareTo(MAX_AGE) > 0) {
                state.deadLetter(item.id(), consumer, "older than " + MAX_AGE.toMinutes() + " min when routed");
                continue;
            }
            route(intent);
            state.complete(item.id(), consumer);
        }
        return items.size();
    }

    private void route(NotificationIntent intent) {
        Message message = messages.build(intent);
        RoutingTree.Routed routed = tree.route(intent);
        String incident = routed.incident() ? incidents.record(intent, message) : null;
        for (String name : routed.receivers()) {
            String target = name;
            String fallback = routed.fallbacks().get(name);
            String fallbackFor = null;
            if (!receivers.containsKey(name)) {
                unconfigured.add(name);
                if (fallback == null || !receivers.containsKey(fallback)) {
                    continue;
                }
                target = fallback;
                fallback = null;
                fallbackFor = name;
            }
            Delivery d = new Delivery(target, message, fallback, fallbackFor, incident);
            state.enqueue(Delivery.QUEUE, d.key(), LifecycleJson.write(d));
        }
    }

    /** Receivers the routes named that the config does not define (so far). */
    public Set<String> unconfigured() {
        return Set.copyOf(unconfigured);
    }
}
