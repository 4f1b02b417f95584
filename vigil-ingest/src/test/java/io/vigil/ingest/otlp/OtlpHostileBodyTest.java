package io.vigil.ingest.otlp;

import static io.vigil.ingest.Batches.CLOCK;
import static io.vigil.ingest.otlp.OtlpFixtures.CUMULATIVE;
import static io.vigil.ingest.otlp.OtlpFixtures.DELTA;
import static io.vigil.ingest.otlp.OtlpFixtures.attr;
import static io.vigil.ingest.otlp.OtlpFixtures.exponential;
import static io.vigil.ingest.otlp.OtlpFixtures.exponentialPoint;
import static io.vigil.ingest.otlp.OtlpFixtures.gauge;
import static io.vigil.ingest.otlp.OtlpFixtures.histogram;
import static io.vigil.ingest.otlp.OtlpFixtures.histogramPoint;
import static io.vigil.ingest.otlp.OtlpFixtures.number;
import static io.vigil.ingest.otlp.OtlpFixtures.request;
import static io.vigil.ingest.otlp.OtlpFixtures.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.vigil.core.WriteBatch;
import io.vigil.ingest.LabelRules;
import io.vigil.ingest.MalformedPayloadException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bodies that are not requests, are cut short, or are built to hurt: they fail cleanly or decode partly. */
class OtlpHostileBodyTest {
    private final OtlpMetricsDecoder decoder = new OtlpMetricsDecoder(LabelRules.DEFAULTS, CLOCK);

    private static byte[] validBody() {
        return request(gauge("g", number(1).addAttributes(attr("route", "/guests"))),
                sum("c", CUMULATIVE, true, number(5)),
                histogram("h", CUMULATIVE, histogramPoint(1, 2, 3).setMin(0.01).setMax(3)),
                exponential("e", DELTA, exponentialPoint(3, 1, -4, 1, 0, 2).setSum(3))).toByteArray();
    }

    /** Decodes and returns normally, or throws MalformedPayloadException with a short one-line message. */
    private void decodesOrFailsCleanly(byte[] body, boolean json) {
        Throwable thrown = catchThrowable(() -> decoder.decode(body, json));
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(MalformedPayloadException.class);
            assertThat(thrown.getMessage()).hasSizeLessThan(400).doesNotContain("\tat ");
        }
    }

    @Test
    void decode_randomBytes_failCleanlyOrDecode() {
        Random random = new Random(20240601);
        int malformed = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] body = new byte[random.nextInt(300)];
            random.nextBytes(body);
            decodesOrFailsCleanly(body, false);
            decodesOrFailsCleanly(body, true);
            if (catchThrowable(() -> decoder.decode(body, false)) != null) {
                malformed++;
            }
        }
        assertThat(malformed).isGreaterThan(1000);
    }

    @Test
    void decode_mutatedValidBody_failsCleanlyOrDecodes() {
        Random random = new Random(7);
        byte[] valid = validBody();
        for (int i = 0; i < 2000; i++) {
            byte[] body = valid.clone();
            for (int flips = random.nextInt(4) + 1; flips > 0; flips--) {
                body[random.nextInt(body.length)] = (byte) random.nextInt(256);
            }
            decodesOrFailsCleanly(body, false);
        }
    }

    @Test
    void decode_truncatedProtobuf_failsCleanlyOrDecodesAPrefix() {
        byte[] valid = validBody();
        int full = decoder.decode(valid, false).sampleCount();
        for (int length = 0; length < valid.length; length++) {
            byte[] cut = Arrays.copyOf(valid, length);
            Throwable thrown = catchThrowable(() -> {
                WriteBatch batch = new OtlpMetricsDecoder(LabelRules.DEFAULTS, CLOCK).decode(cut, false);
                assertThat(batch.sampleCount()).isLessThanOrEqualTo(full);
            });
            if (thrown != null) {
                assertThat(thrown).isInstanceOf(MalformedPayloadException.class)
                        .hasMessageStartingWith("body is not a valid OTLP ExportMetricsServiceRequest in protobuf: ");
            }
        }
    }

    @Test
    void decode_truncatedJson_failsCleanly() throws Exception {
        byte[] json = JsonFormat.printer().print(request(gauge("g", number(1)))).getBytes(StandardCharsets.UTF_8);
        for (int length = 1; length < json.length - 1; length++) {
            byte[] cut = Arrays.copyOf(json, length);
            assertThatThrownBy(() -> decoder.decode(cut, true)).isInstanceOf(MalformedPayloadException.class);
        }
    }

    @Test
    void decode_jsonBodyWithProtobufFlag_isMalformed() throws Exception {
        byte[] json = JsonFormat.printer().print(request(gauge("g", number(1)))).getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> decoder.decode(json, false)).isInstanceOf(MalformedPayloadException.class)
                .hasMessageStartingWith("body is not a valid OTLP ExportMetricsServiceRequest in protobuf: ");
    }

    @Test
    void decode_protobufBodyWithJsonFlag_isMalformed() {
        assertThatThrownBy(() -> decoder.decode(validBody(), true)).isInstanceOf(MalformedPayloadException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[]", "123", "\"resourceMetrics\"", "{\"resourceMetrics\": 5}",
            "{\"resourceMetrics\": [{\"scopeMetrics\": [{\"metrics\": [{\"gauge\": {\"dataPoints\": "
                    + "[{\"timeUnixNano\": \"soon\"}]}}]}]}]}", "{\"resourceMetrics\": [}"})
    void decode_jsonGarbage_isMalformedWithClearMessage(String body) {
        assertThatThrownBy(() -> decoder.decode(body.getBytes(StandardCharsets.UTF_8), true))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessageStartingWith("body is not a valid OTLP ExportMetricsServiceRequest in JSON: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} {}", "{}]", "{\"resourceMetrics\": []} x"})
    void decode_jsonWithTrailingContent_isMalformed(String body) {
        assertThatThrownBy(() -> decoder.decode(body.getBytes(StandardCharsets.UTF_8), true))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("body has more content after the top-level JSON object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void decode_emptyJson_isMalformed(String body) {
        assertThatThrownBy(() -> decoder.decode(body.getBytes(StandardCharsets.UTF_8), true))
                .isInstanceOf(MalformedPayloadException.class).hasMessageStartingWith("body is empty");
    }

    @Test
    void decode_deeplyNestedJson_isMalformedWithoutStackOverflow() {
        String deep = "{\"resourceMetrics\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";

        assertThatThrownBy(() -> decoder.decode(deep.getBytes(StandardCharsets.UTF_8), true))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("body nests JSON more than 64 levels deep; OTLP needs about 15");
    }

    @Test
    void decode_bracketsInsideJsonStrings_doNotCountAsNesting() throws Exception {
        String value = "[{".repeat(100) + "\\\"";
        byte[] body = JsonFormat.printer().print(request(gauge("g", number(1).addAttributes(attr("route", value)))))
                .getBytes(StandardCharsets.UTF_8);

        assertThat(decoder.decode(body, true).sampleCount()).isEqualTo(1);
    }

    @Test
    void decode_deeplyNestedProtobuf_isMalformed() {
        AnyValue value = AnyValue.newBuilder().setStringValue("x").build();
        for (int i = 0; i < 200; i++) {
            value = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(attr("k", value))).build();
        }
        byte[] body = request(gauge("g", number(1).addAttributes(attr("deep", value)))).toByteArray();

        assertThatThrownBy(() -> decoder.decode(body, false)).isInstanceOf(MalformedPayloadException.class)
                .hasMessageContaining("recursion");
    }

    @Test
    void decode_nonUtf8Json_isMalformed() {
        byte[] body = "{\"resourceMetrics\": [], \"x\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> decoder.decode(body, true)).isInstanceOf(MalformedPayloadException.class)
                .hasMessage("body is not valid UTF-8, which OTLP JSON requires");
    }

    @Test
    void decode_nonUtf8ProtobufString_isMalformed() {
        byte[] marker = "MARKER".getBytes(StandardCharsets.US_ASCII);
        byte[] body = request(gauge("g", number(1).addAttributes(attr("route", "MARKER")))).toByteArray();
        int at = indexOf(body, marker);
        body[at] = (byte) 0xC3; // a lone UTF-8 lead byte followed by ASCII
        body[at + 1] = (byte) 0x28;

        byte[] invalid = body;
        assertThatThrownBy(() -> decoder.decode(invalid, false)).isInstanceOf(MalformedPayloadException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void decode_bytesAttribute_withInvalidUtf8_isRejectedPointNotRequest() {
        byte[] body = request(gauge("g", number(1).addAttributes(attr("blob",
                AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {(byte) 0xFF})).build())),
                number(2))).toByteArray();

        WriteBatch batch = decoder.decode(body, false);

        assertThat(batch.sampleCount()).isEqualTo(1);
        assertThat(batch.rejected()).isEqualTo(1);
    }

    @Test
    void decode_hugeAttributeKey_isRejectedWithoutEchoingIt() {
        String key = "k".repeat(1_000_000);

        WriteBatch batch = decoder.decode(request(gauge("g", number(1).addAttributes(attr(key, "v")))).toByteArray(),
                false);

        assertThat(batch.errors()).containsExactly(
                "series of 'g': label name of 1000000 characters is longer than 200");
    }

    @Test
    void decode_manyPointsWithLabelBombs_staysLinear() {
        var points = new io.opentelemetry.proto.metrics.v1.NumberDataPoint.Builder[200];
        for (int p = 0; p < points.length; p++) {
            points[p] = number(p);
            for (int i = 0; i < 1000; i++) {
                points[p].addAttributes(attr("a" + i, "v"));
            }
        }

        WriteBatch batch = decoder.decode(request(gauge("g", points), gauge("ok", number(1))).toByteArray(), false);

        assertThat(batch.rejected()).isEqualTo(200);
        assertThat(batch.sampleCount()).isEqualTo(1);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("marker not found");
    }
}
