package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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

    @Test
    void sigkillUnderLoad_losesNoAcknowledgedSample() throws Exception {
        VigilProcess server = new VigilProcess(KEY, serverLog(), java.util.Map.of(), "--data", dir.toString());
        AtomicLong acked = new AtomicLong();
        AtomicLong inFlightAtKill = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong nextRequest = new AtomicLong();
        try (ExecutorService writers = Executors.newFixedThreadPool(4);
             VigilProcess started = server.start()) {
            started.awaitReady(Duration.ofSeconds(60));
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                futures.add(writers.submit(() -> {
                    while (running.get()) {
                        long n = nextRequest.getAndIncrement();
                        byte[] body = RemoteWriteRequests.request(METRIC, (int) (n % 50) * SERIES_PER_REQUEST,
                                SERIES_PER_REQUEST, System.currentTimeMillis(), n);
                        inFlightAtKill.addAndGet(SERIES_PER_REQUEST);
                        try {
                            if (server.remoteWrite(body) == 204) {
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
            server.kill(); // SIGKILL on Linux
            running.set(false);
            for (Future<?> f : futures) {
                f.get();
            }
        }
        long ackedSamples = acked.get();
        long unknown = inFlightAtKill.get();
        try (VigilProcess restarted = server.start()) {
            restarted.awaitReady(Duration.ofSeconds(60));
            long stored = restarted.count(METRIC);
            // Every acknowledged sample is there; at most the requests in flight at the kill may also be there.
            assertThat(stored).isGreaterThanOrEqualTo(ackedSamples).isLessThanOrEqualTo(ackedSamples + unknown);
        }
        String log = java.nio.file.Files.readString(serverLog());
        assertThat(log).contains("replayed").doesNotContain(KEY); // recovery happened; the key never reached the log
    }

    private Path serverLog() {
        return dir.resolveSibling(dir.getFileName() + "-server.log");
    }
}
