package io.vigil.export.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.outbound.RetryPolicy;
import io.vigil.core.outbound.SendOutcome;
import io.vigil.export.ExportEvent;
import io.vigil.export.ExportSink;
import io.vigil.export.ExportTags;
import io.vigil.export.config.ExportConfig;
import io.vigil.export.pipeline.ExportWorker;
import io.vigil.export.pipeline.ExporterHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GrafanaAnnotationsSinkTest {
    static final String TOKEN = "glsa_Q7mZ2vKx9pLr4TsW8nYb_3f9a1c2d";
    static final Map<String, String> ENV = Map.of("GRAFANA_TOKEN", TOKEN);
    static final ExportTags CONTEXT = new ExportTags(true, true, "moderate");
    static final ObjectMapper JSON = new ObjectMapper();
    static final ExportWorker.Settings FAST = new ExportWorker.Settings(1_000, Duration.ofMillis(20),
            new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofMinutes(10), Duration.ZERO),
            Duration.ofMinutes(10));

    static ExportEvent weddingDay() {
        return new ExportEvent(ExportEvent.Kind.WEDDING_DAY, "Wedding day 2026-06-13: 2 weddings, 300 guests",
                "Weddings active from 2026-06-13T11:00:00Z to 2026-06-13T23:00:00Z (Europe/Lisbon 2).",
                Instant.parse("2026-06-13T11:00:00Z"), Instant.parse("2026-06-13T23:00:00Z"), "info",
                "vigil-wedding-day-2026-06-13", List.of("vigil_event:wedding_day", "weddings:1-5"), CONTEXT);
    }

    static ExportEvent incident(String rule) {
        return new ExportEvent(ExportEvent.Kind.INCIDENT, "P1 incident: " + rule, rule + ": p99 above 2 s",
                Instant.parse("2026-06-13T15:04:10Z"), null, "error", "vigil-incident-1",
                List.of("vigil_event:incident", "priority:P1", "state:firing", "rule:" + rule), CONTEXT);
    }

    static ExportConfig.Grafana config(String url, String dashboardUid) {
        return new ExportConfig.Grafana(true, url, null, "GRAFANA_TOKEN", dashboardUid);
    }

    static GrafanaAnnotationsSink sink(GrafanaReceiver grafana, Duration timeout) {
        return Grafana.sink(config(grafana.url(), null), ENV, timeout);
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    static JsonNode body(ExportSink.Payload<ExportEvent> p) throws Exception {
        return JSON.readTree(p.body());
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Every text the worker's health shows: the token must be in none. */
    static String shown(ExporterHealth h) {
        return h.lastError() + " " + h.dropped().keySet() + " " + h.failures().keySet() + " " + h;
    }

    @Test
    void encode_weddingDay_isARegionInMillis_withEventAndContextTags_titleAndText() throws Exception {
        GrafanaAnnotationsSink sink = Grafana.sink(config("http://grafana:3000/", "vigil"), ENV);
        ExportSink.Encoded<ExportEvent> encoded = sink.encode(List.of(weddingDay()));

        assertThat(encoded.payloads()).hasSize(1);
        assertThat(encoded.refused()).isZero();
        JsonNode n = body(encoded.payloads().get(0));
        assertThat(n.path("time").asLong()).isEqualTo(Instant.parse("2026-06-13T11:00:00Z").toEpochMilli());
        assertThat(n.path("timeEnd").asLong()).isEqualTo(Instant.parse("2026-06-13T23:00:00Z").toEpochMilli());
        assertThat(strings(n.path("tags"))).containsExactly("vigil_event:wedding_day", "weddings:1-5",
                "wedding_season:true", "wedding_peak_time:true", "estimated_wedding_load:moderate");
        assertThat(n.path("text").asText()).isEqualTo(weddingDay().title() + "\n" + weddingDay().text());
        assertThat(n.path("dashboardUID").asText()).isEqualTo("vigil");
        assertThat(GrafanaReceiver.invalid(new String(encoded.payloads().get(0).body()))).isNull();
        assertThat(sink.maxBatch()).isEqualTo(1);
        assertThat(sink.name()).isEqualTo("grafana-annotations");
    }

    @Test
    void encode_anEventWithoutEnd_isAPointAnnotation_andAlwaysCarriesItsKindTag() throws Exception {
        GrafanaAnnotationsSink sink = Grafana.sink(config("http://grafana:3000", null), ENV);
        ExportEvent loadTest = new ExportEvent(ExportEvent.Kind.LOAD_TEST, "Load test started", "",
                Instant.parse("2026-06-09T10:00:00Z"), null, "info", "vigil-load-test-1", List.of("scenario:smoke"),
                new ExportTags(false, false, "none"));

        List<ExportSink.Payload<ExportEvent>> payloads = sink.encode(List.of(incident("checkout-p99"), loadTest))
                .payloads();

        assertThat(payloads).hasSize(2).allSatisfy(p -> assertThat(p.items()).hasSize(1));
        JsonNode incident = body(payloads.get(0));
        assertThat(incident.has("timeEnd")).isFalse();
        assertThat(incident.has("dashboardUID")).isFalse();
        assertThat(strings(incident.path("tags"))).startsWith("vigil_event:incident", "priority:P1");
        JsonNode load = body(payloads.get(1));
        assertThat(strings(load.path("tags"))).startsWith("vigil_event:load_test", "scenario:smoke");
        assertThat(load.path("text").asText()).isEqualTo("Load test started");
    }

    @Test
    void send_postsWithTheBearerToken_andGrafanasAnswerIsDelivered() throws Exception {
        try (GrafanaReceiver grafana = new GrafanaReceiver(TOKEN)) {
            GrafanaAnnotationsSink sink = sink(grafana, Grafana.TIMEOUT);
            SendOutcome outcome = sink.send(sink.encode(List.of(weddingDay())).payloads().get(0));

            assertThat(outcome).isEqualTo(new SendOutcome.Delivered(200));
            assertThat(grafana.problems).isEmpty();
            assertThat(grafana.requests).singleElement().satisfies(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.path()).isEqualTo("/api/annotations");
                assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN);
                assertThat(r.contentType()).isEqualTo("application/json");
            });
            assertThat(grafana.added).singleElement()
                    .satisfies(n -> assertThat(n.path("text").asText()).startsWith("Wedding day 2026-06-13"));
        }
    }

    @Test
    void worker_deliversEachEventAsOneAnnotation() throws Exception {
        try (GrafanaReceiver grafana = new GrafanaReceiver(TOKEN);
             ExportWorker<ExportEvent> worker = new ExportWorker<>(sink(grafana, Grafana.TIMEOUT), FAST,
                     Clock.systemUTC()).start()) {
            worker.offer(List.of(weddingDay(), incident("guest-list-errors")));
            await(() -> worker.health().sent() == 2);

            assertThat(grafana.problems).isEmpty();
            assertThat(grafana.requests).hasSize(2);
            assertThat(grafana.added).extracting(n -> n.path("tags").get(0).asText())
                    .containsExactly("vigil_event:wedding_day", "vigil_event:incident");
            assertThat(grafana.added.get(1).has("timeEnd")).isFalse();
            assertThat(worker.health().healthy()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403})
    void worker_clientErrors_areDroppedAndReported_neverRetried(int status) throws Exception {
        try (GrafanaReceiver grafana = new GrafanaReceiver(TOKEN);
             ExportWorker<ExportEvent> worker = new ExportWorker<>(sink(grafana, Grafana.TIMEOUT), FAST,
                     Clock.systemUTC()).start()) {
            grafana.script.add(GrafanaReceiver.Answer.status(status, "{\"message\":\"no\"}"));
            worker.offer(List.of(incident("refused")));
            await(() -> !worker.health().dropped().isEmpty());

            ExporterHealth h = worker.health();
            assertThat(h.dropped()).isEqualTo(Map.of("rejected http " + status, 1L));
            assertThat(h.failures()).isEqualTo(Map.of("http " + status, 1L));
            assertThat(h.lastError()).isEqualTo("http " + status);
            assertThat(h.sent()).isZero();

            // The worker sends in order: once the next event is delivered, the refused one was not tried again.
            worker.offer(List.of(incident("accepted")));
            await(() -> worker.health().sent() == 1);
            assertThat(grafana.requests).extracting(GrafanaReceiver.Request::body)
                    .filteredOn(b -> b.contains("refused")).hasSize(1);
            assertThat(grafana.requests).hasSize(2);
            assertThat(grafana.problems).isEmpty();
        }
    }

    @Test
    void worker_serverErrors_areRetried_thenDelivered() throws Exception {
        try (GrafanaReceiver grafana = new GrafanaReceiver(TOKEN);
             ExportWorker<ExportEvent> worker = new ExportWorker<>(sink(grafana, Grafana.TIMEOUT), FAST,
                     Clock.systemUTC()).start()) {
            grafana.script.add(GrafanaReceiver.Answer.status(500, "{\"message\":\"database is locked\"}"));
            grafana.script.add(GrafanaReceiver.Answer.status(503, ""));
            worker.offer(List.of(weddingDay()));
            await(() -> worker.health().sent() == 1);

            ExporterHealth h = worker.health();
            assertThat(h.failures()).isEqualTo(Map.of("http 500", 1L, "http 503", 1L));
            assertThat(h.dropped()).isEmpty();
            assertThat(grafana.requests).hasSize(3).extracting(GrafanaReceiver.Request::body).containsOnly(
                    new String(GrafanaAnnotationsSink.body(weddingDay(), null)));
            assertThat(grafana.added).hasSize(1);
            assertThat(grafana.problems).isEmpty();
        }
    }

    @Test
    void worker_aHangingAnswer_timesOut_andIsRetried() throws Exception {
        try (GrafanaReceiver grafana = new GrafanaReceiver(TOKEN);
             ExportWorker<ExportEvent> worker = new ExportWorker<>(sink(grafana, Duration.ofMillis(300)), FAST,
                     Clock.systemUTC()).start()) {
            grafana.script.add(GrafanaReceiver.Answer.hanging());
            worker.offer(List.of(weddingDay()));
            await(() -> worker.health().sent() == 1);

            assertThat(worker.health().failures()).isEqualTo(Map.of("timeout after 300 ms", 1L));
            assertThat(worker.health().dropped()).isEmpty();
            assertThat(grafana.requests).hasSize(2);
            assertThat(grafana.added).hasSize(1);
        }
    }

    @Test
    void theToken_isInNoReason_healthOrToString_evenWhenGrafanaEchoesIt() throws Exception {
        String bareToken = "sekrit_token_value"; // a bare lower-case word: HttpDelivery would show it as an error code
        try (GrafanaReceiver grafana = new GrafanaReceiver(bareToken);
             ExportWorker<ExportEvent> worker = new ExportWorker<>(Grafana.sink(config(grafana.url(), "vigil"),
                     Map.of("GRAFANA_TOKEN", bareToken), Grafana.TIMEOUT), FAST, Clock.systemUTC()).start()) {
            grafana.script.add(GrafanaReceiver.Answer.status(503, bareToken));
            grafana.script.add(GrafanaReceiver.Answer.status(401, bareToken));
            grafana.script.add(GrafanaReceiver.Answer.status(403, "{\"message\":\"bad token " + bareToken + "\"}"));
            worker.offer(List.of(incident("one"), incident("two")));
            await(() -> worker.health().dropped().values().stream().mapToLong(Long::longValue).sum() == 2);

            ExporterHealth h = worker.health();
            assertThat(h.failures()).containsKeys("http 503 [token]", "http 401 [token]", "http 403");
            assertThat(shown(h)).doesNotContain(bareToken);
        }
        GrafanaAnnotationsSink sink = Grafana.sink(new ExportConfig.Grafana(true, "http://grafana:3000", TOKEN, null,
                null), Map.of());
        assertThat(sink.toString()).isEqualTo("GrafanaAnnotationsSink[http://grafana:3000/api/annotations]")
                .doesNotContain(TOKEN);
    }

    @Test
    void factory_validatesTheConfig_namingEveryProblem_neverTheToken() {
        assertThatThrownBy(() -> Grafana.sink(null, ENV)).hasMessage("export.grafana is not enabled");
        assertThatThrownBy(() -> Grafana.sink(new ExportConfig.Grafana(false, "http://g", TOKEN, null, null), ENV))
                .hasMessage("export.grafana is not enabled");
        assertThatThrownBy(() -> Grafana.sink(new ExportConfig.Grafana(true, null, null, "MISSING", null), ENV))
                .hasMessageContaining("export.grafana.url is required")
                .hasMessageContaining("export.grafana.tokenEnv names MISSING, which is not set");
        assertThatThrownBy(() -> Grafana.sink(new ExportConfig.Grafana(true, "ftp://g", TOKEN, null, null), ENV))
                .hasMessageContaining("export.grafana.url was 'ftp://g'");
        String spaced = "glsa secret\r\nX-Evil: 1";
        assertThatThrownBy(() -> Grafana.sink(new ExportConfig.Grafana(true, "http://g", spaced, null, null), ENV))
                .hasMessageContaining("export.grafana token must be").hasMessageNotContaining("secret");
    }
}
