package io.vigil.server.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every exporter of a real server pointed at local receivers that accept what the vendor accepts: data ingested with
 * personal data and secrets planted in its labels arrives at each, carrying the wedding context tags, and no payload,
 * header or scrape contains anything planted, a wedding id or an API key.
 */
class ExportEndToEndTest {
    static final String KEY = "export-admin-key";
    static final String DD_KEY = "dd-0123456789abcdef0123456789abcdef";
    static final String NR_KEY = "NRAK-PLANTEDKEY0123456789ABCDEFGH";
    static final String GRAFANA_TOKEN = "glsa_planted0123456789abcdefghijklmnop";
    static final List<String> PLANTED = List.of("olivia.hartley@example.com", "+44 7700 900123", "7700 900123",
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "wedding-0612-hartley", DD_KEY, NR_KEY, GRAFANA_TOKEN);

    record Received(String path, Map<String, List<String>> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    @TempDir
    Path dir;
    HttpServer receiver;
    final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
            if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
                body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
            }
            String path = ex.getRequestURI().getPath();
            received.add(new Received(path, Map.copyOf(ex.getRequestHeaders()), body));
            byte[] answer;
            int status;
            if (path.startsWith("/dd/")) {
                status = 202;
                answer = "{\"errors\":[]}".getBytes();
            } else if (path.startsWith("/nr/")) {
                status = 202;
                answer = "{\"requestId\":\"r-1\"}".getBytes();
            } else if (path.startsWith("/otlp/")) {
                status = 200;
                answer = new byte[0];
                ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            } else {
                status = 200;
                answer = "{\"message\":\"Annotation added\",\"id\":1}".getBytes();
            }
            ex.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                ex.getResponseBody().write(answer);
            }
            ex.close();
        });
        receiver.start();
    }

    HttpResponse<String> send(VigilServer server, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    List<Received> at(String prefix) {
        synchronized (received) {
            return received.stream().filter(r -> r.path().startsWith(prefix)).toList();
        }
    }

    static String planted(String metric, String type, String values, long t) {
        return "{\"name\": \"" + metric + "\", \"type\": \"" + type + "\", \"t\": " + t + ", \"labels\": {"
                + "\"wedding_id\": \"wedding-0612-hartley\", \"client\": \"mobile\", \"status\": \"200\","
                + " \"guest\": \"olivia.hartley@example.com\", \"phone\": \"+44 7700 900123\","
                + " \"session\": \"sk_live_4eC39HqLyjWDarjtT1zdp7dc\"}, " + values + "}";
    }

    void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void everyExporterReceivesTheData_withTheWeddingContext_andNothingPlantedReachesAnyPayload() throws Exception {
        startReceiver();
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        Path config = dir.resolve("vigil.yaml");
        Files.writeString(config, """
                export:
                  datadog: {enabled: true, url: "%1$s/dd", apiKeyEnv: DD_KEY, tags: ["env:test"]}
                  newrelic: {enabled: true, url: "%1$s/nr", apiKeyEnv: NR_KEY}
                  otlp: {enabled: true, url: "%1$s/otlp"}
                  grafana: {enabled: true, url: "%1$s/grafana", tokenEnv: GRAFANA_TOKEN}
                """.formatted(base));
        io.vigil.core.time.SettableClock clock = io.vigil.core.time.SettableClock.running(Instant.now());
        try (VigilServer server = VigilServer.start(dir.resolve("data"), VigilConfig.load(config), "127.0.0.1", 0,
                Map.of("VIGIL_API_KEY", KEY, "DD_KEY", DD_KEY, "NR_KEY", NR_KEY, "GRAFANA_TOKEN", GRAFANA_TOKEN),
                clock)) {
            java.time.LocalDateTime ceremony = java.time.LocalDateTime.ofInstant(clock.instant().minusSeconds(1800),
                    java.time.ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
            assertThat(send(server, "POST", "/api/v1/weddings", "{\"id\": \"wedding-0612-hartley\", \"timeZone\":"
                    + " \"UTC\", \"ceremonyStart\": \"" + ceremony + "\", \"receptionEnd\": \""
                    + ceremony.plusHours(8) + "\", \"guestCount\": 140}").statusCode()).isEqualTo(201);
            long t = clock.millis();
            StringBuilder slow = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                slow.append(i == 0 ? "" : ",").append(12 + i % 3);
            }
            HttpResponse<String> ingest = send(server, "POST", "/api/v1/metrics", "{\"metrics\": ["
                    + planted("wedding_photo_upload_seconds", "latency", "\"observations\": [" + slow + "]", t) + ","
                    + planted("http_server_requests", "increment", "\"value\": 42", t) + ","
                    + planted("guests_seated", "gauge", "\"value\": 118", t) + "]}");
            assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(200);

            // Slow uploads during the wedding page as P0 (an incident event); 40 s later the bucket has settled.
            await("the P0 fires", () -> server.state().pending(100).stream()
                    .anyMatch(i -> i.json().contains("\"priority\":\"P0\"")));
            clock.advance(Duration.ofSeconds(40));
            server.exports().service().tick();

            await("Datadog series", () -> !at("/dd/api/v2/series").isEmpty());
            await("Datadog distribution points", () -> !at("/dd/api/v1/distribution_points").isEmpty());
            await("Datadog events: the wedding day and the incident", () -> at("/dd/api/v1/events").size() >= 2);
            await("New Relic", () -> !at("/nr/metric/v1").isEmpty());
            await("OTLP", () -> !at("/otlp/v1/metrics").isEmpty());
            await("Grafana annotations", () -> at("/grafana/api/annotations").size() >= 2);
            HttpResponse<String> scrape = send(server, "GET", "/metrics", null);
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
            assertThat(scrape.body()).contains("vigil_up 1", "http_server_requests_total",
                    "wedding_photo_upload_seconds{", "vigil_wedding_context{");

            List<Received> all = List.copyOf(received);
            for (Received r : all) {
                String text = r.text();
                for (String p : List.of("olivia.hartley", "7700 900123", "7700900123", "4eC39HqLyjWDarjtT1zdp7dc",
                        DD_KEY, NR_KEY, GRAFANA_TOKEN)) {
                    assertThat(text).as(r.path() + " body").doesNotContain(p);
                }
                if (!r.path().contains("/events") && !r.path().contains("/annotations")) {
                    assertThat(text).as(r.path() + ": no wedding id in metric payloads")
                            .doesNotContain("wedding-0612-hartley");
                    assertThat(text).as(r.path() + " carries the wedding context").contains("wedding_season",
                            "wedding_peak_time", "estimated_wedding_load");
                }
            }
            for (String p : List.of("olivia.hartley", "7700 900123", "4eC39HqLyjWDarjtT1zdp7dc",
                    "wedding-0612-hartley", DD_KEY, NR_KEY, GRAFANA_TOKEN)) {
                assertThat(scrape.body()).as("/metrics").doesNotContain(p);
            }
            // Event tags never name a wedding; their text may (the rating's explanation names affected weddings).
            for (Received r : all) {
                if (r.path().contains("/events") || r.path().contains("/annotations")) {
                    com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                            .readTree(r.body());
                    assertThat(json.path("tags").toString()).doesNotContain("wedding-0612-hartley")
                            .contains("wedding_season");
                }
            }
            assertThat(at("/dd/api/v2/series").get(0).headers().get("Dd-api-key")).containsExactly(DD_KEY);
            assertThat(at("/nr/metric/v1").get(0).headers().get("Api-key")).containsExactly(NR_KEY);

            HttpResponse<String> health = send(server, "GET", "/api/v1/exporters", null);
            assertThat(health.body()).contains("\"name\":\"datadog\"", "\"name\":\"newrelic\"",
                    "\"name\":\"otlp\"", "\"name\":\"grafana-annotations\"").doesNotContain(DD_KEY, NR_KEY);
            assertThat(health.body()).as("New Relic's request id of the accepted payload")
                    .contains("\"lastRequestId\":\"r-1\"").contains("\"rejectedByCollector\":0");
        }
    }
}
