package io.vigil.calendar.ics;

import java.time.Instant;

/**
 * How fetching a feed has been going.
 *
 * @param lastAttempt when the feed was last fetched, or null if never
 * @param lastSuccess when it last succeeded, or null if never
 * @param lastError the last failure's message while failing, null after a success; holds no credentials
 * @param consecutiveFailures failures since the last success
 */
public record FeedHealth(Instant lastAttempt, Instant lastSuccess, String lastError, int consecutiveFailures) {

    /** Before the first attempt. */
    public static final FeedHealth NEVER_FETCHED = new FeedHealth(null, null, null, 0);

    /** Whether the last attempt succeeded. */
    public boolean healthy() {
        return lastAttempt != null && lastError == null;
    }

    FeedHealth after(FetchResult result, Instant at) {
        return result instanceof FetchResult.Failed failed
                ? new FeedHealth(at, lastSuccess, failed.message(), consecutiveFailures + 1)
                : new FeedHealth(at, at, null, 0);
    }
}
