package io.vigil.server.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
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
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An iCalendar feed served over real HTTP, polled by a real server: changes apply, failures show as health. */
class FeedPollingTest {
    static final String KEY = "feed-admin-key";
    static final Instant NOW = Instant.parse("2027-05-01T12:00:00Z");

    @TempDir
    Path dir;
    HttpServer feedServer;
    volatile String feed;
    volatile int status = 200;
    VigilServer server;
    final HttpClient http = HttpClient.newHttpClient();

    static String event(String uid, String start, String end, String extra) {
        return "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20270101T000000Z\r\nDTSTART;TZID=Europe/London:" + start
                + "\r\nDTEND;TZID=Europe/London:" + end + "\r\nSUMMARY:Wedding of Olivia Hartley & Noah Brennan\r\n"
                + "LOCATION:Kew Gardens\r\nX-VIGIL-GUEST-COUNT:120\r\n" + extra + "END:VEVENT\r\n";
    }

    static String calendar(String... events) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//venue//feed//EN\r\n" + String.join("", events)
                + "END:VCALENDAR\r\n";
    }

    @BeforeEach
    void start() throws Exception {
        feedServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        feedServer.createContext("/weddings.ics", ex -> {
            byte[] body = feed.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/calendar");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        feedServer.start();
        feed = calendar(event("w1@venue", "20270612T140000", "20270612T230000", ""),
                event("w2@venue", "20270619T150000", "20270620T003000", ""));
        Path config = dir.resolve("vigil.yaml");
        Files.writeString(config, """
                calendar:
                  feeds:
                    - {name: venues, url: "http://127.0.0.1:%d/weddings.ics?token=s3cret-feed-token", interval: 1m}
                """.formatted(feedServer.getAddress().getPort()));
        server = VigilServer.start(dir.resolve("data"), VigilConfig.load(config), "127.0.0.1", 0,
                Map.of("VIGIL_API_KEY", KEY), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        server.close();
        feedServer.stop(0);
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }

    @Test
    void feedChanges_apply_andFailuresAreReportedAsIntegrationHealth() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (get("/api/v1/weddings?from=2027-06-01&to=2027-06-30").path("weddings").size() < 2) {
            assertThat(System.nanoTime()).as("the first poll happens at start").isLessThan(deadline);
            Thread.sleep(100);
        }
        JsonNode w1 = get("/api/v1/weddings/w1@venue");
        assertThat(w1.path("source").asText()).isEqualTo("ics:venues");
        assertThat(w1.path("guestCount").asInt()).isEqualTo(120);
        assertThat(w1.toString()).doesNotContain("Olivia");

        // w1 moves a week, w2 leaves the feed, w3 arrives cancelled.
        feed = calendar(event("w1@venue", "20270626T140000", "20270626T230000", ""),
                event("w3@venue", "20270703T140000", "20270703T220000", "STATUS:CANCELLED\r\n"));
        server.feedPoller().pollAll();
        assertThat(get("/api/v1/weddings/w1@venue").path("date").asText()).isEqualTo("2027-06-26");
        assertThat(get("/api/v1/weddings/w2@venue").path("status").asText()).isEqualTo("cancelled");
        assertThat(get("/api/v1/weddings/w3@venue").path("status").asText()).isEqualTo("cancelled");
        JsonNode healthy = get("/api/v1/integrations").path("integrations").get(0);
        assertThat(healthy.path("healthy").asBoolean()).isTrue();
        assertThat(healthy.path("weddings").asInt()).isEqualTo(2);
        assertThat(healthy.path("lastChange").asText()).contains("1 updated, 1 cancelled");

        status = 500;
        server.feedPoller().pollAll();
        JsonNode failing = get("/api/v1/integrations").path("integrations").get(0);
        assertThat(failing.path("healthy").asBoolean()).isFalse();
        assertThat(failing.path("lastError").asText()).contains("500");
        assertThat(failing.toString()).doesNotContain("s3cret-feed-token");
        assertThat(get("/api/v1/weddings/w1@venue").path("status").asText()).as("a failing feed changes nothing")
                .isEqualTo("scheduled");

        status = 200;
        feed = "this is not iCalendar";
        server.feedPoller().pollAll();
        JsonNode garbage = get("/api/v1/integrations").path("integrations").get(0);
        assertThat(garbage.path("healthy").asBoolean()).isFalse();
        assertThat(garbage.path("lastError").asText()).isNotBlank();
        assertThat(get("/api/v1/weddings/w1@venue").path("status").asText()).isEqualTo("scheduled");
    }

    @Test
    void icsFileUpload_appliesEvents_andRejectsFloatingTimes() throws Exception {
        String upload = calendar(event("u1@file", "20270612T140000", "20270612T230000", ""),
                "BEGIN:VEVENT\r\nUID:u2@file\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:20270612T140000\r\n"
                        + "DTEND:20270612T230000\r\nEND:VEVENT\r\n");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/v1/weddings/import")).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "text/calendar").POST(HttpRequest.BodyPublishers.ofString(upload)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = new ObjectMapper().readTree(r.body());
        assertThat(answer.path("applied").asInt()).isEqualTo(1);
        assertThat(answer.path("problems").toString()).contains("u2@file").containsIgnoringCase("floating");
        assertThat(answer.toString()).doesNotContain("Olivia");
        assertThat(get("/api/v1/weddings/u1@file").path("timeZone").asText()).isEqualTo("Europe/London");
    }

    @Test
    void aFeedThatSuddenlyEmpties_cancelsNothing_andSaysWhy() throws Exception {
        String[] events = new String[6];
        for (int i = 0; i < 6; i++) {
            events[i] = event("m" + i + "@venue", "2027061" + i + "T140000", "2027061" + i + "T230000", "");
        }
        feed = calendar(events);
        server.feedPoller().pollAll();
        assertThat(get("/api/v1/weddings?from=2027-06-10&to=2027-06-16&status=scheduled").path("weddings")).hasSize(6);

        feed = calendar();
        server.feedPoller().pollAll();

        assertThat(get("/api/v1/weddings?from=2027-06-10&to=2027-06-16&status=scheduled").path("weddings")).hasSize(6);
        JsonNode health = get("/api/v1/integrations").path("integrations").get(0);
        assertThat(health.path("healthy").asBoolean()).isFalse();
        assertThat(health.path("lastError").asText()).contains("would cancel 6 of its 6 upcoming weddings");
    }

    @Test
    void aFeedWeddingWithAnotherSourcesId_doesNotOverwriteIt() throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/v1/weddings")).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"id\": \"api-1\", \"timeZone\": \"UTC\", \"ceremonyStart\": \"2027-08-01T12:00\","
                                + " \"receptionEnd\": \"2027-08-01T20:00\", \"guestCount\": 42}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        feed = calendar(event("api-1", "20270612T140000", "20270612T230000", ""));
        server.feedPoller().pollAll();
        JsonNode w = get("/api/v1/weddings/api-1");
        assertThat(w.path("source").asText()).isEqualTo("api");
        assertThat(w.path("guestCount").asInt()).isEqualTo(42);
    }
}
