package io.vigil.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.wedding.Coordinator;
import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingEvent;
import io.vigil.core.wedding.WeddingEventType;
import io.vigil.core.wedding.WeddingStatus;
import io.vigil.store.WeddingStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link WeddingStore} backend passes, with the same answers: the embedded SQLite store and the
 * PostgreSQL store both extend it (in their test sources) and implement three hooks.
 *
 * <ul>
 *   <li>{@link #clear()} wipes every wedding and event at the backend's test location. It runs before each test,
 *       while no store of this suite is open.
 *   <li>{@link #newStore()} opens the backend on that location and returns its wedding store. Tests call it again
 *       after {@link #closeStore()} to prove that stored weddings survive a reopen, so it must reopen the same data.
 *   <li>{@link #closeStore()} closes what the last {@link #newStore()} opened.
 * </ul>
 *
 * <p>A backend that cannot reach its database fails these tests; it does not skip them. Every date is fixed around
 * the wedding season of 2026, never the wall-clock date.
 */
public abstract class WeddingStoreContract {
    protected static final ZoneId LONDON = ZoneId.of("Europe/London");
    protected static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    protected static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
    /** Saturday 13 June 2026, the suite's usual wedding day. */
    protected static final LocalDate JUNE_13 = LocalDate.of(2026, 6, 13);
    /** Text that needs escaping in every storage format, including text that looks like SQL. */
    protected static final String HOSTILE = "O'Brien \"the 'planner'\" \\ back\\slash\nnew line\ttab 💍🎉 ünïcødé"
            + " '; DROP TABLE weddings; --";

    /** The wedding store under test, opened before each test and closed after it. */
    protected WeddingStore store;

    /** Opens the backend on its test location and returns its wedding store; called again to reopen the same data. */
    protected abstract WeddingStore newStore();

    /** Closes the backend that the last {@link #newStore()} opened. */
    protected abstract void closeStore();

    /** Wipes every wedding and event at the test location; called before each test, with no store open. */
    protected abstract void clear();

    @BeforeEach
    void openCleanStore() {
        clear();
        store = newStore();
    }

    @AfterEach
    void closeAfterTest() {
        if (store != null) {
            closeStore();
            store = null;
        }
    }

    // --- fixtures -----------------------------------------------------------------------------------------------------

    /** A scheduled London wedding on {@code date}: ceremony at 14:00, reception until 23:00, no coordinator. */
    protected static Wedding wedding(String id, LocalDate date) {
        return wedding(id, date.atTime(14, 0), LONDON);
    }

    /** A scheduled wedding from source {@code api}, reception nine hours after the ceremony, no coordinator. */
    protected static Wedding wedding(String id, LocalDateTime ceremonyStart, ZoneId zone) {
        return new Wedding(id, ceremonyStart.toLocalDate(), zone, ceremonyStart, ceremonyStart.plusHours(9), 120,
                "The Old Barn", List.of("florist-1"), WeddingStatus.SCHEDULED, "api", null);
    }

    protected static Wedding withCoordinator(Wedding w, Coordinator c) {
        return new Wedding(w.id(), w.date(), w.timeZone(), w.ceremonyStart(), w.receptionEnd(), w.guestCount(),
                w.venue(), w.vendorIds(), w.status(), w.source(), c);
    }

    protected static Wedding withSource(Wedding w, String source) {
        return new Wedding(w.id(), w.date(), w.timeZone(), w.ceremonyStart(), w.receptionEnd(), w.guestCount(),
                w.venue(), w.vendorIds(), w.status(), source, w.coordinator());
    }

    protected static Wedding withGuests(Wedding w, int guests) {
        return new Wedding(w.id(), w.date(), w.timeZone(), w.ceremonyStart(), w.receptionEnd(), guests,
                w.venue(), w.vendorIds(), w.status(), w.source(), w.coordinator());
    }

    protected static WeddingEvent checkin(String weddingId, String id, Instant at, int guests) {
        return new WeddingEvent(weddingId, id, WeddingEventType.GUEST_CHECKIN, null, null, at, guests);
    }

    private static List<String> ids(List<Wedding> weddings) {
        return weddings.stream().map(Wedding::id).toList();
    }

    // --- upsert -------------------------------------------------------------------------------------------------------

    @Test
    void upsert_countsNewIds_andReplacesKnownOnes() {
        Wedding a = wedding("w-a", JUNE_13);
        Wedding b = wedding("w-b", JUNE_13);
        Wedding b2 = withGuests(b, 80);
        Wedding c = wedding("w-c", JUNE_13.plusDays(1));

        assertThat(store.upsert(List.of(a, b))).isEqualTo(2);
        assertThat(store.upsert(List.of(b2, c))).as("b was known, c is new").isEqualTo(1);
        assertThat(store.upsert(List.of(a, b2, c))).isZero();
        assertThat(store.upsert(List.of())).isZero();

        assertThat(store.get("w-b")).contains(b2);
        assertThat(store.between(JUNE_13, JUNE_13.plusDays(1))).containsExactly(a, b2, c);
    }

    @Test
    void upsert_everyField_roundTrips() {
        // Reception past midnight; vendors; a full coordinator; seconds on the ceremony start.
        Wedding london = new Wedding("ics-uid-7f3a@calendar.example", JUNE_13, LONDON,
                LocalDateTime.of(2026, 6, 13, 14, 30, 15), LocalDateTime.of(2026, 6, 14, 1, 30), 142,
                "Château de la Roseraie", List.of("florist-1", "dj:42", "cake@bakery.example", "band_7.b"),
                WeddingStatus.SCHEDULED, "ics:main-feed",
                new Coordinator("Ana Souza", "ana.souza@planners.example", "+44 20 7946 0958"));
        // 01:30 on 29 March 2026 does not exist in London (clocks go forward): the local time is kept as given.
        Wedding dstGap = new Wedding("dst-gap", LocalDate.of(2026, 3, 29), LONDON,
                LocalDateTime.of(2026, 3, 29, 1, 30), LocalDateTime.of(2026, 3, 29, 9, 0), 40, "Registry Office",
                List.of(), WeddingStatus.SCHEDULED, "csv", new Coordinator(null, null, "07700 900123"));
        // 01:30 on 1 November 2026 happens twice in New York (clocks go back).
        Wedding dstOverlap = new Wedding("dst-overlap", LocalDate.of(2026, 11, 1), NEW_YORK,
                LocalDateTime.of(2026, 11, 1, 1, 30), LocalDateTime.of(2026, 11, 1, 5, 0), 60, "Brooklyn Loft",
                List.of("photo-3"), WeddingStatus.SCHEDULED, "api", new Coordinator("Sam Lee", null, null));
        // No venue, no coordinator, no vendors, no guests yet; a half-hour zone.
        Wedding kolkata = new Wedding("kolkata-1", LocalDate.of(2026, 12, 5), KOLKATA,
                LocalDateTime.of(2026, 12, 5, 19, 0), LocalDateTime.of(2026, 12, 6, 3, 0), 0, null, List.of(),
                WeddingStatus.SCHEDULED, "api", null);
        List<Wedding> all = List.of(london, dstGap, dstOverlap, kolkata);

        store.upsert(all);

        for (Wedding w : all) {
            assertThat(store.get(w.id())).as(w.id()).contains(w);
        }
        Wedding stored = store.get(london.id()).orElseThrow();
        assertThat(stored.timeZone()).isEqualTo(LONDON);
        assertThat(stored.ceremonyStart()).isEqualTo(LocalDateTime.of(2026, 6, 13, 14, 30, 15));
        assertThat(stored.receptionEnd()).isEqualTo(LocalDateTime.of(2026, 6, 14, 1, 30));
        assertThat(stored.vendorIds()).containsExactly("florist-1", "dj:42", "cake@bakery.example", "band_7.b");
        assertThat(stored.coordinator().name()).isEqualTo("Ana Souza");
        assertThat(stored.coordinator().email()).isEqualTo("ana.souza@planners.example");
        assertThat(stored.coordinator().phone()).isEqualTo("+44 20 7946 0958");
        assertThat(store.get("dst-gap").orElseThrow().ceremonyStart())
                .as("a local time in a DST gap is stored as given, not shifted")
                .isEqualTo(LocalDateTime.of(2026, 3, 29, 1, 30));
        assertThat(store.get("dst-gap").orElseThrow().coordinator()).isEqualTo(new Coordinator(null, null, "07700 900123"));
        assertThat(store.get("dst-overlap").orElseThrow().timeZone()).isEqualTo(NEW_YORK);
        assertThat(store.get("kolkata-1").orElseThrow().venue()).isNull();
        assertThat(store.get("kolkata-1").orElseThrow().coordinator()).isNull();
        assertThat(store.get("kolkata-1").orElseThrow().vendorIds()).isEmpty();
        assertThat(store.between(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31)))
                .containsExactly(dstGap, london, dstOverlap, kolkata);
    }

    @Test
    void upsert_replacement_dropsCoordinatorTheNewVersionLacks() {
        Wedding w = wedding("w-1", JUNE_13);
        store.upsert(List.of(withCoordinator(w, new Coordinator("Ana Souza", "ana@planners.example", "+44 1632 960000"))));

        store.upsert(List.of(w));

        assertThat(store.get("w-1")).contains(w);
        assertThat(store.get("w-1").orElseThrow().coordinator()).isNull();
    }

    @Test
    void upsert_cancelledStatus_roundTrips() {
        Wedding w = wedding("w-1", JUNE_13);
        store.upsert(List.of(w));

        store.upsert(List.of(w.withStatus(WeddingStatus.CANCELLED)));

        assertThat(store.get("w-1").orElseThrow().status()).isEqualTo(WeddingStatus.CANCELLED);
        assertThat(store.between(JUNE_13, JUNE_13)).containsExactly(w.withStatus(WeddingStatus.CANCELLED));
        assertThat(store.fromSource("api")).containsExactly(w.withStatus(WeddingStatus.CANCELLED));
        store.upsert(List.of(w));
        assertThat(store.get("w-1").orElseThrow().status()).isEqualTo(WeddingStatus.SCHEDULED);
    }

    @Test
    void upsert_sameIdTwiceInOneCall_storesTheLast() {
        Wedding first = wedding("w-1", JUNE_13);
        Wedding last = withCoordinator(withGuests(first, 99), new Coordinator("Sam Lee", null, null));

        assertThat(store.upsert(List.of(first, wedding("w-2", JUNE_13), last))).isEqualTo(2);

        assertThat(store.get("w-1")).contains(last);
    }

    @Test
    void upsert_nullElement_throwsAndStoresNothing() {
        assertThatThrownBy(() -> store.upsert(Arrays.asList(wedding("w-1", JUNE_13), null)))
                .isInstanceOf(NullPointerException.class);

        assertThat(store.get("w-1")).isEmpty();
    }

    @Test
    void upsert_survivesReopen() {
        Wedding w = withCoordinator(wedding("w-1", JUNE_13), new Coordinator("Ana Souza", null, null));
        store.upsert(List.of(w));
        store.appendEvents(List.of(checkin("w-1", "e-1", Instant.parse("2026-06-13T13:00:00Z"), 4)));
        closeStore();
        store = null;

        store = newStore();

        assertThat(store.get("w-1")).contains(w);
        assertThat(store.events("w-1")).hasSize(1);
    }

    @Test
    void upsert_tenThousandWeddingsInOneCall_readBackByBetween() {
        List<Wedding> weddings = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            LocalDateTime start = JUNE_13.plusDays(i % 100).atTime(10 + i % 8, (i * 7) % 60);
            Wedding w = wedding(String.format("bulk-%05d", i), start, i % 2 == 0 ? LONDON : KOLKATA);
            weddings.add(i % 3 == 0 ? withCoordinator(w, new Coordinator("Planner " + i, null, null)) : w);
        }
        List<Wedding> shuffled = new ArrayList<>(weddings);
        Collections.shuffle(shuffled, new Random(42));

        assertThat(store.upsert(shuffled)).isEqualTo(10_000);

        List<Wedding> read = store.between(JUNE_13, JUNE_13.plusDays(99));
        List<Wedding> expected = new ArrayList<>(weddings);
        expected.sort(Comparator.comparing(Wedding::date).thenComparing(Wedding::ceremonyStart)
                .thenComparing(Wedding::id));
        assertThat(read).hasSize(10_000);
        assertThat(read).isEqualTo(expected);
        assertThat(store.between(JUNE_13.plusDays(10), JUNE_13.plusDays(10))).hasSize(100);
    }

    // --- reads --------------------------------------------------------------------------------------------------------

    @Test
    void between_includesBothBounds() {
        store.upsert(List.of(wedding("d12", JUNE_13.minusDays(1)), wedding("d13", JUNE_13),
                wedding("d14", JUNE_13.plusDays(1)), wedding("d15", JUNE_13.plusDays(2))));

        assertThat(ids(store.between(JUNE_13, JUNE_13.plusDays(1)))).containsExactly("d13", "d14");
        assertThat(ids(store.between(JUNE_13, JUNE_13))).containsExactly("d13");
        assertThat(store.between(JUNE_13.plusDays(1), JUNE_13)).as("from after to").isEmpty();
        assertThat(ids(store.between(LocalDate.MIN, LocalDate.MAX))).containsExactly("d12", "d13", "d14", "d15");
    }

    @Test
    void between_ordersByDateThenCeremonyStartThenId() {
        // The ceremony start is the local time the wedding holds: 11:00 in New York (15:00 UTC) comes before
        // 13:00 in London (12:00 UTC). Ids compare by their characters: "B-1" before "a-1".
        Wedding nextDay = wedding("a-0", JUNE_13.plusDays(1).atTime(9, 0), LONDON);
        Wedding newYork = wedding("z-ny", JUNE_13.atTime(11, 0), NEW_YORK);
        Wedding london = wedding("a-london", JUNE_13.atTime(13, 0), LONDON);
        Wedding upperB = wedding("B-1", JUNE_13.atTime(14, 0), LONDON);
        Wedding lowerA = wedding("a-1", JUNE_13.atTime(14, 0), LONDON);
        Wedding withSeconds = wedding("a-2", JUNE_13.atTime(14, 0, 30), LONDON);
        Wedding justBefore = wedding("z-early", JUNE_13.atTime(13, 59, 59, 500_000_000), LONDON);
        store.upsert(List.of(nextDay, withSeconds, lowerA, london, upperB, justBefore, newYork));

        assertThat(ids(store.between(JUNE_13, JUNE_13.plusDays(1))))
                .containsExactly("z-ny", "a-london", "z-early", "B-1", "a-1", "a-2", "a-0");
    }

    @Test
    void fromSource_returnsThatSourcesWeddings_anyStatus_orderedById() {
        Wedding feedB = withSource(wedding("b-2", JUNE_13), "ics:main-feed");
        Wedding feedA = withSource(wedding("a-9", JUNE_13.plusDays(3)), "ics:main-feed")
                .withStatus(WeddingStatus.CANCELLED);
        Wedding feedUpper = withSource(wedding("Z-1", JUNE_13.plusDays(1)), "ics:main-feed");
        Wedding otherFeed = withSource(wedding("c-1", JUNE_13), "ics:other-feed");
        Wedding csv = withSource(wedding("d-1", JUNE_13), "csv");
        store.upsert(List.of(feedB, otherFeed, feedA, csv, feedUpper));

        assertThat(store.fromSource("ics:main-feed")).containsExactly(feedUpper, feedA, feedB);
        assertThat(store.fromSource("csv")).containsExactly(csv);
        assertThat(store.fromSource("ics:main")).as("exact match only").isEmpty();
        assertThat(store.fromSource("nowhere")).isEmpty();
    }

    @Test
    void get_unknownId_isEmpty() {
        store.upsert(List.of(wedding("w-1", JUNE_13)));

        assertThat(store.get("w-2")).isEmpty();
        assertThat(store.get("W-1")).as("ids are case-sensitive").isEmpty();
    }

    @Test
    void hostileText_roundTripsUnchanged() {
        Wedding w = new Wedding("hostile-1", JUNE_13, LONDON, JUNE_13.atTime(14, 0), JUNE_13.atTime(23, 0), 10,
                HOSTILE, List.of("vendor-1"), WeddingStatus.SCHEDULED, HOSTILE,
                new Coordinator(HOSTILE, "o'brien\\\"x'--@planners.example", "+1 (555) 010-0199"));

        store.upsert(List.of(w));

        Wedding stored = store.get("hostile-1").orElseThrow();
        assertThat(stored).isEqualTo(w);
        assertThat(stored.venue()).isEqualTo(HOSTILE);
        assertThat(stored.source()).isEqualTo(HOSTILE);
        assertThat(stored.coordinator().name()).isEqualTo(HOSTILE);
        assertThat(stored.coordinator().email()).isEqualTo("o'brien\\\"x'--@planners.example");
        assertThat(store.fromSource(HOSTILE)).containsExactly(w);
        assertThat(store.between(JUNE_13, JUNE_13)).containsExactly(w);
    }

    // --- events -------------------------------------------------------------------------------------------------------

    @Test
    void appendEvents_everyField_roundTrips() {
        Instant t = Instant.parse("2026-06-13T13:05:00.123Z");
        List<WeddingEvent> events = List.of(
                new WeddingEvent("w-1", "e-1", WeddingEventType.MILESTONE_PLANNED, "first-dance", null, t, 1),
                new WeddingEvent("w-1", "e-2", WeddingEventType.GUEST_CHECKIN, null, null, t.plusSeconds(1), 37),
                new WeddingEvent("w-1", "e-3", WeddingEventType.VENDOR_REQUEST, "caterer-2", "req:9", t.plusSeconds(2), 1),
                new WeddingEvent("w-1", "e-4", WeddingEventType.VENDOR_ACK, null, "req:9", t.plusSeconds(3), 1),
                new WeddingEvent("w-1", "e-5", WeddingEventType.EMERGENCY_RAISED, "power", "em-1", t.plusSeconds(4), 1),
                new WeddingEvent("w-1", "e-6", WeddingEventType.EMERGENCY_RESPONSE, null, "em-1", t.plusSeconds(5), 1),
                new WeddingEvent("w-1", "e-7", WeddingEventType.MILESTONE_REACHED, "ceremony", null, t.plusSeconds(6), 1));

        assertThat(store.appendEvents(events)).isEqualTo(7);

        assertThat(store.events("w-1")).isEqualTo(events);
    }

    @Test
    void appendEvents_idempotentByWeddingAndId_returnsNewCount() {
        Instant t = Instant.parse("2026-06-13T13:00:00Z");
        WeddingEvent e1 = checkin("w-1", "e-1", t, 3);
        WeddingEvent e2 = checkin("w-1", "e-2", t.plusSeconds(1), 5);
        WeddingEvent e3 = checkin("w-1", "e-3", t.plusSeconds(2), 7);

        assertThat(store.appendEvents(List.of(e1, e2))).isEqualTo(2);
        assertThat(store.appendEvents(List.of(e2, e3))).as("e-2 is a retry").isEqualTo(1);
        assertThat(store.appendEvents(List.of(checkin("w-1", "e-1", t.plusSeconds(60), 99))))
                .as("a retried id with other content is still a retry").isZero();
        assertThat(store.appendEvents(List.of(checkin("w-2", "e-1", t, 3)))).as("same id, other wedding").isEqualTo(1);
        assertThat(store.appendEvents(List.of(e1, checkin("w-1", "e-4", t, 1), checkin("w-1", "e-4", t, 2))))
                .as("an id twice in one call counts once").isEqualTo(1);
        assertThat(store.appendEvents(List.of())).isZero();

        assertThat(store.events("w-1")).extracting(WeddingEvent::id).containsExactly("e-1", "e-4", "e-2", "e-3");
        assertThat(store.events("w-1").get(0)).isEqualTo(e1);
        assertThat(store.events("w-1")).extracting(WeddingEvent::count).containsExactly(3, 1, 5, 7);
    }

    @Test
    void events_orderedByTimeThenId() {
        Instant t = Instant.parse("2026-06-13T13:00:00Z");
        store.appendEvents(List.of(
                checkin("w-1", "c", t.plusMillis(1), 1),
                checkin("w-1", "b", t, 1),
                checkin("w-1", "a", t.plusSeconds(3600), 1),
                checkin("w-1", "D", t, 1),
                checkin("w-1", "early", t.minusSeconds(86_400), 1)));

        assertThat(store.events("w-1")).extracting(WeddingEvent::id).containsExactly("early", "D", "b", "c", "a");
    }

    @Test
    void events_atIsKeptToTheMillisecond() {
        Instant precise = Instant.parse("2026-06-13T13:00:00.123456789Z");

        store.appendEvents(List.of(checkin("w-1", "e-1", precise, 1)));

        assertThat(store.events("w-1")).extracting(WeddingEvent::at)
                .containsExactly(Instant.parse("2026-06-13T13:00:00.123Z"));
    }

    @Test
    void events_ofOneWedding_doNotLeakIntoAnother() {
        Instant t = Instant.parse("2026-06-13T13:00:00Z");
        store.appendEvents(List.of(checkin("w-1", "e-1", t, 1), checkin("w-2", "e-2", t, 2),
                checkin("w-1", "e-3", t.plusSeconds(1), 3), checkin("w-10", "e-4", t, 4)));

        assertThat(store.events("w-1")).extracting(WeddingEvent::id).containsExactly("e-1", "e-3");
        assertThat(store.events("w-2")).extracting(WeddingEvent::id).containsExactly("e-2");
        assertThat(store.events("w-10")).extracting(WeddingEvent::id).containsExactly("e-4");
        assertThat(store.events("w-3")).isEmpty();
    }
}
