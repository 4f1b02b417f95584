package io.vigil.server.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Simulated traffic of a wedding-planning platform on a Saturday in season, sent through Vigil's real JSON ingest
 * endpoint: guest list, photo upload, timeline sync and vendor notification routes from mobile and web clients, with
 * an evening peak, a small baseline error rate and a recurring slow spell of photo uploads (three minutes in every
 * thirty: median six times slower, 5 % errors), which the default rules report as one P0 alert per spell during
 * active weddings (docs/alerting.md, "The demo Saturday").
 */
public final class WeddingTraffic {
    /** One simulated route: requests per second at peak and the median latency in seconds. */
    record Route(String route, String method, double peakPerSecond, double medianSeconds) {}

    static final List<Route> ROUTES = List.of(
            new Route("/api/weddings/{id}/guests", "GET", 40, 0.08),
            new Route("/api/weddings/{id}/photos", "POST", 12, 0.6),
            new Route("/api/weddings/{id}/timeline", "PUT", 8, 0.05),
            new Route("/api/vendors/{id}/notifications", "POST", 6, 0.2));

    private final HttpClient client = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final URI endpoint;
    private final String key;
    private final SplittableRandom random;

    public WeddingTraffic(URI baseUri, String key, long seed) {
        this.endpoint = baseUri.resolve("/api/v1/metrics");
        this.key = key;
        this.random = new SplittableRandom(seed);
    }

    /** Whether the photo service is in its slow spell at this time (minutes 20-22 and 50-52 of every hour). */
    static boolean slowSpell(long epochMillis) {
        long minute = (epochMillis / 60_000) % 30;
        return minute >= 20 && minute < 23;
    }

    /** Evening peak shape: 0.3 at night, rising to 1.0 from 17:00 to 22:00 (UTC, the demo's wedding time zone). */
    static double load(long epochMillis) {
        double hour = (epochMillis / 3_600_000.0) % 24;
        return hour >= 17 && hour < 22 ? 1.0 : hour >= 10 && hour < 17 ? 0.6 : 0.3;
    }

    /**
     * Builds the batch of one interval ending at {@code epochMillis}: latency observations per route, status and
     * client, request counters, and the gauge of active ceremonies.
     */
    Map<String, Object> batch(long epochMillis, double seconds) {
        List<Map<String, Object>> metrics = new ArrayList<>();
        boolean slow = slowSpell(epochMillis);
        double load = load(epochMillis);
        for (Route r : ROUTES) {
            boolean photo = r.route().contains("photos");
            for (String client : List.of("mobile", "web")) {
                double share = client.equals("mobile") ? 0.65 : 0.35;
                int requests = poisson(r.peakPerSecond() * load * share * seconds);
                double errorRate = photo && slow ? 0.05 : 0.004;
                double median = photo && slow ? r.medianSeconds() * 6 : r.medianSeconds();
                List<Double> ok = new ArrayList<>();
                List<Double> failed = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    double latency = median * Math.exp(0.5 * gaussian());
                    (random.nextDouble() < errorRate ? failed : ok).add(Math.round(latency * 1e6) / 1e6);
                }
                addLatency(metrics, r, client, "200", ok, epochMillis);
                addLatency(metrics, r, client, "503", failed, epochMillis);
            }
        }
        Map<String, Object> gauge = new LinkedHashMap<>();
        gauge.put("name", "wedding_active_ceremonies");
        gauge.put("type", "gauge");
        gauge.put("labels", Map.of("region", "eu-west"));
        gauge.put("samples", List.of(Map.of("t", epochMillis, "v", Math.round(40 * load + random.nextInt(5)))));
        metrics.add(gauge);
        return Map.of("metrics", metrics);
    }

    private void addLatency(List<Map<String, Object>> metrics, Route r, String client, String status,
                            List<Double> observations, long t) {
        if (observations.isEmpty()) {
            return;
        }
        Map<String, String> labels = Map.of("route", r.route(), "method", r.method(), "status", status,
                "client", client);
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("name", "http_server_request_duration_seconds");
        latency.put("type", "latency");
        latency.put("labels", labels);
        latency.put("t", t);
        latency.put("observations", observations);
        metrics.add(latency);
        Map<String, Object> count = new LinkedHashMap<>();
        count.put("name", "http_server_requests");
        count.put("type", "increment");
        count.put("labels", labels);
        count.put("samples", List.of(Map.of("t", t, "v", observations.size())));
        metrics.add(count);
    }

    private int poisson(double mean) {
        if (mean > 30) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian()));
        }
        double l = Math.exp(-mean);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > l);
        return k - 1;
    }

    private double gaussian() {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /**
     * Sends one interval through the JSON API; returns the samples the server accepted.
     *
     * @throws IOException when the server cannot be reached or answers with an error
     */
    public long send(long epochMillis, double seconds) throws IOException, InterruptedException {
        byte[] body = json.writeValueAsBytes(batch(epochMillis, seconds));
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("ingest answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body()).path("accepted").asLong();
    }
}
