package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthRolesTest {
    final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    int status(String base, String method, String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key);
        b = method.equals("GET") ? b.GET() : b.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"metrics\":[]}"));
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void roles_ingestCannotRead_readCannotIngest_adminDoesBoth() throws Exception {
        VigilConfig config = new VigilConfig(null, null, new VigilConfig.Auth(List.of(
                new VigilConfig.ApiKeyConfig("prom", "ingest-key", null, null, List.of("ingest")),
                new VigilConfig.ApiKeyConfig("grafana", null, "GRAFANA_KEY", null, List.of("read")),
                new VigilConfig.ApiKeyConfig("ops", null, null,
                        "a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3", List.of("admin")))), null);
        try (VigilServer server = VigilServer.start(dir, config, "127.0.0.1", 0, Map.of("GRAFANA_KEY", "read-key"),
                Clock.systemUTC())) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(status(base, "POST", "/api/v1/metrics", "ingest-key")).isEqualTo(200);
            assertThat(status(base, "GET", "/api/v1/query?metric=m", "ingest-key")).isEqualTo(403);
            assertThat(status(base, "GET", "/api/v1/query?metric=m", "read-key")).isEqualTo(200);
            assertThat(status(base, "POST", "/api/v1/metrics", "read-key")).isEqualTo(403);
            assertThat(status(base, "GET", "/api/v1/series", "123")).isEqualTo(200); // sha256("123") configured
            assertThat(status(base, "POST", "/api/v1/metrics", "123")).isEqualTo(200);
            assertThat(server.adminKeyFile()).isNull();
        }
    }

    @Test
    void noKeysConfigured_generatesAdminKeyFileWithMode0600() throws Exception {
        try (VigilServer server = VigilServer.start(dir, VigilConfig.DEFAULTS, "127.0.0.1", 0, Map.of(),
                Clock.systemUTC())) {
            Path file = server.adminKeyFile();
            assertThat(file).isEqualTo(dir.resolve("admin.key"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            String key = Files.readString(file).trim();
            assertThat(key).startsWith("vgl_").hasSize(4 + 64);
            String base = "http://127.0.0.1:" + server.port();
            assertThat(status(base, "GET", "/api/v1/series", key)).isEqualTo(200);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        try (VigilServer again = VigilServer.start(dir, VigilConfig.DEFAULTS, "127.0.0.1", 0, Map.of(),
                Clock.systemUTC())) {
            Path file = again.adminKeyFile();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }
}
