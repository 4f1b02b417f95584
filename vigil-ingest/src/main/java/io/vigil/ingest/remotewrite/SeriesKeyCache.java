package io.vigil.ingest.remotewrite;

import io.vigil.core.MetricKind;
import io.vigil.core.SeriesHandle;
import io.vigil.core.SeriesKey;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Remembers validated series keys by the raw protobuf bytes of their labels, so that a series seen before costs a
 * hash, one probe of an open-addressing table and a byte comparison instead of string decoding, validation and
 * sorting. Each entry is also the series' {@link SeriesHandle}, where the engine caches its own resolution.
 *
 * <p>Reads take no lock: the table is a linear-probing array of immutable entries (final fields) that is only ever
 * added to in place, and replaced as a whole on growth through a volatile field; inserts are serialised. Bounded: when the table would pass its capacity it
 * starts empty again, and the next requests repopulate it. Thread-safe.
 */
final class SeriesKeyCache {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** A cached series: the label bytes it was decoded from, its key and kind. */
    static final class Entry extends SeriesHandle {
        final long hash;
        final byte[] raw;
        final SeriesKey key;
        final MetricKind kind;

        Entry(long hash, byte[] raw, SeriesKey key, MetricKind kind) {
            this.hash = hash;
            this.raw = raw;
            this.key = key;
            this.kind = kind;
        }
    }

    private final int capacity;
    private final Object writeLock = new Object();
    private volatile Entry[] table;
    private int size;

    SeriesKeyCache(int capacity) {
        this.capacity = capacity;
        this.table = new Entry[1024];
    }

    Entry get(long hash, byte[] buf, int from, int to) {
        Entry[] t = table;
        int mask = t.length - 1;
        for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
            Entry e = t[i];
            if (e == null) {
                return null;
            }
            if (e.hash == hash && Arrays.equals(e.raw, 0, e.raw.length, buf, from, to)) {
                return e;
            }
        }
    }

    /**
     * Adds an entry unless one with the same bytes is there. Inserts write one slot in place (a racing reader sees
     * null or the whole immutable entry, and a miss only costs it the slow path); growth publishes a new table.
     */
    void put(Entry entry) {
        if (capacity == 0) {
            return;
        }
        synchronized (writeLock) {
            Entry[] t = table;
            if (get(entry.hash, entry.raw, 0, entry.raw.length) != null) {
                return;
            }
            if (size + 1 > capacity) {
                t = new Entry[1024];
                size = 0;
                insert(t, entry);
                size++;
                table = t;
            } else if ((size + 1) * 2 > t.length) {
                t = rehash(t, t.length * 2);
                insert(t, entry);
                size++;
                table = t;
            } else {
                insert(t, entry);
                size++;
            }
        }
    }

    private static Entry[] rehash(Entry[] old, int length) {
        Entry[] t = new Entry[length];
        for (Entry e : old) {
            if (e != null) {
                insert(t, e);
            }
        }
        return t;
    }

    private static void insert(Entry[] t, Entry e) {
        int mask = t.length - 1;
        int i = (int) e.hash & mask;
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = e;
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
