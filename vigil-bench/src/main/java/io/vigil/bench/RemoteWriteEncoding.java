package io.vigil.bench;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes Prometheus remote write 1.0 {@code WriteRequest} protobuf directly with {@link CodedOutputStream}, without
 * generated classes:
 * {@code WriteRequest{1: TimeSeries{1: Label{1 name, 2 value}, 2: Sample{1 double value, 2 int64 timestamp}}}}.
 */
public final class RemoteWriteEncoding {
    private RemoteWriteEncoding() {}

    /**
     * The bytes of the repeated {@code labels} fields (field 1 of TimeSeries, each a length-delimited Label) for a
     * metric and a label set already sorted by name; {@code __name__} is placed by byte order too.
     */
    public static byte[] labelBlob(String metric, String[] names, String[] values) {
        String[] n = new String[names.length + 1];
        String[] v = new String[names.length + 1];
        n[0] = "__name__";
        v[0] = metric;
        System.arraycopy(names, 0, n, 1, names.length);
        System.arraycopy(values, 0, v, 1, values.length);
        SeriesLabels.sortByBytes(n, v);
        int size = 0;
        for (int i = 0; i < n.length; i++) {
            int label = CodedOutputStream.computeStringSize(1, n[i]) + CodedOutputStream.computeStringSize(2, v[i]);
            size += CodedOutputStream.computeTagSize(1) + CodedOutputStream.computeUInt32SizeNoTag(label) + label;
        }
        byte[] out = new byte[size];
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        try {
            for (int i = 0; i < n.length; i++) {
                int label = CodedOutputStream.computeStringSize(1, n[i]) + CodedOutputStream.computeStringSize(2, v[i]);
                cos.writeTag(1, 2);
                cos.writeUInt32NoTag(label);
                cos.writeString(1, n[i]);
                cos.writeString(2, v[i]);
            }
            cos.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Size of one Sample message body (not counting its own tag and length). */
    static int sampleSize(double value, long timestamp) {
        return CodedOutputStream.computeDoubleSize(1, value) + CodedOutputStream.computeInt64Size(2, timestamp);
    }

    /** An uncompressed WriteRequest with one sample per series. */
    public static byte[] writeRequest(byte[][] labelBlobs, double[] values, long[] timestamps) {
        int size = 0;
        for (int i = 0; i < labelBlobs.length; i++) {
            int ts = timeSeriesSize(labelBlobs[i], values[i], timestamps[i]);
            size += 1 + CodedOutputStream.computeUInt32SizeNoTag(ts) + ts;
        }
        byte[] out = new byte[size];
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        try {
            for (int i = 0; i < labelBlobs.length; i++) {
                cos.writeTag(1, 2);
                cos.writeUInt32NoTag(timeSeriesSize(labelBlobs[i], values[i], timestamps[i]));
                cos.writeRawBytes(labelBlobs[i]);
                cos.writeTag(2, 2);
                cos.writeUInt32NoTag(sampleSize(values[i], timestamps[i]));
                cos.writeDouble(1, values[i]);
                cos.writeInt64(2, timestamps[i]);
            }
            cos.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static int timeSeriesSize(byte[] labels, double value, long timestamp) {
        int sample = sampleSize(value, timestamp);
        return labels.length + 1 + CodedOutputStream.computeUInt32SizeNoTag(sample) + sample;
    }

    /** A label blob for synthetic series {@code i} of {@link SeriesLabels}. */
    public static byte[] labelBlob(String metric, long i, int totalLabels) {
        String[][] l = SeriesLabels.of(i, totalLabels);
        return labelBlob(metric, l[0], l[1]);
    }
}
