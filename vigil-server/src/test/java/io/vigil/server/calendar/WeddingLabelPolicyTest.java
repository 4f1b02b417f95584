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

/** The per-wedding label window on a real server: today's wedding keeps its series, the others share "other". */
class WeddingLabelPolicyTest {
    static final String KEY = "policy-admin-key";
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

    private HttpResponse<String> send(String method, String path, String type, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", type)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void weddingIdLabel_keptOnlyAroundTheWeddingDay() throws Exception {
        for (String w : new String[] {"today-1", "next-month-1"}) {
            String day = w.startsWith("today") ? "2026-06-13" : "2026-07-18";
            assertThat(send("POST", "/api/v1/weddings", "application/json", ("{\"id\": \"%s\", \"timeZone\":"
                    + " \"Europe/London\", \"ceremonyStart\": \"%sT14:00\", \"receptionEnd\": \"%sT23:00\"}")
                    .formatted(w, day, day)).statusCode()).isEqualTo(201);
        }
        StringBuilder metrics = new StringBuilder("{\"metrics\": [");
        String[] ids = {"today-1", "next-month-1", "unknown-9"};
        for (int i = 0; i < ids.length; i++) {
            metrics.append(i == 0 ? "" : ",").append("""
                    {"name": "wedding_photo_upload_seconds", "type": "gauge", "labels": {"wedding_id": "%s",
                     "client": "mobile"}, "samples": [{"t": %d, "v": 1.5}]}""".formatted(ids[i], NOW.toEpochMilli()));
        }
        metrics.append("]}");
        HttpResponse<String> r = send("POST", "/api/v1/metrics", "application/json", metrics.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        HttpResponse<String> series = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/v1/series?metric=wedding_photo_upload_seconds")).header("Authorization", "Bearer " + KEY)
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode listed = new ObjectMapper().readTree(series.body()).path("series");
        assertThat(listed.findValuesAsText("wedding_id")).containsExactlyInAnyOrder("today-1", "other");
        HttpResponse<String> count = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/v1/query?metric=wedding_photo_upload_seconds&stat=count&by=wedding_id&from="
                        + (NOW.getEpochSecond() - 600) + "&to=" + (NOW.getEpochSecond() + 60)))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(count.body()).contains("\"other\"");
        JsonNode groups = new ObjectMapper().readTree(count.body()).path("series");
        double total = 0;
        for (JsonNode g : groups) {
            total += g.path("value").asDouble();
        }
        assertThat(total).as("every sample still counts").isEqualTo(3.0);
    }
}
