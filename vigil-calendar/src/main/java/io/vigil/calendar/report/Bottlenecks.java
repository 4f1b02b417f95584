package io.vigil.calendar.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Names the bottlenecks of a day in plain sentences, most severe first. The rules, in order of severity (within a
 * rule the largest wait or delay comes first):
 *
 * <ol>
 *   <li><b>Unanswered emergency</b>, whatever its wait: "Emergency medical-1 (medical) has had no response for
 *       12 min (raised 20:58)".</li>
 *   <li><b>Slow emergency response</b>, over {@link #EMERGENCY_RESPONSE_TARGET}: "Emergency power-1 (power) waited
 *       6 min for a first response (raised 17:30)".</li>
 *   <li><b>Missed milestones</b>, one sentence for all: "2 milestones missed: first-dance (planned 20:30),
 *       speeches (planned 20:45)".</li>
 *   <li><b>Late milestone</b>, reached more than {@link Milestone#ON_TIME_TOLERANCE} late, or not reached yet and
 *       that far past its plan (but not missed yet): "Milestone ceremony reached 25 min late (planned 15:00, actual
 *       15:25)", "Milestone cake-cutting not reached yet, 10 min after its planned 21:00".</li>
 *   <li><b>Guests missing at the ceremony</b>, once it has started, when fewer than
 *       {@link #GUESTS_AT_CEREMONY_PERCENT} % of the expected guests had checked in by then: "Only 70 % of 150
 *       guests (105) had checked in at the ceremony start (15:00)".</li>
 *   <li><b>Unacknowledged vendor request</b> waiting over {@link #VENDOR_ACK_TARGET}: "Vendor photo-4 has not
 *       acknowledged request p2 for 30 min (requested 20:40)".</li>
 *   <li><b>Slow vendor</b>, whose slowest acknowledgement took over {@link #VENDOR_ACK_TARGET}: "Vendor band-3 took
 *       up to 42 min to acknowledge 2 requests (median 31 min); slowest of 4 vendors" (the last clause for the
 *       slowest of two or more vendors that acknowledged anything).</li>
 *   <li><b>Early milestone</b>, reached more than {@link Milestone#ON_TIME_TOLERANCE} early: "Milestone photos
 *       reached 12 min early (planned 16:00, actual 15:48)".</li>
 * </ol>
 *
 * Without any event the list is {@link #NO_DATA}; when no rule applies it is {@link #NO_BOTTLENECKS}. Clock times
 * are the wedding's local ones (see {@link WeddingTimes#clock}).
 */
public final class Bottlenecks {
    /** A first response to an emergency slower than this is a bottleneck. */
    public static final Duration EMERGENCY_RESPONSE_TARGET = Duration.ofMinutes(2);
    /** A vendor acknowledgement slower than this (or a request waiting longer) is a bottleneck. */
    public static final Duration VENDOR_ACK_TARGET = Duration.ofMinutes(10);
    /** Fewer guests than this share (in percent) checked in at the ceremony start is a bottleneck. */
    public static final int GUESTS_AT_CEREMONY_PERCENT = 80;

    public static final String NO_DATA = "No data yet: no critical-path events have been reported for this wedding";
    public static final String NO_BOTTLENECKS = "No bottlenecks: every milestone within "
            + ReportText.duration(Milestone.ON_TIME_TOLERANCE) + " of plan, vendors acknowledged within "
            + ReportText.duration(VENDOR_ACK_TARGET) + ", no emergency waited more than "
            + ReportText.duration(EMERGENCY_RESPONSE_TARGET);

    private Bottlenecks() {}

    private record Finding(int rule, Duration weight, String key, String text) {}

    /**
     * The sentences for a day's sections as seen at {@code now}.
     *
     * @param hasData whether any event of the wedding was counted
     */
    public static List<String> of(boolean hasData, Milestones milestones, GuestArrivals guests,
                                  VendorCoordination vendors, Emergencies emergencies, Instant ceremonyStart,
                                  Instant now, WeddingTimes times) {
        if (!hasData) {
            return List.of(NO_DATA);
        }
        List<Finding> found = new ArrayList<>();
        for (Emergency e : emergencies.items()) {
            if (!e.answered()) {
                found.add(new Finding(1, e.waiting(), e.ref(), "Emergency " + e.ref() + " (" + e.category()
                        + ") has had no response for " + ReportText.duration(e.waiting()) + " (raised "
                        + times.clock(e.raisedAt()) + ")"));
            } else if (e.responseTime().compareTo(EMERGENCY_RESPONSE_TARGET) > 0) {
                found.add(new Finding(2, e.responseTime(), e.ref(), "Emergency " + e.ref() + " (" + e.category()
                        + ") waited " + ReportText.duration(e.responseTime()) + " for a first response (raised "
                        + times.clock(e.raisedAt()) + ")"));
            }
        }
        List<Milestone> missed = milestones.in(MilestoneState.MISSED);
        if (!missed.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (Milestone m : missed) {
                names.add(m.name() + " (planned " + times.clock(m.planned()) + ")");
            }
            found.add(new Finding(3, Duration.ZERO, "", missed.size() + (missed.size() == 1 ? " milestone" : " milestones")
                    + " missed: " + String.join(", ", names)));
        }
        for (Milestone m : milestones.items()) {
            Duration overdue = m.state() == MilestoneState.PENDING ? m.overdueAt(now) : Duration.ZERO;
            if (m.state() == MilestoneState.LATE) {
                found.add(new Finding(4, m.delay(), m.name(), "Milestone " + m.name() + " reached "
                        + ReportText.duration(m.delay()) + " late (planned " + times.clock(m.planned()) + ", actual "
                        + times.clock(m.actual()) + ")"));
            } else if (overdue.compareTo(Milestone.ON_TIME_TOLERANCE) > 0) {
                found.add(new Finding(4, overdue, m.name(), "Milestone " + m.name() + " not reached yet, "
                        + ReportText.duration(overdue) + " after its planned " + times.clock(m.planned())));
            } else if (m.state() == MilestoneState.EARLY) {
                found.add(new Finding(8, m.delay().abs(), m.name(), "Milestone " + m.name() + " reached "
                        + ReportText.duration(m.delay()) + " early (planned " + times.clock(m.planned()) + ", actual "
                        + times.clock(m.actual()) + ")"));
            }
        }
        Long byCeremony = guests.arrivedByCeremonyStart();
        int expected = guests.expected();
        if (byCeremony != null && expected > 0 && byCeremony * 100 < (long) GUESTS_AT_CEREMONY_PERCENT * expected) {
            String at = times.clock(ceremonyStart);
            found.add(new Finding(5, Duration.ZERO, "", byCeremony == 0
                    ? "No guest had checked in at the ceremony start (" + at + "; " + expected + " expected)"
                    : "Only " + ReportText.percent(byCeremony, expected) + " % of " + expected + " guests ("
                            + byCeremony + ") had checked in at the ceremony start (" + at + ")"));
        }
        for (VendorStats v : vendors.vendors()) {
            for (VendorRequest r : v.unacknowledged()) {
                if (r.waiting().compareTo(VENDOR_ACK_TARGET) > 0) {
                    found.add(new Finding(6, r.waiting(), r.ref(), "Vendor " + v.vendorId()
                            + " has not acknowledged request " + r.ref() + " for " + ReportText.duration(r.waiting())
                            + " (requested " + times.clock(r.requestedAt()) + ")"));
                }
            }
        }
        slowVendors(vendors, found);
        if (found.isEmpty()) {
            return List.of(NO_BOTTLENECKS);
        }
        found.sort(Comparator.comparingInt(Finding::rule).thenComparing(Finding::weight, Comparator.reverseOrder())
                .thenComparing(Finding::key));
        return found.stream().map(Finding::text).toList();
    }

    private static void slowVendors(VendorCoordination vendors, List<Finding> found) {
        List<VendorStats> answering = new ArrayList<>();
        for (VendorStats v : vendors.vendors()) {
            if (v.maxAck() != null) {
                answering.add(v);
            }
        }
        answering.sort(Comparator.comparing(VendorStats::maxAck, Comparator.reverseOrder())
                .thenComparing(VendorStats::vendorId));
        for (VendorStats v : answering) {
            if (v.maxAck().compareTo(VENDOR_ACK_TARGET) <= 0) {
                break;
            }
            String text = "Vendor " + v.vendorId() + " took " + (v.acknowledged() == 1
                    ? ReportText.duration(v.maxAck()) + " to acknowledge 1 request"
                    : "up to " + ReportText.duration(v.maxAck()) + " to acknowledge " + v.acknowledged()
                            + " requests (median " + ReportText.duration(v.medianAck()) + ")");
            if (v == answering.get(0) && answering.size() > 1) {
                text += "; slowest of " + answering.size() + " vendors";
            }
            found.add(new Finding(7, v.maxAck(), v.vendorId(), text));
        }
    }
}
