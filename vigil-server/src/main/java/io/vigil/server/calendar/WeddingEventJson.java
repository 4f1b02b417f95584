package io.vigil.server.calendar;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.core.wedding.WeddingEvent;
import io.vigil.core.wedding.WeddingEventType;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Reads the body of {@code POST /api/v1/weddings/{id}/events}: {@code {"events": [...]}}, validated as a whole. */
final class WeddingEventJson {
    static final int MAX_EVENTS = 10_000;
    static final int MAX_PROBLEMS = 20;
    private static final Set<String> FIELDS = Set.of("id", "type", "name", "ref", "at", "count");

    private WeddingEventJson() {}

    /**
     * The events of a body for one wedding.
     *
     * @throws IllegalArgumentException listing up to {@value #MAX_PROBLEMS} problems, each with the event's index
     */
    static List<WeddingEvent> read(JsonNode body, String weddingId) {
        JsonNode events = body == null ? null : body.get("events");
        if (events == null || !events.isArray()) {
            throw new IllegalArgumentException("the body must be {\"events\": [...]} with each event's id, type, at"
                    + " and, by type, name, ref or count");
        }
        if (events.size() > MAX_EVENTS) {
            throw new IllegalArgumentException(events.size() + " events in one request but at most " + MAX_EVENTS
                    + " are allowed; send them in several requests");
        }
        List<WeddingEvent> out = new ArrayList<>(events.size());
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            try {
                out.add(event(events.get(i), weddingId));
            } catch (IllegalArgumentException e) {
                if (problems.size() < MAX_PROBLEMS) {
                    problems.add("events[" + i + "]: " + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("nothing was stored: " + String.join("; ", problems));
        }
        return out;
    }

    private static WeddingEvent event(JsonNode e, String weddingId) {
        if (!e.isObject()) {
            throw new IllegalArgumentException("an event must be an object");
        }
        for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + io.vigil.server.http.Requests.shorten(f)
                        + "': an event has id, type, name, ref, at, count (no guest or vendor names)");
            }
        }
        String at = text(e, "at");
        if (at == null) {
            throw new IllegalArgumentException("at is required: an RFC 3339 time such as 2026-06-13T14:05:00Z");
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(at).toInstant();
        } catch (DateTimeException ex) {
            throw new IllegalArgumentException("at '" + io.vigil.server.http.Requests.shorten(at)
                    + "' is not an RFC 3339 time such as 2026-06-13T14:05:00Z");
        }
        JsonNode c = e.get("count");
        int count = 1;
        if (c != null && !c.isNull()) {
            if (!c.isIntegralNumber() || !c.canConvertToInt()) {
                throw new IllegalArgumentException("count must be a whole number");
            }
            count = c.intValue();
        }
        return new WeddingEvent(weddingId, text(e, "id"), WeddingEventType.parse(text(e, "type")), text(e, "name"),
                text(e, "ref"), instant, count);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return v.asText();
    }
}
