package io.vigil.server.notify;

import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.lifecycle.AckLinks;
import io.vigil.alerting.lifecycle.AckTarget;
import io.vigil.engine.StorageEngine;
import io.vigil.notify.MessageBuilder;
import io.vigil.notify.config.NotificationsConfig;
import io.vigil.notify.config.Receivers;
import io.vigil.notify.delivery.CoordinatorContacts;
import io.vigil.notify.delivery.DeliveryMetrics;
import io.vigil.notify.delivery.Dispatcher;
import io.vigil.notify.delivery.NotificationService;
import io.vigil.notify.delivery.Receiver;
import io.vigil.core.outbound.RetryPolicy;
import io.vigil.notify.delivery.Router;
import io.vigil.notify.incident.IncidentLog;
import io.vigil.notify.routing.RoutingTree;
import io.vigil.store.StateStore;
import io.vigil.store.WeddingStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a node's notification delivery from the config: the receivers (left out, with a warning, when their secret
 * is missing), the routing tree, signed acknowledgement links under {@code notifications.publicUrl}, the router and
 * dispatcher on this node, and the API routes.
 *
 * @param service routing and dispatch, started
 * @param routes the notification API
 */
public record Notifications(NotificationService service, NotificationRoutes routes) {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    /** How long a notification's acknowledgement link stays valid. */
    static final Duration ACK_LINK_VALIDITY = Duration.ofHours(24);

    public static Notifications start(NotificationsConfig config, StateStore state, WeddingStore weddings,
                                      StorageEngine engine, Map<String, String> env, Clock clock, String nodeId,
                                      Supplier<AckLinks> links) {
        Receivers built = Receivers.build(config, env, clock, "vigil/" + nodeId);
        built.problems().forEach(p -> LOG.warn("notifications: {}", p));
        Map<String, Receiver> receivers = built.receivers();
        RoutingTree tree = config.routes() == null ? RoutingTree.DEFAULT : new RoutingTree(config.routes());
        for (String name : receivers.isEmpty() ? java.util.Set.<String>of() : tree.receiverNames()) {
            if (!receivers.containsKey(name)) {
                LOG.info("notifications: receiver {} is named by the routes but not configured; its fallback is used",
                        name);
            }
        }
        IncidentLog incidents = new IncidentLog(state);
        Router router = new Router(state, tree, new MessageBuilder(ackLinks(config.publicUrl(), links, clock)),
                receivers, incidents, clock, nodeId);
        Dispatcher dispatcher = new Dispatcher(state, receivers, new CoordinatorContacts(weddings), incidents,
                new DeliveryMetrics(engine::write), RetryPolicy.DEFAULT, clock, nodeId);
        NotificationService service = new NotificationService(router, dispatcher);
        Map<String, String> types = new TreeMap<>();
        receivers.forEach((name, r) -> types.put(name, r.channel().type()));
        if (receivers.isEmpty()) {
            LOG.info("notifications: no receivers configured; notification intents stay in the outbox, nothing is"
                    + " sent (docs/notifications.md)");
        } else {
            service.start();
            LOG.info("notifications: {} receivers configured: {}", receivers.size(), types.keySet());
        }
        return new Notifications(service, new NotificationRoutes(state, incidents, service, types));
    }

    /** The signed link acknowledging an intent's group, or none without a public URL. */
    private static Function<NotificationIntent, String> ackLinks(String publicUrl, Supplier<AckLinks> links,
                                                                 Clock clock) {
        if (publicUrl == null) {
            return null;
        }
        String base = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        return intent -> base + "/api/v1/ack?token=" + URLEncoder.encode(links.get().sign(
                new AckTarget(AckTarget.Scope.GROUP, intent.groupKey()), "notification",
                clock.instant().plus(ACK_LINK_VALIDITY)), StandardCharsets.UTF_8);
    }
}
