package io.vigil.ingest.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.WriteBatch;
import io.vigil.ingest.LabelRules;
import io.vigil.ingest.MalformedPayloadException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class RemoteWriteDecoderTest {
    static final long NOW = Instant.parse("2026-06-13T18:00:00Z").toEpochMilli();
    final RemoteWriteDecoder decoder = new RemoteWriteDecoder(LabelRules.DEFAULTS,
            Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), 1 << 20, 1000);

    /** One time series for the test encoder: label pairs in the order given, then samples (value, timestamp). */
    record Ts(String[] labels, double[] values, long[] timestamps) {}

    static Ts ts(String[] labels, double value, long t) {
        return new Ts(labels, new double[] {value}, new long[] {t});
    }

    static byte[] request(Ts... series) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CodedOutputStream w = CodedOutputStream.newInstance(out);
            for (Ts s : series) {
                byte[] body = timeSeries(s);
                w.writeTag(1, 2);
                w.writeUInt32NoTag(body.length);
                w.writeRawBytes(body);
            }
            w.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] timeSeries(Ts s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream w = CodedOutputStream.newInstance(out);
        for (int i = 0; i < s.labels().length; i += 2) {
            ByteArrayOutputStream lo = new ByteArrayOutputStream();
            CodedOutputStream l = CodedOutputStream.newInstance(lo);
            l.writeString(1, s.labels()[i]);
            l.writeString(2, s.labels()[i + 1]);
            l.flush();
            w.writeByteArray(1, lo.toByteArray());
        }
        for (int i = 0; i < s.values().length; i++) {
            ByteArrayOutputStream so = new ByteArrayOutputStream();
            CodedOutputStream sw = CodedOutputStream.newInstance(so);
            sw.writeDouble(1, s.values()[i]);
            sw.writeInt64(2, s.timestamps()[i]);
            sw.flush();
            w.writeByteArray(2, so.toByteArray());
        }
        w.flush();
        return out.toByteArray();
    }

    static byte[] snappy(byte[] raw) {
        try {
            return Snappy.compress(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String[] l(String... pairs) {
        return pairs;
    }

    @Test
    void decode_validRequest_givesSeriesKindsAndSamples() {
        WriteBatch b = decoder.decode(snappy(request(
                new Ts(l("__name__", "wedding_api_requests_total", "endpoint", "timeline_sync", "job", "wedding-monitor"),
                        new double[] {1027, 1030}, new long[] {NOW - 2000, NOW - 1000}),
                ts(l("__name__", "guest_rsvp_queue_depth", "job", "wedding-monitor"), 12, NOW))));
        assertThat(b.seriesCount()).isEqualTo(2);
        assertThat(b.key(0).metric()).isEqualTo("wedding_api_requests_total");
        assertThat(b.key(0).labels()).isEqualTo(Labels.of("endpoint", "timeline_sync", "job", "wedding-monitor"));
        assertThat(b.kind(0)).isEqualTo(MetricKind.COUNTER);
        assertThat(b.kind(1)).isEqualTo(MetricKind.GAUGE);
        assertThat(b.endSample(0) - b.firstSample(0)).isEqualTo(2);
        assertThat(b.value(1)).isEqualTo(1030);
        assertThat(b.timestamp(1)).isEqualTo(NOW - 1000);
        assertThat(b.value(2)).isEqualTo(12);
        assertThat(b.rejected()).isZero();
    }

    @Test
    void decode_unsortedLabels_areSortedAndEmptyValuesDropped() {
        WriteBatch b = decoder.decode(snappy(request(ts(l("zone", "eu", "__name__", "m", "app", "x", "empty", ""), 1, NOW))));
        assertThat(b.key(0).labels()).isEqualTo(Labels.of("app", "x", "zone", "eu"));
    }

    @Test
    void decode_sameLabelsTwice_resolvesTheSameKeyFromTheCache() {
        byte[] body = snappy(request(ts(l("__name__", "m", "a", "b"), 1, NOW)));
        WriteBatch first = decoder.decode(body);
        WriteBatch second = decoder.decode(body);
        assertThat(second.key(0)).isSameAs(first.key(0));
    }

    @Test
    void decode_staleMarker_isSkippedNotRejected() {
        double stale = Double.longBitsToDouble(0x7ff0000000000002L);
        WriteBatch b = decoder.decode(snappy(request(new Ts(l("__name__", "m"), new double[] {1, stale},
                new long[] {NOW - 1, NOW}))));
        assertThat(b.sampleCount()).isEqualTo(1);
        assertThat(b.rejected()).isZero();
    }

    @Test
    void decode_nanInfinityAndBadTimestamps_rejectedPerSample() {
        WriteBatch b = decoder.decode(snappy(request(new Ts(l("__name__", "m"),
                new double[] {Double.NaN, Double.POSITIVE_INFINITY, 1, 2, 3, 4},
                new long[] {NOW, NOW, -5, NOW + 7_200_000, NOW, NOW}))));
        assertThat(b.sampleCount()).isEqualTo(2);
        assertThat(b.rejected()).isEqualTo(4);
        assertThat(b.errors()).anyMatch(e -> e.contains("only finite numbers"))
                .anyMatch(e -> e.contains("positive epoch time")).anyMatch(e -> e.contains("in the future"));
    }

    @Test
    void decode_duplicateAndOutOfOrderTimestamps_areAccepted() {
        WriteBatch b = decoder.decode(snappy(request(new Ts(l("__name__", "m"), new double[] {1, 2, 3},
                new long[] {NOW, NOW - 5000, NOW}))));
        assertThat(b.sampleCount()).isEqualTo(3);
    }

    @Test
    void decode_badSeries_rejectedWithReason_othersKept() {
        String[] bomb = new String[2 + 2 * 10_000];
        bomb[0] = "__name__";
        bomb[1] = "bomb";
        for (int i = 0; i < 10_000; i++) {
            bomb[2 + 2 * i] = "l" + i;
            bomb[3 + 2 * i] = "v";
        }
        String huge = "x".repeat(1_000_000);
        WriteBatch b = new RemoteWriteDecoder(LabelRules.DEFAULTS, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
                8 << 20, 10).decode(snappy(request(
                ts(l("job", "no-name"), 1, NOW),
                ts(l("__name__", "dup", "a", "1", "a", "2"), 1, NOW),
                ts(l("__name__", "bad-name"), 1, NOW),
                ts(l("__name__", "m", "9bad", "v"), 1, NOW),
                ts(l("__name__", "m", "big", huge), 1, NOW),
                ts(bomb, 1, NOW),
                ts(l("__name__", "good"), 1, NOW))));
        assertThat(b.seriesCount()).isEqualTo(1);
        assertThat(b.key(0).metric()).isEqualTo("good");
        assertThat(b.rejected()).isEqualTo(6);
        assertThat(String.join("\n", b.errors()))
                .contains("no __name__").contains("twice").contains("must match").contains("more than 2048")
                .contains("more than 64").doesNotContain(huge.substring(0, 100));
    }

    @Test
    void decode_nativeHistogram_rejectedWithMessage() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream w = CodedOutputStream.newInstance(out);
        byte[] series = timeSeries(ts(l("__name__", "m"), 1, NOW));
        ByteArrayOutputStream so = new ByteArrayOutputStream();
        CodedOutputStream s = CodedOutputStream.newInstance(so);
        s.writeRawBytes(series);
        s.writeByteArray(4, new byte[] {8, 1});
        s.flush();
        w.writeByteArray(1, so.toByteArray());
        w.flush();
        WriteBatch b = decoder.decode(snappy(out.toByteArray()));
        assertThat(b.sampleCount()).isEqualTo(1);
        assertThat(b.rejected()).isEqualTo(1);
        assertThat(b.errors()).singleElement().asString().contains("native histograms");
    }

    @Test
    void decode_notSnappy_isMalformed() {
        assertThatThrownBy(() -> decoder.decode(request(ts(l("__name__", "m"), 1, NOW))))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("snappy");
        assertThatThrownBy(() -> decoder.decode(new byte[0])).isInstanceOf(MalformedPayloadException.class);
    }

    @Test
    void decode_decompressesPastLimit_isMalformedBeforeDecompressing() {
        byte[] big = snappy(new byte[2 << 20]);
        assertThatThrownBy(() -> decoder.decode(big)).isInstanceOf(MalformedPayloadException.class)
                .hasMessageContaining("more than the limit");
    }

    @Test
    void decode_truncatedAtEveryLength_isMalformedOrAPrefix() {
        byte[] raw = request(ts(l("__name__", "m", "route", "/guests"), 1, NOW), ts(l("__name__", "n"), 2, NOW));
        for (int cut = 0; cut < raw.length; cut++) {
            byte[] part = snappy(Arrays.copyOf(raw, cut));
            try {
                WriteBatch b = decoder.decode(part);
                assertThat(b.sampleCount()).isLessThanOrEqualTo(2);
            } catch (MalformedPayloadException expected) {
                assertThat(expected.getMessage()).contains("WriteRequest");
            }
        }
        byte[] compressed = snappy(raw);
        for (int cut = 0; cut < compressed.length; cut++) {
            byte[] part = Arrays.copyOf(compressed, cut);
            assertThatThrownBy(() -> decoder.decode(part)).isInstanceOf(MalformedPayloadException.class);
        }
    }

    @Test
    void decode_randomBytes_neverThrowsAnythingButMalformed() {
        SplittableRandom random = new SplittableRandom(42);
        List<Integer> decoded = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            byte[] raw = new byte[random.nextInt(200)];
            for (int j = 0; j < raw.length; j++) {
                raw[j] = (byte) random.nextInt(256);
            }
            try {
                decoded.add(decoder.decodeUncompressed(raw, 0, raw.length).sampleCount());
            } catch (MalformedPayloadException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
        assertThat(decoded.size()).isLessThan(5000);
    }

    @Test
    void decode_manySeriesTwice_cachedKeysMatchTheirOwnLabels() {
        Ts[] series = new Ts[5000];
        for (int i = 0; i < series.length; i++) {
            series[i] = ts(l("__name__", "m" + (i % 7), "instance", "i" + i, "route", "/r" + (i % 13)), i, NOW);
        }
        byte[] body = snappy(request(series));
        RemoteWriteDecoder large = new RemoteWriteDecoder(LabelRules.DEFAULTS,
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), 1 << 20, 100_000);
        WriteBatch first = large.decode(body);
        WriteBatch second = large.decode(body);
        for (int i = 0; i < series.length; i++) {
            assertThat(second.key(i)).isSameAs(first.key(i));
            assertThat(second.key(i).metric()).isEqualTo("m" + (i % 7));
            assertThat(second.key(i).labels()).isEqualTo(Labels.of("instance", "i" + i, "route", "/r" + (i % 13)));
            assertThat(second.value(second.firstSample(i))).isEqualTo(i);
        }
    }
}
