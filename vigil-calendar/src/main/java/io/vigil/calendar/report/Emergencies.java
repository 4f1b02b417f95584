package io.vigil.calendar.report;

import io.vigil.core.wedding.WeddingEvent;
import io.vigil.core.wedding.WeddingEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The emergencies of the day by the time they were raised, with their response times. A response to an emergency
 * never reported as raised is ignored.
 *
 * @param items the emergencies
 * @param medianResponse median time to a first response of the answered ones; null when none
 * @param maxResponse slowest first response; null when none
 */
public record Emergencies(List<Emergency> items, Duration medianResponse, Duration maxResponse) {

    public Emergencies {
        items = List.copyOf(items);
    }

    /** The emergencies in {@code events} at {@code now}. */
    public static Emergencies of(List<WeddingEvent> events, Instant now) {
        Map<String, WeddingEvent> raised = new HashMap<>();
        Map<String, Instant> responses = new HashMap<>();
        for (WeddingEvent e : events) {
            if (e.type() == WeddingEventType.EMERGENCY_RAISED) {
                raised.merge(e.ref(), e, (a, b) -> b.at().isBefore(a.at()) ? b : a);
            } else if (e.type() == WeddingEventType.EMERGENCY_RESPONSE) {
                responses.merge(e.ref(), e.at(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        List<Emergency> items = new ArrayList<>();
        List<Duration> times = new ArrayList<>();
        for (WeddingEvent r : raised.values()) {
            Instant response = responses.get(r.ref());
            if (response != null) {
                Duration t = Durations.between(r.at(), response);
                times.add(t);
                items.add(new Emergency(r.ref(), r.name(), r.at(), response, t, null));
            } else {
                items.add(new Emergency(r.ref(), r.name(), r.at(), null, null, Durations.between(r.at(), now)));
            }
        }
        items.sort(Comparator.comparing(Emergency::raisedAt).thenComparing(Emergency::ref));
        return new Emergencies(items, Durations.median(times), Durations.max(times));
    }

    public int answered() {
        int n = 0;
        for (Emergency e : items) {
            n += e.answered() ? 1 : 0;
        }
        return n;
    }

    public int unanswered() {
        return items.size() - answered();
    }
}
