package io.vigil.bench;

import java.io.IOException;
import java.util.Arrays;
import org.xerial.snappy.Snappy;

/**
 * A snappy-compressed remote write request for series {@code [first, first + count)}, one sample each, whose
 * samples are patched in place inside the compressed body ({@link PatchableSnappy}).
 *
 * <p>Per series the uncompressed layout is {@code 0A len <labels> 12 10 09 | <8-byte double> 10 <6-byte varint
 * timestamp>}: the 15 bytes after {@code |} are the hole. A millisecond timestamp is a 6-byte varint from 2^35 ms
 * (1971) to 2^42 ms (2109), so its length never changes.
 */
final class RemoteWriteTemplate extends RequestTemplate {
    static final int HOLE = 15;
    private static final long MIN_TS = 1L << 35;
    private static final long MAX_TS = (1L << 42) - 1;

    private final long first;
    private final int[] holes;
    /** Uncompressed size, for the report. */
    final int rawSize;
    /** What {@code Snappy.compress} makes of the same request, for the report. */
    final int referenceCompressedSize;

    private RemoteWriteTemplate(byte[] body, int count, long first, int[] holes, int rawSize, int referenceSize) {
        super(body, count);
        this.first = first;
        this.holes = holes;
        this.rawSize = rawSize;
        this.referenceCompressedSize = referenceSize;
    }

    /**
     * Builds the template and checks it: the compressed body must decompress to the protobuf that
     * {@link RemoteWriteEncoding#writeRequest} writes for the same samples, before and after a patch.
     */
    static RemoteWriteTemplate build(String metricBase, int metrics, long first, int count, int labels,
                                     long nowMillis) {
        byte[][] blobs = new byte[count][];
        int size = 0;
        for (int k = 0; k < count; k++) {
            long i = first + k;
            blobs[k] = RemoteWriteEncoding.labelBlob(SeriesLabels.metricName(metricBase, (int) (i % metrics), metrics),
                    i, labels);
            int ts = blobs[k].length + 18;
            size += 1 + varintSize(ts) + ts;
        }
        byte[] raw = new byte[size];
        int[] holeStarts = new int[count];
        int p = 0;
        for (int k = 0; k < count; k++) {
            raw[p++] = 0x0A;
            p = varint(raw, p, blobs[k].length + 18);
            System.arraycopy(blobs[k], 0, raw, p, blobs[k].length);
            p += blobs[k].length;
            raw[p++] = 0x12;
            raw[p++] = 0x10;
            raw[p++] = 0x09;
            holeStarts[k] = p;
            p += 8;
            raw[p++] = 0x10;
            p += 6;
        }
        RemoteWriteTemplate unpatched = new RemoteWriteTemplate(raw, count, first, holeStarts, size, 0);
        unpatched.patch(nowMillis, 0);
        PatchableSnappy.Result r = PatchableSnappy.compress(raw, holeStarts, HOLE);
        int reference;
        try {
            reference = Snappy.compress(raw).length;
        } catch (IOException e) {
            throw new IllegalStateException("snappy-java failed: " + e.getMessage(), e);
        }
        RemoteWriteTemplate t = new RemoteWriteTemplate(r.compressed(), count, first, r.holeOffsets(), size,
                reference);
        t.check(blobs, nowMillis + 12_345, 7);
        t.check(blobs, nowMillis, 0);
        return t;
    }

    private void check(byte[][] blobs, long ts, long round) {
        patch(ts, round);
        double[] values = new double[samples];
        long[] timestamps = new long[samples];
        for (int k = 0; k < samples; k++) {
            values[k] = counterValue(first + k, round);
            timestamps[k] = ts;
        }
        byte[] expected = RemoteWriteEncoding.writeRequest(blobs, values, timestamps);
        byte[] actual;
        try {
            actual = Snappy.uncompress(body);
        } catch (IOException e) {
            throw new IllegalStateException("patched snappy body does not decompress: " + e.getMessage(), e);
        }
        if (!Arrays.equals(expected, actual)) {
            throw new IllegalStateException("patched snappy body decompresses to other bytes than the protobuf encoder "
                    + "writes (series " + first + ".." + (first + samples - 1) + ")");
        }
    }

    @Override
    void patch(long timestampMillis, long round) {
        if (timestampMillis < MIN_TS || timestampMillis > MAX_TS) {
            throw new IllegalArgumentException("timestamp " + timestampMillis + " ms is not a 6-byte varint");
        }
        byte t0 = (byte) (timestampMillis | 0x80);
        byte t1 = (byte) (timestampMillis >>> 7 | 0x80);
        byte t2 = (byte) (timestampMillis >>> 14 | 0x80);
        byte t3 = (byte) (timestampMillis >>> 21 | 0x80);
        byte t4 = (byte) (timestampMillis >>> 28 | 0x80);
        byte t5 = (byte) (timestampMillis >>> 35);
        byte[] b = body;
        for (int k = 0; k < holes.length; k++) {
            int off = holes[k];
            LONG_LE.set(b, off, Double.doubleToRawLongBits(counterValue(first + k, round)));
            off += 9;
            b[off] = t0;
            b[off + 1] = t1;
            b[off + 2] = t2;
            b[off + 3] = t3;
            b[off + 4] = t4;
            b[off + 5] = t5;
        }
    }

    private static int varintSize(int v) {
        int n = 1;
        while ((v & ~0x7F) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static int varint(byte[] b, int p, int v) {
        while ((v & ~0x7F) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }
}
