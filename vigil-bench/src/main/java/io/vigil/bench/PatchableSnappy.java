package io.vigil.bench;

import java.util.Arrays;

/**
 * A Snappy block-format compressor that keeps given byte ranges ("holes") as literals at known offsets of the
 * compressed output, so a caller can rewrite those bytes in place and still have a valid compressed body.
 *
 * <p>Why: at 1.5 M samples/s a remote write sender compresses about 200 MB/s of protobuf. Running
 * {@code Snappy.compress} per request would cost the generator a large part of a core on the machine it shares with
 * the server. Instead each request is compressed once, with every sample's value and timestamp in a hole, and each
 * later send only patches 15 bytes per sample.
 *
 * <p>Algorithm: greedy matching as in the reference Snappy compressor (a hash table of 4-byte sequences, copy
 * elements with 2-byte offsets, so matches reach back at most 65535 bytes), with two rules: a copy never covers a
 * hole, and never copies from one, because the hole's bytes change after compression. Hole bytes therefore always
 * sit inside literal elements, verbatim. Label bytes compress about as well as with the reference compressor; the
 * samples, which the reference compressor partly shares between series, stay literal, so bodies come out somewhat
 * larger than Prometheus' (the load generator prints both sizes).
 *
 * <p>Not thread-safe; a single use per instance.
 */
final class PatchableSnappy {
    private static final int HASH_BITS = 14;
    private static final int MAX_OFFSET = 65535;

    private PatchableSnappy() {}

    /** The compressed bytes and, for each hole, the offset of its first byte in them. */
    record Result(byte[] compressed, int[] holeOffsets) {}

    /**
     * Compresses {@code raw}; holes are {@code [holeStarts[k], holeStarts[k] + holeLength)}, ascending and disjoint.
     */
    static Result compress(byte[] raw, int[] holeStarts, int holeLength) {
        int n = raw.length;
        // runEnd[p]: for p outside holes, the start of the next hole (or n); -1 inside a hole.
        int[] runEnd = new int[n];
        int next = 0;
        int h = 0;
        for (int p = 0; p < n; ) {
            int holeStart = h < holeStarts.length ? holeStarts[h] : n;
            if (h > 0 && holeStarts[h - 1] + holeLength > holeStart) {
                throw new IllegalArgumentException("holes overlap or are not ascending at " + holeStart);
            }
            for (; p < holeStart; p++) {
                runEnd[p] = holeStart;
            }
            for (int e = Math.min(n, holeStart + holeLength); p < e; p++) {
                runEnd[p] = -1;
            }
            h++;
        }
        Output out = new Output(n + n / 6 + 32);
        out.varint(n);
        int[] table = new int[1 << HASH_BITS];
        int[] holeOffsets = new int[holeStarts.length];
        int holeCursor = 0;
        int literalStart = 0;
        int p = 0;
        while (p + 4 <= n) {
            int end = runEnd[p];
            if (end < 0 || p + 4 > end) {
                p++;
                continue;
            }
            int hash = (int) ((load32(raw, p) * 0x1e35a7bdL) >>> (32 - HASH_BITS)) & ((1 << HASH_BITS) - 1);
            int cand = table[hash] - 1;
            table[hash] = p + 1;
            if (cand < 0 || p - cand > MAX_OFFSET || runEnd[cand] < cand + 4 || load32(raw, cand) != load32(raw, p)) {
                p++;
                continue;
            }
            int len = 4;
            int limit = Math.min(end - p, runEnd[cand] - cand);
            while (len < limit && raw[p + len] == raw[cand + len]) {
                len++;
            }
            holeCursor = literal(out, raw, literalStart, p, holeStarts, holeCursor, holeOffsets);
            copy(out, p - cand, len);
            p += len;
            literalStart = p;
        }
        holeCursor = literal(out, raw, literalStart, n, holeStarts, holeCursor, holeOffsets);
        if (holeCursor != holeStarts.length) {
            throw new IllegalStateException("only " + holeCursor + " of " + holeStarts.length + " holes were placed");
        }
        return new Result(out.toArray(), holeOffsets);
    }

    private static long load32(byte[] b, int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }

    private static int literal(Output out, byte[] raw, int from, int to, int[] holeStarts, int holeCursor,
                               int[] holeOffsets) {
        int len = to - from;
        if (len == 0) {
            return holeCursor;
        }
        int n = len - 1;
        if (n < 60) {
            out.b(n << 2);
        } else if (n < 1 << 8) {
            out.b(60 << 2);
            out.b(n);
        } else if (n < 1 << 16) {
            out.b(61 << 2);
            out.b(n);
            out.b(n >>> 8);
        } else if (n < 1 << 24) {
            out.b(62 << 2);
            out.b(n);
            out.b(n >>> 8);
            out.b(n >>> 16);
        } else {
            out.b(63 << 2);
            out.b(n);
            out.b(n >>> 8);
            out.b(n >>> 16);
            out.b(n >>> 24);
        }
        int base = out.size;
        out.bytes(raw, from, len);
        while (holeCursor < holeStarts.length && holeStarts[holeCursor] < to) {
            if (holeStarts[holeCursor] < from) {
                throw new IllegalStateException("hole at " + holeStarts[holeCursor] + " was covered by a copy");
            }
            holeOffsets[holeCursor] = base + holeStarts[holeCursor] - from;
            holeCursor++;
        }
        return holeCursor;
    }

    /** Copy elements with 2-byte offsets (tag 10), 1..64 bytes each. */
    private static void copy(Output out, int offset, int len) {
        while (len > 0) {
            int chunk = Math.min(len, 64);
            out.b(((chunk - 1) << 2) | 2);
            out.b(offset);
            out.b(offset >>> 8);
            len -= chunk;
        }
    }

    private static final class Output {
        byte[] buf;
        int size;

        Output(int capacity) {
            buf = new byte[capacity];
        }

        void b(int v) {
            ensure(1);
            buf[size++] = (byte) v;
        }

        void bytes(byte[] src, int from, int len) {
            ensure(len);
            System.arraycopy(src, from, buf, size, len);
            size += len;
        }

        void varint(int v) {
            while ((v & ~0x7F) != 0) {
                b((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            b(v);
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        byte[] toArray() {
            return Arrays.copyOf(buf, size);
        }
    }
}
