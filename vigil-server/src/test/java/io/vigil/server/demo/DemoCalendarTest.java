package io.vigil.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.server.VigilServer;
import io.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo calendar against a real server: it loads, its weddings are under way, their reports have data. */
class DemoCalendarTest {
    static final String KEY = "demo-calendar-key";

    @TempDir
    Path dir;

    @Test
    void demoCalendar_loadsThroughTheImport_andFeedsReportsAndContext() throws Exception {
        Instant now = Instant.now();
        try (VigilServer server = VigilServer.start(dir, VigilConfig.DEFAULTS, "127.0.0.1", 0,
                Map.of("VIGIL_API_KEY", KEY), Clock.systemUTC())) {
            URI base = URI.create("http://127.0.0.1:" + server.port());
            DemoCalendar calendar = new DemoCalendar(base, KEY, now, 7L);

            int loaded = calendar.load();
            int events = calendar.sendEvents(now);
            long samples = calendar.sendMetrics(now, 10, new SplittableRandom(1));
            int again = calendar.sendEvents(now);

            assertThat(loaded).isEqualTo(calendar.weddings().size()).isGreaterThan(46);
            List<String> active = calendar.activeAt(now);
            assertThat(active).as("the three weddings whose ceremony was an hour ago").hasSizeGreaterThanOrEqualTo(3);
            assertThat(events).isPositive();
            assertThat(again).as("events are sent once").isZero();
            assertThat(samples).isPositive();
            HttpClient http = HttpClient.newHttpClient();
            JsonNode context = get(http, base, "/api/v1/context");
            assertThat(context.path("activeWeddings").findValuesAsText("id")).containsAll(active);
            JsonNode report = get(http, base, "/api/v1/weddings/" + active.get(0) + "/report");
            assertThat(report.path("hasData").asBoolean()).isTrue();
            assertThat(report.path("guestArrivals").path("arrived").asInt()).isPositive();
            JsonNode series = get(http, base, "/api/v1/series?metric=wedding_photo_upload_seconds");
            assertThat(series.path("series").findValuesAsText("wedding_id")).containsAll(active);
        }
    }

    private static JsonNode get(HttpClient http, URI base, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }
}
