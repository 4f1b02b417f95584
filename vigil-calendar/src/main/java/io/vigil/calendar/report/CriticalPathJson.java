package io.vigil.calendar.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report as plain maps, lists, strings, numbers and booleans that any JSON writer serialises as is. An instant
 * is {@code {"instant": "2026-06-13T14:25:00Z", "local": "2026-06-13T15:25:00+01:00"}} (local in the wedding's zone,
 * with its offset); a duration is a number of whole seconds in a key ending in {@code Seconds}; absent values are
 * null.
 */
public final class CriticalPathJson {
    private CriticalPathJson() {}

    /** The report as a JSON-ready map (insertion-ordered). */
    public static Map<String, Object> write(CriticalPathReport r) {
        WeddingTimes t = r.times();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("weddingId", r.weddingId());
        out.put("date", r.date().toString());
        out.put("timeZone", r.timeZone().getId());
        out.put("venue", r.venue());
        out.put("status", r.status().wireName());
        out.put("guestCount", r.guestCount());
        out.put("ceremonyStart", time(t, r.ceremonyStart()));
        out.put("receptionEnd", time(t, r.receptionEnd()));
        out.put("now", time(t, r.now()));
        out.put("hasData", r.hasData());
        out.put("eventsCounted", r.eventsCounted());
        out.put("eventsIgnored", r.eventsIgnored());
        out.put("bottlenecks", r.bottlenecks());
        out.put("milestones", milestones(t, r.milestones()));
        out.put("guestArrivals", guests(t, r.guestArrivals()));
        out.put("vendors", vendors(t, r.vendors()));
        out.put("emergencies", emergencies(t, r.emergencies()));
        return out;
    }

    private static Map<String, Object> milestones(WeddingTimes t, Milestones m) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> items = new ArrayList<>();
        for (Milestone x : m.items()) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("name", x.name());
            i.put("state", x.state().wireName());
            i.put("planned", time(t, x.planned()));
            i.put("actual", time(t, x.actual()));
            i.put("delaySeconds", seconds(x.delay()));
            items.add(i);
        }
        out.put("items", items);
        Map<String, Object> counts = new LinkedHashMap<>();
        for (MilestoneState s : MilestoneState.values()) {
            counts.put(s.wireName(), m.count(s));
        }
        out.put("counts", counts);
        out.put("measured", m.measured());
        out.put("onTime", m.onTime());
        out.put("onTimeShare", m.onTimeShare());
        out.put("meanDelaySeconds", seconds(m.meanDelay()));
        out.put("maxDelaySeconds", seconds(m.maxDelay()));
        return out;
    }

    private static Map<String, Object> guests(WeddingTimes t, GuestArrivals g) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("expected", g.expected());
        out.put("arrived", g.arrived());
        out.put("arrivedShare", g.arrivedShare());
        out.put("first", time(t, g.first()));
        out.put("last", time(t, g.last()));
        out.put("arrivedByCeremonyStart", g.arrivedByCeremonyStart());
        out.put("fiftyPercent", mark(t, g.fiftyPercent()));
        out.put("ninetyPercent", mark(t, g.ninetyPercent()));
        out.put("peak", g.peak() == null ? null : bucket(t, g.peak()));
        out.put("bucketMinutes", GuestArrivals.BUCKET.toMinutes());
        List<Map<String, Object>> buckets = new ArrayList<>(g.buckets().size());
        for (ArrivalBucket b : g.buckets()) {
            buckets.add(bucket(t, b));
        }
        out.put("buckets", buckets);
        return out;
    }

    private static Map<String, Object> bucket(WeddingTimes t, ArrivalBucket b) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("start", time(t, b.start()));
        out.put("count", b.count());
        out.put("cumulative", b.cumulative());
        out.put("share", b.share());
        return out;
    }

    private static Map<String, Object> mark(WeddingTimes t, ArrivalMark m) {
        if (m == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("percent", m.percent());
        out.put("at", time(t, m.at()));
        out.put("secondsFromCeremonyStart", seconds(m.fromCeremonyStart()));
        out.put("text", m.describe(t));
        return out;
    }

    private static Map<String, Object> vendors(WeddingTimes t, VendorCoordination v) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> byVendor = new ArrayList<>();
        for (VendorStats s : v.vendors()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("vendorId", s.vendorId());
            m.put("requests", s.requests());
            m.put("acknowledged", s.acknowledged());
            m.put("medianAckSeconds", seconds(s.medianAck()));
            m.put("maxAckSeconds", seconds(s.maxAck()));
            List<Map<String, Object>> waiting = new ArrayList<>();
            for (VendorRequest r : s.unacknowledged()) {
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("ref", r.ref());
                w.put("requested", time(t, r.requestedAt()));
                w.put("waitingSeconds", seconds(r.waiting()));
                waiting.add(w);
            }
            m.put("waiting", waiting);
            byVendor.add(m);
        }
        out.put("byVendor", byVendor);
        List<Map<String, Object>> requests = new ArrayList<>();
        for (VendorRequest r : v.requests()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ref", r.ref());
            m.put("vendorId", r.vendorId());
            m.put("requested", time(t, r.requestedAt()));
            m.put("acknowledged", time(t, r.acknowledgedAt()));
            m.put("ackSeconds", seconds(r.ackTime()));
            m.put("waitingSeconds", seconds(r.waiting()));
            requests.add(m);
        }
        out.put("requests", requests);
        out.put("acknowledged", v.requests().size() - v.unacknowledged());
        out.put("unacknowledged", v.unacknowledged());
        out.put("medianAckSeconds", seconds(v.medianAck()));
        out.put("maxAckSeconds", seconds(v.maxAck()));
        return out;
    }

    private static Map<String, Object> emergencies(WeddingTimes t, Emergencies e) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> items = new ArrayList<>();
        for (Emergency x : e.items()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ref", x.ref());
            m.put("category", x.category());
            m.put("raised", time(t, x.raisedAt()));
            m.put("firstResponse", time(t, x.respondedAt()));
            m.put("responseSeconds", seconds(x.responseTime()));
            m.put("waitingSeconds", seconds(x.waiting()));
            items.add(m);
        }
        out.put("items", items);
        out.put("answered", e.answered());
        out.put("unanswered", e.unanswered());
        out.put("medianResponseSeconds", seconds(e.medianResponse()));
        out.put("maxResponseSeconds", seconds(e.maxResponse()));
        return out;
    }

    private static Map<String, Object> time(WeddingTimes t, Instant at) {
        if (at == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("instant", at.toString());
        out.put("local", t.iso(at));
        return out;
    }

    private static Long seconds(Duration d) {
        return d == null ? null : ReportText.seconds(d);
    }
}
