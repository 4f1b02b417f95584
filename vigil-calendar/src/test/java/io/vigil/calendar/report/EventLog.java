package io.vigil.calendar.report;

import io.vigil.core.wedding.WeddingEvent;
import io.vigil.core.wedding.WeddingEventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds a wedding's event list in the order written, with ids e1, e2, ... */
final class EventLog {
    private final String weddingId;
    private final String idPrefix;
    private final List<WeddingEvent> events = new ArrayList<>();

    EventLog(String weddingId) {
        this(weddingId, "e");
    }

    EventLog(String weddingId, String idPrefix) {
        this.weddingId = weddingId;
        this.idPrefix = idPrefix;
    }

    private EventLog add(WeddingEventType type, String name, String ref, Instant at, int count) {
        events.add(new WeddingEvent(weddingId, idPrefix + (events.size() + 1), type, name, ref, at, count));
        return this;
    }

    EventLog planned(String milestone, Instant at) {
        return add(WeddingEventType.MILESTONE_PLANNED, milestone, null, at, 1);
    }

    EventLog reached(String milestone, Instant at) {
        return add(WeddingEventType.MILESTONE_REACHED, milestone, null, at, 1);
    }

    EventLog checkin(Instant at, int guests) {
        return add(WeddingEventType.GUEST_CHECKIN, null, null, at, guests);
    }

    EventLog request(String vendor, String ref, Instant at) {
        return add(WeddingEventType.VENDOR_REQUEST, vendor, ref, at, 1);
    }

    EventLog ack(String ref, Instant at) {
        return add(WeddingEventType.VENDOR_ACK, null, ref, at, 1);
    }

    EventLog raised(String category, String ref, Instant at) {
        return add(WeddingEventType.EMERGENCY_RAISED, category, ref, at, 1);
    }

    EventLog response(String ref, Instant at) {
        return add(WeddingEventType.EMERGENCY_RESPONSE, null, ref, at, 1);
    }

    List<WeddingEvent> list() {
        return List.copyOf(events);
    }
}
