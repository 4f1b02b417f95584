package io.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Time from the acknowledgement of the sample that breaks a rule on a wedding-critical operation, during an active
 * wedding, to its notification intent being durable in the outbox, with the default rules (issue 6, target p99
 * under 1 s). A server on the embedded store in this process; each round breaks photo upload for a new wedding (a
 * new alert group), so every round produces one FIRING intent.
 *
 * <p>Usage: {@code AlertLatency [rounds]} (default 50).
 */
public final class AlertLatency {
    private AlertLatency() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Path dir = Files.createTempDirectory("vigil-alert-latency-");
        String key = "alert-latency-bench-key";
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newHttpClient();
        try (VigilServer server = VigilServer.start(dir, VigilConfig.DEFAULTS, "127.0.0.1", 0,
                Map.of("VIGIL_API_KEY", key), Clock.systemUTC())) {
            URI base = URI.create("http://127.0.0.1:" + server.port());
            LocalDateTime ceremony = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).minusHours(1);
            for (int i = 0; i < rounds; i++) {
                BenchHttp.post(http, base, key, "/api/v1/weddings", ("{\"id\": \"lat-%d\", \"timeZone\": \"UTC\", \"ceremonyStart\":"
                        + " \"%s\", \"receptionEnd\": \"%s\", \"guestCount\": 100}").formatted(i, ceremony,
                        ceremony.plusHours(9)));
            }
            java.util.SplittableRandom jitter = new java.util.SplittableRandom(42);
            List<Double> fromAck = new ArrayList<>();
            List<Double> fromSend = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                String wedding = "lat-" + i;
                StringBuilder obs = new StringBuilder();
                for (int j = 0; j < 30; j++) {
                    obs.append(j == 0 ? "" : ",").append(11 + j % 4);
                }
                String batch = ("{\"metrics\": [{\"name\": \"wedding_photo_upload_seconds\", \"type\": \"latency\","
                        + " \"labels\": {\"wedding_id\": \"%s\", \"client\": \"mobile\", \"status\": \"200\"},"
                        + " \"t\": %d, \"observations\": [%s]}]}").formatted(wedding, Instant.now().toEpochMilli(), obs);
                long sent = System.nanoTime();
                BenchHttp.post(http, base, key, "/api/v1/metrics", batch);
                long acked = System.nanoTime();
                long durable = waitForIntent(server, json, wedding);
                fromAck.add((durable - acked) / 1e6);
                fromSend.add((durable - sent) / 1e6);
                Thread.sleep(jitter.nextInt(1_000)); // rounds fall at random points of the evaluation cycle
            }
            System.out.println("rounds: " + rounds + ", default rules, embedded store, " + Runtime.getRuntime()
                    .availableProcessors() + " cores");
            System.out.println("ack of the breaking sample -> intent durable, ms: " + BenchHttp.percentiles(fromAck));
            System.out.println("send of the breaking sample -> intent durable, ms: " + BenchHttp.percentiles(fromSend));
        }
    }

    private static long waitForIntent(VigilServer server, ObjectMapper json, String wedding) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (var item : server.state().pending(10_000)) {
                JsonNode intent = json.readTree(item.json());
                if (intent.path("kind").asText().equals("FIRING")) {
                    for (JsonNode alert : intent.path("alerts")) {
                        if (wedding.equals(alert.path("labels").path("wedding_id").asText())) {
                            return System.nanoTime();
                        }
                    }
                }
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("no intent for " + wedding + " within 30 s");
    }
}
