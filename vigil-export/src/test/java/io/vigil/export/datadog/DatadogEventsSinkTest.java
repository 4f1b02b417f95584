package io.vigil.export.datadog;

import static io.vigil.export.datadog.Fixtures.CONTEXT;
import static io.vigil.export.datadog.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.Priority;
import io.vigil.alerting.Severity;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.export.ExportEvent;
import io.vigil.export.ExportSink;
import io.vigil.export.events.IncidentEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DatadogEventsSinkTest {
    private FakeDatadog dd;
    private DatadogEventsSink sink;

    @BeforeEach
    void start() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        dd = new FakeDatadog(clock);
        sink = new DatadogEventsSink(dd.base(), new DatadogApiKey(FakeDatadog.KEY), List.of("env:test"),
                Duration.ofSeconds(5), clock);
    }

    @AfterEach
    void stop() {
        dd.close();
    }

    /** A P0 incident that started firing a minute ago, built by {@link IncidentEvents}. */
    static ExportEvent incident() {
        NotificationIntent intent = new NotificationIntent("k1", "group-checkout", NotificationIntent.Kind.FIRING,
                Priority.P0, Impact.CRITICAL, List.of(new NotificationIntent.AlertSummary("f1", "checkout-latency",
                Map.of("endpoint", "checkout"), Severity.CRITICAL, "p95 2.4 s > 500 ms", "37 weddings active",
                NOW.minusSeconds(120))), Map.of(), NOW.minusSeconds(60));
        return IncidentEvents.from(intent, CONTEXT);
    }

    /** A wedding day that started at eight this morning. */
    static ExportEvent weddingDay() {
        return new ExportEvent(ExportEvent.Kind.WEDDING_DAY, "Wedding day 2026-06-06: 37 weddings, 4100 guests",
                "Weddings active from 08:00 to 23:30.", Instant.parse("2026-06-06T08:00:00Z"),
                Instant.parse("2026-06-06T23:30:00Z"), "info", "vigil-wedding-day-2026-06-06",
                List.of("vigil_event:wedding_day", "weddings:21-100"), CONTEXT);
    }

    private JsonNode sent(ExportEvent e) {
        ExportSink.Encoded<ExportEvent> encoded = sink.encode(List.of(e));
        assertThat(encoded.payloads()).hasSize(1);
        assertThat(sink.send(encoded.payloads().getFirst())).isEqualTo(new SendOutcome.Delivered(202));
        assertThat(dd.problems()).isEmpty();
        return dd.requests(DatadogEventsSink.PATH).getLast().json();
    }

    @Test
    void send_incident_normalPriorityErrorAlertTypeSecondsAndAllTags() {
        JsonNode e = sent(incident());

        assertThat(e.get("title").asText()).isEqualTo("P0 incident: checkout-latency");
        assertThat(e.get("text").asText()).isEqualTo("checkout-latency: p95 2.4 s > 500 ms (37 weddings active)");
        assertThat(e.get("date_happened").asLong()).isEqualTo(NOW.minusSeconds(60).getEpochSecond());
        assertThat(e.get("priority").asText()).isEqualTo("normal");
        assertThat(e.get("alert_type").asText()).isEqualTo("error");
        assertThat(e.get("aggregation_key").asText()).startsWith("vigil-incident-");
        assertThat(e.get("source_type_name").asText()).isEqualTo("vigil");
        assertThat(Fixtures.tags(e)).containsExactly("wedding_season:true", "wedding_peak_time:true",
                "estimated_wedding_load:high", "vigil_event:incident", "priority:P0", "state:firing",
                "rule:checkout-latency", "env:test");
    }

    @Test
    void send_weddingDay_lowPriorityInfoAtItsStart() {
        JsonNode e = sent(weddingDay());

        assertThat(e.get("priority").asText()).isEqualTo("low");
        assertThat(e.get("alert_type").asText()).isEqualTo("info");
        assertThat(e.get("date_happened").asLong()).isEqualTo(Instant.parse("2026-06-06T08:00:00Z").getEpochSecond());
        assertThat(e.get("aggregation_key").asText()).isEqualTo("vigil-wedding-day-2026-06-06");
    }

    @Test
    void send_request_documentedHeadersWithoutCompression() {
        sent(weddingDay());

        FakeDatadog.Request r = dd.requests().getFirst();
        assertThat(r.path()).isEqualTo("/api/v1/events");
        assertThat(r.header("Dd-api-key")).isEqualTo(FakeDatadog.KEY);
        assertThat(r.header("Content-type")).isEqualTo("application/json");
        assertThat(r.header("Content-encoding")).isNull();
    }

    @Test
    void encode_unknownSeverity_sentAsInfo() {
        ExportEvent odd = new ExportEvent(ExportEvent.Kind.LOAD_TEST, "Load test blocked", "refused by the gate",
                NOW, null, "catastrophic", "loadtest-gate", List.of(), CONTEXT);

        assertThat(sent(odd).get("alert_type").asText()).isEqualTo("info");
    }

    @Test
    void encode_eventOlderThan17Hours_datedNowWithItsRealStartInTheText() {
        Instant start = NOW.minus(Duration.ofHours(20));
        ExportEvent old = new ExportEvent(ExportEvent.Kind.WEDDING_DAY, "Wedding day", "x".repeat(4_000), start,
                NOW.plusSeconds(3600), "info", "vigil-wedding-day-2026-06-05", List.of(), CONTEXT);

        JsonNode e = sent(old);

        assertThat(e.get("date_happened").asLong()).isEqualTo(NOW.getEpochSecond());
        assertThat(e.get("text").asText()).hasSizeLessThanOrEqualTo(4_000)
                .endsWith("Started " + start + " (Datadog takes events up to 18 h old, so this one is dated when "
                        + "Vigil sent it).");
    }

    @Test
    void encode_eventOf16Hours_keepsItsOwnDate() {
        Instant start = NOW.minus(Duration.ofHours(16));
        ExportEvent e = new ExportEvent(ExportEvent.Kind.WEDDING_DAY, "Wedding day", "text", start, null, "info",
                "k", List.of(), CONTEXT);

        assertThat(sent(e).get("date_happened").asLong()).isEqualTo(start.getEpochSecond());
    }

    @Test
    void encode_longTextAndHugeTag_textWithin4000AndTagOver200LeftOut() {
        ExportEvent e = new ExportEvent(ExportEvent.Kind.INCIDENT, "P1 incident: x", "y".repeat(100_000), NOW, null,
                "warning", "k", List.of("rule:" + "z".repeat(300), "rule:short"), CONTEXT);

        JsonNode json = sent(e);

        assertThat(json.get("text").asText()).hasSize(4_000);
        assertThat(Fixtures.tags(json)).contains("rule:short").noneMatch(t -> t.length() > 200);
    }

    @Test
    void encode_severalEvents_onePayloadEachAndBatchesOfOne() {
        ExportSink.Encoded<ExportEvent> encoded = sink.encode(List.of(incident(), weddingDay()));

        assertThat(sink.maxBatch()).isEqualTo(1);
        assertThat(encoded.payloads()).extracting(p -> p.items().size()).containsExactly(1, 1);
    }

    @Test
    void encode_blankTitle_refusedAsInvalid() {
        ExportEvent e = new ExportEvent(ExportEvent.Kind.LOAD_TEST, " ", "t", NOW, null, "info", "k", List.of(),
                CONTEXT);

        ExportSink.Encoded<ExportEvent> encoded = sink.encode(List.of(e));

        assertThat(encoded.payloads()).isEmpty();
        assertThat(encoded.refused()).isEqualTo(1);
        assertThat(encoded.refusedReason()).isEqualTo("invalid");
    }

    @Test
    void encode_emptyBatch_noPayloads() {
        assertThat(sink.encode(List.of()).payloads()).isEmpty();
    }

    @Test
    void send_statuses_429And5xxRetried400403And408Rejected() {
        dd.script(DatadogEventsSink.PATH, FakeDatadog.Answer.status(429, Map.of("X-RateLimit-Reset", "9")),
                FakeDatadog.Answer.status(502), FakeDatadog.Answer.status(400), FakeDatadog.Answer.status(403),
                FakeDatadog.Answer.status(408));
        ExportSink.Payload<ExportEvent> p = sink.encode(List.of(incident())).payloads().getFirst();

        List<SendOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            outcomes.add(sink.send(p));
        }

        assertThat(outcomes).containsExactly(new SendOutcome.Retry("http 429", 429, Duration.ofSeconds(9)),
                new SendOutcome.Retry("http 502", 502, null), new SendOutcome.Rejected("http 400", 400),
                new SendOutcome.Rejected(DatadogHttp.KEY_REFUSED, 403), new SendOutcome.Rejected("http 408", 408));
    }
}
