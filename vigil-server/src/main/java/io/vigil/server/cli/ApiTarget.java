package io.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where a running Vigil is and which API key to use: the options shared by the commands that call its API. */
final class ApiTarget {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:7070", description = "Vigil's base URL (default: ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--key-file", description = "file holding an API key (default: $VIGIL_API_KEY, else data/admin.key)")
    Path keyFile;

    String key() throws IOException {
        if (keyFile != null) {
            return Files.readString(keyFile).trim();
        }
        String env = System.getenv("VIGIL_API_KEY");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        Path dflt = Path.of("data", "admin.key");
        if (Files.isReadable(dflt)) {
            return Files.readString(dflt).trim();
        }
        throw new IllegalArgumentException("no API key: give --key-file, set VIGIL_API_KEY, or run where"
                + " data/admin.key exists");
    }

    /** Sends a request; prints Vigil's error and returns null when it refused. */
    JsonNode send(String method, String path, String body, PrintStream err) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key());
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = r.body().isEmpty() ? new ObjectMapper().createObjectNode() : new ObjectMapper().readTree(r.body());
        if (r.statusCode() >= 300) {
            err.println("vigil: " + r.statusCode() + ": " + answer.path("error").asText(r.body()));
            return null;
        }
        return answer;
    }
}
