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
import java.util.TreeMap;

/**
 * Vendor coordination: each request ({@code ref}) with the time to its first acknowledgement, and per vendor the
 * requests, acknowledgements, median and max acknowledgement time and the requests still waiting. An
 * acknowledgement whose request was never reported is ignored; a ref requested twice counts once, from its first
 * request.
 *
 * @param requests every request, by request time
 * @param vendors per vendor, by vendor id
 * @param medianAck median acknowledgement time over all vendors; null when none
 * @param maxAck slowest acknowledgement over all vendors; null when none
 */
public record VendorCoordination(List<VendorRequest> requests, List<VendorStats> vendors, Duration medianAck,
                                 Duration maxAck) {

    public VendorCoordination {
        requests = List.copyOf(requests);
        vendors = List.copyOf(vendors);
    }

    /** The coordination seen in {@code events} at {@code now}. */
    public static VendorCoordination of(List<WeddingEvent> events, Instant now) {
        Map<String, WeddingEvent> asked = new HashMap<>();
        Map<String, Instant> acked = new HashMap<>();
        for (WeddingEvent e : events) {
            if (e.type() == WeddingEventType.VENDOR_REQUEST) {
                asked.merge(e.ref(), e, (a, b) -> b.at().isBefore(a.at()) ? b : a);
            } else if (e.type() == WeddingEventType.VENDOR_ACK) {
                acked.merge(e.ref(), e.at(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        List<VendorRequest> requests = new ArrayList<>();
        for (WeddingEvent r : asked.values()) {
            Instant ack = acked.get(r.ref());
            requests.add(ack != null
                    ? new VendorRequest(r.ref(), r.name(), r.at(), ack, Durations.between(r.at(), ack), null)
                    : new VendorRequest(r.ref(), r.name(), r.at(), null, null, Durations.between(r.at(), now)));
        }
        requests.sort(Comparator.comparing(VendorRequest::requestedAt).thenComparing(VendorRequest::ref));
        Map<String, List<VendorRequest>> byVendor = new TreeMap<>();
        for (VendorRequest r : requests) {
            byVendor.computeIfAbsent(r.vendorId(), k -> new ArrayList<>()).add(r);
        }
        List<VendorStats> vendors = new ArrayList<>();
        List<Duration> all = new ArrayList<>();
        for (Map.Entry<String, List<VendorRequest>> v : byVendor.entrySet()) {
            List<Duration> times = new ArrayList<>();
            List<VendorRequest> waiting = new ArrayList<>();
            for (VendorRequest r : v.getValue()) {
                if (r.acknowledged()) {
                    times.add(r.ackTime());
                } else {
                    waiting.add(r);
                }
            }
            waiting.sort(Comparator.comparing(VendorRequest::waiting).reversed().thenComparing(VendorRequest::ref));
            all.addAll(times);
            vendors.add(new VendorStats(v.getKey(), v.getValue().size(), times.size(), Durations.median(times),
                    Durations.max(times), waiting));
        }
        return new VendorCoordination(requests, vendors, Durations.median(all), Durations.max(all));
    }

    /** Requests not acknowledged yet. */
    public int unacknowledged() {
        int n = 0;
        for (VendorRequest r : requests) {
            n += r.acknowledged() ? 0 : 1;
        }
        return n;
    }
}
