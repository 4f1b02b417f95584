package io.vigil.core;

import java.nio.charset.StandardCharsets;

/**
 * The identity of a time series: metric name plus labels. {@link #id()} is a stable 64-bit hash of the canonical
 * form, the same on every node and across restarts, used as the series id in storage.
 */
public record SeriesKey(String metric, Labels labels) {

    public SeriesKey {
        if (metric == null || metric.isEmpty()) {
            throw new IllegalArgumentException("metric name must not be empty");
        }
        if (labels == null) {
            labels = Labels.EMPTY;
        }
    }

    /**
     * Stable id: 64-bit FNV-1a over the UTF-8 canonical form, finished with a murmur3 mix. Two different keys share
     * an id with probability about n²/2⁶⁵ (about 3·10⁻⁹ for 10 million series).
     */
    public long id() {
        long h = 0xcbf29ce484222325L;
        h = mix(h, metric);
        for (int i = 0; i < labels.size(); i++) {
            h = (h ^ 0x01) * 0x100000001b3L;
            h = mix(h, labels.name(i));
            h = (h ^ 0x02) * 0x100000001b3L;
            h = mix(h, labels.value(i));
        }
        return finish(h);
    }

    /**
     * MurmurHash3's 64-bit finaliser: spreads every input bit over the whole result. Shared by the hashes that
     * identify series (this id, and the ingest label cache); changing it would change every stored series id.
     */
    public static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static long mix(long h, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            if (b >= 0x01 && b <= 0x03) {
                // The separators 0x01 and 0x02 of id() hash like bytes, so without this escape a value containing
                // them could imitate a label boundary: label a with the value x, U+0001, b, U+0002, c had the same id
                // as the two labels a="x", b="c".
                // Only strings containing U+0001..U+0003 hash differently than before: every other id is unchanged.
                h = (h ^ 0x03) * 0x100000001b3L;
            }
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    /**
     * This key with every string interned: label names and most values (routes, jobs, status codes) repeat across
     * many series, and a series kept in memory for good should not hold its own copies. Returns this key when its
     * strings are interned already.
     */
    public SeriesKey interned() {
        String[] names = new String[labels.size()];
        String[] values = new String[labels.size()];
        String m = metric.intern();
        boolean same = m == metric;
        for (int i = 0; i < names.length; i++) {
            names[i] = labels.name(i).intern();
            values[i] = labels.value(i).intern();
            same &= names[i] == labels.name(i) && values[i] == labels.value(i);
        }
        return same ? this : new SeriesKey(m, Labels.ofSorted(names, values));
    }

    @Override
    public String toString() {
        return metric + labels;
    }
}
