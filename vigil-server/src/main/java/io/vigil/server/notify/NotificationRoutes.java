package io.vigil.server.notify;

import io.javalin.http.Context;
import io.vigil.alerting.lifecycle.LifecycleJson;
import io.vigil.notify.delivery.Delivery;
import io.vigil.notify.delivery.NotificationService;
import io.vigil.notify.incident.Incident;
import io.vigil.notify.incident.IncidentLog;
import io.vigil.server.http.HttpProblem;
import io.vigil.server.http.Requests;
import io.vigil.store.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The notification API: incidents with their timelines, and the delivery status (receivers, their circuits, what
 * waits, what was given up). Read-only; needs the {@code read} role. No answer carries a recipient or a secret.
 */
public final class NotificationRoutes {
    private final StateStore state;
    private final IncidentLog incidents;
    private final NotificationService service;
    private final Map<String, String> receiverTypes;

    /** @param receiverTypes each configured receiver's name and channel type */
    public NotificationRoutes(StateStore state, IncidentLog incidents, NotificationService service,
                              Map<String, String> receiverTypes) {
        this.state = state;
        this.incidents = incidents;
        this.service = service;
        this.receiverTypes = Map.copyOf(receiverTypes);
    }

    /** {@code GET /api/v1/incidents?limit=}: newest first. */
    public void incidents(Context ctx) {
        int limit = Requests.intParam(ctx, "limit", 50, 1, 1000);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Incident i : incidents.list(limit)) {
            out.add(write(i));
        }
        ctx.json(Map.of("incidents", out));
    }

    /** {@code GET /api/v1/incidents/{id}}: the incident and its timeline, oldest first. */
    public void incident(Context ctx) {
        String id = ctx.pathParam("id");
        Incident i = incidents.get(id).orElseThrow(() -> new HttpProblem(404, "no incident " + id));
        Map<String, Object> out = write(i);
        List<Map<String, Object>> timeline = new ArrayList<>();
        for (Incident.TimelineEntry e : incidents.timeline(id)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", e.at().toString());
            m.put("event", e.event());
            m.put("receiver", e.receiver());
            m.put("detail", e.detail());
            timeline.add(m);
        }
        out.put("timeline", timeline);
        ctx.json(out);
    }

    /** {@code GET /api/v1/notifications}: receivers, circuits, waiting deliveries and recent dead letters. */
    public void status(Context ctx) {
        Map<String, String> circuits = service.dispatcher().circuits();
        List<Map<String, Object>> receivers = new ArrayList<>();
        receiverTypes.forEach((name, type) -> receivers.add(Map.of("name", name, "type", type,
                "circuit", circuits.getOrDefault(name, "CLOSED"))));
        receivers.sort(java.util.Comparator.comparing(m -> (String) m.get("name")));
        List<Map<String, Object>> dead = new ArrayList<>();
        for (StateStore.DeadLetter d : state.deadLetters(Delivery.QUEUE, 20)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", d.at().toString());
            m.put("receiver", receiverOf(d.item().json()));
            m.put("reason", d.reason());
            m.put("attempts", d.item().attempts());
            dead.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("receivers", receivers);
        out.put("unconfigured", service.router().unconfigured().stream().sorted().toList());
        out.put("pendingIntents", state.pending(StateStore.INTENTS, 1000).size());
        out.put("pendingDeliveries", state.pending(Delivery.QUEUE, 1000).size());
        out.put("deadLetters", dead);
        ctx.json(out);
    }

    private static String receiverOf(String json) {
        try {
            return LifecycleJson.read(json, Delivery.class).receiver();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Map<String, Object> write(Incident i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("state", i.state());
        m.put("priority", i.priority().name());
        m.put("title", i.title());
        m.put("rules", i.rules());
        m.put("affectedWeddings", i.affectedWeddings());
        m.put("openedAt", i.openedAt().toString());
        m.put("acknowledgedAt", i.acknowledgedAt() == null ? null : i.acknowledgedAt().toString());
        m.put("acknowledgedBy", i.acknowledgedBy());
        m.put("resolvedAt", i.resolvedAt() == null ? null : i.resolvedAt().toString());
        m.put("group", i.groupKey());
        return m;
    }
}
