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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calendar API on a real server: weddings, imports, events, context, switches and who sees what. */
class CalendarApiTest {
    static final String ADMIN = "calendar-admin-key";
    static final String READ = "calendar-read-key";
    static final String INGEST = "calendar-ingest-key";
    /** Saturday 13 June 2026, 15:00 UTC. */
    static final Instant NOW = Instant.parse("2026-06-13T15:00:00Z");
    static final String COORDINATOR_EMAIL = "amelia.planner@example.org";

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;
    VigilServer server;
    String base;

    @BeforeEach
    void start() {
        VigilConfig config = new VigilConfig(null, null, new VigilConfig.Auth(List.of(
                new VigilConfig.ApiKeyConfig("ops", ADMIN, null, null, List.of("admin")),
                new VigilConfig.ApiKeyConfig("grafana", READ, null, null, List.of("read")),
                new VigilConfig.ApiKeyConfig("platform", INGEST, null, null, List.of("ingest")))), null);
        server = VigilServer.start(dir, config, "127.0.0.1", 0, Map.of(), Clock.fixed(NOW, ZoneOffset.UTC));
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<String> send(String method, String path, String key, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key);
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode ok(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return json.readTree(r.body());
    }

    static String wedding(String id, String zone, String ceremony, String reception, int guests) {
        return """
                {"id": "%s", "timeZone": "%s", "ceremonyStart": "%s", "receptionEnd": "%s", "guestCount": %d,
                 "venue": "Kew Gardens", "vendorIds": ["florist-17", "band-3"],
                 "coordinator": {"name": "Amelia Planner", "email": "%s", "phone": "+44 20 7946 0000"}}
                """.formatted(id, zone, ceremony, reception, guests, COORDINATOR_EMAIL);
    }

    @Test
    void createGetReplaceCancel_andOnlyAdminsSeeTheCoordinator() throws Exception {
        JsonNode created = ok(send("POST", "/api/v1/weddings", ADMIN, "application/json",
                wedding("london-1", "Europe/London", "2026-06-13T14:00", "2026-06-13T23:30", 120)), 201);
        assertThat(created.path("activeFrom").asText()).isEqualTo("2026-06-13T11:00:00Z");
        assertThat(created.path("proximityTier").asText()).isEqualTo("wedding_day");
        assertThat(created.path("checkIntervalSeconds").asLong()).isEqualTo(10);

        assertThat(send("POST", "/api/v1/weddings", ADMIN, "application/json",
                wedding("london-1", "Europe/London", "2026-06-13T14:00", "2026-06-13T23:30", 120)).statusCode())
                .isEqualTo(409);
        JsonNode asAdmin = ok(send("GET", "/api/v1/weddings/london-1", ADMIN, null, null), 200);
        JsonNode asReader = ok(send("GET", "/api/v1/weddings/london-1", READ, null, null), 200);
        assertThat(asAdmin.path("coordinator").path("email").asText()).isEqualTo(COORDINATOR_EMAIL);
        assertThat(asReader.has("coordinator")).isFalse();
        assertThat(asReader.toString()).doesNotContain(COORDINATOR_EMAIL).doesNotContain("Amelia");

        JsonNode moved = ok(send("PUT", "/api/v1/weddings/london-1", ADMIN, "application/json",
                wedding("london-1", "Europe/London", "2026-06-20T14:00", "2026-06-21T00:30", 130)), 200);
        assertThat(moved.path("date").asText()).isEqualTo("2026-06-20");
        assertThat(moved.path("proximityTier").asText()).isEqualTo("within_week");
        JsonNode cancelled = ok(send("POST", "/api/v1/weddings/london-1/cancel", ADMIN, null, null), 200);
        assertThat(cancelled.path("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.path("proximityTier").asText()).isEqualTo("past");
        JsonNode list = ok(send("GET", "/api/v1/weddings?from=2026-06-01&to=2026-06-30&status=cancelled", READ,
                null, null), 200);
        assertThat(list.path("weddings")).hasSize(1);
    }

    @Test
    void writes_needAdmin_events_needIngest_badBodies_say_whatToFix() throws Exception {
        String body = wedding("ny-1", "America/New_York", "2026-06-13T16:00", "2026-06-14T00:30", 200);
        assertThat(send("POST", "/api/v1/weddings", READ, "application/json", body).statusCode()).isEqualTo(403);
        assertThat(send("PUT", "/api/v1/settings", READ, "application/json", "{}").statusCode()).isEqualTo(403);
        assertThat(ok(send("POST", "/api/v1/weddings", ADMIN, "application/json",
                "{\"id\": \"x-1\", \"timeZone\": \"Europe/Londn\", \"ceremonyStart\": \"2026-06-13T14:00\","
                        + " \"receptionEnd\": \"2026-06-13T20:00\"}"), 400).path("error").asText())
                .contains("timeZone 'Europe/Londn' is not an IANA time zone id");
        assertThat(ok(send("POST", "/api/v1/weddings", ADMIN, "application/json",
                "{\"id\": \"x-2\", \"coupleNames\": \"Ann & Bob\", \"timeZone\": \"Europe/London\"}"), 400)
                .path("error").asText()).contains("unknown field 'coupleNames'").doesNotContain("Ann & Bob");
        assertThat(ok(send("POST", "/api/v1/weddings", ADMIN, "application/json",
                "{\"id\": \"x-3\", \"timeZone\": \"Europe/London\", \"ceremonyStart\": \"2026-06-13T14:00\","
                        + " \"receptionEnd\": \"2026-06-13T13:00\"}"), 400).path("error").asText())
                .contains("receptionEnd 2026-06-13T13:00 must be after ceremonyStart");
        assertThat(send("POST", "/api/v1/weddings", ADMIN, "application/json", "{not json").statusCode())
                .isEqualTo(400);

        ok(send("POST", "/api/v1/weddings", ADMIN, "application/json", body), 201);
        String events = """
                {"events": [
                  {"id": "e1", "type": "guest_checkin", "at": "2026-06-13T19:40:00Z", "count": 4},
                  {"id": "e2", "type": "milestone_planned", "name": "ceremony", "at": "2026-06-13T20:00:00Z"}]}
                """;
        assertThat(send("POST", "/api/v1/weddings/ny-1/events", READ, "application/json", events).statusCode())
                .isEqualTo(403);
        JsonNode first = ok(send("POST", "/api/v1/weddings/ny-1/events", INGEST, "application/json", events), 200);
        JsonNode again = ok(send("POST", "/api/v1/weddings/ny-1/events", INGEST, "application/json", events), 200);
        assertThat(first.path("accepted").asInt()).isEqualTo(2);
        assertThat(again.path("accepted").asInt()).isZero();
        assertThat(again.path("duplicates").asInt()).isEqualTo(2);
        assertThat(ok(send("POST", "/api/v1/weddings/ny-1/events", INGEST, "application/json",
                "{\"events\": [{\"id\": \"e3\", \"type\": \"vendor_ack\", \"at\": \"2026-06-13T19:00:00Z\"}]}"), 400)
                .path("error").asText()).contains("events[0]").contains("needs a ref");
        assertThat(send("POST", "/api/v1/weddings/nope/events", INGEST, "application/json", events).statusCode())
                .isEqualTo(404);
    }

    @Test
    void context_atFixedInstants_andInEveryQueryAnswer() throws Exception {
        ok(send("POST", "/api/v1/weddings", ADMIN, "application/json",
                wedding("london-1", "Europe/London", "2026-06-13T14:00", "2026-06-13T23:30", 120)), 201);
        ok(send("POST", "/api/v1/weddings", ADMIN, "application/json",
                wedding("ny-1", "America/New_York", "2026-06-13T16:00", "2026-06-14T00:30", 200)), 201);
        ok(send("POST", "/api/v1/weddings", ADMIN, "application/json",
                wedding("kolkata-1", "Asia/Kolkata", "2026-06-14T10:00", "2026-06-14T22:00", 400)), 201);

        JsonNode saturday = ok(send("GET", "/api/v1/context?at=2026-06-13T15:00:00Z", READ, null, null), 200);
        assertThat(saturday.path("weddingSeason").asBoolean()).isTrue();
        assertThat(saturday.path("peakTime").asBoolean()).isTrue();
        assertThat(saturday.path("activeWeddings").findValuesAsText("id")).containsExactly("london-1");
        assertThat(saturday.path("upcomingWeddings").findValuesAsText("id")).containsExactly("ny-1", "kolkata-1");
        assertThat(saturday.path("estimatedWeddingLoad").asDouble()).isEqualTo(630.0);
        assertThat(saturday.toString()).doesNotContain(COORDINATOR_EMAIL).doesNotContain("Kew");

        JsonNode tuesday = ok(send("GET", "/api/v1/context?at=2027-01-12T12:00:00Z", READ, null, null), 200);
        assertThat(tuesday.path("weddingSeason").asBoolean()).isFalse();
        assertThat(tuesday.path("peakTime").asBoolean()).isFalse();
        assertThat(tuesday.path("activeWeddings")).isEmpty();
        assertThat(tuesday.path("estimatedWeddingLoad").asDouble()).isZero();
        assertThat(send("GET", "/api/v1/context?at=yesterday", READ, null, null).statusCode()).isEqualTo(400);

        JsonNode query = ok(send("GET", "/api/v1/query?metric=nothing_here&stat=count", READ, null, null), 200);
        assertThat(query.path("context").path("activeWeddings").findValuesAsText("id")).containsExactly("london-1");
        assertThat(query.path("context").path("peakTime").asBoolean()).isTrue();
    }

    @Test
    void switches_changeTheWeddingDayInterval() throws Exception {
        ok(send("POST", "/api/v1/weddings", ADMIN, "application/json",
                wedding("london-1", "Europe/London", "2026-06-13T14:00", "2026-06-13T23:30", 120)), 201);
        JsonNode after = ok(send("PUT", "/api/v1/settings", ADMIN, "application/json",
                "{\"wedding_day_enhanced_monitoring\": false}"), 200);
        assertThat(after.path("wedding_day_enhanced_monitoring").asBoolean()).isFalse();
        assertThat(after.path("monitoring_enabled").asBoolean()).isTrue();
        assertThat(ok(send("GET", "/api/v1/weddings/london-1", READ, null, null), 200)
                .path("checkIntervalSeconds").asLong()).isEqualTo(60);
        assertThat(ok(send("PUT", "/api/v1/settings", ADMIN, "application/json", "{\"turbo\": true}"), 400)
                .path("error").asText()).contains("unknown switch 'turbo'");
    }

    @Test
    void csvImport_appliesGoodRows_reportsBadOnesByLine_strictAppliesNothing() throws Exception {
        String csv = """
                id,time_zone,ceremony_start,reception_end,guest_count,couple_name,coordinator_email
                w-1,Europe/London,2026-06-20T14:00,2026-06-20T23:00,120,Ann Smith & Bob Jones,%s
                w-2,Europe/Londn,2026-06-20T14:00,2026-06-20T23:00,80,Cat & Dan,
                w-3,America/New_York,2026-06-20 16:00,2026-06-21 00:30,200,Eve & Fay,
                w-3,America/New_York,2026-06-27T16:00,2026-06-28T00:30,200,Eve & Fay,
                """.formatted(COORDINATOR_EMAIL);
        JsonNode strict = ok(send("POST", "/api/v1/weddings/import?strict=true", ADMIN, "text/csv", csv), 422);
        assertThat(strict.path("applied").asInt()).isZero();
        assertThat(ok(send("GET", "/api/v1/weddings?from=2026-06-01&to=2026-06-30", READ, null, null), 200)
                .path("weddings")).isEmpty();

        JsonNode loose = ok(send("POST", "/api/v1/weddings/import", ADMIN, "text/csv", csv), 200);
        assertThat(loose.path("applied").asInt()).isEqualTo(2);
        assertThat(loose.path("created").asInt()).isEqualTo(2);
        assertThat(loose.path("problems").findValuesAsText("line")).containsExactly("3", "5");
        assertThat(loose.path("problems").get(0).path("message").asText()).contains("Europe/Londn");
        assertThat(loose.path("notices").toString()).contains("couple_name");
        assertThat(loose.toString()).doesNotContain("Ann Smith").doesNotContain("Cat & Dan");
        JsonNode listed = ok(send("GET", "/api/v1/weddings?from=2026-06-01&to=2026-06-30", READ, null, null), 200);
        assertThat(listed.path("weddings").findValuesAsText("id")).containsExactly("w-1", "w-3");
        assertThat(listed.toString()).doesNotContain(COORDINATOR_EMAIL).doesNotContain("Ann Smith");

        assertThat(ok(send("POST", "/api/v1/weddings/import", ADMIN, "text/csv", "id,venue\n"), 400)
                .path("error").asText()).contains("nothing was imported");
        assertThat(send("POST", "/api/v1/weddings/import", ADMIN, "application/pdf", "%PDF").statusCode())
                .isEqualTo(415);
        assertThat(send("POST", "/api/v1/weddings/import", READ, "text/csv", csv).statusCode()).isEqualTo(403);
    }

    @Test
    void report_isBuiltFromIngestedEvents_asJsonAndPrintableHtml() throws Exception {
        ok(send("POST", "/api/v1/weddings", ADMIN, "application/json",
                wedding("london-1", "Europe/London", "2026-06-13T14:00", "2026-06-13T23:30", 10)), 201);
        String events = """
                {"events": [
                  {"id": "p1", "type": "milestone_planned", "name": "ceremony", "at": "2026-06-13T13:00:00Z"},
                  {"id": "r1", "type": "milestone_reached", "name": "ceremony", "at": "2026-06-13T13:25:00Z"},
                  {"id": "c1", "type": "guest_checkin", "at": "2026-06-13T12:40:00Z", "count": 6},
                  {"id": "c2", "type": "guest_checkin", "at": "2026-06-13T12:55:00Z", "count": 3},
                  {"id": "v1", "type": "vendor_request", "name": "florist-17", "ref": "q1", "at": "2026-06-13T13:30:00Z"},
                  {"id": "v2", "type": "vendor_ack", "ref": "q1", "at": "2026-06-13T13:34:00Z"},
                  {"id": "x1", "type": "emergency_raised", "name": "power", "ref": "power-1", "at": "2026-06-13T14:00:00Z"},
                  {"id": "x2", "type": "emergency_response", "ref": "power-1", "at": "2026-06-13T14:06:00Z"}]}
                """;
        ok(send("POST", "/api/v1/weddings/london-1/events", INGEST, "application/json", events), 200);

        JsonNode report = ok(send("GET", "/api/v1/weddings/london-1/report", READ, null, null), 200);
        assertThat(report.path("hasData").asBoolean()).isTrue();
        assertThat(report.path("guestArrivals").path("arrived").asInt()).isEqualTo(9);
        assertThat(report.path("milestones").path("items").get(0).path("delaySeconds").asLong()).isEqualTo(1500);
        assertThat(report.path("bottlenecks").toString())
                .contains("Emergency power-1 (power) waited 6 min for a first response")
                .contains("Milestone ceremony reached 25 min late (planned 14:00, actual 14:25)")
                .as("90 % of the guests were in at the ceremony: above the 80 % bar").doesNotContain("guests");
        assertThat(report.toString()).doesNotContain(COORDINATOR_EMAIL).doesNotContain("Amelia");

        HttpResponse<String> html = send("GET", "/api/v1/weddings/london-1/report?format=html", READ, null, null);
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(html.body()).startsWith("<!DOCTYPE html>").contains("london-1").contains("Kew Gardens")
                .contains("reached 25 min late").doesNotContain(COORDINATOR_EMAIL);
        assertThat(send("GET", "/api/v1/weddings/london-1/report?format=pdf", READ, null, null).statusCode())
                .isEqualTo(400);
        assertThat(send("GET", "/api/v1/weddings/unknown/report", READ, null, null).statusCode()).isEqualTo(404);
    }
}
