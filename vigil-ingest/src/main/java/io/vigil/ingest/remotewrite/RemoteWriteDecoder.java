package io.vigil.ingest.remotewrite;

import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.core.WriteBatch;
import io.vigil.ingest.LabelRules;
import io.vigil.ingest.MalformedPayloadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import org.xerial.snappy.Snappy;

/**
 * Decodes Prometheus remote write 1.0 bodies (snappy block format around a protobuf {@code WriteRequest}) with a
 * hand-written protobuf reader: no generated message objects, and a series whose labels were seen before is resolved
 * from their raw bytes without decoding a single string ({@link SeriesKeyCache}).
 *
 * <p>The metric kind is not in remote write 1.0 samples, so it follows the naming conventions: names ending in
 * {@code _total}, {@code _count}, {@code _sum} or {@code _bucket} are counters, all others gauges. Stale markers
 * (the NaN {@code 0x7ff0000000000002}) end a series in Prometheus and are skipped, neither stored nor rejected.
 * Native histograms (remote write field 4) are rejected per series with a message.
 *
 * <p>Thread-safe: the only shared state is the key cache.
 */
public final class RemoteWriteDecoder {
    private static final long STALE_NAN = 0x7ff0000000000002L;
    private static final byte[] NAME = "__name__".getBytes(StandardCharsets.US_ASCII);

    private final LabelRules rules;
    private final Clock clock;
    private final int maxUncompressedBytes;
    private final SeriesKeyCache cache;
    /** Decompression buffers, reused: a request's decompressed body is garbage as soon as it is decoded. */
    private final BufferPool buffers = new BufferPool(16, 8 << 20);

    /**
     * @param maxUncompressedBytes largest decompressed body accepted; larger ones are refused before decompression
     * @param cacheEntries series keys remembered by raw label bytes
     */
    public RemoteWriteDecoder(LabelRules rules, Clock clock, int maxUncompressedBytes, int cacheEntries) {
        this.rules = rules;
        this.clock = clock;
        this.maxUncompressedBytes = maxUncompressedBytes;
        this.cache = new SeriesKeyCache(cacheEntries);
    }

    /**
     * Decodes one request body.
     *
     * @throws MalformedPayloadException if the body is not snappy, too large once decompressed, or not a WriteRequest
     */
    public WriteBatch decode(byte[] body) {
        return decode(body, 0, body.length);
    }

    /** Decodes {@code body[offset, offset + length)}; see {@link #decode(byte[])}. */
    public WriteBatch decode(byte[] body, int offset, int length) {
        int size;
        try {
            size = Snappy.uncompressedLength(body, offset, length);
        } catch (IOException | RuntimeException e) {
            throw notSnappy(e);
        }
        if (size < 0 || size > maxUncompressedBytes) {
            throw new MalformedPayloadException("body decompresses to " + size + " bytes, more than the limit of "
                    + maxUncompressedBytes);
        }
        byte[] raw = buffers.acquire(size);
        try {
            try {
                // snappy validates while it decompresses: invalid data fails here, with nothing decoded yet
                Snappy.uncompress(body, offset, length, raw, 0);
            } catch (IOException | RuntimeException e) {
                throw notSnappy(e);
            }
            return decodeUncompressed(raw, 0, size);
        } finally {
            buffers.release(raw);
        }
    }

    private static MalformedPayloadException notSnappy(Exception e) {
        return new MalformedPayloadException("body is not snappy block-compressed (remote write 1.0 requires "
                + "Content-Encoding: snappy, block format, not framed): " + e.getMessage(), e);
    }

    /** Decodes an uncompressed protobuf WriteRequest (for benchmarks and tests). */
    public WriteBatch decodeUncompressed(byte[] buf, int offset, int length) {
        // About one sample per 60 bytes of a typical request; sizing the batch once avoids regrowing it.
        WriteBatch batch = new WriteBatch(Math.min(1 << 20, Math.max(64, length / 60)));
        long now = clock.millis();
        ProtoReader in = new ProtoReader(buf, offset, offset + length);
        try {
            while (in.hasMore()) {
                int tag = in.tag();
                if (tag == (1 << 3 | 2)) {
                    int len = in.length();
                    int start = in.position();
                    timeSeries(buf, start, start + len, batch, now);
                    in.skipTo(start + len);
                } else {
                    in.skip(tag);
                }
            }
        } catch (ProtoReader.Malformed e) {
            throw new MalformedPayloadException("body is not a valid remote write WriteRequest protobuf: "
                    + e.getMessage());
        }
        return batch;
    }

    private void timeSeries(byte[] buf, int start, int end, WriteBatch batch, long now) {
        // Pass 1: where the labels are, how many samples, any native histograms.
        ProtoReader in = new ProtoReader(buf, start, end);
        int labelStart = -1;
        int labelEnd = -1;
        boolean contiguous = true;
        int labelCount = 0;
        int samples = 0;
        int histograms = 0;
        while (in.hasMore()) {
            int fieldStart = in.position();
            int tag = in.tag();
            if (tag == (1 << 3 | 2)) {
                int len = in.length();
                in.skipTo(in.position() + len);
                if (labelStart < 0) {
                    labelStart = fieldStart;
                } else if (labelEnd != fieldStart) {
                    contiguous = false;
                }
                labelEnd = in.position();
                labelCount++;
            } else if (tag == (2 << 3 | 2)) {
                in.skipLengthDelimited();
                samples++;
            } else if (tag == (4 << 3 | 2)) {
                in.skipLengthDelimited();
                histograms++;
            } else {
                in.skip(tag);
            }
        }
        if (histograms > 0) {
            batch.reject(histograms, "native histograms are not supported over remote write; send classic histograms");
        }
        if (samples == 0) {
            return;
        }
        SeriesKeyCache.Entry entry = null;
        long hash = 0;
        long hash2 = 0;
        boolean cacheable = contiguous && labelStart >= 0;
        if (cacheable) {
            hash = SeriesKeyCache.hash(buf, labelStart, labelEnd);
            hash2 = SeriesKeyCache.hash2(buf, labelStart, labelEnd);
            entry = cache.get(hash, hash2);
        }
        SeriesKey key;
        MetricKind kind;
        if (entry != null) {
            key = entry.key;
            kind = entry.kind;
        } else {
            Object resolved = parseLabels(buf, start, end, labelCount);
            if (resolved instanceof String reason) {
                batch.reject(samples, reason);
                return;
            }
            key = (SeriesKey) resolved;
            kind = kindOf(key.metric());
            if (cacheable) {
                entry = new SeriesKeyCache.Entry(hash, hash2, key, kind);
                cache.put(entry);
            }
        }
        batch.beginSeries(key, kind, entry);
        // Pass 2: samples.
        in = new ProtoReader(buf, start, end);
        while (in.hasMore()) {
            int tag = in.tag();
            if (tag == (2 << 3 | 2)) {
                int len = in.length();
                int sampleEnd = in.position() + len;
                double value = 0;
                long ts = 0;
                while (in.position() < sampleEnd) {
                    int t = in.tag();
                    if (t == (1 << 3 | 1)) {
                        value = Double.longBitsToDouble(in.fixed64());
                    } else if (t == (2 << 3)) {
                        ts = in.varint();
                    } else {
                        in.skip(t);
                    }
                }
                in.skipTo(sampleEnd);
                if (Double.doubleToRawLongBits(value) == STALE_NAN) {
                    continue;
                }
                String problem = rules.checkValue(key.metric(), value);
                if (problem == null) {
                    problem = rules.checkTimestamp(key.metric(), ts, now);
                }
                if (problem != null) {
                    batch.reject(1, problem);
                } else {
                    batch.addSample(ts, value);
                }
            } else if (tag == (1 << 3 | 2) || tag == (4 << 3 | 2) || tag == (3 << 3 | 2)) {
                in.skipLengthDelimited();
            } else {
                in.skip(tag);
            }
        }
    }

    /** Returns the SeriesKey, or a String saying why the label set is refused. */
    private Object parseLabels(byte[] buf, int start, int end, int labelCount) {
        String metric = null;
        String[] names = new String[labelCount];
        String[] values = new String[labelCount];
        int n = 0;
        ProtoReader in = new ProtoReader(buf, start, end);
        while (in.hasMore()) {
            int tag = in.tag();
            if (tag != (1 << 3 | 2)) {
                if ((tag & 7) == 2) {
                    in.skipLengthDelimited();
                } else {
                    in.skip(tag);
                }
                continue;
            }
            int len = in.length();
            int labelEnd = in.position() + len;
            String name = null;
            String value = "";
            int nameOff = -1;
            int nameLen = 0;
            while (in.position() < labelEnd) {
                int t = in.tag();
                if (t == (1 << 3 | 2)) {
                    nameLen = in.length();
                    nameOff = in.position();
                    name = new String(buf, nameOff, nameLen, StandardCharsets.UTF_8);
                    in.skipTo(nameOff + nameLen);
                } else if (t == (2 << 3 | 2)) {
                    int vl = in.length();
                    if (vl > rules.maxValueLength() * 4) {
                        in.skipTo(in.position() + vl);
                        return "label '" + (name == null ? "?" : LabelRules.printable(name)) + "' has a value of " + vl
                                + " bytes, more than " + rules.maxValueLength() + " characters";
                    }
                    value = new String(buf, in.position(), vl, StandardCharsets.UTF_8);
                    in.skipTo(in.position() + vl);
                } else {
                    in.skip(t);
                }
            }
            in.skipTo(labelEnd);
            if (name == null) {
                return "a label has no name";
            }
            if (nameLen == NAME.length && Arrays.equals(buf, nameOff, nameOff + nameLen, NAME, 0, NAME.length)) {
                if (metric != null) {
                    return "series has __name__ twice";
                }
                metric = value.intern();
                continue;
            }
            if (value.isEmpty()) {
                continue; // an empty value means the label is absent, as in Prometheus
            }
            // Interned: names and most values (routes, jobs, status codes) repeat across many series, and each
            // known series keeps its labels in memory for good.
            names[n] = name.intern();
            values[n] = value.intern();
            n++;
        }
        if (metric == null) {
            return "series has no __name__ label";
        }
        String problem = rules.checkMetricName(metric);
        if (problem == null) {
            problem = rules.checkLabelCount(metric, n);
        }
        if (problem != null) {
            return problem;
        }
        names = Arrays.copyOf(names, n);
        values = Arrays.copyOf(values, n);
        sortByName(names, values);
        for (int i = 0; i < n; i++) {
            if (i > 0 && names[i].equals(names[i - 1])) {
                return "series of '" + metric + "' has label '" + LabelRules.printable(names[i]) + "' twice";
            }
            problem = rules.checkLabelName(names[i]);
            if (problem == null) {
                problem = rules.checkLabelValue(names[i], values[i]);
            }
            if (problem != null) {
                return problem;
            }
        }
        return new SeriesKey(metric, Labels.ofSorted(names, values));
    }

    private static void sortByName(String[] names, String[] values) {
        for (int i = 1; i < names.length; i++) {
            if (names[i].compareTo(names[i - 1]) < 0) {
                // Senders must sort; when one does not, sort a copy of the pairs.
                Integer[] order = new Integer[names.length];
                for (int k = 0; k < order.length; k++) {
                    order[k] = k;
                }
                Arrays.sort(order, (a, b) -> names[a].compareTo(names[b]));
                String[] n2 = new String[names.length];
                String[] v2 = new String[names.length];
                for (int k = 0; k < order.length; k++) {
                    n2[k] = names[order[k]];
                    v2[k] = values[order[k]];
                }
                System.arraycopy(n2, 0, names, 0, names.length);
                System.arraycopy(v2, 0, values, 0, values.length);
                return;
            }
        }
    }

    /** Counter for Prometheus counter-like names, gauge otherwise. */
    static MetricKind kindOf(String metric) {
        return metric.endsWith("_total") || metric.endsWith("_count") || metric.endsWith("_sum")
                || metric.endsWith("_bucket") ? MetricKind.COUNTER : MetricKind.GAUGE;
    }

}
