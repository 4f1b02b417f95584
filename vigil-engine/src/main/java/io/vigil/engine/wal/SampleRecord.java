package io.vigil.engine.wal;

import io.vigil.core.Distribution;
import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.core.Sketches;

/**
 * The WAL payload of one acknowledged write: series definitions (for series whose definition is not yet durable)
 * and the samples, referenced by series id. Entries: {@code 1 define(id, kind, metric, labels)},
 * {@code 2 samples(id, n, n × (timestamp, value))}, {@code 3 distribution(id, timestamp, point)}.
 */
public final class SampleRecord {
    private static final int DEFINE = 1;
    private static final int SAMPLES = 2;
    private static final int DISTRIBUTION = 3;

    private SampleRecord() {}

    /** Receives the entries of a decoded record in order. */
    public interface Visitor {
        void define(long seriesId, MetricKind kind, SeriesKey key);

        void sample(long seriesId, long timestampMillis, double value);

        void distribution(long seriesId, long timestampMillis, Distribution distribution);
    }

    /** Encodes one record. Not thread-safe; one writer per request. */
    public static final class Writer {
        private final ByteSink sink;

        public Writer(int expectedBytes) {
            sink = new ByteSink(Math.max(64, expectedBytes));
        }

        public void define(long seriesId, MetricKind kind, SeriesKey key) {
            sink.put(DEFINE);
            sink.putLong(seriesId);
            sink.put(kind.code());
            sink.putString(key.metric());
            Labels labels = key.labels();
            sink.putVarInt(labels.size());
            for (int i = 0; i < labels.size(); i++) {
                sink.putString(labels.name(i));
                sink.putString(labels.value(i));
            }
        }

        /** Starts {@code count} scalar samples of a series; follow with exactly that many {@link #sample} calls. */
        public void samples(long seriesId, int count) {
            sink.put(SAMPLES);
            sink.putLong(seriesId);
            sink.putVarInt(count);
        }

        public void sample(long timestampMillis, double value) {
            sink.putLong(timestampMillis);
            sink.putDouble(value);
        }

        public void distribution(long seriesId, long timestampMillis, Distribution d) {
            sink.put(DISTRIBUTION);
            sink.putLong(seriesId);
            sink.putLong(timestampMillis);
            sink.putLong(d.count());
            sink.putDouble(d.sum());
            sink.putDouble(d.min());
            sink.putDouble(d.max());
            if (d.isExplicit()) {
                sink.put(1);
                sink.putVarInt(d.bounds().length);
                for (double b : d.bounds()) {
                    sink.putDouble(b);
                }
                for (long c : d.bucketCounts()) {
                    sink.putLong(c);
                }
            } else {
                sink.put(2);
                sink.putBytes(Sketches.encode(d.sketch()));
            }
        }

        public byte[] array() {
            return sink.array();
        }

        public int length() {
            return sink.length();
        }

        public boolean isEmpty() {
            return sink.length() == 0;
        }
    }

    /**
     * Decodes a record written by {@link Writer}.
     *
     * @throws IllegalArgumentException if the payload is not a valid record
     */
    public static void read(byte[] payload, Visitor visitor) {
        ByteSource in = new ByteSource(payload);
        while (in.hasRemaining()) {
            int tag = in.get();
            switch (tag) {
                case DEFINE -> {
                    long id = in.getLong();
                    MetricKind kind = MetricKind.ofCode(in.get());
                    String metric = in.getString();
                    int n = in.getVarInt();
                    String[] names = new String[n];
                    String[] values = new String[n];
                    for (int i = 0; i < n; i++) {
                        names[i] = in.getString();
                        values[i] = in.getString();
                    }
                    visitor.define(id, kind, new SeriesKey(metric, Labels.ofSorted(names, values)));
                }
                case SAMPLES -> {
                    long id = in.getLong();
                    int n = in.getVarInt();
                    for (int i = 0; i < n; i++) {
                        visitor.sample(id, in.getLong(), in.getDouble());
                    }
                }
                case DISTRIBUTION -> {
                    long id = in.getLong();
                    long ts = in.getLong();
                    long count = in.getLong();
                    double sum = in.getDouble();
                    double min = in.getDouble();
                    double max = in.getDouble();
                    int form = in.get();
                    Distribution d;
                    if (form == 1) {
                        int n = in.getVarInt();
                        double[] bounds = new double[n];
                        long[] counts = new long[n + 1];
                        for (int i = 0; i < n; i++) {
                            bounds[i] = in.getDouble();
                        }
                        for (int i = 0; i <= n; i++) {
                            counts[i] = in.getLong();
                        }
                        d = Distribution.explicit(count, sum, min, max, bounds, counts);
                    } else {
                        byte[] sk = in.getBytes();
                        d = new Distribution(count, sum, min, max, null, null, Sketches.decode(sk, 0, sk.length));
                    }
                    visitor.distribution(id, ts, d);
                }
                default -> throw new IllegalArgumentException("unknown WAL entry tag " + tag);
            }
        }
    }
}
