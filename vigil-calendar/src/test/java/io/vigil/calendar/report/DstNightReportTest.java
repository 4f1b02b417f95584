package io.vigil.calendar.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingEvent;
import io.vigil.core.wedding.WeddingStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A New York wedding on Saturday 31 October 2026 whose reception runs past midnight into the night the clocks go
 * back (Sunday 1 November, 02:00 EDT becomes 01:00 EST), read at 06:30Z = 01:30 EST.
 */
class DstNightReportTest {
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final Wedding WEDDING = new Wedding("w-ny-halloween", null, NEW_YORK, LocalDateTime.of(2026, 10, 31, 17, 0),
            LocalDateTime.of(2026, 11, 1, 2, 30), 100, "Hudson Loft", List.of("dj-1"), WeddingStatus.SCHEDULED,
            "api", null);
    static final Instant NOW = Instant.parse("2026-11-01T06:30:00Z");

    static List<WeddingEvent> events() {
        return new EventLog(WEDDING.id())
                .planned("ceremony", Instant.parse("2026-10-31T21:00:00Z"))       // 17:00 EDT
                .reached("ceremony", Instant.parse("2026-10-31T21:03:00Z"))
                .planned("last-dance", Instant.parse("2026-11-01T05:40:00Z"))     // 01:40 EDT
                .reached("last-dance", Instant.parse("2026-11-01T06:10:00Z"))     // 01:10 EST, 30 min later
                .planned("send-off", Instant.parse("2026-11-01T07:00:00Z"))       // 02:00 EST
                .checkin(Instant.parse("2026-10-31T20:40:00Z"), 50)               // 16:40 EDT
                .checkin(Instant.parse("2026-11-01T04:50:00Z"), 1)                // 00:50 EDT
                .checkin(Instant.parse("2026-11-01T05:05:00Z"), 1)                // 01:05 EDT
                .checkin(Instant.parse("2026-11-01T06:05:00Z"), 1)                // 01:05 EST
                .request("dj-1", "dj-req-1", Instant.parse("2026-11-01T05:50:00Z")) // 01:50 EDT
                .ack("dj-req-1", Instant.parse("2026-11-01T06:05:00Z"))            // 01:05 EST, 15 min later
                .list();
    }

    final CriticalPathReport report = CriticalPathReport.of(WEDDING, events(), NOW);
    final WeddingTimes times = report.times();

    @Test
    void milestoneAcrossTheChange_delayOnTheInstantTimeline_localTimesCarryTheirZone() {
        Milestone lastDance = report.milestones().items().get(1);

        assertThat(report.milestones().items()).extracting(Milestone::name)
                .containsExactly("ceremony", "last-dance", "send-off");
        assertThat(lastDance.delay()).isEqualTo(Duration.ofMinutes(30));
        assertThat(lastDance.state()).isEqualTo(MilestoneState.LATE);
        assertThat(times.clock(lastDance.planned())).isEqualTo("1 Nov 01:40 EDT");
        assertThat(times.clock(lastDance.actual())).isEqualTo("1 Nov 01:10 EST");
        assertThat(times.iso(lastDance.planned())).isEqualTo("2026-11-01T01:40:00-04:00");
        assertThat(times.iso(lastDance.actual())).isEqualTo("2026-11-01T01:10:00-05:00");
        assertThat(times.clock(report.ceremonyStart())).isEqualTo("17:00");
        assertThat(times.clock(report.receptionEnd())).isEqualTo("1 Nov 02:30");
        assertThat(report.receptionEnd()).isEqualTo(Instant.parse("2026-11-01T07:30:00Z"));
    }

    @Test
    void arrivalBuckets_theRepeatedHourHasBucketsOfItsOwn() {
        List<ArrivalBucket> b = report.guestArrivals().buckets();

        // 16:30 EDT (20:30Z) to 01:00 EST (06:00Z): 9 h 30 min = 38 quarter hours after the first, 39 buckets
        assertThat(b).hasSize(39);
        assertThat(b.get(0).start()).isEqualTo(Instant.parse("2026-10-31T20:30:00Z"));
        assertThat(b.get(33).start()).isEqualTo(Instant.parse("2026-11-01T04:45:00Z"));
        assertThat(List.of(b.get(33).count(), b.get(34).count(), b.get(37).count(), b.get(38).count()))
                .containsExactly(1L, 1L, 0L, 1L);
        assertThat(times.iso(b.get(34).start())).isEqualTo("2026-11-01T01:00:00-04:00");
        assertThat(times.iso(b.get(37).start())).isEqualTo("2026-11-01T01:45:00-04:00");
        assertThat(times.iso(b.get(38).start())).isEqualTo("2026-11-01T01:00:00-05:00");
        assertThat(times.clock(b.get(33).start())).isEqualTo("1 Nov 00:45");
        assertThat(times.clock(b.get(34).start())).isEqualTo("1 Nov 01:00 EDT");
        assertThat(times.clock(b.get(38).start())).isEqualTo("1 Nov 01:00 EST");
        assertThat(b.get(38).cumulative()).isEqualTo(53);
        assertThat(report.guestArrivals().arrivedByCeremonyStart()).isEqualTo(50);
        assertThat(report.guestArrivals().fiftyPercent())
                .isEqualTo(new ArrivalMark(50, Instant.parse("2026-10-31T20:40:00Z"), Duration.ofMinutes(-20)));
        assertThat(report.guestArrivals().ninetyPercent()).isNull();
    }

    @Test
    void vendorAckAcrossTheChange_fifteenMinutes_notMinusFortyFive() {
        assertThat(report.vendors().requests().get(0).ackTime()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void bottlenecks_showLocalTimesWithTheirZoneInTheRepeatedHour() {
        assertThat(report.bottlenecks()).containsExactly(
                "Milestone last-dance reached 30 min late (planned 1 Nov 01:40 EDT, actual 1 Nov 01:10 EST)",
                "Only 50 % of 100 guests (50) had checked in at the ceremony start (17:00)",
                "Vendor dj-1 took 15 min to acknowledge 1 request");
    }

    @Test
    void clockChangeNoted_inTheHtmlHeader() {
        assertThat(times.clockChange(WEDDING.activeFrom(), report.receptionEnd()))
                .isEqualTo("Clocks go back 1 h at 02:00 on 1 Nov (UTC-04:00 becomes UTC-05:00)");
        assertThat(CriticalPathHtml.render(report))
                .contains("Clocks go back 1 h at 02:00 on 1 Nov (UTC-04:00 becomes UTC-05:00); times after it are"
                        + " shown on the new clock.")
                .contains("<td>last-dance</td><td><time datetime=\"2026-11-01T05:40:00Z\">1 Nov 01:40 EDT</time>"
                        + "</td><td><time datetime=\"2026-11-01T06:10:00Z\">1 Nov 01:10 EST</time></td>"
                        + "<td class=\"num\">+30 min</td><td class=\"late\">late</td>");
    }

    @Test
    void json_localTimesWithTheirOffsets() {
        Map<String, Object> json = CriticalPathJson.write(report);

        assertThat(json.get("receptionEnd"))
                .isEqualTo(Map.of("instant", "2026-11-01T07:30:00Z", "local", "2026-11-01T02:30:00-05:00"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>)
                ((Map<String, Object>) json.get("milestones")).get("items");
        assertThat(items.get(1).get("actual"))
                .isEqualTo(Map.of("instant", "2026-11-01T06:10:00Z", "local", "2026-11-01T01:10:00-05:00"));
        assertThat(items.get(1).get("delaySeconds")).isEqualTo(1800L);
    }
}
