package io.vigil.calendar.report;

import static io.vigil.calendar.report.FullDay.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingEvent;
import io.vigil.core.wedding.WeddingStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The full day of {@link FullDay}, section by section, and the edges: no data, other weddings, repeats, "now". */
class CriticalPathReportTest {
    final CriticalPathReport report = FullDay.report();

    @Test
    void fullDay_milestones_plannedLatest_actualFirst_statesInPlannedOrder_andAdherence() {
        Milestones m = report.milestones();

        assertThat(m.items()).extracting(Milestone::name).containsExactly("guests-seated", "ceremony", "photos",
                "dinner", "speeches", "first-dance", "cake-cutting", "last-dance");
        assertThat(m.items()).extracting(Milestone::state).containsExactly(MilestoneState.ON_TIME,
                MilestoneState.LATE, MilestoneState.EARLY, MilestoneState.ON_TIME, MilestoneState.ON_TIME,
                MilestoneState.MISSED, MilestoneState.PENDING, MilestoneState.PENDING);
        assertThat(m.items().get(1)).isEqualTo(new Milestone("ceremony", at("15:00"), at("15:25"),
                Duration.ofMinutes(25), MilestoneState.LATE));
        assertThat(m.items().get(2).delay()).isEqualTo(Duration.ofMinutes(-12));
        assertThat(m.items().get(5)).isEqualTo(new Milestone("first-dance", at("20:30"), null, null,
                MilestoneState.MISSED));
        assertThat(m.measured()).isEqualTo(5);
        assertThat(m.onTime()).isEqualTo(3);
        assertThat(m.onTimeShare()).isEqualTo(0.6);
        assertThat(m.meanDelay()).isEqualTo(Duration.ofSeconds(228));
        assertThat(m.maxDelay()).isEqualTo(Duration.ofMinutes(25));
    }

    @Test
    void fullDay_guestArrivalCurve_quarterHourBuckets_marksAndPeak() {
        GuestArrivals g = report.guestArrivals();

        assertThat(g.buckets()).extracting(ArrivalBucket::start).containsExactly(at("13:45"), at("14:00"),
                at("14:15"), at("14:30"), at("14:45"), at("15:00"));
        assertThat(g.buckets()).extracting(ArrivalBucket::count).containsExactly(10L, 15L, 20L, 30L, 30L, 45L);
        assertThat(g.buckets()).extracting(ArrivalBucket::cumulative).containsExactly(10L, 25L, 45L, 75L, 105L, 150L);
        assertThat(g.buckets().get(3).share()).isEqualTo(0.5);
        assertThat(g.arrived()).isEqualTo(150);
        assertThat(g.arrivedShare()).isEqualTo(1.0);
        assertThat(g.first()).isEqualTo(at("13:45:10"));
        assertThat(g.last()).isEqualTo(at("15:14:50"));
        assertThat(g.arrivedByCeremonyStart()).isEqualTo(105);
        assertThat(g.peak().start()).isEqualTo(at("15:00"));
        assertThat(g.peak().count()).isEqualTo(45);
        assertThat(g.fiftyPercent()).isEqualTo(new ArrivalMark(50, at("14:44:10"), Duration.ofSeconds(-950)));
        assertThat(g.ninetyPercent()).isEqualTo(new ArrivalMark(90, at("15:09:50"), Duration.ofSeconds(590)));
        assertThat(g.fiftyPercent().describe(report.times()))
                .isEqualTo("50 % arrived by 14:44, 15 min 50 s before the ceremony start");
        assertThat(g.ninetyPercent().describe(report.times()))
                .isEqualTo("90 % arrived by 15:09, 9 min 50 s after the ceremony start");
    }

    @Test
    void fullDay_vendorCoordination_perRequestAndPerVendor_unacknowledgedWaitingAtNow() {
        VendorCoordination v = report.vendors();

        assertThat(v.requests()).extracting(VendorRequest::ref)
                .containsExactly("f1", "c1", "f2", "p1", "b1", "c2", "c3", "b2", "p2");
        assertThat(v.requests().get(0)).isEqualTo(new VendorRequest("f1", "florist-1", at("12:00"), at("12:06"),
                Duration.ofMinutes(6), null));
        assertThat(v.requests().get(8)).isEqualTo(new VendorRequest("p2", "photo-4", at("20:40"), null, null,
                Duration.ofMinutes(30)));
        assertThat(v.vendors()).containsExactly(
                new VendorStats("band-3", 2, 2, Duration.ofMinutes(31), Duration.ofMinutes(42), List.of()),
                new VendorStats("caterer-2", 3, 3, Duration.ofMinutes(3), Duration.ofMinutes(10), List.of()),
                new VendorStats("florist-1", 2, 2, Duration.ofMinutes(5), Duration.ofMinutes(6), List.of()),
                new VendorStats("photo-4", 2, 1, Duration.ofMinutes(1), Duration.ofMinutes(1),
                        List.of(v.requests().get(8))));
        assertThat(v.unacknowledged()).isEqualTo(1);
        assertThat(v.medianAck()).isEqualTo(Duration.ofMinutes(5));
        assertThat(v.maxAck()).isEqualTo(Duration.ofMinutes(42));
    }

    @Test
    void fullDay_emergencies_firstResponse_unansweredWaitingAtNow_medianAndMax() {
        Emergencies e = report.emergencies();

        assertThat(e.items()).containsExactly(
                new Emergency("power-1", "power", at("17:30"), at("17:36"), Duration.ofMinutes(6), null),
                new Emergency("medical-1", "medical", at("20:58"), null, null, Duration.ofMinutes(12)));
        assertThat(e.answered()).isEqualTo(1);
        assertThat(e.unanswered()).isEqualTo(1);
        assertThat(e.medianResponse()).isEqualTo(Duration.ofMinutes(6));
        assertThat(e.maxResponse()).isEqualTo(Duration.ofMinutes(6));
    }

    @Test
    void fullDay_bottleneckSentences_exactly_mostSevereFirst() {
        assertThat(report.bottlenecks()).containsExactly(
                "Emergency medical-1 (medical) has had no response for 12 min (raised 20:58)",
                "Emergency power-1 (power) waited 6 min for a first response (raised 17:30)",
                "1 milestone missed: first-dance (planned 20:30)",
                "Milestone ceremony reached 25 min late (planned 15:00, actual 15:25)",
                "Milestone cake-cutting not reached yet, 10 min after its planned 21:00",
                "Only 70 % of 150 guests (105) had checked in at the ceremony start (15:00)",
                "Vendor photo-4 has not acknowledged request p2 for 30 min (requested 20:40)",
                "Vendor band-3 took up to 42 min to acknowledge 2 requests (median 31 min); slowest of 4 vendors",
                "Milestone photos reached 12 min early (planned 16:00, actual 15:48)");
    }

    @Test
    void fullDay_header_weddingFieldsCopied_allEventsCounted() {
        assertThat(report.weddingId()).isEqualTo(FullDay.ID);
        assertThat(report.ceremonyStart()).isEqualTo(Instant.parse("2026-06-13T14:00:00Z"));
        assertThat(report.receptionEnd()).isEqualTo(Instant.parse("2026-06-13T22:30:00Z"));
        assertThat(report.venue()).isEqualTo("Kew Orangery");
        assertThat(report.eventsCounted()).isEqualTo(173);
        assertThat(report.eventsIgnored()).isZero();
        assertThat(report.hasData()).isTrue();
    }

    @Test
    void quietDay_saysNoBottlenecks() {
        Wedding w = wedding("w-quiet", 100);
        List<WeddingEvent> events = new EventLog("w-quiet")
                .planned("ceremony", at("15:00")).reached("ceremony", at("15:02"))
                .checkin(at("14:30"), 60).checkin(at("14:50"), 40)
                .request("florist-1", "f1", at("13:00")).ack("f1", at("13:04"))
                .raised("power", "pw-1", at("16:00")).response("pw-1", at("16:01"))
                .list();

        CriticalPathReport r = CriticalPathReport.of(w, events, at("17:00"));

        assertThat(r.bottlenecks()).containsExactly("No bottlenecks: every milestone within 5 min of plan,"
                + " vendors acknowledged within 10 min, no emergency waited more than 2 min");
    }

    @Test
    void emptyEventList_reportSaysNoDataYet() {
        CriticalPathReport r = CriticalPathReport.of(FullDay.WEDDING, List.of(), at("16:00"));

        assertThat(r.hasData()).isFalse();
        assertThat(r.eventsCounted()).isZero();
        assertThat(r.bottlenecks())
                .containsExactly("No data yet: no critical-path events have been reported for this wedding");
        assertThat(r.milestones().items()).isEmpty();
        assertThat(r.milestones().onTimeShare()).isNull();
        assertThat(r.guestArrivals().arrived()).isZero();
        assertThat(r.guestArrivals().buckets()).isEmpty();
        assertThat(r.guestArrivals().peak()).isNull();
        assertThat(r.guestArrivals().fiftyPercent()).isNull();
        assertThat(r.guestArrivals().arrivedByCeremonyStart()).isZero();
        assertThat(r.vendors().requests()).isEmpty();
        assertThat(r.vendors().medianAck()).isNull();
        assertThat(r.emergencies().items()).isEmpty();
    }

    @Test
    void eventsOfAnotherWedding_areIgnored() {
        List<WeddingEvent> mixed = new ArrayList<>(FullDay.events());
        mixed.addAll(new EventLog("w-other", "o")
                .planned("ceremony", at("15:00")).reached("ceremony", at("16:30"))
                .checkin(at("14:00"), 500)
                .request("florist-1", "f3", at("13:00"))
                .raised("fire", "fire-1", at("18:00"))
                .list());

        assertThat(CriticalPathReport.of(FullDay.WEDDING, mixed, FullDay.NOW)).isEqualTo(report);
    }

    @Test
    void repeatedEventIds_countOnce() {
        List<WeddingEvent> twice = new ArrayList<>(FullDay.events());
        twice.addAll(FullDay.events());

        CriticalPathReport r = CriticalPathReport.of(FullDay.WEDDING, twice, FullDay.NOW);

        assertThat(r).isEqualTo(report);
        assertThat(r.guestArrivals().arrived()).isEqualTo(150);
    }

    @Test
    void eventsAfterNow_areLeftOutAndCounted_plannedMilestonesKept() {
        List<WeddingEvent> events = new ArrayList<>(FullDay.events());
        events.addAll(new EventLog(FullDay.ID, "late").checkin(at("21:30"), 3).ack("p2", at("21:20"))
                .reached("cake-cutting", at("21:15")).list());

        CriticalPathReport r = CriticalPathReport.of(FullDay.WEDDING, events, FullDay.NOW);

        assertThat(r.eventsIgnored()).isEqualTo(3);
        assertThat(r.eventsCounted()).isEqualTo(173);
        assertThat(r.guestArrivals()).isEqualTo(report.guestArrivals());
        assertThat(r.vendors()).isEqualTo(report.vendors());
        assertThat(r.milestones()).isEqualTo(report.milestones());
        assertThat(r.milestones().items().get(7).planned()).isEqualTo(at("23:00"));
    }

    @Test
    void eventsOutsideTheDaysWindow_areLeftOutAndCounted() {
        // The window: 24 h before the 15:00 ceremony (12 June 15:00) to 24 h after the 23:30 reception end.
        List<WeddingEvent> events = new ArrayList<>(FullDay.events());
        events.addAll(new EventLog(FullDay.ID, "odd")
                .checkin(Instant.EPOCH, 5)                                   // a sender clock at zero
                .checkin(at("15:00").minus(Duration.ofHours(24)).minusSeconds(1), 1)
                .checkin(at("23:30").plus(Duration.ofHours(24)).plusSeconds(1), 1)
                .request("florist-1", "f0", at("15:00").minus(Duration.ofHours(24)))   // on the edge: counts
                .ack("f0", at("15:00").minus(Duration.ofHours(23)))
                .list());

        CriticalPathReport r = CriticalPathReport.of(FullDay.WEDDING, events, Instant.parse("2026-06-20T12:00:00Z"));

        assertThat(r.eventsIgnored()).isEqualTo(3);
        assertThat(r.eventsCounted()).isEqualTo(173 + 2);
        assertThat(r.guestArrivals().buckets()).hasSize(6);
        assertThat(r.guestArrivals().first()).isEqualTo(at("13:45:10"));
        assertThat(r.vendors().requests().get(0).ackTime()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void reportBeforeTheCeremony_noGuestShortfall_milestonesPending() {
        CriticalPathReport r = CriticalPathReport.of(FullDay.WEDDING, FullDay.events(), at("14:20"));

        assertThat(r.guestArrivals().arrivedByCeremonyStart()).isNull();
        // 10 + 15 + the 7 of 14:15:10 to 14:19:40 (every 45 s)
        assertThat(r.guestArrivals().arrived()).isEqualTo(32);
        assertThat(r.milestones().count(MilestoneState.PENDING)).isEqualTo(8);
        assertThat(r.bottlenecks()).containsExactly(Bottlenecks.NO_BOTTLENECKS);
    }

    @Test
    void largeDay_tenThousandCheckins_builtAndRenderedQuickly() {
        Wedding w = wedding("w-large", 10_000);
        Instant first = at("12:00");
        EventLog log = new EventLog("w-large");
        for (int i = 0; i < 10_000; i++) {
            log.checkin(first.plusSeconds(i), 1);
        }
        List<WeddingEvent> events = new ArrayList<>(log.list());
        java.util.Collections.shuffle(events, new java.util.Random(42));

        long started = System.nanoTime();
        CriticalPathReport r = CriticalPathReport.of(w, events, at("18:00"));
        String html = CriticalPathHtml.render(r);
        CriticalPathJson.write(r);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isLessThan(Duration.ofSeconds(2));
        assertThat(r.guestArrivals().arrived()).isEqualTo(10_000);
        // 12:00:00 to 14:46:39, one a second: 11 full quarter hours of 900 and 100 in 14:45
        assertThat(r.guestArrivals().buckets()).hasSize(12);
        assertThat(r.guestArrivals().buckets().get(11).count()).isEqualTo(100);
        assertThat(r.guestArrivals().peak()).isEqualTo(r.guestArrivals().buckets().get(0));
        assertThat(r.guestArrivals().peak().count()).isEqualTo(900);
        // the 5,000th guest at 12:00 + 4,999 s = 13:23:19, 1 h 36 min 41 s before 15:00
        assertThat(r.guestArrivals().fiftyPercent().at()).isEqualTo(at("13:23:19"));
        assertThat(r.guestArrivals().fiftyPercent().fromCeremonyStart()).isEqualTo(Duration.ofSeconds(-5801));
        assertThat(html).contains("10000 of 10000 checked in (100 %)");
    }

    static Wedding wedding(String id, int guests) {
        return new Wedding(id, null, FullDay.LONDON, LocalDateTime.of(2026, 6, 13, 15, 0),
                LocalDateTime.of(2026, 6, 13, 23, 0), guests, "Hall", List.of(), WeddingStatus.SCHEDULED, "api", null);
    }
}
