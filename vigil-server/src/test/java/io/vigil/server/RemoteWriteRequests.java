package io.vigil.server;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.xerial.snappy.Snappy;

/** Builds snappy-compressed remote write 1.0 requests the way Prometheus does (labels sorted, __name__ included). */
final class RemoteWriteRequests {
    private RemoteWriteRequests() {}

    /** One sample for each of {@code series} series {@code metric{instance="i<n>",route="/r<n%5>"}}. */
    static byte[] request(String metric, int firstSeries, int series, long timestampMillis, double value) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CodedOutputStream w = CodedOutputStream.newInstance(out);
            for (int i = firstSeries; i < firstSeries + series; i++) {
                ByteArrayOutputStream tso = new ByteArrayOutputStream();
                CodedOutputStream ts = CodedOutputStream.newInstance(tso);
                label(ts, "__name__", metric);
                label(ts, "instance", "i" + i);
                label(ts, "route", "/r" + (i % 5));
                ByteArrayOutputStream so = new ByteArrayOutputStream();
                CodedOutputStream s = CodedOutputStream.newInstance(so);
                s.writeDouble(1, value);
                s.writeInt64(2, timestampMillis);
                s.flush();
                ts.writeByteArray(2, so.toByteArray());
                ts.flush();
                w.writeByteArray(1, tso.toByteArray());
            }
            w.flush();
            return Snappy.compress(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void label(CodedOutputStream ts, String name, String value) throws IOException {
        ByteArrayOutputStream lo = new ByteArrayOutputStream();
        CodedOutputStream l = CodedOutputStream.newInstance(lo);
        l.writeString(1, name);
        l.writeString(2, value);
        l.flush();
        ts.writeByteArray(1, lo.toByteArray());
    }
}
