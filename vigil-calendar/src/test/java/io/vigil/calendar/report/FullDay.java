package io.vigil.calendar.report;

import io.vigil.core.wedding.Coordinator;
import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingEvent;
import io.vigil.core.wedding.WeddingStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A realistic Saturday in London (BST, UTC+01:00), read at 21:10 local. Every figure the tests expect is worked out
 * in the comments here.
 *
 * <pre>
 * Milestones (local)   planned          reached         delay    state
 *   guests-seated      14:45            14:47           +2       on time
 *   ceremony           14:30 then 15:00 15:25 (+15:26)  +25      late (latest plan 15:00, first reach 15:25)
 *   photos             16:00            15:48           -12      early
 *   dinner             18:00            18:04           +4       on time
 *   speeches           19:30            19:30            0       on time
 *   first-dance        20:30            -                        missed (40 min > 30 at 21:10)
 *   cake-cutting       21:00            -                        pending, 10 min overdue
 *   last-dance         23:00            -                        pending
 *   measured 5, on time 3 (0.6), mean (2+25-12+4+0)/5 = 3.8 min = 228 s, max 25 min
 *
 * Guests (150 expected), check-ins 10 s into each quarter hour, evenly spaced:
 *   13:45  10 x 1 every 90 s   cumulative  10
 *   14:00  15 x 1 every 60 s               25
 *   14:15  20 x 1 every 45 s               45
 *   14:30  15 x 2 every 60 s               75  -> 50 % at the 15th group, 14:44:10 (15 min 50 s before 15:00)
 *   14:45  30 x 1 every 30 s              105  -> by the ceremony start: 105 = 70 %
 *   15:00  45 x 1 every 20 s              150  -> 90 % (135) at the 30th, 15:00:10 + 29 x 20 s = 15:09:50 (+590 s)
 *   first 13:45:10, last 15:14:50, peak 15:00 (45); 135 events
 *
 * Vendors                  ack times              median   max
 *   band-3     b1 16:00->16:42, b2 19:00->19:20   42, 20   31 min   42 min   slow, slowest of 4
 *   caterer-2  c1 13:00->13:02, c2 17:00->17:10, c3 18:30->18:33   2, 10, 3   3 min   10 min (not over 10)
 *   florist-1  f1 12:00->12:06 (again 12:09), f2 14:00->14:04   6, 4   5 min   6 min
 *   photo-4    p1 15:30->15:31, p2 20:40 unacknowledged, waiting 30 min at 21:10
 *   all: 1 2 3 4 6 10 20 42 -> median 5 min, max 42 min; an ack for the unknown ref zz-9 is ignored
 *
 * Emergencies
 *   power-1 (power)      raised 17:30, responses 17:36 and 17:40 -> 6 min
 *   medical-1 (medical)  raised 20:58, no response -> waiting 12 min
 *
 * Events: 9 planned + 6 reached + 135 check-ins + 9 requests + 10 acks + 2 raised + 2 responses = 173
 * </pre>
 */
final class FullDay {
    static final String ID = "w-2026-0613-kew";
    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final LocalDate DATE = LocalDate.of(2026, 6, 13);
    static final Coordinator COORDINATOR = new Coordinator("Penelope Quill", "penelope.quill@example.org",
            "+44 20 7946 0958");
    static final Wedding WEDDING = new Wedding(ID, null, LONDON, LocalDateTime.of(2026, 6, 13, 15, 0),
            LocalDateTime.of(2026, 6, 13, 23, 30), 150, "Kew Orangery",
            List.of("florist-1", "caterer-2", "band-3", "photo-4"), WeddingStatus.SCHEDULED, "api", COORDINATOR);
    static final Instant NOW = at("21:10");

    private FullDay() {}

    /** A local time of the wedding day in London. */
    static Instant at(String localTime) {
        return LocalDateTime.of(DATE, LocalTime.parse(localTime)).atZone(LONDON).toInstant();
    }

    static List<WeddingEvent> events() {
        EventLog log = new EventLog(ID)
                .planned("guests-seated", at("14:45")).reached("guests-seated", at("14:47"))
                .planned("ceremony", at("14:30")).planned("ceremony", at("15:00"))
                .reached("ceremony", at("15:26")).reached("ceremony", at("15:25"))
                .planned("photos", at("16:00")).reached("photos", at("15:48"))
                .planned("dinner", at("18:00")).reached("dinner", at("18:04"))
                .planned("speeches", at("19:30")).reached("speeches", at("19:30"))
                .planned("first-dance", at("20:30"))
                .planned("cake-cutting", at("21:00"))
                .planned("last-dance", at("23:00"));
        checkins(log, "13:45:10", 10, 90, 1);
        checkins(log, "14:00:10", 15, 60, 1);
        checkins(log, "14:15:10", 20, 45, 1);
        checkins(log, "14:30:10", 15, 60, 2);
        checkins(log, "14:45:10", 30, 30, 1);
        checkins(log, "15:00:10", 45, 20, 1);
        log.request("florist-1", "f1", at("12:00")).ack("f1", at("12:09")).ack("f1", at("12:06"))
                .request("florist-1", "f2", at("14:00")).ack("f2", at("14:04"))
                .request("caterer-2", "c1", at("13:00")).ack("c1", at("13:02"))
                .request("caterer-2", "c2", at("17:00")).ack("c2", at("17:10"))
                .request("caterer-2", "c3", at("18:30")).ack("c3", at("18:33"))
                .request("band-3", "b1", at("16:00")).ack("b1", at("16:42"))
                .request("band-3", "b2", at("19:00")).ack("b2", at("19:20"))
                .request("photo-4", "p1", at("15:30")).ack("p1", at("15:31"))
                .request("photo-4", "p2", at("20:40"))
                .ack("zz-9", at("19:45"))
                .raised("power", "power-1", at("17:30")).response("power-1", at("17:40"))
                .response("power-1", at("17:36"))
                .raised("medical", "medical-1", at("20:58"));
        List<WeddingEvent> events = new ArrayList<>(log.list());
        Collections.shuffle(events, new Random(7)); // the report must not depend on arrival order
        return events;
    }

    private static void checkins(EventLog log, String first, int events, int everySeconds, int guests) {
        Instant start = at(first);
        for (int i = 0; i < events; i++) {
            log.checkin(start.plusSeconds((long) i * everySeconds), guests);
        }
    }

    static CriticalPathReport report() {
        return CriticalPathReport.of(WEDDING, events(), NOW);
    }
}
