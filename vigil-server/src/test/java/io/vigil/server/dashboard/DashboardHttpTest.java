package io.vigil.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page and its assets are public and locked to their origin; who-am-I needs a key and never echoes it. */
class DashboardHttpTest {
    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(VigilServer server, String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pageAndAssets_needNoKey_carryTheSecurityHeaders_andWhoamiAnswersNameAndRolesOnly() throws Exception {
        VigilConfig config = new VigilConfig(null, null, new VigilConfig.Auth(List.of(
                new VigilConfig.ApiKeyConfig("wall-screen", "read-secret-key", null, null, List.of("read")))), null);
        try (VigilServer server = VigilServer.start(dir, config, "127.0.0.1", 0, Map.of(), Clock.systemUTC())) {
            HttpResponse<String> page = get(server, "/", null);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>Vigil</title>", "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("default-src 'self'", "connect-src 'self'", "frame-ancestors 'none'");
            assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(get(server, "/app.js", null).statusCode()).isEqualTo(200);
            assertThat(get(server, "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", null).body()).contains("uPlot");

            assertThat(get(server, "/api/v1/whoami", null).statusCode()).isEqualTo(401);
            HttpResponse<String> me = get(server, "/api/v1/whoami", "read-secret-key");
            assertThat(me.statusCode()).isEqualTo(200);
            assertThat(me.body()).isEqualTo("{\"name\":\"wall-screen\",\"roles\":[\"READ\"]}");
            assertThat(get(server, "/api/v1/alerts", null).statusCode()).as("the API still needs a key")
                    .isEqualTo(401);
        }
    }
}
