package io.vigil.bench;

import com.sun.net.httpserver.HttpServer;
import io.vigil.notify.config.NotificationsConfig;
import io.vigil.notify.config.NotificationsConfig.ReceiverConfig;
import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Time from the acknowledgement of the sample that breaks a rule on a wedding-critical operation during an active
 * wedding to the notification's receipt by a local Slack stand-in (issue 7: p99 at most 2 s with healthy channels,
 * and under 30 s for the healthy ones while another is down). A server on the embedded store in this process with
 * two receivers of the P0 route: {@code wedding-emergency} (Slack) and {@code oncall-pagerduty}, which is healthy,
 * answers 503 ({@code down}) or answers after 30 s, past its 10 s timeout ({@code hanging}). Each round breaks photo
 * upload for a new wedding.
 *
 * <p>Usage: {@code NotificationLatency [rounds] [healthy|down|hanging]} (default 50 healthy).
 */
public final class NotificationLatency {
    private NotificationLatency() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        String mode = args.length > 1 ? args[1] : "healthy";
        Map<String, Long> slackReceived = new ConcurrentHashMap<>();
        Map<String, Long> pagerDutyReceived = new ConcurrentHashMap<>();
        HttpServer vendors = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        vendors.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        vendors.createContext("/", exchange -> {
            long at = System.nanoTime();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean slack = exchange.getRequestURI().getPath().startsWith("/slack");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("nl-\\d+").matcher(body);
            if (m.find()) {
                (slack ? slackReceived : pagerDutyReceived).putIfAbsent(m.group(), at);
            }
            int status = slack ? 200 : 202;
            if (!slack && mode.equals("down")) {
                status = 503;
            } else if (!slack && mode.equals("hanging")) {
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] answer = (slack ? "ok" : "{\"status\":\"success\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        vendors.start();
        String vendor = "http://127.0.0.1:" + vendors.getAddress().getPort();
        NotificationsConfig notifications = new NotificationsConfig(null, List.of(
                new ReceiverConfig("wedding-emergency", "slack", vendor + "/slack/emergency", null, null, null,
                        "#wedding-emergency", null, null, null, null, null, null),
                new ReceiverConfig("oncall-pagerduty", "pagerduty", vendor, null, "PD_KEY", null, null, null, null,
                        null, null, null, null)), null);
        Path dir = Files.createTempDirectory("vigil-notification-latency-");
        String key = "notification-latency-bench-key";
        HttpClient http = HttpClient.newHttpClient();
        try (VigilServer server = VigilServer.start(dir, new VigilConfig(null, null, null, null, null, notifications),
                "127.0.0.1", 0, Map.of("VIGIL_API_KEY", key, "PD_KEY", "R0123456789ABCDEF0123456789ABCDE"),
                Clock.systemUTC())) {
            URI base = URI.create("http://127.0.0.1:" + server.port());
            LocalDateTime ceremony = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).minusHours(1);
            for (int i = 0; i < rounds; i++) {
                BenchHttp.post(http, base, key, "/api/v1/weddings", ("{\"id\": \"nl-%d\", \"timeZone\": \"UTC\", \"ceremonyStart\":"
                        + " \"%s\", \"receptionEnd\": \"%s\", \"guestCount\": 100}").formatted(i, ceremony,
                        ceremony.plusHours(9)));
            }
            Thread.sleep(6_000); // the label policy sees the weddings
            java.util.SplittableRandom jitter = new java.util.SplittableRandom(42);
            List<Double> toSlack = new ArrayList<>();
            List<Double> toPagerDuty = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                String wedding = "nl-" + i;
                StringBuilder obs = new StringBuilder();
                for (int j = 0; j < 30; j++) {
                    obs.append(j == 0 ? "" : ",").append(11 + j % 4);
                }
                BenchHttp.post(http, base, key, "/api/v1/metrics", ("{\"metrics\": [{\"name\": \"wedding_photo_upload_seconds\","
                        + " \"type\": \"latency\", \"labels\": {\"wedding_id\": \"%s\", \"client\": \"mobile\","
                        + " \"status\": \"200\"}, \"t\": %d, \"observations\": [%s]}]}").formatted(wedding,
                        Instant.now().toEpochMilli(), obs));
                long acked = System.nanoTime();
                long deadline = acked + 60_000_000_000L;
                while (!slackReceived.containsKey(wedding) && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                if (!slackReceived.containsKey(wedding)) {
                    throw new IllegalStateException("no Slack message for " + wedding + " within 60 s");
                }
                toSlack.add((slackReceived.get(wedding) - acked) / 1e6);
                if (mode.equals("healthy")) {
                    while (!pagerDutyReceived.containsKey(wedding) && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                    toPagerDuty.add((pagerDutyReceived.get(wedding) - acked) / 1e6);
                }
                Thread.sleep(jitter.nextInt(1_000));
            }
            System.out.println("rounds: " + rounds + ", PagerDuty " + mode + ", default rules and routes, embedded store, "
                    + Runtime.getRuntime().availableProcessors() + " cores");
            System.out.println("ack of the breaking sample -> Slack received, ms: " + BenchHttp.percentiles(toSlack));
            if (!toPagerDuty.isEmpty()) {
                System.out.println("ack of the breaking sample -> PagerDuty received, ms: " + BenchHttp.percentiles(toPagerDuty));
            }
        } finally {
            vendors.stop(0);
        }
    }
}
