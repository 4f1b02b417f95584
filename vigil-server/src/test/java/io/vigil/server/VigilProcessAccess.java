package io.vigil.server;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** {@link VigilProcess} for tests in other packages. */
public final class VigilProcessAccess {
    private final VigilProcess process;

    public VigilProcessAccess(String key, Path log, String... args) throws IOException {
        this.process = new VigilProcess(key, log, Map.of(), args);
    }

    /** Starts the node and waits until it is ready. */
    public void start() throws IOException, InterruptedException {
        process.start().awaitReady(Duration.ofSeconds(60));
    }

    public String base() {
        return "http://127.0.0.1:" + process.port;
    }

    public Path log() {
        return process.log;
    }

    /** Stops the node cleanly (its log is complete afterwards). */
    public void close() {
        process.close();
    }
}
