package io.vigil.export.datadog;

import static io.vigil.export.datadog.Fixtures.CONTEXT;
import static io.vigil.export.datadog.Fixtures.FAST;
import static io.vigil.export.datadog.Fixtures.NOW;
import static io.vigil.export.datadog.Fixtures.START;
import static io.vigil.export.datadog.FakeDatadog.await;
import static io.vigil.export.datadog.Fixtures.gunzip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.Priority;
import io.vigil.alerting.Severity;
import io.vigil.core.Aggregate;
import io.vigil.core.Labels;
import io.vigil.core.MetricKind;
import io.vigil.export.ExportEvent;
import io.vigil.export.ExportLabelPolicy;
import io.vigil.export.ExportPoint;
import io.vigil.export.ExportSink;
import io.vigil.export.config.ExportConfig;
import io.vigil.export.events.IncidentEvents;
import io.vigil.export.pipeline.ExportWorker;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Personal data planted in labels and alert text, and the API key: none of it may leave in a body or a reason. */
class DatadogPrivacyTest {
    private static final String EMAIL = "bride.jones@example.com";
    private static final String PHONE = "+44 7700 900123";
    private static final String TOKEN = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
    private FakeDatadog dd;

    @BeforeEach
    void start() throws Exception {
        dd = new FakeDatadog(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        dd.close();
    }

    private static ExportPoint throughPolicy(String metric, MetricKind kind, Labels labels, double value) {
        ExportLabelPolicy policy = new ExportLabelPolicy(ExportLabelPolicy.DEFAULT_DROPPED, 1_000);
        Aggregate a = new Aggregate();
        a.add(START, value, kind);
        return new ExportPoint(metric, kind, policy.apply(metric, labels), START, 10_000, a, CONTEXT);
    }

    private static void assertClean(String text) {
        assertThat(text).doesNotContain(EMAIL).doesNotContain(PHONE).doesNotContain("7700 900123")
                .doesNotContain(TOKEN).doesNotContain(FakeDatadog.KEY).doesNotContain("W-8812");
    }

    @Test
    void labelsThroughPolicy_personalDataNeverInAnyPayload() {
        Labels planted = Labels.of("contact", EMAIL, "phone", PHONE, "auth", TOKEN, "wedding_id", "W-8812",
                "endpoint", "guest_list");
        List<ExportPoint> points = List.of(
                throughPolicy("wedding.api.requests", MetricKind.DELTA, planted, 3),
                throughPolicy("wedding.db.pool_active", MetricKind.GAUGE, planted, 7),
                throughPolicy("wedding.api.latency", MetricKind.DISTRIBUTION, planted, 0.25));
        DatadogMetricsSink sink = Fixtures.metricsSink(dd, true);
        DatadogMetricsSink summaries = Fixtures.metricsSink(dd, false);

        List<ExportSink.Payload<ExportPoint>> payloads = new ArrayList<>(sink.encode(points).payloads());
        payloads.addAll(summaries.encode(points).payloads());
        payloads.forEach(p -> sink.send(p));

        assertThat(payloads).hasSize(3);
        for (ExportSink.Payload<ExportPoint> p : payloads) {
            String json = new String(gunzip(p.body()), StandardCharsets.UTF_8);
            assertClean(json);
            assertThat(json).contains("contact:[redacted]").contains("endpoint:guest_list");
        }
        assertThat(dd.requests()).hasSize(3).allSatisfy(r -> assertClean(r.text()));
        assertThat(dd.problems()).isEmpty();
    }

    @Test
    void incidentThroughEventBuilder_personalDataNeverInThePayload() {
        NotificationIntent intent = new NotificationIntent("k", "g", NotificationIntent.Kind.FIRING, Priority.P1,
                Impact.CRITICAL, List.of(new NotificationIntent.AlertSummary("f", "rsvp-errors",
                Map.of("wedding_id", "W-8812", "email", EMAIL), Severity.HIGH,
                "errors for " + EMAIL + " and " + PHONE, "token " + TOKEN + " failed", NOW)), Map.of(), NOW);
        ExportEvent event = IncidentEvents.from(intent, CONTEXT);
        DatadogEventsSink sink = new DatadogEventsSink(dd.base(), new DatadogApiKey(FakeDatadog.KEY),
                List.of("env:test"), Duration.ofSeconds(5), Clock.fixed(NOW, ZoneOffset.UTC));

        ExportSink.Payload<ExportEvent> p = sink.encode(List.of(event)).payloads().getFirst();
        sink.send(p);

        String json = new String(p.body(), StandardCharsets.UTF_8);
        assertClean(json);
        assertThat(json).contains("[redacted]");
        assertClean(dd.requests().getFirst().text());
        assertThat(dd.problems()).isEmpty();
    }

    @Test
    void encode_addsNothingButTheGivenLabelsContextTagsAndExtraTags() {
        ExportPoint p = new ExportPoint("wedding.api.requests", MetricKind.DELTA,
                Map.of("endpoint", "guest_list", "status", "200"), START, 10_000, aggregate(5), CONTEXT);

        JsonNode body = Fixtures.body(Fixtures.metricsSink(dd, true).encode(List.of(p)).payloads().getFirst());

        assertThat(body.size()).isEqualTo(1);
        JsonNode entry = body.get("series").get(0);
        Set<String> fields = new HashSet<>();
        entry.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("metric", "type", "interval", "points", "tags");
        assertThat(Set.copyOf(Fixtures.tags(entry))).isEqualTo(Set.of("endpoint:guest_list", "status:200",
                "wedding_season:true", "wedding_peak_time:true", "estimated_wedding_load:high", "env:test"));
        JsonNode point = entry.get("points").get(0);
        Set<String> pointFields = new HashSet<>();
        point.fieldNames().forEachRemaining(pointFields::add);
        assertThat(pointFields).containsExactlyInAnyOrder("timestamp", "value");
    }

    @Test
    void apiKey_neverInBodiesReasonsHealthOrToStrings() throws Exception {
        dd.script(DatadogMetricsSink.SERIES_PATH, FakeDatadog.Answer.status(500), FakeDatadog.Answer.status(403));
        ExportConfig.Datadog config = new ExportConfig.Datadog(true, null, dd.base().toString(), null, "DD_KEY", true,
                true, List.of("env:test"));
        Datadog.Sinks sinks = Datadog.sinks(config, Map.of("DD_KEY", FakeDatadog.KEY));
        ExportWorker<ExportPoint> w = new ExportWorker<>(sinks.metrics(), FAST, Clock.systemUTC()).start();
        try {
            w.offer(Fixtures.gauges(3));
            await(() -> w.health().backlog() == 0 && !w.health().dropped().isEmpty());

            assertThat(w.health().dropped()).containsOnlyKeys("rejected " + DatadogHttp.KEY_REFUSED);
            assertThat(w.health().toString()).doesNotContain(FakeDatadog.KEY);
            assertThat(w.health().failures().keySet()).noneMatch(k -> k.contains(FakeDatadog.KEY));
        } finally {
            w.close();
        }
        ExportSink.Payload<ExportEvent> event = sinks.events().orElseThrow()
                .encode(List.of(DatadogEventsSinkTest.incident())).payloads().getFirst();
        sinks.events().orElseThrow().send(event);

        for (FakeDatadog.Request r : dd.requests()) {
            assertThat(new String(r.raw(), StandardCharsets.ISO_8859_1)).doesNotContain(FakeDatadog.KEY);
            assertThat(r.text()).doesNotContain(FakeDatadog.KEY);
            assertThat(r.header("Dd-api-key")).isEqualTo(FakeDatadog.KEY); // the header is its one place
        }
        assertThat(sinks.toString()).doesNotContain(FakeDatadog.KEY);
        assertThat(new DatadogApiKey(FakeDatadog.KEY).toString()).doesNotContain(FakeDatadog.KEY);
    }

    private static Aggregate aggregate(double delta) {
        Aggregate a = new Aggregate();
        a.add(START, delta, MetricKind.DELTA);
        return a;
    }
}
