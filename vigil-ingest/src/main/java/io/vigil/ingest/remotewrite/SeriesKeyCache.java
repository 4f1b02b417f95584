package io.vigil.ingest.remotewrite;

import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers validated series keys by the raw protobuf bytes of their labels, so that a series seen before costs a
 * hash and a byte comparison instead of string decoding, validation and sorting. Bounded: when full it is cleared
 * (the next requests repopulate it). Thread-safe.
 */
final class SeriesKeyCache {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    record Entry(byte[] raw, SeriesKey key, MetricKind kind) {}

    private final int capacity;
    private final ConcurrentHashMap<Long, Entry> entries;

    SeriesKeyCache(int capacity) {
        this.capacity = capacity;
        this.entries = new ConcurrentHashMap<>(Math.min(capacity, 1 << 16));
    }

    Entry get(long hash, byte[] buf, int from, int to) {
        Entry e = entries.get(hash);
        if (e != null && Arrays.equals(e.raw(), 0, e.raw().length, buf, from, to)) {
            return e;
        }
        return null;
    }

    void put(long hash, Entry entry) {
        if (capacity == 0) {
            return;
        }
        if (entries.size() >= capacity) {
            entries.clear();
        }
        entries.put(hash, entry);
    }

    /** A 64-bit hash of a byte range, eight bytes per step (not cryptographic; collisions are verified by bytes). */
    static long hash(byte[] buf, int from, int to) {
        long h = 0x9E3779B97F4A7C15L ^ (to - from);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONG.get(buf, i);
            h = Long.rotateLeft(h ^ (w * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        }
        for (; i < to; i++) {
            h = (h ^ (buf[i] & 0xFF)) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
