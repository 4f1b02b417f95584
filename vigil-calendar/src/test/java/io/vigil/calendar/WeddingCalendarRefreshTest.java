package io.vigil.calendar;

import static io.vigil.calendar.ContextCalculatorTest.wedding;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingEvent;
import io.vigil.store.WeddingStore;
import io.vigil.store.embedded.EmbeddedMetricStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stale cache is served at once while one background read refreshes it: callers never wait for the store. */
class WeddingCalendarRefreshTest {
    static final Instant NOW = Instant.parse("2026-06-13T12:00:00Z");

    @TempDir
    Path dir;

    /** A store whose reads can be held up, counting them. */
    static final class SlowStore implements WeddingStore {
        final WeddingStore inner;
        volatile CountDownLatch gate;
        final AtomicInteger reads = new AtomicInteger();

        SlowStore(WeddingStore inner) {
            this.inner = inner;
        }

        @Override
        public List<Wedding> between(LocalDate from, LocalDate to) {
            reads.incrementAndGet();
            CountDownLatch g = gate;
            if (g != null) {
                try {
                    g.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return inner.between(from, to);
        }

        @Override
        public int upsert(Collection<Wedding> weddings) {
            return inner.upsert(weddings);
        }

        @Override
        public Optional<Wedding> get(String id) {
            return inner.get(id);
        }

        @Override
        public List<Wedding> fromSource(String source) {
            return inner.fromSource(source);
        }

        @Override
        public int appendEvents(Collection<WeddingEvent> events) {
            return inner.appendEvents(events);
        }

        @Override
        public List<WeddingEvent> events(String weddingId) {
            return inner.events(weddingId);
        }
    }

    @Test
    void aStaleCache_isServedAtOnce_whileOneBackgroundReadRefreshesIt() throws Exception {
        try (EmbeddedMetricStore db = EmbeddedMetricStore.open(dir)) {
            SlowStore store = new SlowStore(db.weddings());
            store.upsert(List.of(wedding("first", "Europe/London", "2026-06-13T14:00", "2026-06-13T23:00", 100)));
            WeddingCalendar calendar = new WeddingCalendar(store, CalendarSettings.DEFAULTS,
                    Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMillis(20));
            assertThat(calendar.weddingsAroundNow()).extracting(Wedding::id).containsExactly("first");

            // Another node adds a wedding; this node's store reads now hang until released.
            store.upsert(List.of(wedding("second", "Europe/London", "2026-06-13T16:00", "2026-06-13T23:00", 80)));
            store.gate = new CountDownLatch(1);
            Thread.sleep(50); // past the refresh interval
            int readsBefore = store.reads.get();
            for (int i = 0; i < 20; i++) {
                List<Wedding> now = CompletableFuture.supplyAsync(calendar::weddingsAroundNow)
                        .get(10, TimeUnit.SECONDS); // a caller waiting for the hung store would not return
                assertThat(now).extracting(Wedding::id).containsExactly("first");
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (store.reads.get() == readsBefore && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(store.reads.get() - readsBefore).as("one background read, however many callers").isEqualTo(1);

            store.gate.countDown();
            store.gate = null;
            while (calendar.weddingsAroundNow().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(calendar.weddingsAroundNow()).extracting(Wedding::id).containsExactlyInAnyOrder("first", "second");
        }
    }

    @Test
    void afterInvalidate_theNextCallReadsTheStore() throws Exception {
        try (EmbeddedMetricStore db = EmbeddedMetricStore.open(dir)) {
            SlowStore store = new SlowStore(db.weddings());
            WeddingCalendar calendar = new WeddingCalendar(store, CalendarSettings.DEFAULTS,
                    Clock.fixed(NOW, ZoneOffset.UTC));
            assertThat(calendar.weddingsAroundNow()).isEmpty();
            store.upsert(List.of(wedding("new", "Europe/London", "2026-06-13T14:00", "2026-06-13T23:00", 100)));
            assertThat(calendar.weddingsAroundNow()).as("cached for 5 s").isEmpty();
            calendar.invalidate();
            assertThat(calendar.weddingsAroundNow()).extracting(Wedding::id).containsExactly("new");
        }
    }
}
