package io.vigil.server.calendar;

import io.vigil.calendar.WeddingCalendar;
import io.vigil.calendar.ics.FeedChanges;
import io.vigil.calendar.ics.FeedFetcher;
import io.vigil.calendar.ics.FeedHealth;
import io.vigil.calendar.ics.FetchResult;
import io.vigil.calendar.ics.IcsFormatException;
import io.vigil.calendar.ics.IcsParseResult;
import io.vigil.calendar.ics.IcsWeddingParser;
import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingStatus;
import io.vigil.store.Lease;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the configured iCalendar feeds and applies what changed to the calendar: new and changed weddings, and those
 * gone from a feed cancelled. Runs on the node holding the {@code calendar-feeds} lease (one node polls at a time).
 * A feed that cannot be fetched or parsed is reported as integration health ({@link #status()}), never as a crash;
 * the weddings it brought stay as they were.
 */
public final class FeedPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeedPoller.class);
    static final Duration TICK = Duration.ofSeconds(5);

    /** One feed, its fetcher and what its last poll did. */
    private static final class Feed {
        final String name;
        final Duration interval;
        final FeedFetcher fetcher;
        volatile FeedStatus status;
        long nextPollNanos;
        /** One poll of a feed at a time: a scheduled poll and {@link #pollAll} must not apply an older fetch last. */
        final ReentrantLock polling = new ReentrantLock();

        Feed(String name, URI url, Duration interval) {
            this.name = name;
            this.interval = interval;
            this.fetcher = new FeedFetcher(url);
            this.status = new FeedStatus(name, fetcher.shownUrl(), FeedHealth.NEVER_FETCHED, null, 0, 0, null);
        }
    }

    /**
     * What a feed's polling looks like from outside.
     *
     * @param name the feed
     * @param url its URL without credentials, query or path
     * @param fetch fetch health (last attempt, last success, last error, consecutive failures)
     * @param parseError why the last fetched body could not be read as iCalendar, or null
     * @param weddings weddings in the last feed read
     * @param problems events of the last feed that could not be read as weddings
     * @param lastChange added/updated/cancelled counts of the last poll that changed something, or null
     */
    public record FeedStatus(String name, String url, FeedHealth fetch, String parseError, int weddings, int problems,
                             String lastChange) {
        /** Whether the last poll fetched and read the feed. */
        public boolean healthy() {
            return fetch.healthy() && parseError == null;
        }
    }

    /** A feed to poll: its name (the weddings' source is {@code ics:<name>}), URL and interval. */
    public record FeedConfig(String name, URI url, Duration interval) {}

    private final List<Feed> feeds = new ArrayList<>();
    private final WeddingCalendar calendar;
    private final Lease lease;
    private final IcsWeddingParser parser = new IcsWeddingParser();
    private ScheduledExecutorService scheduler;

    public FeedPoller(List<FeedConfig> configs, WeddingCalendar calendar, Lease lease) {
        for (FeedConfig c : configs) {
            feeds.add(new Feed(c.name(), c.url(), c.interval()));
        }
        this.calendar = calendar;
        this.lease = lease;
    }

    /** Starts polling in the background (nothing to do without feeds). */
    public FeedPoller start() {
        if (!feeds.isEmpty()) {
            scheduler = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("vigil-feeds").daemon(true).factory());
            scheduler.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void tick() {
        try {
            if (!lease.tryAcquire()) {
                return;
            }
            long now = System.nanoTime();
            for (Feed f : feeds) {
                if (now - f.nextPollNanos >= 0) {
                    f.nextPollNanos = now + f.interval.toNanos();
                    poll(f);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("feed polling failed, will retry: {}", e.toString());
        }
    }

    /** Polls every feed now, whoever holds the lease (tests and the first start). */
    public void pollAll() {
        feeds.forEach(this::poll);
    }

    private void poll(Feed f) {
        f.polling.lock();
        try {
            pollLocked(f);
        } finally {
            f.polling.unlock();
        }
    }

    private void pollLocked(Feed f) {
        FetchResult result = f.fetcher.fetch();
        FeedHealth health = f.fetcher.health();
        if (!(result instanceof FetchResult.Fetched fetched)) {
            f.status = new FeedStatus(f.name, f.status.url(), health, null, f.status.weddings(), f.status.problems(),
                    f.status.lastChange());
            if (health.consecutiveFailures() == 1) {
                LOG.warn("calendar feed {} failed: {}", f.name, health.lastError());
            }
            return;
        }
        IcsParseResult parsed;
        try {
            parsed = parser.parse(fetched.body(), "ics:" + f.name);
        } catch (IcsFormatException e) {
            f.status = new FeedStatus(f.name, f.status.url(), health, e.getMessage(), 0, 0, f.status.lastChange());
            LOG.warn("calendar feed {} is not valid iCalendar: {}", f.name, e.getMessage());
            return;
        }
        Instant now = calendar.clock().instant();
        List<Wedding> stored = calendar.store().fromSource("ics:" + f.name);
        FeedChanges changes = FeedChanges.between(stored, parsed, now);
        String refused = refusal(changes, stored, now);
        if (refused != null) {
            f.status = new FeedStatus(f.name, f.status.url(), health, refused, parsed.weddings().size(),
                    parsed.problems().size(), f.status.lastChange());
            LOG.warn("calendar feed {}: {}", f.name, refused);
            return;
        }
        List<Wedding> upserts = withoutForeignIds(changes);
        String change = f.status.lastChange();
        if (!upserts.isEmpty()) {
            calendar.store().upsert(upserts);
            calendar.invalidate();
            change = changes.added().size() + " added, " + changes.updated().size() + " updated, "
                    + changes.cancelled().size() + " cancelled at " + now;
            LOG.info("calendar feed {}: {}", f.name, change);
        }
        f.status = new FeedStatus(f.name, f.status.url(), health, null, parsed.weddings().size(),
                parsed.problems().size(), change);
    }

    /**
     * Why a refresh must not be applied, or null: a feed that would suddenly cancel most of its upcoming weddings is
     * far more likely broken (an empty export, a wrong URL answering with a valid but empty calendar) than right.
     */
    static String refusal(FeedChanges changes, List<Wedding> stored, Instant now) {
        long upcoming = stored.stream()
                .filter(w -> w.status() == WeddingStatus.SCHEDULED && w.receptionEndInstant().isAfter(now)).count();
        int cancelling = changes.cancelled().size();
        if (cancelling >= MASS_CANCEL_MIN && cancelling * 2 > upcoming) {
            return "the feed would cancel " + cancelling + " of its " + upcoming + " upcoming weddings at once;"
                    + " nothing was applied (check the feed; once it is right, the weddings can be cancelled"
                    + " through the API)";
        }
        return null;
    }

    /** How many cancellations in one refresh make {@link #refusal} look at the share. */
    static final int MASS_CANCEL_MIN = 5;

    /** The upserts, without new weddings whose id another source (the API, a CSV, another feed) already uses. */
    private List<Wedding> withoutForeignIds(FeedChanges changes) {
        List<Wedding> out = new ArrayList<>(changes.updated());
        out.addAll(changes.cancelled());
        for (Wedding w : changes.added()) {
            var existing = calendar.store().get(w.id());
            if (existing.isPresent() && !existing.get().source().equals(w.source())) {
                LOG.warn("calendar feed wedding {} is ignored: the id is already used by source {}", w.id(),
                        existing.get().source());
            } else {
                out.add(w);
            }
        }
        return out;
    }

    /** The status of every feed. */
    public List<FeedStatus> status() {
        return feeds.stream().map(f -> f.status).toList();
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        lease.close();
        feeds.forEach(f -> f.fetcher.close());
    }
}
