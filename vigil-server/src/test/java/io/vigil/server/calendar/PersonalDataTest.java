package io.vigil.server.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plants couple, guest and coordinator personal data in every way a calendar can bring it in, then scans the node's
 * log and every answer a non-admin key can get for it (Z2). Runs the node as its own process so that its whole log
 * is scanned.
 */
class PersonalDataTest {
    static final String ADMIN = "pii-admin-key";
    static final List<String> PLANTED = List.of("Olivia Hartley", "olivia.hartley@example.com", "+44 7700 900123",
            "Noah Brennan", "noah.b@example.net", "Grace Whitfield", "grace.planner@example.org", "+1 212 555 0187");

    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void personalData_neverReachesLogsOrNonAdminAnswers() throws Exception {
        Path config = dir.resolve("vigil.yaml");
        Files.writeString(config, """
                auth:
                  keys:
                    - {name: ops, key: %s, roles: [admin]}
                    - {name: grafana, key: pii-read-key, roles: [read]}
                    - {name: platform, key: pii-ingest-key, roles: [ingest]}
                """.formatted(ADMIN));
        io.vigil.server.VigilProcessAccess node = new io.vigil.server.VigilProcessAccess(ADMIN, dir.resolve("node.log"),
                "--data", dir.resolve("data").toString(), "--config", config.toString());
        try (AutoCloseable stop = node::close) {
            node.start();
            String base = node.base();
            LocalDateTime ceremony = LocalDateTime.now(ZoneOffset.UTC).minusHours(1).withNano(0);
            String csv = """
                    id,time_zone,ceremony_start,reception_end,guest_count,couple_name,guest_email,guest_phone,coordinator_name,coordinator_email,coordinator_phone
                    pii-1,UTC,%s,%s,120,Olivia Hartley & Noah Brennan,olivia.hartley@example.com,+44 7700 900123,Grace Whitfield,grace.planner@example.org,+1 212 555 0187
                    pii-2,Mars/Olympus,%s,%s,80,Olivia Hartley,noah.b@example.net,+44 7700 900123,Grace Whitfield,not-an-email,+1 212 555 0187
                    """.formatted(ceremony, ceremony.plusHours(8), ceremony, ceremony.plusHours(8));
            HttpResponse<String> imported = send(base, "POST", "/api/v1/weddings/import", ADMIN, "text/csv", csv);
            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
            send(base, "POST", "/api/v1/weddings", ADMIN, "application/json",
                    "{\"id\": \"pii-3\", \"coupleNames\": \"Olivia Hartley & Noah Brennan\"}");
            send(base, "POST", "/api/v1/weddings/pii-1/events", "pii-ingest-key", "application/json",
                    "{\"events\": [{\"id\": \"e1\", \"type\": \"guest_checkin\", \"at\": \"" + ceremony + "Z\","
                            + " \"guest\": \"Olivia Hartley\"}]}");
            send(base, "POST", "/api/v1/weddings/pii-1/events", "pii-ingest-key", "application/json",
                    "{\"events\": [{\"id\": \"e2\", \"type\": \"guest_checkin\", \"at\": \"" + ceremony + "Z\","
                            + " \"count\": 2}]}");

            List<String> answers = new ArrayList<>();
            answers.add(imported.body());
            for (String path : List.of("/api/v1/weddings", "/api/v1/weddings/pii-1", "/api/v1/context",
                    "/api/v1/weddings/pii-1/report", "/api/v1/weddings/pii-1/report?format=html",
                    "/api/v1/query?metric=anything&stat=count", "/api/v1/status", "/api/v1/settings")) {
                HttpResponse<String> r = send(base, "GET", path, "pii-read-key", null, null);
                assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
                answers.add(r.body());
            }
            HttpResponse<String> adminView = send(base, "GET", "/api/v1/weddings/pii-1", ADMIN, null, null);
            assertThat(adminView.body()).as("the coordinator is kept for the emergency chain, for admins")
                    .contains("grace.planner@example.org");
            node.close();
            String log = Files.readString(node.log());
            for (String pii : PLANTED) {
                assertThat(log).as("the node's log").doesNotContain(pii);
                for (String answer : answers) {
                    assertThat(answer).doesNotContain(pii);
                }
            }
        }
    }

    private HttpResponse<String> send(String base, String method, String path, String key, String type, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key);
        if (type != null) {
            b.header("Content-Type", type);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

}
