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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's simulated Saturday goes through the real ingest API and shows its slow spell and errors. */
class WeddingTrafficTest {
    static final String KEY = "demo-test-key";

    @TempDir
    Path dir;

    @Test
    void slowSpell_makesPhotoUploadsSlowerAndFailMore_thanTheGuestList() throws Exception {
        // 19:14-19:24 UTC on a Saturday: evening peak; 19:20-19:23 is the photo service's slow spell.
        long start = Instant.parse("2026-06-13T19:14:00Z").toEpochMilli();
        try (VigilServer server = VigilServer.start(dir, VigilConfig.DEFAULTS, "127.0.0.1", 0,
                Map.of("VIGIL_API_KEY", KEY), Clock.fixed(Instant.ofEpochMilli(start + 600_000), java.time.ZoneOffset.UTC))) {
            String base = "http://127.0.0.1:" + server.port();
            WeddingTraffic traffic = new WeddingTraffic(URI.create(base), KEY, 7);
            long accepted = 0;
            for (long t = start; t < start + 600_000; t += 10_000) {
                accepted += traffic.send(t, 10);
            }
            assertThat(accepted).isGreaterThan(10_000);
            String photos = "%2Fapi%2Fweddings%2F%7Bid%7D%2Fphotos";
            String slow = "&from=" + (start / 1000 + 360) + "&to=" + (start / 1000 + 540);
            String calm = "&from=" + (start / 1000) + "&to=" + (start / 1000 + 300);
            double p95Slow = value(base, "metric=http_server_request_duration_seconds&stat=p95&route=" + photos + slow);
            double p95Calm = value(base, "metric=http_server_request_duration_seconds&stat=p95&route=" + photos + calm);
            assertThat(p95Slow).isGreaterThan(2 * p95Calm);
            double errorsSlow = value(base, "metric=http_server_requests&stat=error_rate&route=" + photos + slow);
            double errorsCalm = value(base, "metric=http_server_requests&stat=error_rate&route=" + photos + calm);
            assertThat(errorsSlow).isGreaterThan(errorsCalm);
            assertThat(value(base, "metric=http_server_requests&stat=count" + calm.replace("&to=" + (start / 1000 + 300),
                    "&to=" + (start / 1000 + 600)))).isPositive();
        }
    }

    private static double value(String base, String query) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "/api/v1/query?" + query)).header("Authorization", "Bearer " + KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode series = new ObjectMapper().readTree(r.body()).path("series");
        assertThat(series.size()).as(r.body()).isEqualTo(1);
        return series.get(0).path("value").asDouble();
    }
}
