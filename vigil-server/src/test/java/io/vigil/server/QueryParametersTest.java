package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The query API's parameters: every malformed one gets a 400 that says what to send. */
class QueryParametersTest {
    static final String KEY = "query-key";
    final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    VigilServer server;

    @BeforeEach
    void start() throws Exception {
        server = VigilServer.start(dir, VigilConfig.DEFAULTS, "127.0.0.1", 0, Map.of("VIGIL_API_KEY", KEY),
                Clock.systemUTC());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/write"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "snappy")
                .POST(HttpRequest.BodyPublishers.ofByteArray(RemoteWriteRequests.request("q_total", 0, 10,
                        System.currentTimeMillis() - 60_000, 5)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    HttpResponse<String> get(String query) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/query?" + query))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
    }

    void assertBadRequest(String query, String messagePart) throws Exception {
        HttpResponse<String> r = get(query);
        assertThat(r.statusCode()).as(query).isEqualTo(400);
        assertThat(r.body()).as(query).contains(messagePart);
    }

    @Test
    void malformedParameters_get400NamingTheProblem() throws Exception {
        assertBadRequest("stat=count", "'metric' is required");
        assertBadRequest("metric=q_total&from=yesterday", "from was 'yesterday'");
        assertBadRequest("metric=q_total&to=2026-13-45T00:00:00Z", "to was '2026-13-45T00:00:00Z'");
        assertBadRequest("metric=q_total&from=2000&to=1000", "to must be after from");
        assertBadRequest("metric=q_total&step=7s", "multiple of 10s");
        assertBadRequest("metric=q_total&step=soon", "step was 'soon'");
        assertBadRequest("metric=q_total&from=0&to=1000000000&step=10s", "at most 11000");
        assertBadRequest("metric=q_total&stat=median", "stat was 'median'");
    }

    @Test
    void wellFormedVariants_answer() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        HttpResponse<String> seconds = get("metric=q_total&stat=count&from=" + (now - 600) + ".5&to=" + (now + 60));
        assertThat(seconds.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(seconds.body()).path("series").path(0).path("value").asDouble())
                .isEqualTo(10);
        HttpResponse<String> grouped = get("metric=q_total&stat=count&by=route&step=5m&from=" + (now - 600));
        assertThat(grouped.statusCode()).isEqualTo(200);
        JsonNode series = new ObjectMapper().readTree(grouped.body()).path("series");
        assertThat(series.size()).isEqualTo(5); // routes /r0../r4
        assertThat(series.path(0).path("points").size()).isEqualTo(3);
        HttpResponse<String> unknown = get("metric=no_such_metric&stat=p99");
        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(unknown.body()).contains("\"series\":[]");
    }
}
