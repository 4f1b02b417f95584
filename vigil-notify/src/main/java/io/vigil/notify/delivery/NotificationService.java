package io.vigil.notify.delivery;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs routing and dispatch on every node: every {@value #POLL_MILLIS} ms (and at once when {@link #wake()} is
 * called) it routes waiting intents and starts the due deliveries. Claims in the state store make each intent
 * routed, and each delivery sent, by one node.
 */
public final class NotificationService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);
    static final long POLL_MILLIS = 100;
    private static final int BATCH = 64;

    private final Router router;
    private final Dispatcher dispatcher;
    private ScheduledExecutorService loop;

    public NotificationService(Router router, Dispatcher dispatcher) {
        this.router = router;
        this.dispatcher = dispatcher;
    }

    public NotificationService start() {
        loop = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("vigil-notify").daemon(true)
                .factory());
        loop.scheduleWithFixedDelay(this::round, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Routes and dispatches now rather than at the next poll (after an intent was written on this node). */
    public void wake() {
        ScheduledExecutorService l = loop;
        if (l != null) {
            try {
                l.execute(this::round);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed
            }
        }
    }

    private void round() {
        try {
            while (router.routeOnce(BATCH) == BATCH) {
                // more waiting
            }
            dispatcher.dispatchOnce(BATCH);
        } catch (RuntimeException e) {
            LOG.error("notification routing or dispatch failed, will retry: {}", e.toString());
        }
    }

    public Router router() {
        return router;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.shutdownNow();
        }
        dispatcher.close();
    }
}
