package io.vigil.export.pipeline;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.vigil.core.outbound.RetryPolicy;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.export.ExportSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what is offered to one {@link ExportSink} from a thread of its own, so that a slow, failing or hanging far side
 * never holds up the caller: a bounded buffer that drops the oldest items when full (counted), batches by size
 * ({@link ExportSink#maxBatch()}) and time ({@code linger}), retries with backoff and jitter honouring
 * {@code Retry-After}, a Resilience4j circuit breaker (open when at least half of the last 20 attempts, and at least 10,
 * failed; while open, nothing is sent for 30 s and the buffer keeps the newest items), payloads split in two when the far side says too large, and items given up after {@code giveUpAfter}.
 * Thread-safe.
 *
 * @param <T> the items exported
 */
public final class ExportWorker<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExportWorker.class);

    /** How the worker batches, buffers and retries. */
    public record Settings(int capacity, Duration linger, RetryPolicy retry, Duration giveUpAfter) {
        /** 100,000 items buffered, batches sent at least every 10 s, retries from 1 s up to 1 min, given up after 10 min. */
        public static final Settings DEFAULT = new Settings(100_000, Duration.ofSeconds(10),
                new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ZERO),
                Duration.ofMinutes(10));

        public Settings {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be at least 1 but was " + capacity);
            }
        }
    }

    private final ExportSink<T> sink;
    private final Settings settings;
    private final Clock clock;
    private final CircuitBreaker breaker;
    private final ArrayDeque<T> buffer = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Thread thread;
    private volatile boolean closed;

    // health, guarded by lock
    private long inFlight;
    private long sent;
    private Instant lastSuccess;
    private Instant lastFailure;
    private String lastError;
    private final Map<String, Long> dropped = new TreeMap<>();
    private final Map<String, Long> failures = new TreeMap<>();

    public ExportWorker(ExportSink<T> sink, Settings settings, Clock clock) {
        this.sink = sink;
        this.settings = settings;
        this.clock = clock;
        this.breaker = CircuitBreaker.of("export-" + sink.name(), CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED).slidingWindowSize(20)
                .minimumNumberOfCalls(10).failureRateThreshold(50).waitDurationInOpenState(Duration.ofSeconds(30))
                .permittedNumberOfCallsInHalfOpenState(1).build());
        this.thread = Thread.ofPlatform().daemon().name("vigil-export-" + sink.name()).unstarted(this::run);
    }

    /** Starts the sending thread. */
    public ExportWorker<T> start() {
        thread.start();
        return this;
    }

    /** The sink's name. */
    public String name() {
        return sink.name();
    }

    /** Queues items without waiting; when the buffer is full the oldest are dropped and counted as {@code buffer_full}. */
    public void offer(List<T> items) {
        if (items.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            buffer.addAll(items);
            int over = buffer.size() - settings.capacity();
            for (int i = 0; i < over; i++) {
                buffer.pollFirst();
            }
            if (over > 0) {
                dropped.merge("buffer_full", (long) over, Long::sum);
            }
            if (buffer.size() >= sink.maxBatch()) {
                arrived.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The worker's health now. */
    public ExporterHealth health() {
        lock.lock();
        try {
            return new ExporterHealth(sink.name(), breaker.getState().name(), lastSuccess, lastFailure, lastError,
                    buffer.size() + inFlight, sent, dropped, failures, sink.details());
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (!closed) {
            List<T> batch;
            try {
                batch = nextBatch();
            } catch (InterruptedException e) {
                return;
            }
            if (batch.isEmpty()) {
                continue;
            }
            try {
                export(batch);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("exporter {} failed to encode or send a batch of {}; dropped: {}", sink.name(), batch.size(),
                        e.toString());
                drop(batch.size(), "internal_error");
            } finally {
                lock.lock();
                try {
                    inFlight = 0;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Waits until a full batch is buffered or the linger time has passed with anything buffered. */
    private List<T> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + settings.linger().toNanos();
            while (!closed && buffer.size() < sink.maxBatch()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (!buffer.isEmpty()) {
                        break;
                    }
                    deadline = System.nanoTime() + settings.linger().toNanos();
                    left = settings.linger().toNanos();
                }
                arrived.awaitNanos(left);
            }
            int n = Math.min(buffer.size(), sink.maxBatch());
            List<T> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(buffer.pollFirst());
            }
            inFlight = n;
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void export(List<T> batch) throws InterruptedException {
        ExportSink.Encoded<T> encoded = sink.encode(batch);
        if (encoded.refused() > 0) {
            drop(encoded.refused(), encoded.refusedReason() == null ? "refused" : encoded.refusedReason());
        }
        Instant first = clock.instant();
        for (ExportSink.Payload<T> p : encoded.payloads()) {
            deliver(p, first);
        }
    }

    /** Sends one payload until it is accepted, rejected or too old. */
    private void deliver(ExportSink.Payload<T> payload, Instant since) throws InterruptedException {
        int attempts = 0;
        while (!closed) {
            if (!breaker.tryAcquirePermission()) {
                if (expired(since)) {
                    drop(payload.items().size(), "expired");
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(500);
                continue;
            }
            long start = System.nanoTime();
            SendOutcome outcome = sink.send(payload);
            long took = System.nanoTime() - start;
            switch (outcome) {
                case SendOutcome.Delivered d -> {
                    breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                    succeeded(payload.items().size());
                    return;
                }
                case SendOutcome.Rejected r -> {
                    breaker.onSuccess(took, TimeUnit.NANOSECONDS); // the far side is up; the data is the problem
                    if (r.status() == 413 && payload.items().size() > 1) {
                        split(payload, since);
                    } else {
                        failed(r.reason());
                        drop(payload.items().size(), r.status() == 413 ? "too_large" : "rejected " + r.reason());
                        LOG.warn("exporter {} rejected {} items for good: {}", sink.name(), payload.items().size(),
                                r.reason());
                    }
                    return;
                }
                case SendOutcome.Retry r -> {
                    breaker.onError(took, TimeUnit.NANOSECONDS, new RuntimeException(r.reason()));
                    failed(r.reason());
                    attempts++;
                    if (expired(since)) {
                        drop(payload.items().size(), "expired");
                        return;
                    }
                    TimeUnit.MILLISECONDS.sleep(settings.retry().delay(attempts, r.retryAfter()).toMillis());
                }
            }
        }
    }

    private void split(ExportSink.Payload<T> payload, Instant since) throws InterruptedException {
        List<T> items = payload.items();
        int half = items.size() / 2;
        for (List<T> part : List.of(items.subList(0, half), items.subList(half, items.size()))) {
            ExportSink.Encoded<T> encoded = sink.encode(part);
            if (encoded.refused() > 0) {
                drop(encoded.refused(), encoded.refusedReason() == null ? "refused" : encoded.refusedReason());
            }
            for (ExportSink.Payload<T> p : encoded.payloads()) {
                deliver(p, since);
            }
        }
    }

    private boolean expired(Instant since) {
        return Duration.between(since, clock.instant()).compareTo(settings.giveUpAfter()) > 0;
    }

    private void succeeded(int items) {
        lock.lock();
        try {
            sent += items;
            inFlight = Math.max(0, inFlight - items);
            lastSuccess = clock.instant();
        } finally {
            lock.unlock();
        }
    }

    private void failed(String reason) {
        lock.lock();
        try {
            failures.merge(reason, 1L, Long::sum);
            lastFailure = clock.instant();
            lastError = reason;
        } finally {
            lock.unlock();
        }
    }

    private void drop(int items, String reason) {
        lock.lock();
        try {
            dropped.merge(reason, (long) items, Long::sum);
            inFlight = Math.max(0, inFlight - items);
        } finally {
            lock.unlock();
        }
    }

    /** Stops the thread; what is buffered is not sent (exports are best effort across a restart). */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
