package io.vigil.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load generator's options, parsed from {@code --name value} pairs and validated; every problem is reported at
 * once, each naming the option, the value and what is accepted.
 */
record LoadOptions(URI url, String key, Protocol protocol, int series, int samplesPerRequest, int connections,
                   Duration duration, Duration warmup, long serverPid, String metric, int metrics, int labels,
                   boolean otlpGauge, boolean verify, Duration verifyTimeout, boolean directExecutor) {

    enum Protocol { REMOTE_WRITE, OTLP }

    static final String USAGE = """
            Usage: LoadGenerator [options]     (bench/load.sh starts a server and passes these through)
              --url URL                  Vigil base URL (default http://127.0.0.1:7070)
              --key KEY                  API key sent as 'Authorization: Bearer KEY'
                                         (default: --key-file contents, else env VIGIL_API_KEY)
              --key-file FILE            file holding the API key (e.g. <data>/admin.key)
              --protocol P               remote-write (default) or otlp
              --series N                 distinct series (default 100000)
              --samples-per-request N    samples (OTLP: points) per request, one per series, series taken
                                         round-robin (default 2000, Prometheus' max_samples_per_send)
              --connections N            concurrent senders, each with its own HttpClient (default 4)
              --duration D               measured time after the warmup, e.g. 60s, 2m (default 60s)
              --warmup D                 traffic before measuring starts (default 10s)
              --server-pid PID           sample CPU and memory of the server process from /proc
              --metric NAME              metric name base (default bench_requests_total)
              --metrics N                spread the series over N metric names (default 1); the server's
                                         per-metric series limit (storage.seriesLimitPerMetric, default 50000)
                                         must allow series/N series per metric
              --labels N                 labels per series incl. __name__ and series (2..14, default 6)
              --otlp-kind sum|gauge      OTLP metric type (default sum: cumulative monotonic counter)
              --verify true|false        after the run, check the server's count equals the acknowledged
                                         samples (default true; --no-verify = false)
              --verify-timeout D         how long to wait for the counts to match (default 30s)
              --http-executor E          direct (default: the HttpClient runs its tasks on its selector
                                         thread, cheapest) or pool (the JDK default thread pool)
            Exit status: 0 ok, 1 verification mismatch or nothing acknowledged, 2 bad options.
            """;

    static LoadOptions parse(String[] args, Map<String, String> env) {
        String url = "http://127.0.0.1:7070";
        String key = null;
        String keyFile = null;
        String protocol = "remote-write";
        String series = "100000";
        String spr = "2000";
        String connections = "4";
        String duration = "60s";
        String warmup = "10s";
        String pid = null;
        String metric = "bench_requests_total";
        String metrics = "1";
        String labels = String.valueOf(SeriesLabels.DEFAULT_LABELS);
        String otlpKind = "sum";
        String verify = "true";
        String verifyTimeout = "30s";
        String executor = "direct";
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                throw new UsageException(null);
            }
            if (a.equals("--no-verify")) {
                verify = "false";
                continue;
            }
            String name = a;
            String value;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else if (a.equals("--verify") && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
                value = "true";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                problems.add("option " + a + " needs a value");
                break;
            }
            switch (name) {
                case "--url" -> url = value;
                case "--key" -> key = value;
                case "--key-file" -> keyFile = value;
                case "--protocol" -> protocol = value;
                case "--series" -> series = value;
                case "--samples-per-request" -> spr = value;
                case "--connections" -> connections = value;
                case "--duration" -> duration = value;
                case "--warmup" -> warmup = value;
                case "--server-pid" -> pid = value;
                case "--metric" -> metric = value;
                case "--metrics" -> metrics = value;
                case "--labels" -> labels = value;
                case "--otlp-kind" -> otlpKind = value;
                case "--verify" -> verify = value;
                case "--verify-timeout" -> verifyTimeout = value;
                case "--http-executor" -> executor = value;
                default -> problems.add("unknown option '" + name + "'");
            }
        }
        URI uri = null;
        try {
            uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                problems.add("--url was '" + url + "' but it must be an http(s) URL like http://127.0.0.1:7070");
            }
        } catch (IllegalArgumentException e) {
            problems.add("--url was '" + url + "' but it must be an http(s) URL like http://127.0.0.1:7070");
        }
        if (key == null && keyFile != null) {
            try {
                key = Files.readString(Path.of(keyFile)).trim();
            } catch (IOException e) {
                problems.add("--key-file '" + keyFile + "' cannot be read: " + e.getMessage());
            }
        }
        if (key == null) {
            key = env.get("VIGIL_API_KEY");
        }
        if (key == null || key.isBlank()) {
            problems.add("no API key: pass --key KEY or --key-file FILE, or set VIGIL_API_KEY");
        }
        Protocol proto = switch (protocol.toLowerCase(Locale.ROOT)) {
            case "remote-write", "remotewrite", "prometheus" -> Protocol.REMOTE_WRITE;
            case "otlp" -> Protocol.OTLP;
            default -> {
                problems.add("--protocol was '" + protocol + "' but it must be remote-write or otlp");
                yield Protocol.REMOTE_WRITE;
            }
        };
        int nSeries = intOption(problems, "--series", series, 1, 100_000_000);
        int nSpr = intOption(problems, "--samples-per-request", spr, 1, 1_000_000);
        int nConn = intOption(problems, "--connections", connections, 1, 1024);
        int nMetrics = intOption(problems, "--metrics", metrics, 1, 100_000);
        int nLabels = intOption(problems, "--labels", labels, SeriesLabels.MIN_LABELS, SeriesLabels.MAX_LABELS);
        Duration dur = durationOption(problems, "--duration", duration);
        Duration warm = durationOption(problems, "--warmup", warmup);
        Duration vt = durationOption(problems, "--verify-timeout", verifyTimeout);
        if (dur != null && dur.isZero()) {
            problems.add("--duration was '" + duration + "' but it must be positive");
        }
        long serverPid = pid == null ? -1 : intOption(problems, "--server-pid", pid, 1, Integer.MAX_VALUE);
        if (serverPid > 0 && ProcStats.cpuNanos(serverPid) < 0) {
            problems.add("--server-pid was " + pid + " but /proc/" + pid + "/stat cannot be read (no such process?)");
        }
        if (!metric.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            problems.add("--metric was '" + metric + "' but it must match [a-zA-Z_:][a-zA-Z0-9_:]*");
        }
        if (!otlpKind.equals("sum") && !otlpKind.equals("gauge")) {
            problems.add("--otlp-kind was '" + otlpKind + "' but it must be sum or gauge");
        }
        if (!verify.equals("true") && !verify.equals("false")) {
            problems.add("--verify was '" + verify + "' but it must be true or false");
        }
        if (!executor.equals("direct") && !executor.equals("pool")) {
            problems.add("--http-executor was '" + executor + "' but it must be direct or pool");
        }
        if (!problems.isEmpty()) {
            throw new UsageException(String.join("\n", problems));
        }
        return new LoadOptions(uri, key, proto, nSeries, nSpr, nConn, dur, warm, serverPid, metric, nMetrics, nLabels,
                otlpKind.equals("gauge"), verify.equals("true"), vt, executor.equals("direct"));
    }

    private static int intOption(List<String> problems, String name, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value.replace("_", ""));
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(name + " was '" + value + "' but it must be a whole number from " + min + " to " + max);
        return min;
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or plain seconds. */
    static Duration durationOption(List<String> problems, String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.replaceAll("[smh]$", ""));
            if (n >= 0) {
                return switch (v.charAt(v.length() - 1)) {
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofSeconds(n);
                };
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            // reported below
        }
        problems.add(name + " was '" + value + "' but it must be a duration like 500ms, 10s, 2m or 1h");
        return Duration.ZERO;
    }

    /** Bad options; a null message means only the usage was asked for. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    @Override
    public String toString() {
        return "LoadOptions[url=" + url + ", key=<hidden>, protocol=" + protocol + ", series=" + series + "]";
    }
}
