package io.vigil.server.stream;

import static io.vigil.server.stream.StreamClients.READ_KEY;
import static io.vigil.server.stream.StreamClients.ingest;
import static io.vigil.server.stream.StreamClients.latency;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live streams across two nodes on one real PostgreSQL (the one {@code ./vigil test} starts, in a database of its
 * own): a value ingested on node A reaches a client subscribed on node B, through A's flush and its notice on the
 * event channel.
 */
class CrossNodeStreamsTest {
    /** A's flush interval (1 s) plus the notice, with room for a loaded machine. */
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    String database;

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

    @BeforeEach
    void createDatabase() throws SQLException {
        database = "vigil_streams_" + System.nanoTime();
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    VigilServer node(String id, String flushInterval) {
        String url = env("VIGIL_TEST_PG_URL");
        url = url.substring(0, url.lastIndexOf('/') + 1) + database;
        VigilConfig config = new VigilConfig(null,
                new VigilConfig.Storage("postgres", new VigilConfig.Postgres(url, env("VIGIL_TEST_PG_USER"), null,
                        null, 4), null, flushInterval, null, null, null, null),
                new VigilConfig.Auth(List.of(
                        new VigilConfig.ApiKeyConfig("dashboards", READ_KEY, null, null, List.of("read")),
                        new VigilConfig.ApiKeyConfig("apps", StreamClients.INGEST_KEY, null, null,
                                List.of("ingest")))), null);
        return VigilServer.start(dir.resolve(id), config, id, "127.0.0.1", 0, Map.of(), Clock.systemUTC());
    }

    static boolean update(JsonNode m, String sub) {
        return m.path("type").asText().equals("update") && m.path("subscription").asText().equals(sub);
    }

    static double value(JsonNode update) {
        return update.path("groups").path(0).path("value").asDouble(Double.NaN);
    }

    @Test
    void valueIngestedOnNodeA_reachesAStreamOnNodeB_afterAsFlush() throws Exception {
        // B never flushes during the test: it can learn A's new series only through A's notice.
        try (VigilServer a = node("node-a", "1s"); VigilServer b = node("node-b", "1h")) {
            assertThat(a.streamFanOut()).isNotNull();
            StreamClients.Ws onB = StreamClients.Ws.open(b.port(), READ_KEY, "");
            onB.send("{\"subscribe\": {\"metric\": \"fanout_rsvp_seconds\", \"stat\": \"count\"}, \"id\": \"b\"}");
            JsonNode first = onB.await(m -> update(m, "b"), WAIT); // computed at once, before any data
            assertThat(first.path("groups")).isEmpty();
            int afterFirst = onB.all.indexOf(first) + 1;
            // A subscriber on A too, so that A would act on notices: it must ignore its own.
            StreamClients.Ws onA = StreamClients.Ws.open(a.port(), READ_KEY, "");
            onA.send("{\"subscribe\": {\"metric\": \"fanout_rsvp_seconds\", \"stat\": \"count\"}, \"id\": \"a\"}");
            onA.await(m -> update(m, "a"), WAIT);

            assertThat(ingest(a.port(), latency("fanout_rsvp_seconds", 0.2, 0.3, 0.4))).isEqualTo(200);

            // Nothing is ingested on B: only A's notice can trigger this update, with A's three samples.
            JsonNode fromA = onB.awaitFrom(afterFirst, m -> update(m, "b") && value(m) == 3.0, WAIT);
            assertThat(fromA.path("metric").asText()).isEqualTo("fanout_rsvp_seconds");
            assertThat(fromA.path("seq").asLong()).isGreaterThan(first.path("seq").asLong());
            assertThat(a.streamFanOut().published()).as("notices A published").isPositive();
            assertThat(b.streamFanOut().received()).as("A's notices B received").isPositive();
            assertThat(a.streamFanOut().received()).as("A ignores its own notices").isZero();

            // A second value reaches B the same way (the series is known by now).
            assertThat(ingest(a.port(), latency("fanout_rsvp_seconds", 0.5))).isEqualTo(200);
            onB.awaitFrom(afterFirst, m -> update(m, "b") && value(m) == 4.0, WAIT);
            onA.socket.sendClose(1000, "done").join();
            onB.socket.sendClose(1000, "done").join();
        }
    }
}
