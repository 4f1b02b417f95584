package io.vigil.notify.channel;

import io.vigil.core.outbound.SendOutcome;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One message sent to several recipients (email, SMS, voice): which recipients already got a message key, and the
 * outcome of a send from the outcome for each recipient. Package-private: the recipients it holds never leave it.
 */
final class FanOut {
    /** Message keys remembered per channel; the oldest is forgotten first. */
    static final int REMEMBERED_KEYS = 4096;

    private final Map<String, Set<String>> sent = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
            return size() > REMEMBERED_KEYS;
        }
    };

    /**
     * The recipients that already got the message with this key from this channel (since the process started, for
     * the last {@link #REMEMBERED_KEYS} keys): a send that is retried after a partial failure skips them.
     */
    synchronized Set<String> alreadySent(String key) {
        Set<String> s = sent.get(key);
        return s == null ? Set.of() : Set.copyOf(s);
    }

    /** Remembers that these recipients got the message with this key. */
    synchronized void sent(String key, Collection<String> recipients) {
        if (!recipients.isEmpty()) {
            sent.computeIfAbsent(key, k -> new HashSet<>()).addAll(recipients);
        }
    }

    /**
     * The outcome of a send from the outcome for each of its recipients: delivered when all were delivered; else
     * retried when any failure may pass (the reason also counts the ones rejected for good, and the wait is the
     * longest asked for); else rejected. The reasons say how many recipients failed, never which.
     *
     * @param outcomes one per recipient, at least one
     */
    static SendOutcome combine(List<SendOutcome> outcomes) {
        if (outcomes.isEmpty()) {
            throw new IllegalArgumentException("no outcomes");
        }
        int n = outcomes.size();
        SendOutcome.Retry firstRetry = null;
        SendOutcome.Rejected firstRejected = null;
        int retries = 0;
        int rejections = 0;
        Duration wait = null;
        for (SendOutcome o : outcomes) {
            if (o instanceof SendOutcome.Retry r) {
                retries++;
                if (firstRetry == null) {
                    firstRetry = r;
                }
                if (r.retryAfter() != null && (wait == null || r.retryAfter().compareTo(wait) > 0)) {
                    wait = r.retryAfter();
                }
            } else if (o instanceof SendOutcome.Rejected r) {
                rejections++;
                if (firstRejected == null) {
                    firstRejected = r;
                }
            }
        }
        if (firstRetry == null && firstRejected == null) {
            return outcomes.getFirst();
        }
        if (n == 1) {
            return outcomes.getFirst();
        }
        if (firstRetry != null) {
            String reason = firstRetry.reason() + " for " + retries + " of " + n + " recipients"
                    + (firstRejected == null ? ""
                            : "; " + firstRejected.reason() + " for " + rejections + " of " + n);
            return new SendOutcome.Retry(reason, firstRetry.status(), wait);
        }
        return new SendOutcome.Rejected(firstRejected.reason() + " for " + rejections + " of " + n + " recipients",
                firstRejected.status());
    }
}
