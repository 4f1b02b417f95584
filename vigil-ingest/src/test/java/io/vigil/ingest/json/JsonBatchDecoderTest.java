package io.vigil.ingest.json;

import static io.vigil.ingest.Batches.CLOCK;
import static io.vigil.ingest.Batches.NOW;
import static io.vigil.ingest.Batches.only;
import static io.vigil.ingest.Batches.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.core.SeriesKey;
import io.vigil.core.WriteBatch;
import io.vigil.ingest.Batches.Sample;
import io.vigil.ingest.LabelRules;
import io.vigil.ingest.MalformedPayloadException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBatchDecoderTest {
    private final JsonBatchDecoder decoder = new JsonBatchDecoder(LabelRules.DEFAULTS, CLOCK);

    private WriteBatch decode(String body) {
        return decoder.decode(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes one metric item (single quotes stand for double quotes). */
    private WriteBatch item(String item) {
        return decode("{\"metrics\": [" + item.replace('\'', '"') + "]}");
    }

    // ---- types ----

    @Test
    void decode_exampleFromDocs_decodesEveryItem() {
        WriteBatch batch = decode("""
                {"metrics": [
                  {"name": "wedding_api_requests_total", "type": "counter", "labels": {"route": "/guests", "status": "200"},
                   "samples": [{"t": 1717250400000, "v": 1027}]},
                  {"name": "guest_list_load_seconds", "type": "latency", "labels": {"route": "/guests"},
                   "observations": [0.12, 0.3], "t": 1717250400000},
                  {"name": "active_ceremonies", "type": "gauge", "value": 37}
                ]}
                """);

        assertThat(samples(batch)).containsExactly(
                new Sample(new SeriesKey("wedding_api_requests_total", Labels.of("route", "/guests", "status", "200")),
                        MetricKind.COUNTER, 1_717_250_400_000L, 1027, null),
                new Sample(new SeriesKey("guest_list_load_seconds", Labels.of("route", "/guests")),
                        MetricKind.DISTRIBUTION, 1_717_250_400_000L, 0.12, null),
                new Sample(new SeriesKey("guest_list_load_seconds", Labels.of("route", "/guests")),
                        MetricKind.DISTRIBUTION, 1_717_250_400_000L, 0.3, null),
                new Sample(new SeriesKey("active_ceremonies", Labels.EMPTY), MetricKind.GAUGE, NOW, 37, null));
        assertThat(batch.seriesCount()).isEqualTo(3);
        assertThat(batch.rejected()).isZero();
    }

    @ParameterizedTest
    @CsvSource({"counter, COUNTER", "increment, DELTA", "delta, DELTA", "gauge, GAUGE", "latency, DISTRIBUTION"})
    void decode_eachType_mapsToItsKind(String type, MetricKind kind) {
        Sample s = only(item("{'name': 'm', 'type': '" + type + "', 'value': 2.5}"));

        assertThat(s.kind()).isEqualTo(kind);
        assertThat(s.value()).isEqualTo(2.5);
    }

    @Test
    void decode_samples_eachWithItsOwnOrTheItemTimestamp() {
        WriteBatch batch = item("{'name': 'rsvps', 'type': 'increment', 't': 1717250000000, "
                + "'samples': [{'t': 1717250100000, 'v': 3}, {'v': 4}, {'t': 1717250100000, 'v': 5}]}");

        assertThat(samples(batch)).extracting(Sample::timestamp)
                .containsExactly(1_717_250_100_000L, 1_717_250_000_000L, 1_717_250_100_000L);
        assertThat(samples(batch)).extracting(Sample::value).containsExactly(3.0, 4.0, 5.0);
        assertThat(batch.seriesCount()).isEqualTo(1);
    }

    @Test
    void decode_latencySamples_areObservationsAtTheirTimes() {
        WriteBatch batch = item("{'name': 'load_seconds', 'type': 'latency', 'samples': [{'t': 1717250100000, 'v': 0.2}]}");

        assertThat(only(batch).kind()).isEqualTo(MetricKind.DISTRIBUTION);
        assertThat(only(batch).timestamp()).isEqualTo(1_717_250_100_000L);
    }

    @Test
    void decode_emptySamplesOrObservations_addNothing() {
        WriteBatch batch = item("{'name': 'm', 'type': 'latency', 'observations': []}");

        assertThat(batch.seriesCount()).isZero();
        assertThat(batch.rejected()).isZero();
    }

    @Test
    void decode_labelNumbersAndBooleans_becomeText() {
        Sample s = only(item("{'name': 'm', 'type': 'gauge', 'value': 1, 'labels': {'status': 200, 'vip': true, 'r': 0.5}}"));

        assertThat(s.key().labels()).isEqualTo(Labels.of("status", "200", "vip", "true", "r", "0.5"));
    }

    @Test
    void decode_nullFields_countAsAbsent() {
        Sample s = only(item("{'name': 'm', 'type': 'gauge', 'value': 1, 'labels': null, 't': null, 'samples': null}"));

        assertThat(s.timestamp()).isEqualTo(NOW);
        assertThat(s.key().labels()).isEqualTo(Labels.EMPTY);
    }

    @Test
    void decode_unknownTopLevelFields_areIgnored() {
        WriteBatch batch = decode("{\"source\": {\"x\": [1, 2]}, \"metrics\": [{\"name\": \"m\", \"type\": \"gauge\", "
                + "\"value\": 1}], \"v\": 2}");

        assertThat(batch.sampleCount()).isEqualTo(1);
    }

    // ---- timestamps ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "1717250400000 | 1717250400000",
            "1.7172504E12 | 1717250400000",
            "'2024-06-01T14:00:00Z' | 1717250400000",
            "'2024-06-01T16:00:00+02:00' | 1717250400000",
            "'2024-06-01T14:00:00.123456Z' | 1717250400123",
            "'2024-06-01t14:00:00z' | 1717250400000",
            "'2024-06-01 14:00:00Z' | 1717250400000",
            "'2024-06-01T13:00:00-01:00' | 1717250400000"})
    void decode_timestamp_epochMillisOrRfc3339(String t, long expected) {
        assertThat(only(item("{'name': 'm', 'type': 'gauge', 'value': 1, 't': " + t + "}")).timestamp())
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "1717250400 | metrics[0].t was 1717250400, which looks like epoch seconds; send milliseconds (1717250400000)",
            "1717250400000.5 | metrics[0].t was 1.7172504000005E12 but it must be whole epoch milliseconds",
            "0 | metrics[0].t: sample of 'm' has timestamp 0; it must be a positive epoch time",
            "-5 | metrics[0].t: sample of 'm' has timestamp -5; it must be a positive epoch time",
            "99999999999999999999 | metrics[0].t is out of range; it must be epoch milliseconds",
            "1717257600001 | metrics[0].t: sample of 'm' has a timestamp more than 3600 s in the future",
            "'2024-06-01' | metrics[0].t was '2024-06-01' but it must be epoch milliseconds or an RFC 3339 timestamp such as 2024-06-01T14:00:00Z",
            "'yesterday' | metrics[0].t was 'yesterday' but it must be epoch milliseconds or an RFC 3339 timestamp such as 2024-06-01T14:00:00Z",
            "true | metrics[0].t must be epoch milliseconds or an RFC 3339 string such as 2024-06-01T14:00:00Z"})
    void decode_badItemTimestamp_rejectsTheItem(String t, String reason) {
        WriteBatch batch = item("{'name': 'm', 'type': 'latency', 'observations': [1, 2, 3], 't': " + t + "}");

        assertThat(batch.sampleCount()).isZero();
        assertThat(batch.rejected()).isEqualTo(3);
        assertThat(batch.errors()).containsExactly(reason);
    }

    @Test
    void decode_badSampleTimestamp_rejectsOnlyThatSample() {
        WriteBatch batch = item("{'name': 'm', 'type': 'gauge', 'samples': [{'t': 1717250400000, 'v': 1}, "
                + "{'t': 'soon', 'v': 2}, {'t': 1717250400000, 'v': 3}]}");

        assertThat(samples(batch)).extracting(Sample::value).containsExactly(1.0, 3.0);
        assertThat(batch.errors()).containsExactly("metrics[0].samples[1].t was 'soon' but it must be epoch "
                + "milliseconds or an RFC 3339 timestamp such as 2024-06-01T14:00:00Z");
    }

    @Test
    void decode_duplicateAndOutOfOrderTimestamps_areAccepted() {
        WriteBatch batch = item("{'name': 'm', 'type': 'gauge', 'samples': [{'t': 1717250400000, 'v': 1}, "
                + "{'t': 1717250400000, 'v': 2}, {'t': 1717250300000, 'v': 3}]}");

        assertThat(batch.sampleCount()).isEqualTo(3);
    }

    // ---- item errors: every message ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "'just a string' | 1 | metrics[0] must be an object with name, type and one of value, samples or observations",
            "{'name': 'm', 'type': 'gauge', 'value': 1, 'lables': {}} | 1 | metrics[0] has unknown field 'lables'; the fields are name, type, labels, t, value, samples and observations",
            "{'type': 'gauge', 'value': 1} | 1 | metrics[0].name is missing; it must be the metric name, such as wedding_api_requests_total",
            "{'name': 7, 'type': 'gauge', 'value': 1} | 1 | metrics[0].name must be a string",
            "{'name': 'guests-count', 'type': 'gauge', 'value': 1} | 1 | metrics[0].name: metric name 'guests-count' must match [a-zA-Z_:][a-zA-Z0-9_:.]*",
            "{'name': 'm', 'value': 1} | 1 | metrics[0].type is missing; it must be one of counter, increment, gauge, latency",
            "{'name': 'm', 'type': 3, 'value': 1} | 1 | metrics[0].type must be a string, one of counter, increment, gauge, latency",
            "{'name': 'm', 'type': 'histo', 'samples': [{'v': 1}, {'v': 2}]} | 2 | metrics[0].type was 'histo' but it must be one of counter, increment, gauge, latency",
            "{'name': 'm', 'type': 'gauge', 'value': 1, 'labels': ['a']} | 1 | metrics[0].labels must be an object of label names to string values",
            "{'name': 'm', 'type': 'gauge', 'value': 1, 'labels': {'guest': {'first': 'Alice'}}} | 1 | metrics[0].labels: label 'guest' must have a string, number or boolean value",
            "{'name': 'm', 'type': 'gauge', 'value': 1, 'labels': {'guest name': ['Alice']}} | 1 | metrics[0].labels: label name 'guest name' must match [a-zA-Z_][a-zA-Z0-9_.]*",
            "{'name': 'm', 'type': 'gauge', 'value': 1, 'labels': {'guest name': 'Alice'}} | 1 | metrics[0].labels: series of 'm': label name 'guest name' must match [a-zA-Z_][a-zA-Z0-9_.]*",
            "{'name': 'm', 'type': 'gauge', 'value': 1, 'labels': {'guest': ''}} | 1 | metrics[0].labels: series of 'm': label 'guest' has an empty value",
            "{'name': 'm', 'type': 'gauge'} | 1 | metrics[0] has no value, samples or observations; send exactly one of them",
            "{'name': 'm', 'type': 'gauge', 'value': 1, 'samples': [{'v': 1}]} | 2 | metrics[0] has more than one of value, samples and observations; send exactly one",
            "{'name': 'm', 'type': 'gauge', 'samples': {'v': 1}} | 1 | metrics[0].samples must be an array of objects such as {\"t\": 1717250400000, \"v\": 1}",
            "{'name': 'm', 'type': 'gauge', 'observations': [1, 2]} | 2 | metrics[0].observations is only for type latency; use value or samples for type gauge",
            "{'name': 'm', 'type': 'latency', 'observations': 1} | 1 | metrics[0].observations must be an array of numbers"})
    void decode_badItem_isRejectedWithPathAndFix(String item, long points, String reason) {
        WriteBatch batch = decode("{\"metrics\": [" + item.replace('\'', '"')
                + ", {\"name\": \"ok\", \"type\": \"gauge\", \"value\": 1}]}");

        assertThat(batch.errors()).containsExactly(reason);
        assertThat(batch.rejected()).isEqualTo(points);
        assertThat(samples(batch)).extracting(s -> s.key().metric()).containsExactly("ok");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "counter | {'samples': [{'v': 1}, 7]} | metrics[0].samples[1] must be an object such as {\"t\": 1717250400000, \"v\": 1}",
            "counter | {'samples': [{'v': 1}, {'value': 2}]} | metrics[0].samples[1] has unknown field 'value'; the fields are t and v",
            "counter | {'samples': [{'v': 1}, {'t': 1717250400000}]} | metrics[0].samples[1].v is missing; it must be a number",
            "counter | {'samples': [{'v': 1}, {'v': '2'}]} | metrics[0].samples[1].v must be a number",
            "counter | {'samples': [{'v': 1}, {'v': -2}]} | metrics[0].samples[1].v was -2.0 but a counter must not be negative",
            "gauge | {'samples': [{'v': 1}, {'v': 1e400}]} | metrics[0].samples[1].v: sample of 'm' has value Infinity; only finite numbers are accepted",
            "latency | {'observations': [1, -0.5]} | metrics[0].observations[1] was -0.5 but a latency must not be negative",
            "latency | {'observations': [1, null]} | metrics[0].observations[1] must be a number",
            "gauge | {'value': 'high'} | metrics[0].value must be a number"})
    void decode_badPoint_isRejectedAloneWithPath(String type, String points, String reason) {
        String fields = points.replace('\'', '"');
        WriteBatch batch = decode("{\"metrics\": [{\"name\": \"m\", \"type\": \"" + type + "\", "
                + fields.substring(1, fields.length() - 1) + "}]}");

        assertThat(batch.errors()).containsExactly(reason);
        assertThat(batch.rejected()).isEqualTo(1);
        assertThat(batch.sampleCount()).isEqualTo(fields.contains("value") && !fields.contains("samples") ? 0 : 1);
    }

    @Test
    void decode_gaugeMayBeNegative() {
        assertThat(only(item("{'name': 'm', 'type': 'gauge', 'value': -3}")).value()).isEqualTo(-3);
    }

    @Test
    void decode_labelBomb_rejectsItemKeepsOthers() {
        String labels = IntStream.range(0, 10_000).mapToObj(i -> "\"l" + i + "\": \"v\"")
                .collect(Collectors.joining(", "));

        WriteBatch batch = decode("{\"metrics\": [{\"name\": \"m\", \"type\": \"gauge\", \"value\": 1, \"labels\": {"
                + labels + "}}, {\"name\": \"ok\", \"type\": \"gauge\", \"value\": 1}]}");

        assertThat(batch.errors()).containsExactly("metrics[0].labels: series of 'm' has 10000 labels, more than 64");
        assertThat(batch.sampleCount()).isEqualTo(1);
    }

    @Test
    void decode_longLabelValue_isRejectedWithoutEchoingIt() {
        String value = "Alice".repeat(100_000);

        WriteBatch batch = item("{'name': 'm', 'type': 'gauge', 'value': 1, 'labels': {'guest': '" + value + "'}}");

        assertThat(batch.errors()).containsExactly(
                "metrics[0].labels: series of 'm': label 'guest' has a value of 500000 characters, more than 2048");
    }

    @Test
    void decode_reasons_neverContainLabelValues() {
        WriteBatch batch = decode("""
                {"metrics": [
                  {"name": "m", "type": "gauge", "value": "x", "labels": {"guest": "Alice"}},
                  {"name": "m", "type": "histo", "value": 1, "labels": {"guest": "Alice"}},
                  {"name": "m", "type": "gauge", "value": 1, "labels": {"guest": "Alice", "bad name": "Alice"}},
                  {"name": "m", "type": "counter", "samples": [{"v": -1}], "labels": {"guest": "Alice"}}
                ]}
                """);

        assertThat(batch.rejected()).isEqualTo(4);
        assertThat(batch.errors()).hasSize(4).noneMatch(e -> e.contains("Alice"));
    }

    @Test
    void decode_unknownFieldName_isCutAndSanitised() {
        WriteBatch batch = item("{'name': 'm', 'type': 'gauge', 'value': 1, '" + "x".repeat(100) + "\\n': 1}");

        assertThat(batch.errors().get(0)).contains("'" + "x".repeat(64) + "…'").doesNotContain("\n");
    }

    // ---- whole-body errors and limits ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "'' | body is empty; send a JSON object such as {\"metrics\": [...]}",
            "'  ' | body is empty; send a JSON object such as {\"metrics\": [...]}",
            "'[]' | body must be a JSON object such as {\"metrics\": [...]}",
            "'42' | body must be a JSON object such as {\"metrics\": [...]}",
            "'{}' | body has no \"metrics\" array; send {\"metrics\": [...]}",
            "'{\"metric\": []}' | body has no \"metrics\" array; send {\"metrics\": [...]}",
            "'{\"metrics\": {}}' | \"metrics\" must be an array of metric objects",
            "'{\"metrics\": null}' | \"metrics\" must be an array of metric objects",
            "'{\"metrics\": []} {}' | body has more content after the top-level JSON object"})
    void decode_wrongShape_isMalformed(String body, String message) {
        assertThatThrownBy(() -> decode(body)).isInstanceOf(MalformedPayloadException.class).hasMessage(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"metrics\": [", "{\"metrics\": [{\"name\": \"m\",}]}",
            "{\"metrics\": [{\"name\": NaN}]}", "{'metrics': []}", "{\"metrics\": [], \"metrics\": []}",
            "{\"metrics\": [{\"name\": \"m\", \"name\": \"n\", \"type\": \"gauge\", \"value\": 1}]}"})
    void decode_invalidJson_isMalformedWithLocation(String body) {
        assertThatThrownBy(() -> decode(body)).isInstanceOf(MalformedPayloadException.class)
                .hasMessageStartingWith("body is not valid JSON: ")
                .message().hasSizeLessThan(400);
    }

    @Test
    void decode_truncatedBody_isMalformedAtEveryLength() {
        String valid = "{\"metrics\": [{\"name\": \"m\", \"type\": \"gauge\", \"labels\": {\"a\": \"b\"}, "
                + "\"samples\": [{\"t\": 1717250400000, \"v\": 1}]}]}";
        for (int length = 0; length < valid.length(); length++) {
            String cut = valid.substring(0, length);
            assertThatThrownBy(() -> decode(cut)).as(cut).isInstanceOf(MalformedPayloadException.class);
        }
    }

    @Test
    void decode_deepNesting_isMalformed() {
        String body = "{\"metrics\": [{\"name\": \"m\", \"type\": \"gauge\", \"value\": 1, \"labels\": {\"a\": "
                + "[".repeat(100_000) + "]".repeat(100_000) + "}}]}";

        assertThatThrownBy(() -> decode(body)).isInstanceOf(MalformedPayloadException.class)
                .hasMessageContaining("nesting depth").hasMessageContaining("16");
    }

    @Test
    void decode_stringLongerThanLimit_isMalformed() {
        String body = "{\"metrics\": [{\"name\": \"m\", \"type\": \"gauge\", \"value\": 1, \"labels\": {\"a\": \""
                + "x".repeat(JsonBatchDecoder.MAX_STRING_LENGTH + 1) + "\"}}]}";

        assertThatThrownBy(() -> decode(body)).isInstanceOf(MalformedPayloadException.class)
                .hasMessageContaining("String value length");
    }

    @Test
    void decode_nonUtf8_isMalformed() {
        byte[] body = "{\"metrics\": [{\"name\": \"m\", \"type\": \"gauge\", \"value\": 1, \"labels\": {\"a\": \"caf\u00e9\"}}]}"
                .getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> decoder.decode(body)).isInstanceOf(MalformedPayloadException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void decode_maxPoints_isAccepted() {
        WriteBatch batch = decode(observations(JsonBatchDecoder.MAX_POINTS));

        assertThat(batch.sampleCount()).isEqualTo(JsonBatchDecoder.MAX_POINTS);
    }

    @Test
    void decode_morePointsThanLimit_isMalformed() {
        assertThatThrownBy(() -> decode(observations(JsonBatchDecoder.MAX_POINTS + 1)))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("request has more than 100000 points; split it into smaller requests");
    }

    @Test
    void decode_manyEmptyItems_countTowardsTheLimit() {
        String items = String.join(",", java.util.Collections.nCopies(JsonBatchDecoder.MAX_POINTS + 1, "{}"));

        assertThatThrownBy(() -> decode("{\"metrics\": [" + items + "]}"))
                .isInstanceOf(MalformedPayloadException.class);
    }

    private static String observations(int n) {
        double[] values = new double[n];
        Arrays.fill(values, 0.25);
        String list = Arrays.stream(values).mapToObj(Double::toString).collect(Collectors.joining(","));
        return "{\"metrics\": [{\"name\": \"load_seconds\", \"type\": \"latency\", \"observations\": [" + list + "]}]}";
    }

    @Test
    void decode_batchOfManyItems_keepsOrderAndIndexes() {
        List<String> items = IntStream.range(0, 20).mapToObj(i -> i == 13
                ? "{\"name\": \"m\", \"type\": \"histo\", \"value\": 1}"
                : "{\"name\": \"m" + i + "\", \"type\": \"gauge\", \"value\": " + i + "}").toList();

        WriteBatch batch = decode("{\"metrics\": [" + String.join(",", items) + "]}");

        assertThat(batch.seriesCount()).isEqualTo(19);
        assertThat(batch.errors()).containsExactly(
                "metrics[13].type was 'histo' but it must be one of counter, increment, gauge, latency");
    }
}
