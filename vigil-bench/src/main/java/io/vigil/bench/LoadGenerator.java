package io.vigil.bench;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.vigil.core.Sketches;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives a running Vigil server over real HTTP/1.1 with Prometheus remote write or OTLP/HTTP protobuf and reports
 * acknowledged samples per second, request latency, errors by status, the server's CPU and memory and the
 * generator's own CPU; then checks that the server counts exactly the acknowledged samples.
 *
 * <p>To stay cheap enough to share two cores with the server, every request body is encoded (and for remote write
 * snappy-compressed) once at start; before each send only the samples' values and timestamps are rewritten in place
 * ({@link RemoteWriteTemplate}, {@link OtlpTemplate}). Each series gets one sample per round; timestamps are the wall
 * clock, at least 1 ms after the series' previous sample. Each connection owns its own bodies and HttpClient and sends
 * synchronously in a loop.
 *
 * <p>Verification: {@code GET /api/v1/query?metric=..&stat=count} over [start − 60 s, now + 60 s) must equal the
 * acknowledged samples (warmup included) plus what the same query counted before the run, so a reused server with
 * an earlier run of the same metric still verifies. Samples a 400 response reports as stored count as expected too.
 *
 * <p>Run {@code bench/load.sh --help} or {@code LoadGenerator --help} for the options.
 */
public final class LoadGenerator {
    private static final Pattern STORED = Pattern.compile("\\((\\d+) accepted and stored\\)");

    private final LoadOptions options;
    private final URI target;
    private final LongAdder acked = new LongAdder();
    private final LongAdder partiallyStored = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, String> firstErrorBody = new ConcurrentHashMap<>();
    private final HttpClient queryClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private volatile boolean measuring;
    private volatile boolean stopping;

    private LoadGenerator(LoadOptions options) {
        this.options = options;
        this.target = URI.create(options.url() + (options.protocol() == LoadOptions.Protocol.OTLP ? "/v1/metrics"
                : "/api/v1/write"));
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args, System.getenv());
        } catch (LoadOptions.UsageException e) {
            if (e.getMessage() == null) {
                System.out.print(LoadOptions.USAGE);
                System.exit(0);
            }
            System.err.println("load generator: " + e.getMessage().replace("\n", "\nload generator: "));
            System.err.print(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(new LoadGenerator(options).run());
    }

    private int run() throws Exception {
        LoadOptions o = options;
        long startMillis = System.currentTimeMillis();
        long buildStart = System.nanoTime();
        List<RequestTemplate> templates = buildTemplates(startMillis);
        double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
        int connections = Math.min(o.connections(), templates.size());
        printHeader(templates, buildSeconds, connections);
        // Samples of the metric already in the verification window (an earlier run on the same server) count too.
        long baseline = 0;
        if (o.verify()) {
            try {
                baseline = serverCount(startMillis);
            } catch (IOException e) {
                System.out.println("  (could not read the server's count before the run: " + e.getMessage() + ")");
            }
            if (baseline > 0) {
                System.out.printf(Locale.ROOT, "  the server already counts %,d samples of the metric in the "
                        + "verification window; they are added to the expected count%n", baseline);
            }
        }

        List<Sender> senders = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            List<RequestTemplate> mine = new ArrayList<>();
            for (int t = c; t < templates.size(); t += connections) {
                mine.add(templates.get(t));
            }
            senders.add(new Sender(c, mine));
        }
        List<Thread> threads = new ArrayList<>();
        for (Sender s : senders) {
            threads.add(Thread.ofPlatform().name("sender-" + s.id).start(s));
        }
        Thread.sleep(o.warmup().toMillis());
        Snapshot a = snapshot();
        measuring = true;
        Thread.sleep(o.duration().toMillis());
        measuring = false;
        Snapshot b = snapshot();
        stopping = true;
        for (Thread t : threads) {
            t.join();
        }
        long peakRssKib = o.serverPid() > 0 ? ProcStats.statusKib(o.serverPid(), "VmHWM") : -1;
        long rssKib = o.serverPid() > 0 ? ProcStats.statusKib(o.serverPid(), "VmRSS") : -1;

        DDSketch latency = Sketches.newSketch();
        long maxNanos = 0;
        long windowRequests = 0;
        for (Sender s : senders) {
            latency.mergeWith(s.latencyMs);
            maxNanos = Math.max(maxNanos, s.maxNanos);
            windowRequests += s.windowRequests;
        }
        double seconds = (b.nanos - a.nanos) / 1e9;
        long windowSamples = b.acked - a.acked;
        double samplesPerSecond = windowSamples / seconds;
        int cores = Runtime.getRuntime().availableProcessors();
        double genCpu = percent(b.ownCpuNanos - a.ownCpuNanos, b.nanos - a.nanos);
        double serverCpu = a.serverCpuNanos >= 0 && b.serverCpuNanos >= 0
                ? percent(b.serverCpuNanos - a.serverCpuNanos, b.nanos - a.nanos) : Double.NaN;
        double machineCpu = a.machine != null && b.machine != null && b.machine[1] > a.machine[1]
                ? 100.0 * (b.machine[0] - a.machine[0]) / (b.machine[1] - a.machine[1]) : Double.NaN;
        long totalAcked = acked.sum();
        long stored = partiallyStored.sum();

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("protocol", o.protocol().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        json.put("url", target.toString());
        json.put("series", o.series());
        json.put("metrics", o.metrics());
        json.put("labelsPerSeries", o.labels());
        json.put("samplesPerRequest", o.samplesPerRequest());
        json.put("connections", connections);
        json.put("warmupSeconds", o.warmup().toMillis() / 1000.0);
        json.put("measuredSeconds", round(seconds, 3));
        json.put("samplesAcknowledged", totalAcked);
        json.put("samplesInWindow", windowSamples);
        json.put("samplesPerSecond", Math.round(samplesPerSecond));
        json.put("requestsPerSecond", round(windowRequests / seconds, 1));
        Map<String, Object> lat = new LinkedHashMap<>();
        boolean anyLatency = !latency.isEmpty();
        lat.put("p50", anyLatency ? round(latency.getValueAtQuantile(0.50), 2) : null);
        lat.put("p90", anyLatency ? round(latency.getValueAtQuantile(0.90), 2) : null);
        lat.put("p99", anyLatency ? round(latency.getValueAtQuantile(0.99), 2) : null);
        lat.put("max", anyLatency ? round(maxNanos / 1e6, 2) : null);
        json.put("latencyMs", lat);
        Map<String, Long> errs = new TreeMap<>();
        errors.forEach((k, v) -> errs.put(k, v.sum()));
        json.put("errors", errs);
        json.put("samplesStoredByFailedRequests", stored);
        json.put("serverCpuPercent", Double.isNaN(serverCpu) ? null : round(serverCpu, 1));
        json.put("serverPeakRssMiB", peakRssKib < 0 ? null : round(peakRssKib / 1024.0, 1));
        json.put("serverRssMiB", rssKib < 0 ? null : round(rssKib / 1024.0, 1));
        json.put("generatorCpuPercent", round(genCpu, 1));
        json.put("machineCpuPercent", Double.isNaN(machineCpu) ? null : round(machineCpu, 1));
        json.put("cores", cores);

        System.out.printf(Locale.ROOT, "%nResults (measured window %.1f s after %s warmup)%n", seconds,
                human(o.warmup()));
        System.out.printf(Locale.ROOT,
                "  samples acknowledged   %,d total (incl. warmup and drain), %,d in the window%n",
                totalAcked, windowSamples);
        System.out.printf(Locale.ROOT, "  throughput             %,.0f samples/s, %,.1f requests/s%n", samplesPerSecond,
                windowRequests / seconds);
        if (anyLatency) {
            System.out.printf(Locale.ROOT, "  request latency ms     p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n",
                    latency.getValueAtQuantile(0.5), latency.getValueAtQuantile(0.9),
                    latency.getValueAtQuantile(0.99), maxNanos / 1e6);
        }
        System.out.println("  errors                 " + (errs.isEmpty() ? "none" : errs));
        firstErrorBody.forEach((status, body) -> System.out.println("    first " + status + ": " + body));
        if (stored > 0) {
            System.out.printf(Locale.ROOT, "  stored by failed requests %,d samples (the server's 400 said so)%n",
                    stored);
        }
        if (o.serverPid() > 0) {
            System.out.printf(Locale.ROOT, "  server CPU             %.0f %% of one core (%d cores = %d %%), "
                            + "peak RSS (VmHWM) %.0f MiB, RSS now %.0f MiB%n", serverCpu, cores, cores * 100,
                    peakRssKib / 1024.0, rssKib / 1024.0);
        }
        System.out.printf(Locale.ROOT, "  generator CPU          %.0f %% of one core%n", genCpu);
        if (!Double.isNaN(machineCpu)) {
            System.out.printf(Locale.ROOT, "  machine CPU busy       %.0f %% of all %d cores%n", machineCpu, cores);
        }

        int exit = 0;
        if (totalAcked == 0) {
            System.out.println("FAILED: no samples were acknowledged"
                    + (errs.isEmpty() ? "" : " (errors: " + errs + ")"));
            exit = 1;
        }
        if (o.verify()) {
            long expected = baseline + totalAcked + stored;
            long counted = verify(startMillis, expected);
            if (baseline > 0 && counted >= 0) {
                counted -= baseline;
                expected -= baseline;
                System.out.printf(Locale.ROOT, "  (the %,d samples counted before the run are subtracted below)%n",
                        baseline);
            }
            json.put("serverCountBefore", baseline);
            json.put("serverCount", counted);
            json.put("verified", counted == expected);
            if (counted == expected) {
                System.out.printf(Locale.ROOT, "VERIFIED: the server counts %,d samples, %,d acknowledged%s%n", counted,
                        totalAcked,
                        stored > 0 ? String.format(Locale.ROOT, " + %,d stored by 400 responses", stored) : "");
            } else if (counted < 0) {
                System.out.printf(Locale.ROOT, "MISMATCH: the server's count could not be read; %,d samples were "
                        + "acknowledged%n", totalAcked);
                exit = 1;
            } else {
                System.out.printf(Locale.ROOT, "MISMATCH: the server counts %,d samples but %,d were acknowledged%s%n",
                        counted, totalAcked,
                        stored > 0 ? String.format(Locale.ROOT, " (+ %,d stored by 400 responses)", stored) : "");
                exit = 1;
            }
        }
        System.out.println(new ObjectMapper().writeValueAsString(json));
        return exit;
    }

    private List<RequestTemplate> buildTemplates(long nowMillis) {
        LoadOptions o = options;
        List<RequestTemplate> list = new ArrayList<>();
        for (long first = 0; first < o.series(); first += o.samplesPerRequest()) {
            int count = (int) Math.min(o.samplesPerRequest(), o.series() - first);
            list.add(o.protocol() == LoadOptions.Protocol.OTLP
                    ? OtlpTemplate.build(o.metric(), o.metrics(), first, count, o.labels(), o.otlpGauge(), nowMillis,
                            nowMillis)
                    : RemoteWriteTemplate.build(o.metric(), o.metrics(), first, count, o.labels(), nowMillis));
        }
        return list;
    }

    private void printHeader(List<RequestTemplate> templates, double buildSeconds, int connections) {
        LoadOptions o = options;
        long body = 0;
        long raw = 0;
        long reference = 0;
        for (RequestTemplate t : templates) {
            body += t.body.length;
            if (t instanceof RemoteWriteTemplate rw) {
                raw += rw.rawSize;
                reference += rw.referenceCompressedSize;
            }
        }
        int n = templates.size();
        System.out.printf(Locale.ROOT, "Vigil load generator: %s -> %s%n",
                o.protocol() == LoadOptions.Protocol.OTLP
                        ? "OTLP/HTTP protobuf (" + (o.otlpGauge() ? "gauge" : "sum") + ")"
                        : "Prometheus remote write 1.0", target);
        System.out.printf(Locale.ROOT, "  %,d series over %d metric name(s), %d labels each, %,d samples/request, "
                + "%d connection(s)%n", o.series(), o.metrics(), o.labels(), o.samplesPerRequest(), connections);
        if (connections < o.connections()) {
            System.out.printf(Locale.ROOT, "  (only %d request bodies, so only %d of the %d connections are used)%n", n,
                    connections, o.connections());
        }
        if (raw > 0) {
            System.out.printf(Locale.ROOT, "  %d bodies pre-encoded in %.1f s: %.0f KiB protobuf, %.0f KiB snappy each "
                            + "(snappy-java: %.0f KiB)%n", n, buildSeconds, raw / 1024.0 / n, body / 1024.0 / n,
                    reference / 1024.0 / n);
        } else {
            System.out.printf(Locale.ROOT, "  %d bodies pre-encoded in %.1f s: %.0f KiB protobuf each (uncompressed)%n",
                    n, buildSeconds, body / 1024.0 / n);
        }
        System.out.printf(Locale.ROOT, "  warmup %s, measuring %s%s%n", human(o.warmup()), human(o.duration()),
                o.serverPid() > 0 ? ", server pid " + o.serverPid() : "");
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static double percent(long cpuNanos, long wallNanos) {
        return wallNanos <= 0 ? Double.NaN : 100.0 * cpuNanos / wallNanos;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private record Snapshot(long nanos, long acked, long ownCpuNanos, long serverCpuNanos, long[] machine) {}

    private Snapshot snapshot() {
        return new Snapshot(System.nanoTime(), acked.sum(), ownCpuNanos(),
                options.serverPid() > 0 ? ProcStats.cpuNanos(options.serverPid()) : -1, ProcStats.machineTicks());
    }

    private static long ownCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return ProcStats.cpuNanos(ProcessHandle.current().pid());
    }

    /**
     * Polls the server's count until it equals {@code expected} or the verify timeout passes; returns the last count,
     * -1 when it could not be read.
     */
    private long verify(long startMillis, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + options.verifyTimeout().toNanos();
        long counted = -1;
        while (true) {
            String problem = null;
            try {
                counted = serverCount(startMillis);
                if (counted == expected) {
                    return counted;
                }
            } catch (IOException e) {
                problem = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                if (problem != null) {
                    System.out.println("verification query: " + problem);
                }
                return counted;
            }
            Thread.sleep(500);
        }
    }

    /**
     * The sample count of the metric(s) over [start − 60 s, now + 60 s) from {@code GET /api/v1/query?stat=count},
     * summed over the metric names.
     *
     * @throws IOException with a message when the query fails or does not answer 200
     */
    private long serverCount(long startMillis) throws IOException, InterruptedException {
        long to = System.currentTimeMillis() / 1000 + 60;
        long sum = 0;
        for (int m = 0; m < options.metrics(); m++) {
            String metric = SeriesLabels.metricName(options.metric(), m, options.metrics());
            URI uri = URI.create(options.url() + "/api/v1/query?metric="
                    + URLEncoder.encode(metric, StandardCharsets.UTF_8) + "&stat=count&from="
                    + (startMillis / 1000 - 60) + "&to=" + to);
            HttpResponse<String> r;
            try {
                r = queryClient.send(HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + options.key()).timeout(Duration.ofSeconds(120))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IOException("query failed: " + e, e);
            }
            if (r.statusCode() != 200) {
                throw new IOException("query answered " + r.statusCode() + ": " + abbreviate(r.body()));
            }
            for (JsonNode series : new ObjectMapper().readTree(r.body()).path("series")) {
                sum += series.path("value").asLong();
            }
        }
        return sum;
    }

    private static String abbreviate(String s) {
        s = s.replaceAll("\\s+", " ");
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private void countError(String status, String body) {
        errors.computeIfAbsent(status, k -> new LongAdder()).increment();
        if (body != null) {
            firstErrorBody.putIfAbsent(status, abbreviate(body));
        }
    }

    /** One connection: its own HttpClient and bodies, sending synchronously in a loop. */
    private final class Sender implements Runnable {
        final int id;
        final List<RequestTemplate> templates;
        final DDSketch latencyMs = Sketches.newSketch();
        long maxNanos;
        long windowRequests;

        Sender(int id, List<RequestTemplate> templates) {
            this.id = id;
            this.templates = templates;
        }

        @Override
        public void run() {
            HttpClient.Builder cb = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10));
            if (options.directExecutor()) {
                // The client's internal tasks run on its selector thread instead of hopping to a thread pool:
                // about half the CPU per request (0.19 instead of 0.36 ms measured against a no-op server).
                cb.executor(Runnable::run);
            }
            HttpClient client = cb.build();
            boolean otlp = options.protocol() == LoadOptions.Protocol.OTLP;
            String auth = "Bearer " + options.key();
            // Requests are immutable and read their body array at send time, so one per body serves every send.
            HttpRequest[] prepared = new HttpRequest[templates.size()];
            for (int k = 0; k < prepared.length; k++) {
                HttpRequest.Builder rb = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60))
                        .header("Authorization", auth)
                        .header("Content-Type", "application/x-protobuf")
                        .header("User-Agent", "vigil-bench/0.1")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(templates.get(k).body));
                if (!otlp) {
                    rb.header("Content-Encoding", "snappy").header("X-Prometheus-Remote-Write-Version", "0.1.0");
                }
                prepared[k] = rb.build();
            }
            int next = 0;
            while (!stopping) {
                RequestTemplate t = templates.get(next);
                HttpRequest request = prepared[next];
                next = next + 1 == templates.size() ? 0 : next + 1;
                t.advance(System.currentTimeMillis());
                long t0 = System.nanoTime();
                HttpResponse<byte[]> response;
                try {
                    response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException e) {
                    countError(e.getClass().getSimpleName(), e.getMessage());
                    pause(100);
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long dt = System.nanoTime() - t0;
                requests.increment();
                int status = response.statusCode();
                boolean ok = false;
                if (!otlp && status == 204) {
                    ok = true;
                } else if (otlp && status == 200) {
                    long rejected;
                    try {
                        rejected = ExportMetricsServiceResponse.parseFrom(response.body()).getPartialSuccess()
                                .getRejectedDataPoints();
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        rejected = -1;
                    }
                    if (rejected == 0) {
                        ok = true;
                    } else if (rejected > 0) {
                        partiallyStored.add(Math.max(0, t.samples - rejected));
                        countError("200-partial", "rejected " + rejected + " of " + t.samples + " points");
                    } else {
                        countError("200-unparsable", null);
                    }
                } else {
                    String body = new String(response.body(), StandardCharsets.UTF_8);
                    Matcher m = STORED.matcher(body);
                    if (status == 400 && m.find()) {
                        partiallyStored.add(Long.parseLong(m.group(1)));
                    }
                    countError(String.valueOf(status), body);
                    if (status >= 500 || status == 429) {
                        pause(20);
                    } else if (status == 401 || status == 403) {
                        pause(100); // a wrong key: no point in hammering the server
                    }
                }
                if (ok) {
                    acked.add(t.samples);
                    if (measuring) {
                        latencyMs.accept(dt / 1e6);
                        maxNanos = Math.max(maxNanos, dt);
                        windowRequests++;
                    }
                }
            }
        }

        private void pause(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
