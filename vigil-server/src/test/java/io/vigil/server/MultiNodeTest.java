package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Vigil nodes as separate processes on one real PostgreSQL (the one {@code ./vigil test} starts, in a database
 * of their own): ingest through every node and the same totals read from every node; the maintenance lease moving
 * to another node within 15 s of a SIGKILL; alert evaluation moving to another node after a SIGKILL, its firing
 * alert restored and not notified twice, each notification delivered to the nodes' webhook under one delivery key; a PostgreSQL restart under load losing nothing acknowledged.
 */
class MultiNodeTest {
    static final String KEY = "multi-node-test-key";
    static final int SERIES_PER_REQUEST = 50;
    /** Each node flushes every second; another node sees the data after its own next flush (series refresh). */
    static final Duration CONVERGENCE = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    static String database;
    static final List<VigilProcess> nodes = new ArrayList<>();
    /** The webhook every node notifies (the P0 route's wedding-emergency receiver): delivery header and body. */
    static com.sun.net.httpserver.HttpServer hook;
    static final List<String[]> hookReceived = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        database = "vigil_nodes_" + System.nanoTime();
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
        hook = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", x -> {
            hookReceived.add(new String[] {x.getRequestHeaders().getFirst("X-Vigil-Delivery"),
                    new String(x.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)});
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        hook.start();
        Path config = dir.resolve("vigil.yaml");
        Files.writeString(config, """
                storage:
                  backend: postgres
                  flushInterval: 1s
                  postgres:
                    maxPoolSize: 4
                notifications:
                  receivers:
                    - name: wedding-emergency
                      type: webhook
                      url: http://127.0.0.1:%d/hook
                      secretEnv: VIGIL_HOOK_SECRET
                """.formatted(hook.getAddress().getPort()));
        Map<String, String> env = Map.of(
                "VIGIL_POSTGRES_URL", nodeUrl(),
                "VIGIL_POSTGRES_USER", env("VIGIL_TEST_PG_USER"),
                "VIGIL_HOOK_SECRET", "multi-node-hook-secret-of-32-bytes-or-more");
        for (String id : List.of("node-a", "node-b", "node-c")) {
            nodes.add(new VigilProcess(KEY, dir.resolve(id + ".log"), env, "--node-id", id,
                    "--data", dir.resolve(id).toString(), "--config", config.toString()).start());
        }
        for (VigilProcess n : nodes) {
            n.awaitReady(Duration.ofSeconds(90));
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (hook != null) {
            hook.stop(0);
        }
        for (VigilProcess n : nodes) {
            n.close();
        }
        Path kept = Path.of("target", "multi-node-logs");
        Files.createDirectories(kept);
        for (VigilProcess n : nodes) {
            Files.copy(n.log, kept.resolve(n.log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.readString(n.log)).as("the API key never reaches a log").doesNotContain(KEY);
        }
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            fail(name + " is not set: run ./vigil test, which starts PostgreSQL");
        }
        return v;
    }

    static Connection admin() throws SQLException {
        return DriverManager.getConnection(env("VIGIL_TEST_PG_URL"), env("VIGIL_TEST_PG_USER"), "");
    }

    /** Waits until every live node reports {@code expected} samples of the metric. */
    static void awaitTotalOnEveryNode(String metric, long expected) throws Exception {
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        List<Long> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            seen.clear();
            for (VigilProcess n : nodes) {
                seen.add(n.count(metric));
            }
            if (seen.stream().allMatch(v -> v == expected)) {
                return;
            }
            Thread.sleep(250);
        }
        fail("expected " + expected + " samples of " + metric + " on every node but they answered " + seen);
    }

    @Test
    void writesThroughEveryNode_everyNodeAnswersTheSameTotal() throws Exception {
        String metric = "rsvp_submissions_total";
        long acked = 0;
        for (int round = 0; round < 20; round++) {
            for (VigilProcess n : nodes) {
                // Every node writes the same 50 series, so their rollups meet in the same rows.
                byte[] body = RemoteWriteRequests.request(metric, 0, SERIES_PER_REQUEST,
                        System.currentTimeMillis(), round);
                assertThat(n.remoteWrite(body)).isEqualTo(204);
                acked += SERIES_PER_REQUEST;
            }
        }
        awaitTotalOnEveryNode(metric, acked);
        assertThat(nodes.get(1).get("/api/v1/series?metric=" + metric).toString()).contains("\"series\"");
    }

    @Test
    void calendarWrittenOnOneNode_isSeenByEveryNode() throws Exception {
        java.time.LocalDateTime ceremony = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusHours(1)
                .withNano(0);
        String body = ("{\"id\": \"shared-1\", \"timeZone\": \"UTC\", \"ceremonyStart\": \"%s\","
                + " \"receptionEnd\": \"%s\", \"guestCount\": 80}").formatted(ceremony, ceremony.plusHours(8));
        java.net.http.HttpResponse<String> created = VigilProcess.HTTP.send(java.net.http.HttpRequest.newBuilder(
                        nodes.get(0).uri("/api/v1/weddings")).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        for (VigilProcess n : nodes) {
            assertThat(n.get("/api/v1/weddings/shared-1").path("guestCount").asInt()).isEqualTo(80);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        VigilProcess last = nodes.get(2);
        while (!last.get("/api/v1/context").path("activeWeddings").findValuesAsText("id").contains("shared-1")) {
            assertThat(System.nanoTime()).as("node-c's context lists the wedding within its 5 s cache")
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    void sigkillOfTheLeaseHolder_anotherNodeTakesOverWithin15s_andItsWalIsReplayed() throws Exception {
        VigilProcess holder = awaitSingleLeaseHolder();
        String metric = "photo_uploads_total";
        long acked = 0;
        for (int i = 0; i < 10; i++) {
            assertThat(holder.remoteWrite(RemoteWriteRequests.request(metric, i * SERIES_PER_REQUEST,
                    SERIES_PER_REQUEST, System.currentTimeMillis(), i))).isEqualTo(204);
            acked += SERIES_PER_REQUEST;
        }
        holder.kill(); // right after the acknowledgements: some of them are only in its WAL
        long killedAt = System.nanoTime();

        VigilProcess successor = null;
        while (successor == null) {
            long waited = System.nanoTime() - killedAt;
            assertThat(Duration.ofNanos(waited)).as("time until another node holds the lease")
                    .isLessThanOrEqualTo(Duration.ofSeconds(15));
            for (VigilProcess n : nodes) {
                if (n != holder && n.get("/api/v1/status").path("leases").path("maintenance").asBoolean()) {
                    successor = n;
                }
            }
            Thread.sleep(100);
        }

        holder.start().awaitReady(Duration.ofSeconds(60));
        awaitTotalOnEveryNode(metric, acked);
        assertThat(Files.readString(holder.log)).contains("replayed");
        Thread.sleep(6_000); // more than one lease check: the restarted node must not take the lease back
        assertThat(holder.get("/api/v1/status").path("leases").path("maintenance").asBoolean()).isFalse();
        assertThat(successor.get("/api/v1/status").path("leases").path("maintenance").asBoolean()).isTrue();
    }

    private static VigilProcess awaitSingleLeaseHolder() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<VigilProcess> holders = new ArrayList<>();
            for (VigilProcess n : nodes) {
                if (n.get("/api/v1/status").path("leases").path("maintenance").asBoolean()) {
                    holders.add(n);
                }
            }
            assertThat(holders).as("nodes holding the maintenance lease at once").hasSizeLessThanOrEqualTo(1);
            if (holders.size() == 1) {
                return holders.get(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no node took the maintenance lease within 30 s");
    }

    @Test
    void sigkillOfTheAlertEvaluator_anotherNodeRestoresTheFiringAlert_withoutNotifyingItTwice() throws Exception {
        VigilProcess entry = nodes.get(0);
        LocalDateTime ceremony = LocalDateTime.now(ZoneOffset.UTC).minusHours(1).truncatedTo(ChronoUnit.MINUTES);
        String wedding = "failover-" + (System.nanoTime() % 1_000_000);
        HttpResponse<String> created = entry.post("/api/v1/weddings", ("{\"id\": \"%s\", \"timeZone\": \"UTC\","
                + " \"ceremonyStart\": \"%s\", \"receptionEnd\": \"%s\", \"guestCount\": 120}")
                .formatted(wedding, ceremony, ceremony.plusHours(8)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Thread.sleep(6_000); // the wedding label policy reads the calendar every 5 s
        StringBuilder slow = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            slow.append(i == 0 ? "" : ",").append(11 + i % 4);
        }
        HttpResponse<String> sent = entry.post("/api/v1/metrics", ("{\"metrics\": [{\"name\":"
                + " \"wedding_photo_upload_seconds\", \"type\": \"latency\", \"labels\": {\"wedding_id\": \"%s\","
                + " \"client\": \"mobile\", \"status\": \"200\"}, \"t\": %d, \"observations\": [%s]}]}")
                .formatted(wedding, System.currentTimeMillis(), slow));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);

        assertThat(awaitIntents(wedding, "FIRING", Duration.ofSeconds(30))).hasSize(1);
        VigilProcess evaluator = awaitAlertEvaluator(null, Duration.ofSeconds(15));
        JsonNode before = firingAlert(evaluator, wedding);
        Thread.sleep(2_000); // the metric data reach PostgreSQL (1 s flushes) before the node dies

        evaluator.kill();
        try {
            VigilProcess successor = awaitAlertEvaluator(evaluator, Duration.ofSeconds(30));
            Thread.sleep(5_000); // five more rounds on the successor, the rule breaching all along
            JsonNode after = firingAlert(successor, wedding);
            assertThat(after.path("fingerprint").asText()).isEqualTo(before.path("fingerprint").asText());
            assertThat(after.path("firingSince").asText()).as("restored, not fired anew")
                    .isEqualTo(before.path("firingSince").asText());
            assertThat(intents(wedding, "FIRING")).as("FIRING intents for the wedding's alert").hasSize(1);
            HttpResponse<String> ack = successor.post("/api/v1/alerts/" + after.path("fingerprint").asText() + "/ack",
                    "{\"comment\": \"taken over\"}");
            assertThat(ack.statusCode()).as(ack.body()).isEqualTo(202);
            assertThat(awaitIntents(wedding, "ACKNOWLEDGED", Duration.ofSeconds(10))).hasSize(1);
            // Three nodes route and dispatch; claims send each delivery once (a node dying mid-send may send it
            // again after its claim expires, under the same delivery key, which receivers de-duplicate on).
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (hookKeys(wedding, "ACKNOWLEDGED").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(hookKeys(wedding, "FIRING")).as("FIRING deliveries to the webhook").hasSize(1);
            assertThat(hookKeys(wedding, "ACKNOWLEDGED")).as("ACKNOWLEDGED deliveries").hasSize(1);
        } finally {
            evaluator.start().awaitReady(Duration.ofSeconds(90));
        }
    }

    /** The distinct delivery keys of the webhook messages of one kind about the wedding. */
    static java.util.Set<String> hookKeys(String wedding, String kind) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (String[] r : hookReceived) {
            if (r[1].contains("\"" + wedding + "\"") && r[1].contains("\"kind\":\"" + kind + "\"")) {
                keys.add(r[0]);
            }
        }
        return keys;
    }

    /** The node whose status says it evaluates alerts, other than {@code not}; fails after {@code timeout}. */
    static VigilProcess awaitAlertEvaluator(VigilProcess not, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (VigilProcess n : nodes) {
                if (n != not && n.alive() && n.get("/api/v1/status").path("leases").path("alerting").asBoolean()) {
                    return n;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no node evaluated alerts within " + timeout);
    }

    static JsonNode firingAlert(VigilProcess node, String wedding) throws Exception {
        for (JsonNode a : node.get("/api/v1/alerts?state=firing").path("alerts")) {
            if (a.path("rule").asText().equals("photo-upload.avg.critical")
                    && a.path("labels").path("wedding_id").asText().equals(wedding)) {
                return a;
            }
        }
        throw new AssertionError("no firing photo upload alert for " + wedding + " on port " + node.port);
    }

    /** The outbox intents of one kind about the wedding, read from PostgreSQL. */
    static List<String> intents(String wedding, String kind) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(nodeUrl(), env("VIGIL_TEST_PG_USER"), "");
             java.sql.PreparedStatement ps = c.prepareStatement(
                     "SELECT json FROM outbox WHERE queue = 'intents' AND json LIKE ?")) {
            ps.setString(1, "%\"" + wedding + "\"%");
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).contains("\"kind\":\"" + kind + "\"")) {
                        out.add(rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    static List<String> awaitIntents(String wedding, String kind, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> found = intents(wedding, kind);
        while (found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            found = intents(wedding, kind);
        }
        return found;
    }

    static String nodeUrl() {
        String url = env("VIGIL_TEST_PG_URL");
        return url.substring(0, url.lastIndexOf('/') + 1) + database;
    }

    @Test
    void postgresRestartUnderLoad_losesNothingAcknowledged_andIngestRecoversByItself() throws Exception {
        String metric = "guest_checkins_total";
        AtomicLong acked = new AtomicLong();
        AtomicLong unknown = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong next = new AtomicLong();
        List<Future<?>> writers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(nodes.size())) {
            for (VigilProcess n : nodes) {
                writers.add(pool.submit(() -> {
                    while (running.get()) {
                        long i = next.getAndIncrement();
                        byte[] body = RemoteWriteRequests.request(metric, (int) (i % 20) * SERIES_PER_REQUEST,
                                SERIES_PER_REQUEST, System.currentTimeMillis(), i);
                        try {
                            int status = n.remoteWrite(body);
                            if (status == 204) {
                                acked.addAndGet(SERIES_PER_REQUEST);
                            } else if (status == 503) {
                                refused.incrementAndGet(); // nothing stored; a real sender retries later
                                Thread.sleep(200);
                            } else {
                                throw new AssertionError("unexpected status " + status);
                            }
                        } catch (IOException e) {
                            unknown.addAndGet(SERIES_PER_REQUEST);
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(3_000);
            long before = acked.get();
            PostgresControl.stop();
            Thread.sleep(15_000); // long enough for every node to fail a flush and refuse writes
            PostgresControl.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (nodes.stream().anyMatch(MultiNodeTest::refusesWrites) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(nodes).as("every node accepts writes again by itself").noneMatch(MultiNodeTest::refusesWrites);
            long afterRecovery = acked.get();
            Thread.sleep(3_000);
            running.set(false);
            for (Future<?> f : writers) {
                f.get();
            }
            assertThat(before).as("acknowledged before the restart").isPositive();
            assertThat(refused.get()).as("writes refused with 503 while PostgreSQL was down").isPositive();
            assertThat(acked.get()).as("acknowledged after recovery").isGreaterThan(afterRecovery);
        }
        assertThat(unknown.get()).as("no request failed without an answer").isZero();
        awaitTotalOnEveryNode(metric, acked.get());
    }

    private static boolean refusesWrites(VigilProcess n) {
        try {
            return !n.get("/api/v1/status").path("writable").asBoolean();
        } catch (IOException | InterruptedException | AssertionError e) {
            return true;
        }
    }

    /** Stops and starts the PostgreSQL server that scripts/postgres.sh started (VIGIL_PG_DIR, VIGIL_PG_BIN). */
    static final class PostgresControl {
        private PostgresControl() {}

        static void stop() throws Exception {
            pgCtl("-D", env("VIGIL_PG_DIR") + "/data", "-m", "immediate", "-w", "stop");
        }

        static void start() throws Exception {
            String url = env("VIGIL_TEST_PG_URL");
            String port = url.replaceAll(".*:(\\d+)/.*", "$1");
            pgCtl("-D", env("VIGIL_PG_DIR") + "/data", "-l", env("VIGIL_PG_DIR") + "/log", "-w", "-t", "60",
                    "-o", "-p " + port + " -k " + env("VIGIL_PG_DIR") + " -c listen_addresses=127.0.0.1", "start");
        }

        private static void pgCtl(String... args) throws Exception {
            List<String> cmd = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name"))) {
                cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            cmd.add(env("VIGIL_PG_BIN") + "/pg_ctl");
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new AssertionError("pg_ctl " + String.join(" ", args) + " failed: " + out);
            }
        }
    }
}
