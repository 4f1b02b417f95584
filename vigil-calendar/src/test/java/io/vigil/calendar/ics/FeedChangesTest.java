package io.vigil.calendar.ics;

import static io.vigil.calendar.ics.Ics.calendar;
import static io.vigil.calendar.ics.Ics.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.wedding.Coordinator;
import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingStatus;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedChangesTest {
    private static final Instant NOW = Instant.parse("2026-05-01T00:00:00Z");
    private final IcsWeddingParser parser = new IcsWeddingParser();

    private IcsParseResult feed(String... events) {
        String[] blocks = new String[events.length + 1];
        blocks[0] = Ics.LONDON;
        System.arraycopy(events, 0, blocks, 1, events.length);
        return parser.parse(calendar(blocks), "ics:venue-feed");
    }

    private static String june(String uid, int day) {
        return event(uid, "DTSTART;TZID=Europe/London:202606" + day + "T140000", "DURATION:PT9H");
    }

    @Test
    void firstRefreshAddsEveryWedding() {
        FeedChanges changes = FeedChanges.between(List.of(), feed(june("a", 12), june("b", 13)), NOW);

        assertThat(changes.added()).extracting(Wedding::id).containsExactly("a", "b");
        assertThat(changes.updated()).isEmpty();
        assertThat(changes.cancelled()).isEmpty();
        assertThat(changes.upserts()).hasSize(2);
    }

    @Test
    void unchangedWeddingsAreNotRewritten() {
        IcsParseResult first = feed(june("a", 12), june("b", 13));

        FeedChanges changes = FeedChanges.between(first.weddings(), feed(june("a", 12), june("b", 13)), NOW);

        assertThat(changes.isEmpty()).isTrue();
        assertThat(changes.upserts()).isEmpty();
    }

    @Test
    void rescheduledEventIsAnUpdate() {
        List<Wedding> stored = feed(june("a", 12), june("b", 13)).weddings();

        FeedChanges changes = FeedChanges.between(stored, feed(june("a", 12), june("b", 20)), NOW);

        assertThat(changes.added()).isEmpty();
        assertThat(changes.cancelled()).isEmpty();
        assertThat(changes.updated()).singleElement().satisfies(w -> {
            assertThat(w.id()).isEqualTo("b");
            assertThat(w.ceremonyStart()).isEqualTo(LocalDateTime.of(2026, 6, 20, 14, 0));
            assertThat(w.status()).isEqualTo(WeddingStatus.SCHEDULED);
        });
        assertThat(changes.upserts()).containsExactlyElementsOf(changes.updated());
    }

    @Test
    void removedEventIsCancelled() {
        List<Wedding> stored = feed(june("a", 12), june("b", 13)).weddings();

        FeedChanges changes = FeedChanges.between(stored, feed(june("a", 12)), NOW);

        assertThat(changes.added()).isEmpty();
        assertThat(changes.updated()).isEmpty();
        assertThat(changes.cancelled()).singleElement().satisfies(w -> {
            assertThat(w.id()).isEqualTo("b");
            assertThat(w.status()).isEqualTo(WeddingStatus.CANCELLED);
            assertThat(w.ceremonyStart()).isEqualTo(stored.get(1).ceremonyStart());
        });
        assertThat(changes.cancellationsHeld()).isFalse();
    }

    @Test
    void anAlreadyCancelledWeddingMissingFromTheFeedIsLeftAlone() {
        Wedding cancelled = feed(june("a", 12)).weddings().get(0).withStatus(WeddingStatus.CANCELLED);

        assertThat(FeedChanges.between(List.of(cancelled), feed(), NOW).isEmpty()).isTrue();
    }

    @Test
    void cancelledInTheFeedIsAnUpdateAndReappearingReinstates() {
        List<Wedding> stored = feed(june("a", 12)).weddings();
        IcsParseResult cancelledFeed = feed(event("a", "DTSTART;TZID=Europe/London:20260612T140000",
                "DURATION:PT9H", "STATUS:CANCELLED"));

        FeedChanges cancelling = FeedChanges.between(stored, cancelledFeed, NOW);
        FeedChanges reinstating = FeedChanges.between(cancelling.updated(), feed(june("a", 12)), NOW);

        assertThat(cancelling.updated()).singleElement().extracting(Wedding::status)
                .isEqualTo(WeddingStatus.CANCELLED);
        assertThat(reinstating.updated()).singleElement().extracting(Wedding::status)
                .isEqualTo(WeddingStatus.SCHEDULED);
    }

    @Test
    void anEventTheFeedHoldsButCannotReadIsNotCancelled() {
        List<Wedding> stored = feed(june("a", 12), june("b", 13)).weddings();
        IcsParseResult broken = feed(june("a", 12), event("b", "DTSTART:20260613T140000", "DURATION:PT9H"));

        FeedChanges changes = FeedChanges.between(stored, broken, NOW);

        assertThat(broken.problems()).extracting(IcsProblem::uid).containsExactly("b");
        assertThat(changes.isEmpty()).isTrue();
    }

    @Test
    void anUnidentifiableBrokenEventHoldsEveryCancellation() {
        List<Wedding> stored = feed(june("a", 12), june("b", 13)).weddings();
        IcsParseResult feed = feed(june("a", 12), event("not a valid id", "DTSTART:20260613T140000"));

        FeedChanges changes = FeedChanges.between(stored, feed, NOW);

        assertThat(changes.cancelled()).isEmpty();
        assertThat(changes.cancellationsHeld()).isTrue();
    }

    @Test
    void pastWeddingsDroppedFromTheFeedStayAsTheyWere() {
        List<Wedding> stored = feed(june("a", 12), june("b", 13)).weddings();

        FeedChanges changes = FeedChanges.between(stored, feed(june("b", 13)),
                Instant.parse("2026-06-13T00:00:00Z"));

        assertThat(changes.isEmpty()).isTrue();
    }

    @Test
    void aStoredCoordinatorIsKept() {
        Wedding fromFeed = feed(june("a", 12)).weddings().get(0);
        Coordinator coordinator = new Coordinator("Pat", "pat@planner.example", "+44 20 7946 0000");
        Wedding stored = new Wedding(fromFeed.id(), null, fromFeed.timeZone(), fromFeed.ceremonyStart(),
                fromFeed.receptionEnd(), 0, null, List.of(), WeddingStatus.SCHEDULED, fromFeed.source(), coordinator);

        FeedChanges unchanged = FeedChanges.between(List.of(stored), feed(june("a", 12)), NOW);
        FeedChanges moved = FeedChanges.between(List.of(stored), feed(june("a", 19)), NOW);

        assertThat(unchanged.isEmpty()).isTrue();
        assertThat(moved.updated()).singleElement().extracting(Wedding::coordinator).isEqualTo(coordinator);
    }
}
