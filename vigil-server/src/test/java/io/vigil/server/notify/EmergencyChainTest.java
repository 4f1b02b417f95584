package io.vigil.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import io.vigil.notify.config.NotificationsConfig;
import io.vigil.notify.config.NotificationsConfig.ReceiverConfig;
import io.vigil.notify.config.NotificationsConfig.Smtp;
import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emergency chain end to end (A3, A5, Z2): a real server with every channel configured against local receivers
 * (Slack, PagerDuty and Twilio stand-ins over HTTP, a real SMTP server), the demo's calendar, and photo uploads
 * breaking down for the demo wedding under way in London; personal data and secrets are planted everywhere upstream (metric labels, the coordinator's record,
 * the API key, the channels' credentials) and every message received is scanned for them.
 */
class EmergencyChainTest {
    static final String KEY = "emergency-chain-admin-key-0123456789";
    static final String PD_KEY = "R0123456789ABCDEF0123456789ABCDE";
    static final String TWILIO_SID = "AC0123456789abcdef0123456789abcdef";
    static final String TWILIO_TOKEN = "twilio-secret-token-5e1d9a0c3b7f";
    static final String GUEST_EMAIL = "guest.jane.doe@example.org";
    static final String COUPLE = "Jane & John Smith";
    /** The demo's first wedding, under way in London, and its fictional coordinator (DemoCalendar). */
    static final String WEDDING = "now-ldn";
    static final String COORDINATOR = "Demo Coordinator 1";
    static final String COORDINATOR_EMAIL = "coordinator1@example.com";
    static final String COORDINATOR_PHONE = "+447700900000";
    static final String ONCALL_PHONE = "+447700900111";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;

    HttpServer vendors;
    final List<String[]> received = new CopyOnWriteArrayList<>(); // path, body

    @BeforeEach
    void startVendors() throws IOException {
        vendors = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        vendors.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            received.add(new String[] {path, new String(body, StandardCharsets.UTF_8)});
            int status = path.startsWith("/slack") ? 200 : path.startsWith("/v2/enqueue") ? 202 : 201;
            byte[] answer = (status == 200 ? "ok" : "{\"status\":\"success\",\"sid\":\"SM1\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        vendors.start();
    }

    @AfterEach
    void stopVendors() {
        vendors.stop(0);
    }

    String vendor(String path) {
        return "http://127.0.0.1:" + vendors.getAddress().getPort() + path;
    }

    VigilConfig config() {
        Smtp smtp = new Smtp("127.0.0.1", SMTP.getSmtp().getPort(), "none", null);
        List<ReceiverConfig> receivers = List.of(
                new ReceiverConfig("wedding-emergency", "slack", vendor("/slack/emergency"), null, null, null,
                        "#wedding-emergency", null, null, null, null, null, "5s"),
                new ReceiverConfig("oncall-pagerduty", "pagerduty", vendor(""), null, "VIGIL_PD_KEY", null, null, null,
                        null, null, null, null, "5s"),
                new ReceiverConfig("oncall-sms", "sms", vendor(""), null, "VIGIL_TWILIO_TOKEN", null, null, TWILIO_SID,
                        "+15005550006", List.of(ONCALL_PHONE), null, null, "5s"),
                new ReceiverConfig("oncall-call", "voice", vendor(""), null, "VIGIL_TWILIO_TOKEN", null, null,
                        TWILIO_SID, "+15005550006", List.of(ONCALL_PHONE), null, null, "5s"),
                new ReceiverConfig("coordinators-sms", "sms", vendor(""), null, "VIGIL_TWILIO_TOKEN", null, null,
                        TWILIO_SID, "+15005550006", null, true, null, "5s"),
                new ReceiverConfig("team-leads", "email", null, null, null, null, null, null, "vigil@vigil.example",
                        List.of("leads@vigil.example"), null, smtp, "5s"),
                new ReceiverConfig("coordinators-email", "email", null, null, null, null, null, null,
                        "vigil@vigil.example", null, true, smtp, "5s"));
        return new VigilConfig(null, null, null, null, null,
                new NotificationsConfig("https://vigil.example", receivers, null));
    }

    HttpResponse<String> send(VigilServer server, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    List<String[]> at(String path) {
        return received.stream().filter(r -> r[0].equals(path)).toList();
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void photoUploadBreakdownDuringAWedding_reachesEveryLinkOfTheChain_withAnIncident_andNoPersonalData()
            throws Exception {
        Map<String, String> env = Map.of("VIGIL_API_KEY", KEY, "VIGIL_PD_KEY", PD_KEY, "VIGIL_TWILIO_TOKEN",
                TWILIO_TOKEN);
        ObjectMapper json = new ObjectMapper();
        try (VigilServer server = VigilServer.start(dir, config(), "127.0.0.1", 0, env, Clock.systemUTC())) {
            // The demo's calendar, loaded through the CSV import as `vigil demo` does.
            int loaded = new io.vigil.server.demo.DemoCalendar(URI.create("http://127.0.0.1:" + server.port()), KEY,
                    java.time.Instant.now(), 11).load();
            assertThat(loaded).isGreaterThan(40);
            Thread.sleep(6_000); // the label policy sees the new wedding within 5 s
            StringBuilder slow = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                slow.append(i == 0 ? "" : ",").append(11 + i % 4);
            }
            HttpResponse<String> metrics = send(server, "POST", "/api/v1/metrics", ("{\"metrics\": [{\"name\":"
                    + " \"wedding_photo_upload_seconds\", \"type\": \"latency\", \"labels\": {\"wedding_id\":"
                    + " \"" + WEDDING + "\", \"client\": \"mobile\", \"status\": \"200\", \"guest_email\": \"%s\","
                    + " \"couple\": \"%s\"}, \"t\": %d, \"observations\": [%s]}]}")
                    .formatted(GUEST_EMAIL, COUPLE, System.currentTimeMillis(), slow));
            assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);

            await("every link of the chain", () -> !at("/slack/emergency").isEmpty() && !at("/v2/enqueue").isEmpty()
                    && at("/2010-04-01/Accounts/" + TWILIO_SID + "/Messages.json").size() >= 2
                    && !at("/2010-04-01/Accounts/" + TWILIO_SID + "/Calls.json").isEmpty()
                    && SMTP.getReceivedMessages().length >= 2);

            List<String> smsTo = at("/2010-04-01/Accounts/" + TWILIO_SID + "/Messages.json").stream()
                    .map(r -> form(r[1]).get("To")).toList();
            assertThat(smsTo).contains(ONCALL_PHONE, COORDINATOR_PHONE);
            assertThat(form(at("/2010-04-01/Accounts/" + TWILIO_SID + "/Calls.json").getFirst()[1]).get("To"))
                    .isEqualTo(ONCALL_PHONE);
            List<String> mailTo = new ArrayList<>();
            List<String> mailBodies = new ArrayList<>();
            for (MimeMessage m : SMTP.getReceivedMessages()) {
                mailTo.add(String.join(",", java.util.Arrays.stream(m.getAllRecipients() == null
                        ? new jakarta.mail.Address[0] : m.getAllRecipients()).map(Object::toString).toList()));
                mailBodies.add(m.getSubject() + "\n" + GreenMailUtil.getBody(m));
            }
            assertThat(SMTP.findReceivedMessages(u -> u.getEmail().equals(COORDINATOR_EMAIL), m -> true)).hasSize(1);
            assertThat(SMTP.findReceivedMessages(u -> u.getEmail().equals("leads@vigil.example"), m -> true))
                    .hasSize(1);
            JsonNode slack = json.readTree(at("/slack/emergency").getFirst()[1]);
            assertThat(slack.path("text").asText()).contains("P0");
            assertThat(slack.toString()).contains(WEDDING, "https://vigil.example/api/v1/ack?token=");

            // Personal data and secrets: in no message body, subject or payload (only in the envelope: To).
            List<String> bodies = new ArrayList<>(mailBodies);
            for (String[] r : received) {
                Map<String, String> f = r[0].startsWith("/2010-04-01") ? form(r[1]) : Map.of();
                bodies.add(r[0].startsWith("/2010-04-01") ? f.getOrDefault("Body", "") + f.getOrDefault("Twiml", "")
                        : r[1].replace(PD_KEY, "(the routing key is PagerDuty's envelope)"));
            }
            assertThat(bodies).hasSizeGreaterThanOrEqualTo(7).allSatisfy(b -> assertThat(b).doesNotContain(
                    GUEST_EMAIL, "Jane", "Smith", COORDINATOR, "Planner", COORDINATOR_EMAIL, COORDINATOR_PHONE,
                    "7700 900222", ONCALL_PHONE, KEY, PD_KEY, TWILIO_TOKEN, "guest_email", "couple"));

            // The incident: opened, with a timeline of what was sent to whom.
            await("the incident's timeline", () -> {
                try {
                    JsonNode list = json.readTree(send(server, "GET", "/api/v1/incidents", null).body());
                    if (list.path("incidents").size() != 1) {
                        return false;
                    }
                    String id = list.path("incidents").path(0).path("id").asText();
                    JsonNode inc = json.readTree(send(server, "GET", "/api/v1/incidents/" + id, null).body());
                    return inc.path("timeline").findValuesAsText("event").stream().filter("sent"::equals).count() == 7;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            JsonNode incidents = json.readTree(send(server, "GET", "/api/v1/incidents", null).body());
            JsonNode incident = incidents.path("incidents").path(0);
            assertThat(incident.path("state").asText()).isEqualTo("open");
            assertThat(incident.path("priority").asText()).isEqualTo("P0");
            assertThat(incident.path("affectedWeddings").toString()).contains(WEDDING);
            JsonNode detail = json.readTree(send(server, "GET", "/api/v1/incidents/" + incident.path("id").asText(),
                    null).body());
            assertThat(detail.path("timeline").findValuesAsText("receiver")).contains("wedding-emergency",
                    "oncall-pagerduty", "oncall-sms", "oncall-call", "team-leads", "coordinators-sms",
                    "coordinators-email");
            assertThat(detail.toString()).doesNotContain(COORDINATOR_EMAIL, COORDINATOR_PHONE, COORDINATOR);

            JsonNode status = json.readTree(send(server, "GET", "/api/v1/notifications", null).body());
            assertThat(status.path("receivers").findValuesAsText("name")).hasSize(7);
            assertThat(status.path("deadLetters")).isEmpty();
            assertThat(status.toString()).doesNotContain(PD_KEY, TWILIO_TOKEN, ONCALL_PHONE);
        }
    }
}
