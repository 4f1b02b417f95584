package io.vigil.ingest.otlp;

import static io.vigil.ingest.Batches.CLOCK;
import static io.vigil.ingest.otlp.OtlpFixtures.gauge;
import static io.vigil.ingest.otlp.OtlpFixtures.number;
import static io.vigil.ingest.otlp.OtlpFixtures.request;
import static io.vigil.ingest.otlp.OtlpFixtures.summary;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.vigil.core.WriteBatch;
import io.vigil.ingest.LabelRules;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OtlpResponseTest {
    private final OtlpMetricsDecoder decoder = new OtlpMetricsDecoder(LabelRules.DEFAULTS, CLOCK);

    private WriteBatch partlyRejected() {
        return decoder.decode(request(summary("legacy", 2), gauge("g", number(Double.NaN), number(1))).toByteArray(),
                false);
    }

    @Test
    void response_withRejections_setsPartialSuccessInProtobuf() throws Exception {
        byte[] body = OtlpMetricsDecoder.response(partlyRejected(), false);

        ExportMetricsServiceResponse response = ExportMetricsServiceResponse.parseFrom(body);
        assertThat(response.hasPartialSuccess()).isTrue();
        assertThat(response.getPartialSuccess().getRejectedDataPoints()).isEqualTo(3);
        assertThat(response.getPartialSuccess().getErrorMessage()).isEqualTo(
                "metric 'legacy': summary points are not supported; send histograms; "
                        + "sample of 'g' has value NaN; only finite numbers are accepted");
    }

    @Test
    void response_withRejections_setsPartialSuccessInOtlpJson() throws Exception {
        String json = new String(OtlpMetricsDecoder.response(partlyRejected(), true), StandardCharsets.UTF_8);

        ExportMetricsServiceResponse.Builder parsed = ExportMetricsServiceResponse.newBuilder();
        JsonFormat.parser().merge(json, parsed);
        assertThat(parsed.getPartialSuccess().getRejectedDataPoints()).isEqualTo(3);
        assertThat(parsed.getPartialSuccess().getErrorMessage()).startsWith("metric 'legacy'");
        assertThat(json).contains("\"partialSuccess\":{\"rejectedDataPoints\":\"3\"");
    }

    @Test
    void response_withoutRejections_isEmptyMessage() throws Exception {
        WriteBatch ok = decoder.decode(request(gauge("g", number(1))).toByteArray(), false);

        byte[] protobuf = OtlpMetricsDecoder.response(ok, false);
        byte[] json = OtlpMetricsDecoder.response(ok, true);

        assertThat(ExportMetricsServiceResponse.parseFrom(protobuf).hasPartialSuccess()).isFalse();
        assertThat(protobuf).isEmpty();
        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    @Test
    void response_withStorageRejections_countsThem() throws Exception {
        byte[] body = OtlpMetricsDecoder.response(7, java.util.List.of("series limit reached"), false);

        assertThat(ExportMetricsServiceResponse.parseFrom(body).getPartialSuccess().getRejectedDataPoints())
                .isEqualTo(7);
    }
}
