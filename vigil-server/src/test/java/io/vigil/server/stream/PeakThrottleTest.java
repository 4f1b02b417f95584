package io.vigil.server.stream;

import static io.vigil.server.stream.StreamClients.INGEST_KEY;
import static io.vigil.server.stream.StreamClients.READ_KEY;
import static io.vigil.server.stream.StreamClients.ingest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.core.time.SettableClock;
import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R2 end to end: in peak wedding time a stream that is not wedding-critical gets at most one update a second
 * ({@link StreamHub#PEAK_THROTTLE}) while a wedding-critical one keeps the full rate; outside peak time both get the
 * full rate. A real server on a clock that starts at the chosen instant and then runs in real time, so that the
 * updates' {@code at} timestamps are as far apart as the hub's intervals; a wedding of the calendar is active in
 * both cases.
 */
class PeakThrottleTest {
    static final String ADMIN_KEY = "admin-key-for-peak-streams";
    /** Saturday 13 June 2026, 15:00 UTC: wedding season, a Saturday (peak time in the default UTC calendar). */
    static final Instant SATURDAY = Instant.parse("2026-06-13T15:00:00Z");
    /** Tuesday 16 June 2026, 15:00 UTC: wedding season, not peak time. */
    static final Instant TUESDAY = Instant.parse("2026-06-16T15:00:00Z");
    /** Wedding-critical (photo upload) and not (photo processing), per the alerting's wedding operations. */
    static final String CRITICAL = "wedding_photo_upload_seconds";
    static final String NON_CRITICAL = "wedding_photo_processing_seconds";
    /** How long the test ingests both metrics. */
    static final Duration INGEST_FOR = Duration.ofSeconds(5);
    /** The throttle less scheduling slack, for spacing measured by the server's own timestamps. */
    static final Duration THROTTLED_GAP = Duration.ofMillis(900);
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    /** The updates each of the two subscriptions received while both metrics were ingested continuously. */
    record Run(List<JsonNode> critical, List<JsonNode> nonCritical) {}

    VigilServer start(Instant at) {
        VigilConfig config = new VigilConfig(null, null, new VigilConfig.Auth(List.of(
                new VigilConfig.ApiKeyConfig("ops", ADMIN_KEY, null, null, List.of("admin")),
                new VigilConfig.ApiKeyConfig("dashboards", READ_KEY, null, null, List.of("read")),
                new VigilConfig.ApiKeyConfig("apps", INGEST_KEY, null, null, List.of("ingest")))), null);
        return VigilServer.start(dir, config, "127.0.0.1", 0, Map.of(), SettableClock.running(at));
    }

    /** Creates a wedding active at {@code day} 15:00 UTC and waits until the calendar lists it as active. */
    static void createActiveWedding(int port, String id, String day) throws Exception {
        String body = ("{\"id\": \"%s\", \"timeZone\": \"UTC\", \"ceremonyStart\": \"%sT14:00\","
                + " \"receptionEnd\": \"%sT23:30\", \"guestCount\": 150}").formatted(id, day, day);
        HttpResponse<String> created = StreamClients.HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/weddings"))
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!StreamClients.JSON.readTree(StreamClients.get(port, "/api/v1/context", READ_KEY).body())
                .path("activeWeddings").findValuesAsText("id").contains(id)) {
            assertThat(System.nanoTime()).as("the calendar lists the wedding within its 5 s cache").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    static String batch(String wedding, int round) {
        return ("{\"metrics\": [{\"name\": \"%s\", \"type\": \"latency\", \"labels\": {\"wedding_id\": \"%s\"},"
                + " \"observations\": [%s]}, {\"name\": \"%s\", \"type\": \"latency\", \"labels\": {\"wedding_id\":"
                + " \"%s\"}, \"observations\": [%s]}]}").formatted(CRITICAL, wedding, 1 + round % 3, NON_CRITICAL,
                wedding, 2 + round % 3);
    }

    /** Subscribes to both metrics on one WebSocket, ingests both for {@link #INGEST_FOR}, returns their updates. */
    static Run run(int port, String wedding) throws Exception {
        StreamClients.Ws ws = StreamClients.Ws.open(port, READ_KEY, "");
        ws.send("{\"subscribe\": {\"metric\": \"" + CRITICAL + "\", \"stat\": \"count\"}, \"id\": \"critical\"}");
        ws.send("{\"subscribe\": {\"metric\": \"" + NON_CRITICAL + "\", \"stat\": \"count\"}, \"id\": \"other\"}");
        ws.await(m -> LiveStreamsTest.update(m, "critical"), WAIT);
        ws.await(m -> LiveStreamsTest.update(m, "other"), WAIT);
        int rounds = 0;
        long start = System.nanoTime();
        // At least 5 s, and enough requests that the critical stream always has fresh data to show.
        while (System.nanoTime() - start < INGEST_FOR.toNanos() || rounds < 50) {
            assertThat(ingest(port, batch(wedding, rounds++))).isEqualTo(200);
            Thread.sleep(20);
        }
        // The last ingest is shown by both streams (the non-critical one within its throttle).
        double expectedCount = rounds; // one sample per metric per round, all within the 1 m window
        ws.await(m -> LiveStreamsTest.update(m, "critical") && LiveStreamsTest.value(m) == expectedCount, WAIT);
        ws.await(m -> LiveStreamsTest.update(m, "other") && LiveStreamsTest.value(m) == expectedCount, WAIT);
        ws.socket.sendClose(1000, "done").join();
        return new Run(updates(ws, "critical"), updates(ws, "other"));
    }

    static List<JsonNode> updates(StreamClients.Ws ws, String subscription) {
        return ws.all.stream().filter(m -> LiveStreamsTest.update(m, subscription)).toList();
    }

    /** The intervals between consecutive updates by their {@code at} timestamps (the server's clock). */
    static List<Duration> gaps(List<JsonNode> updates) {
        List<Duration> gaps = new ArrayList<>();
        for (int i = 1; i < updates.size(); i++) {
            gaps.add(Duration.between(Instant.parse(updates.get(i - 1).path("at").asText()),
                    Instant.parse(updates.get(i).path("at").asText())));
        }
        return gaps;
    }

    static long shorterThanThrottle(List<JsonNode> updates) {
        return gaps(updates).stream().filter(g -> g.compareTo(THROTTLED_GAP) < 0).count();
    }

    @Test
    void peakTime_nonCriticalStreamGetsAtMostOneUpdatePerSecond_whileTheWeddingCriticalOneKeepsFullRate()
            throws Exception {
        try (VigilServer server = start(SATURDAY)) {
            createActiveWedding(server.port(), "w-saturday", "2026-06-13");
            Run r = run(server.port(), "w-saturday");

            JsonNode last = r.nonCritical().get(r.nonCritical().size() - 1);
            assertThat(last.path("context").path("peakTime").asBoolean()).isTrue();
            assertThat(last.path("context").path("activeWeddings").findValuesAsText("id")).contains("w-saturday");
            // The throttle itself: no two updates of the non-critical stream closer than 1 s (less slack) apart.
            assertThat(gaps(r.nonCritical())).as("gaps between non-critical updates at peak")
                    .allSatisfy(g -> assertThat(g).isGreaterThanOrEqualTo(THROTTLED_GAP));
            // About one a second over 5 s or more; the critical stream about one per 100 ms, with new data each time.
            assertThat(r.nonCritical()).hasSizeGreaterThanOrEqualTo(4);
            assertThat(shorterThanThrottle(r.critical())).as("critical updates closer than 900 ms").isGreaterThanOrEqualTo(10);
            assertThat(r.critical().size()).as("critical vs non-critical updates")
                    .isGreaterThanOrEqualTo(2 * r.nonCritical().size());
            System.out.printf("peak: %d critical updates, %d non-critical, non-critical gaps %s%n",
                    r.critical().size(), r.nonCritical().size(), gaps(r.nonCritical()));
        }
    }

    @Test
    void outsidePeakTime_bothStreamsGetFullRate() throws Exception {
        try (VigilServer server = start(TUESDAY)) {
            createActiveWedding(server.port(), "w-tuesday", "2026-06-16");
            Run r = run(server.port(), "w-tuesday");

            JsonNode last = r.nonCritical().get(r.nonCritical().size() - 1);
            assertThat(last.path("context").path("peakTime").asBoolean()).isFalse();
            assertThat(last.path("context").path("activeWeddings").findValuesAsText("id")).contains("w-tuesday");
            // Updates closer than the peak throttle would allow, many times, on both streams.
            assertThat(shorterThanThrottle(r.nonCritical())).as("non-critical updates closer than 900 ms")
                    .isGreaterThanOrEqualTo(10);
            assertThat(shorterThanThrottle(r.critical())).as("critical updates closer than 900 ms")
                    .isGreaterThanOrEqualTo(10);
            System.out.printf("off peak: %d critical updates, %d non-critical%n", r.critical().size(),
                    r.nonCritical().size());
        }
    }
}
