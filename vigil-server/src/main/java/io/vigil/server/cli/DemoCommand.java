package io.vigil.server.cli;

import io.vigil.server.VigilServer;
import io.vigil.server.auth.AdminKeyFile;
import io.vigil.server.config.VigilConfig;
import io.vigil.server.demo.DemoCalendar;
import io.vigil.server.demo.WeddingTraffic;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vigil demo}: a node on the embedded store fed with a simulated wedding Saturday through the real ingest API:
 * the last hour is backfilled at once, then live traffic follows every two seconds.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run Vigil with simulated wedding-platform traffic and print URLs to try.")
final class DemoCommand implements Runnable {
    @Option(names = "--data", description = "data directory (default: a new temporary directory)")
    Path data;

    @Option(names = "--backfill-minutes", defaultValue = "60", description = "minutes of history to generate first")
    int backfillMinutes;

    @Mixin
    ServerOptions options = new ServerOptions();

    @Override
    public void run() {
        try {
            Path dir = data != null ? data : Files.createTempDirectory("vigil-demo-");
            VigilConfig config = options.loadConfig();
            String key = AdminKeyFile.readOrCreate(dir.resolve("admin.key"));
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("VIGIL_API_KEY", key);
            VigilServer server = VigilServer.start(dir, config, options.bind(config), options.port(config), env,
                    Clock.systemUTC());
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "vigil-shutdown"));
            String base = "http://" + options.bind(config) + ":" + server.port();
            WeddingTraffic traffic = new WeddingTraffic(URI.create(base), key, 20260613L);
            long now = System.currentTimeMillis();
            DemoCalendar calendar = new DemoCalendar(URI.create(base), key, java.time.Instant.ofEpochMilli(now), 7L);
            int weddings = calendar.load();
            int events = calendar.sendEvents(java.time.Instant.ofEpochMilli(now));
            java.util.SplittableRandom random = new java.util.SplittableRandom(11L);
            for (long t = now - 15 * 60_000L; t < now; t += 10_000) {
                calendar.sendMetrics(java.time.Instant.ofEpochMilli(t), 10, random);
            }
            java.util.List<String> active = calendar.activeAt(java.time.Instant.ofEpochMilli(now));
            long sent = 0;
            for (long t = now - backfillMinutes * 60_000L; t < now; t += 10_000) {
                sent += traffic.send(t, 10);
            }
            String route = URLEncoder.encode("/api/weddings/{id}/photos", StandardCharsets.UTF_8);
            System.out.println();
            System.out.println("Vigil demo is running on " + base + " with data in " + dir);
            System.out.println("Backfilled " + sent + " samples of the last " + backfillMinutes
                    + " minutes; live traffic follows every 2 s. Ctrl-C stops it.");
            System.out.println("Calendar: " + weddings + " weddings loaded (" + active.size()
                    + " under way now in London, New York and Kolkata, 40 on the coming Saturday, a season ahead), "
                    + events + " critical-path events so far.");
            System.out.println("API key (admin): " + key);
            System.out.println("Dashboard: " + base + "/  (sign in with the key above; the Saturday runs live)");
            System.out.println("Try:");
            System.out.println("  curl -H 'Authorization: Bearer " + key + "' '" + base
                    + "/api/v1/query?metric=http_server_request_duration_seconds&stat=p95&by=route'");
            System.out.println("  curl -H 'Authorization: Bearer " + key + "' '" + base
                    + "/api/v1/query?metric=http_server_request_duration_seconds&stat=p99&route=" + route
                    + "&step=60s&from=" + (now / 1000 - 1800) + "'");
            System.out.println("  curl -H 'Authorization: Bearer " + key + "' '" + base
                    + "/api/v1/query?metric=http_server_requests&stat=error_rate&by=route'");
            System.out.println("  curl -H 'Authorization: Bearer " + key + "' '" + base
                    + "/api/v1/series?metric=http_server_requests'");
            System.out.println("  curl -H 'Authorization: Bearer " + key + "' '" + base + "/api/v1/context'");
            System.out.println("  curl -H 'Authorization: Bearer " + key + "' '" + base + "/api/v1/weddings'");
            System.out.println("  curl -H 'Authorization: Bearer " + key + "' '" + base
                    + "/api/v1/query?metric=wedding_photo_upload_seconds&stat=p95&by=wedding_id,client'");
            for (long tick = 1; !Thread.currentThread().isInterrupted(); tick++) {
                Thread.sleep(2_000);
                try {
                    long t = System.currentTimeMillis();
                    traffic.send(t, 2);
                    calendar.sendMetrics(java.time.Instant.ofEpochMilli(t), 2, random);
                    if (tick % 5 == 0) {
                        calendar.sendEvents(java.time.Instant.ofEpochMilli(t));
                    }
                } catch (java.io.IOException e) {
                    System.err.println("demo traffic: " + e.getMessage());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("demo failed: " + e.getMessage(), e);
        }
    }
}
