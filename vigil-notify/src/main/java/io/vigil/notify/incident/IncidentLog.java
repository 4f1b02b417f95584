package io.vigil.notify.incident;

import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.lifecycle.LifecycleJson;
import io.vigil.notify.Message;
import io.vigil.store.StateStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Incident records (A3) in the state store: one per firing episode of a group routed to an incident route, opened
 * when it fires, updated when it escalates or is acknowledged, closed when it resolves, with a timeline of what was
 * sent to whom and what failed. Thread-safe as the store is; two nodes routing intents of the same group at the same
 * moment could both open one (routing claims each intent once, and a group's intents are seconds apart).
 */
public final class IncidentLog {
    public static final String KIND = "incident";
    /** Group key to the id of its open incident. */
    static final String OPEN = "incident-open";
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final StateStore state;

    public IncidentLog(StateStore state) {
        this.state = state;
    }

    /** Records an intent of an incident route; returns the incident's id, or null for a change of no open incident. */
    public String record(NotificationIntent intent, Message message) {
        Optional<String> openId = state.get(OPEN, intent.groupKey());
        Incident current = openId.flatMap(this::get).orElse(null);
        List<String> rules = message.alerts().stream().map(Message.AlertLine::ruleId).distinct().toList();
        Incident next;
        String event;
        String detail = message.title();
        switch (intent.kind()) {
            case FIRING -> {
                if (current != null) {
                    next = new Incident(current.id(), current.groupKey(), intent.priority(), message.title(), rules,
                            message.context().affectedWeddings(), current.openedAt(), current.acknowledgedAt(),
                            current.acknowledgedBy(), null);
                    event = "updated";
                } else {
                    String id = "inc-" + ID_TIME.format(intent.at()) + "-"
                            + Integer.toHexString(intent.groupKey().hashCode() & 0x7fffffff);
                    next = new Incident(id, intent.groupKey(), intent.priority(), message.title(), rules,
                            message.context().affectedWeddings(), intent.at(), null, null, null);
                    event = "opened";
                }
            }
            case ESCALATED -> {
                if (current == null) {
                    return null;
                }
                next = new Incident(current.id(), current.groupKey(), intent.priority(), message.title(), rules,
                        current.affectedWeddings(), current.openedAt(), current.acknowledgedAt(),
                        current.acknowledgedBy(), null);
                event = "escalated";
            }
            case ACKNOWLEDGED -> {
                if (current == null) {
                    return null;
                }
                Object by = intent.context() == null ? null : intent.context().get("acknowledged_by");
                next = new Incident(current.id(), current.groupKey(), current.priority(), current.title(),
                        current.rules(), current.affectedWeddings(), current.openedAt(), intent.at(),
                        by == null ? "unknown" : by.toString(), null);
                event = "acknowledged";
                detail = "by " + next.acknowledgedBy();
            }
            case RESOLVED -> {
                if (current == null) {
                    return null;
                }
                next = new Incident(current.id(), current.groupKey(), current.priority(), message.title(),
                        current.rules(), current.affectedWeddings(), current.openedAt(), current.acknowledgedAt(),
                        current.acknowledgedBy(), intent.at());
                event = "resolved";
            }
            default -> throw new IllegalStateException("unknown kind " + intent.kind());
        }
        state.put(KIND, Map.of(next.id(), LifecycleJson.write(next)));
        if (next.resolvedAt() == null) {
            state.put(OPEN, Map.of(intent.groupKey(), next.id()));
        } else {
            state.delete(OPEN, intent.groupKey());
        }
        timeline(next.id(), intent.at(), event, null, detail);
        return next.id();
    }

    /** Adds a line to an incident's timeline. */
    public void timeline(String incidentId, Instant at, String event, String receiver, String detail) {
        state.append(stream(incidentId), at, LifecycleJson.write(new Incident.TimelineEntry(at, event, receiver,
                detail)));
    }

    public Optional<Incident> get(String id) {
        return state.get(KIND, id).map(json -> LifecycleJson.read(json, Incident.class));
    }

    /** Incidents, newest first, at most {@code limit}. */
    public List<Incident> list(int limit) {
        List<Incident> out = new ArrayList<>();
        for (String json : state.list(KIND).values()) {
            out.add(LifecycleJson.read(json, Incident.class));
        }
        out.sort(Comparator.comparing(Incident::openedAt).reversed());
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    /** An incident's timeline, oldest first. */
    public List<Incident.TimelineEntry> timeline(String id) {
        List<Incident.TimelineEntry> out = new ArrayList<>();
        for (StateStore.HistoryEntry h : state.history(stream(id), Instant.EPOCH, Instant.now().plusSeconds(86_400 * 365L),
                10_000)) {
            out.add(LifecycleJson.read(h.json(), Incident.TimelineEntry.class));
        }
        return out.reversed();
    }

    private static String stream(String incidentId) {
        return "incident:" + incidentId;
    }
}
