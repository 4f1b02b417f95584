package io.vigil.server.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.time.SettableClock;
import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A photo-upload breakdown during an active wedding on a real server with the default rules: it fires as P0 with its
 * explanation, the intent is in the outbox, it can be acknowledged, and a restart neither forgets it nor fires it
 * again.
 */
class AlertingEndToEndTest {
    static final String KEY = "alerting-admin-key";
    static final Instant NOW = Instant.parse("2026-06-13T15:00:00Z");
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;


    HttpResponse<String> send(VigilServer server, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode ok(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return json.readTree(r.body());
    }

    static String slowUploads(Instant at) {
        StringBuilder obs = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            obs.append(i == 0 ? "" : ",").append(11 + i % 4);
        }
        return ("{\"metrics\": [{\"name\": \"wedding_photo_upload_seconds\", \"type\": \"latency\", \"labels\":"
                + " {\"wedding_id\": \"london-1\", \"client\": \"mobile\", \"status\": \"200\"}, \"t\": %d,"
                + " \"observations\": [%s]}]}").formatted(at.toEpochMilli(), obs);
    }

    /**
     * The intents of a kind in the outbox, waiting up to 10 s for at least {@code atLeast} of them while the test
     * clock moves a second every 100 ms (rules are due again only when their interval has passed on that clock).
     */
    List<JsonNode> outbox(VigilServer server, SettableClock clock, String kind, int atLeast) throws Exception {
        return outbox(server, clock, kind, atLeast, Duration.ofSeconds(10));
    }

    List<JsonNode> outbox(VigilServer server, SettableClock clock, String kind, int atLeast, Duration wait)
            throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<JsonNode> found = new java.util.ArrayList<>();
            for (var item : server.state().pending(1000)) {
                JsonNode intent = json.readTree(item.json());
                if (intent.path("kind").asText().equals(kind)) {
                    found.add(intent);
                }
            }
            if (found.size() >= atLeast || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(100);
            clock.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void photoUploadBreakdownDuringAWedding_firesP0_isAcknowledged_andSurvivesARestart() throws Exception {
        SettableClock clock = new SettableClock(NOW);
        Map<String, String> env = Map.of("VIGIL_API_KEY", KEY);
        try (VigilServer server = VigilServer.start(dir, VigilConfig.DEFAULTS, "127.0.0.1", 0, env, clock)) {
            ok(send(server, "POST", "/api/v1/weddings", "{\"id\": \"london-1\", \"timeZone\": \"Europe/London\","
                    + " \"ceremonyStart\": \"2026-06-13T14:00\", \"receptionEnd\": \"2026-06-13T23:30\","
                    + " \"guestCount\": 150}"), 201);
            ok(send(server, "POST", "/api/v1/metrics", slowUploads(NOW.minusSeconds(30))), 200);

            // The evaluation loop (every second) writes the intent to the outbox. The rule last ran at start, when no
            // wedding was active (interval 1 min); it must speed up as soon as the wedding is active, well before a
            // minute of test-clock time (30 polls here) has passed.
            List<JsonNode> firing = outbox(server, clock, "FIRING", 1, Duration.ofSeconds(3));

            assertThat(firing).hasSize(1);
            JsonNode intent = firing.get(0);
            assertThat(intent.path("priority").asText()).isEqualTo("P0");
            assertThat(intent.path("alerts").findValuesAsText("ruleId")).contains("photo-upload.avg.critical");
            assertThat(intent.path("context").toString()).contains("london-1");

            // The snapshot the API reads is written right after the outbox, in the same round.
            JsonNode alerts = null;
            JsonNode upload = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (upload == null && System.nanoTime() < deadline) {
                alerts = ok(send(server, "GET", "/api/v1/alerts?state=firing", null), 200);
                for (JsonNode a : alerts.path("alerts")) {
                    if (a.path("rule").asText().equals("photo-upload.avg.critical")) {
                        upload = a;
                    }
                }
                Thread.sleep(50);
            }
            assertThat(upload).isNotNull();
            assertThat(upload.path("priority").asText()).isEqualTo("P0");
            assertThat(upload.path("impact").asText()).isEqualTo("critical");
            assertThat(upload.path("explanation").asText()).startsWith("active wedding london-1 uses photo upload; avg");
            assertThat(alerts.path("context").path("activeWeddings").findValuesAsText("id")).contains("london-1");

            ok(send(server, "POST", "/api/v1/alerts/" + upload.path("fingerprint").asText() + "/ack",
                    "{\"comment\": \"on it\"}"), 202);
            assertThat(outbox(server, clock, "ACKNOWLEDGED", 1)).hasSize(1);
            assertThat(ok(send(server, "GET", "/api/v1/alerts/history", null), 200).path("history").toString())
                    .contains("photo-upload.avg.critical");
        }
        clock.advance(Duration.ofSeconds(1));
        try (VigilServer restarted = VigilServer.start(dir, VigilConfig.DEFAULTS, "127.0.0.1", 0, env, clock)) {
            // Twenty seconds on the test clock: the rule is evaluated twenty more times; the alert is still firing.
            assertThat(outbox(restarted, clock, "FIRING", 2, Duration.ofSeconds(2))).as("the firing alert is not announced again").hasSize(1);
            JsonNode alerts = ok(send(restarted, "GET", "/api/v1/alerts?state=firing", null), 200);
            assertThat(alerts.path("alerts").findValuesAsText("rule")).contains("photo-upload.avg.critical");
            assertThat(alerts.path("alerts").findValuesAsText("acknowledgedBy")).contains("VIGIL_API_KEY");
        }
    }

    @Test
    void rulesSilencesAndWindows_throughTheApi_withClearErrors() throws Exception {
        try (VigilServer server = VigilServer.start(dir, VigilConfig.DEFAULTS, "127.0.0.1", 0,
                Map.of("VIGIL_API_KEY", KEY), Clock.fixed(NOW, ZoneOffset.UTC))) {
            JsonNode bad = ok(send(server, "PUT", "/api/v1/rules/slow-search", "{\"id\": \"slow-search\","
                    + " \"kind\": \"threshold\", \"metric\": \"http_server_request_duration_seconds\"}"), 400);
            assertThat(bad.path("error").asText()).isNotBlank();
            ok(send(server, "PUT", "/api/v1/rules/slow-search", """
                    {"id": "slow-search", "name": "Search slow", "kind": "threshold", "severity": "medium",
                     "metric": "http_server_request_duration_seconds", "filters": {"route": "/api/search"},
                     "stat": "p95", "window": "5m", "comparison": ">", "threshold": "2s", "for": "5m"}"""), 200);
            assertThat(ok(send(server, "GET", "/api/v1/rules", null), 200).path("rules").findValuesAsText("id"))
                    .contains("slow-search", "photo-upload.avg.critical");

            JsonNode silence = ok(send(server, "POST", "/api/v1/silences", "{\"matchers\": [\"alertname=slow-search\"],"
                    + " \"endsAt\": \"2026-06-13T18:00:00Z\", \"comment\": \"index rebuild\"}"), 201);
            assertThat(silence.path("createdBy").asText()).isEqualTo("VIGIL_API_KEY");
            assertThat(ok(send(server, "POST", "/api/v1/silences", "{\"matchers\": [],"
                    + " \"endsAt\": \"2026-06-13T18:00:00Z\"}"), 400).path("error").asText()).contains("matchers");
            ok(send(server, "POST", "/api/v1/maintenance-windows", """
                    {"name": "weekly db maintenance", "matchers": ["alertname=~http.*"], "timeZone": "Europe/London",
                     "start": "2026-06-16T02:00", "end": "2026-06-16T04:00", "rrule": "FREQ=WEEKLY;BYDAY=TU"}"""), 201);
            assertThat(ok(send(server, "GET", "/api/v1/maintenance-windows", null), 200).path("maintenanceWindows"))
                    .hasSize(1);
            assertThat(send(server, "DELETE", "/api/v1/silences/" + silence.path("id").asText(), null).statusCode())
                    .isEqualTo(204);
            assertThat(send(server, "GET", "/api/v1/ack?token=forged", null).statusCode()).isEqualTo(403);
        }
    }
}
