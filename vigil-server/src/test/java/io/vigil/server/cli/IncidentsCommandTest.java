package io.vigil.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.NotificationIntent.AlertSummary;
import io.vigil.alerting.NotificationIntent.Kind;
import io.vigil.alerting.Priority;
import io.vigil.alerting.Severity;
import io.vigil.alerting.lifecycle.LifecycleJson;
import io.vigil.notify.config.NotificationsConfig;
import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncidentsCommandTest {
    static final String KEY = "incidents-cli-key";
    static final String SECRET = "webhook-secret-of-at-least-32-bytes!";

    @TempDir
    Path dir;

    @Test
    void listAndShow_printTheIncidentAndItsTimeline_unknownIdSaysSo() throws Exception {
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        hook.start();
        NotificationsConfig notifications = new NotificationsConfig(null, List.of(new NotificationsConfig.ReceiverConfig(
                "wedding-emergency", "webhook", "http://127.0.0.1:" + hook.getAddress().getPort() + "/vigil", null,
                "HOOK_SECRET", null, null, null, null, null, null, null, null)), null);
        try (VigilServer server = VigilServer.start(dir.resolve("data"),
                new VigilConfig(null, null, null, null, null, notifications), "127.0.0.1", 0,
                Map.of("VIGIL_API_KEY", KEY, "HOOK_SECRET", SECRET), Clock.systemUTC())) {
            Instant now = Instant.now();
            NotificationIntent intent = new NotificationIntent("k-1", "g-1", Kind.FIRING, Priority.P0, Impact.CRITICAL,
                    List.of(new AlertSummary("fp", "guest-list.errors.critical", Map.of("wedding_id", "w-7"),
                            Severity.CRITICAL, "error rate 12 % > 10 %", "active wedding w-7 uses guest list", now)),
                    Map.of("activeWeddings", List.of(Map.of("id", "w-7"))), now);
            server.state().enqueue(intent.idempotencyKey(), LifecycleJson.write(intent));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

            String id = null;
            for (int i = 0; i < 200 && id == null; i++) {
                out.reset();
                IncidentsCommand.ListIncidents list = new IncidentsCommand.ListIncidents();
                target(list.target, server.port());
                list.out = o;
                list.err = e;
                assertThat(list.call()).isZero();
                String line = out.toString(StandardCharsets.UTF_8);
                if (line.startsWith("inc-") && line.contains("P0")) {
                    id = line.substring(0, line.indexOf(' '));
                } else {
                    Thread.sleep(50);
                }
            }
            assertThat(id).as("an incident listed").isNotNull();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("open", "P0 FIRING: guest-list.errors.critical");

            for (int i = 0; i < 200 && !out.toString(StandardCharsets.UTF_8).contains("sent"); i++) {
                out.reset();
                IncidentsCommand.Show show = new IncidentsCommand.Show();
                target(show.target, server.port());
                show.id = id;
                show.out = o;
                show.err = e;
                assertThat(show.call()).isZero();
                Thread.sleep(50);
            }
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("affected weddings: w-7", "opened",
                    "sent         wedding-emergency");

            IncidentsCommand.Show unknown = new IncidentsCommand.Show();
            target(unknown.target, server.port());
            unknown.id = "inc-nope";
            unknown.out = o;
            unknown.err = e;
            assertThat(unknown.call()).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("404", "no incident inc-nope");
        } finally {
            hook.stop(0);
        }
    }

    private <T extends ApiTarget> T target(T t, int port) throws Exception {
        t.url = URI.create("http://127.0.0.1:" + port);
        t.keyFile = dir.resolve("key");
        Files.writeString(t.keyFile, KEY);
        return t;
    }
}
