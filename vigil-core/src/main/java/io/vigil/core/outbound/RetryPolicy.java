package io.vigil.core.outbound;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed delivery is tried again: exponential backoff from {@code base}, doubled per attempt up to {@code max},
 * with full jitter (a random wait between half and all of it, so that many deliveries failing together do not retry
 * together), never sooner than the far side's {@code Retry-After}; given up (a dead letter) once the delivery is older
 * than {@code giveUpAfter}; handed to the receiver's fallback once older than {@code fallbackAfter}.
 */
public record RetryPolicy(Duration base, Duration max, Duration giveUpAfter, Duration fallbackAfter) {
    /** 1 s doubling to 5 min, given up after an hour, fallback after 30 s (the SPEC's bound for a notification). */
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5),
            Duration.ofHours(1), Duration.ofSeconds(30));

    /** The wait before the next attempt, after {@code attempts} failed ones (1 or more). */
    public Duration delay(int attempts, Duration retryAfter) {
        long exp = Math.max(1, base.toMillis());
        for (int i = 1; i < attempts && exp < max.toMillis(); i++) {
            exp *= 2;
        }
        exp = Math.min(exp, max.toMillis());
        long jittered = exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
        long wait = retryAfter == null ? jittered : Math.max(jittered, retryAfter.toMillis());
        return Duration.ofMillis(wait);
    }
}
