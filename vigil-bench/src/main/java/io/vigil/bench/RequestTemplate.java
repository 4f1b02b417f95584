package io.vigil.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * One pre-encoded request body covering a fixed slice of the series, sent again and again: before each send,
 * {@link #advance} rewrites every sample's value and timestamp in place (the timestamp moves forward, so each series'
 * samples stay distinct and in order, and the counter value grows). Owned by one sender thread; not thread-safe.
 */
abstract class RequestTemplate {
    static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The body sent; patched in place by {@link #advance}. */
    final byte[] body;
    /** Samples (points) in the body. */
    final int samples;
    private long lastMillis;
    private long round;

    RequestTemplate(byte[] body, int samples) {
        this.body = body;
        this.samples = samples;
    }

    /** Prepares the next send: timestamp = now, or 1 ms after the previous send of this body if that is later. */
    final void advance(long nowMillis) {
        long ts = Math.max(nowMillis, lastMillis + 1);
        lastMillis = ts;
        patch(ts, round++);
    }

    /** The timestamp of the last {@link #advance}, in epoch milliseconds. */
    final long lastMillis() {
        return lastMillis;
    }

    abstract void patch(long timestampMillis, long round);

    /** A counter value: starts between 0 and 999 per series and grows by 1 to 4 per round. */
    static double counterValue(long series, long round) {
        return (series % 1000) + round * (1 + (series & 3));
    }
}
