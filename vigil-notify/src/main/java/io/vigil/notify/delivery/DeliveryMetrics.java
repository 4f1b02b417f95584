package io.vigil.notify.delivery;

import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.core.WriteBatch;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery metrics, written into Vigil's own store so that they can be queried, charted and alerted on like any
 * metric: {@code vigil_notification_attempts} (a count per attempt, by receiver, channel type, outcome and status)
 * and {@code vigil_notification_delivery_seconds} (from the change being notified to the receiver accepting it).
 */
public final class DeliveryMetrics {
    public static final String ATTEMPTS = "vigil_notification_attempts";
    public static final String LATENCY = "vigil_notification_delivery_seconds";
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryMetrics.class);

    private final Consumer<WriteBatch> sink;

    /** @param sink writes a batch (the engine's write); its failures are logged, never passed to delivery */
    public DeliveryMetrics(Consumer<WriteBatch> sink) {
        this.sink = sink;
    }

    /**
     * Records one attempt.
     *
     * @param outcome {@code delivered}, {@code retry}, {@code rejected}, {@code circuit_open}, {@code busy}
     * @param status the HTTP or SMTP status, 0 when none
     * @param latency from the change to delivery, null unless delivered
     */
    public void attempt(Receiver receiver, String outcome, int status, Instant at, Duration latency) {
        WriteBatch b = new WriteBatch(2);
        b.beginSeries(new SeriesKey(ATTEMPTS, Labels.of("receiver", receiver.name(), "channel",
                receiver.channel().type(), "outcome", outcome, "status", Integer.toString(status))), MetricKind.DELTA);
        b.addSample(at.toEpochMilli(), 1);
        if (latency != null) {
            b.beginSeries(new SeriesKey(LATENCY, Labels.of("receiver", receiver.name(), "channel",
                    receiver.channel().type())), MetricKind.DISTRIBUTION);
            b.addSample(at.toEpochMilli(), latency.toNanos() / 1e9);
        }
        try {
            sink.accept(b);
        } catch (RuntimeException e) {
            LOG.warn("delivery metrics could not be written: {}", e.toString());
        }
    }
}
