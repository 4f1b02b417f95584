package io.vigil.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** What the end-to-end latency benchmarks share: posting JSON to a server with a key, and summarising latencies. */
final class BenchHttp {
    private BenchHttp() {}

    /** POSTs JSON with the key; fails unless the answer is 2xx. */
    static void post(HttpClient http, URI base, String key, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** p50, p90, p99 and max of the values (nearest rank), one decimal; {@code (none)} when there are none. */
    static String percentiles(List<Double> values) {
        if (values.isEmpty()) {
            return "(none)";
        }
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        return String.format(Locale.ROOT, "p50 %.1f, p90 %.1f, p99 %.1f, max %.1f", at(v, 0.5), at(v, 0.9),
                at(v, 0.99), v.get(v.size() - 1));
    }

    private static double at(List<Double> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }
}
