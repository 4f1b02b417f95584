package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the server as a separate process, kills it with SIGKILL in the middle of a remote-write load, restarts it on
 * the same data directory and checks that every acknowledged sample is counted (S3).
 */
class CrashRecoveryTest {
    static final String KEY = "crash-test-key";
    static final String METRIC = "crash_requests_total";
    static final int SERIES_PER_REQUEST = 200;

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void sigkillUnderLoad_losesNoAcknowledgedSample() throws Exception {
        int port = freePort();
        Process server = startServer(port);
        AtomicLong acked = new AtomicLong();
        AtomicLong inFlightAtKill = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong nextRequest = new AtomicLong();
        try (ExecutorService writers = Executors.newFixedThreadPool(4);
             AutoCloseable killOnFailure = server::destroyForcibly) {
            waitHealthy(port);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                futures.add(writers.submit(() -> {
                    while (running.get()) {
                        long n = nextRequest.getAndIncrement();
                        byte[] body = RemoteWriteRequests.request(METRIC, (int) (n % 50) * SERIES_PER_REQUEST,
                                SERIES_PER_REQUEST, System.currentTimeMillis(), n);
                        inFlightAtKill.addAndGet(SERIES_PER_REQUEST);
                        try {
                            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(
                                    "http://127.0.0.1:" + port + "/api/v1/write"))
                                    .header("Authorization", "Bearer " + KEY)
                                    .header("Content-Type", "application/x-protobuf")
                                    .header("Content-Encoding", "snappy")
                                    .timeout(Duration.ofSeconds(5))
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                    HttpResponse.BodyHandlers.discarding());
                            if (r.statusCode() == 204) {
                                acked.addAndGet(SERIES_PER_REQUEST);
                                inFlightAtKill.addAndGet(-SERIES_PER_REQUEST);
                            }
                        } catch (IOException e) {
                            return null; // the server is gone: this request's fate is unknown, it was not acknowledged
                        }
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (acked.get() < 150_000) {
                if (System.nanoTime() > deadline) {
                    running.set(false);
                    throw new AssertionError("the server acknowledged only " + acked.get() + " samples in 3 minutes");
                }
                Thread.sleep(20);
            }
            server.destroyForcibly(); // SIGKILL on Linux
            server.waitFor();
            running.set(false);
            for (Future<?> f : futures) {
                f.get();
            }
        }
        long ackedSamples = acked.get();
        long unknown = inFlightAtKill.get();
        Process restarted = startServer(port);
        try {
            waitHealthy(port);
            long now = System.currentTimeMillis() / 1000;
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/query?metric=" + METRIC + "&stat=count&from=" + (now - 3600) + "&to=" + (now + 60)))
                    .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            long stored = new ObjectMapper().readTree(r.body()).path("series").path(0).path("value").asLong();
            // Every acknowledged sample is there; at most the requests in flight at the kill may also be there.
            assertThat(stored).isGreaterThanOrEqualTo(ackedSamples).isLessThanOrEqualTo(ackedSamples + unknown);
        } finally {
            restarted.destroy();
            restarted.waitFor();
        }
        String log = java.nio.file.Files.readString(serverLog());
        assertThat(log).contains("replayed").doesNotContain(KEY); // recovery happened; the key never reached the log
    }

    private Path serverLog() {
        return dir.resolveSibling(dir.getFileName() + "-server.log");
    }

    private Process startServer(int port) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), "io.vigil.server.cli.VigilCli", "serve",
                "--data", dir.toString(), "--port", String.valueOf(port));
        pb.environment().put("VIGIL_API_KEY", KEY);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(serverLog().toFile()));
        return pb.start();
    }

    private void waitHealthy(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server did not become ready on port " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
