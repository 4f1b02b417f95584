package io.vigil.core.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A UTC clock that tests, simulations and benchmarks set and move; safe to read from any thread. A {@link #running}
 * one also moves by itself, at the pace of {@link System#nanoTime()}.
 */
public final class SettableClock extends Clock {
    private final AtomicReference<Instant> now;
    /** The {@link System#nanoTime()} that {@link #now} stands for when running, else -1. */
    private final long baseNanos;

    /** A clock that stands at {@code start} until set or advanced. */
    public SettableClock(Instant start) {
        this(start, -1);
    }

    private SettableClock(Instant start, long baseNanos) {
        now = new AtomicReference<>(start);
        this.baseNanos = baseNanos;
    }

    /**
     * A clock that starts at {@code start} and then runs in real time, so that the timestamps a server gives its
     * messages are as far apart as the server's own intervals ({@link #set} and {@link #advance} still move it).
     */
    public static SettableClock running(Instant start) {
        return new SettableClock(start, System.nanoTime());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant t = now.get();
        return baseNanos < 0 ? t : t.plusNanos(System.nanoTime() - baseNanos);
    }

    /** Sets the time. */
    public void set(Instant t) {
        now.set(baseNanos < 0 ? t : t.minusNanos(System.nanoTime() - baseNanos));
    }

    /** Moves the time on by {@code d} and returns the new time. */
    public Instant advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
        return instant();
    }
}
