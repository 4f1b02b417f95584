package io.vigil.server.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-wedding check on a real server: the tier sets how often it runs, the switches stop it. */
class WeddingHealthMonitorTest {
    static final String KEY = "health-admin-key";
    static final Instant NOW = Instant.parse("2026-06-13T15:00:00Z");
    final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    VigilServer server;

    @BeforeEach
    void start() {
        server = VigilServer.start(dir, VigilConfig.DEFAULTS, "127.0.0.1", 0, Map.of("VIGIL_API_KEY", KEY),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String latency(String metric, String wedding, double... observations) {
        StringBuilder obs = new StringBuilder();
        for (double o : observations) {
            obs.append(obs.isEmpty() ? "" : ",").append(o);
        }
        return ("{\"name\": \"%s\", \"type\": \"latency\", \"labels\": {\"wedding_id\": \"%s\", \"client\": \"mobile\","
                + " \"status\": \"200\"}, \"t\": %d, \"observations\": [%s]}")
                .formatted(metric, wedding, NOW.minusSeconds(60).toEpochMilli(), obs);
    }

    @Test
    void weddingDayCheck_ratesTheWeddingsOperations_atItsTiersInterval() throws Exception {
        assertThat(send("POST", "/api/v1/weddings", "{\"id\": \"today-1\", \"timeZone\": \"Europe/London\","
                + " \"ceremonyStart\": \"2026-06-13T14:00\", \"receptionEnd\": \"2026-06-13T23:00\"}").statusCode())
                .isEqualTo(201);
        assertThat(send("POST", "/api/v1/weddings", "{\"id\": \"quiet-1\", \"timeZone\": \"Europe/London\","
                + " \"ceremonyStart\": \"2026-06-14T14:00\", \"receptionEnd\": \"2026-06-14T23:00\"}").statusCode())
                .isEqualTo(201);
        String metrics = "{\"metrics\": [" + latency("wedding_photo_upload_seconds", "today-1", 1.2, 2.0, 3.1) + ","
                + latency("wedding_guest_list_access_seconds", "today-1", 0.9, 1.1, 0.95, 1.3) + "]}";
        assertThat(send("POST", "/api/v1/metrics", metrics).statusCode()).isEqualTo(200);

        assertThat(server.weddingHealth().checkDue()).as("both weddings are around their day").isEqualTo(2);
        assertThat(server.weddingHealth().checkDue()).as("10 s have not passed on the fixed clock").isZero();

        JsonNode today = new ObjectMapper().readTree(send("GET", "/api/v1/weddings/today-1", null).body());
        assertThat(today.path("health").path("status").asText()).isEqualTo("degraded");
        assertThat(today.path("health").path("intervalSeconds").asLong()).isEqualTo(10);
        JsonNode families = today.path("health").path("families");
        assertThat(families.findValuesAsText("metric"))
                .containsExactly("wedding_guest_list_access_seconds", "wedding_photo_upload_seconds");
        assertThat(families.get(0).path("ok").asBoolean()).as("guest list p95 over 500 ms").isFalse();
        assertThat(families.get(1).path("ok").asBoolean()).as("photo upload p95 under 5 s").isTrue();
        JsonNode quiet = new ObjectMapper().readTree(send("GET", "/api/v1/weddings/quiet-1", null).body());
        assertThat(quiet.path("health").path("status").asText()).isEqualTo("no_data");
        assertThat(quiet.path("health").path("intervalSeconds").asLong()).as("tomorrow: the week's tier").isEqualTo(60);
    }

    @Test
    void monitoringSwitchedOff_runsNoChecks() throws Exception {
        send("POST", "/api/v1/weddings", "{\"id\": \"today-1\", \"timeZone\": \"UTC\","
                + " \"ceremonyStart\": \"2026-06-13T14:00\", \"receptionEnd\": \"2026-06-13T23:00\"}");
        assertThat(send("PUT", "/api/v1/settings", "{\"monitoring_enabled\": false}").statusCode()).isEqualTo(200);
        assertThat(server.weddingHealth().checkDue()).isZero();
        assertThat(new ObjectMapper().readTree(send("GET", "/api/v1/weddings/today-1", null).body()).has("health"))
                .isFalse();
    }
}
