package io.vigil.server;

import io.vigil.engine.StorageEngine;
import io.vigil.engine.query.QueryEngine;
import io.vigil.ingest.LabelRules;
import io.vigil.ingest.json.JsonBatchDecoder;
import io.vigil.ingest.otlp.OtlpMetricsDecoder;
import io.vigil.ingest.remotewrite.RemoteWriteDecoder;
import io.vigil.server.auth.AdminKeyFile;
import io.vigil.server.auth.ApiKeys;
import io.vigil.server.config.VigilConfig;
import io.vigil.server.http.HttpApi;
import io.vigil.store.embedded.EmbeddedMetricStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Vigil node on the embedded store: data directory (locked against a second process), storage engine,
 * decoders and HTTP API. {@link #close()} stops HTTP first, then commits and closes storage.
 */
public final class VigilServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VigilServer.class);

    private final StorageEngine engine;
    private final HttpApi http;
    private final FileLock lock;
    private final FileChannel lockChannel;
    private final Path adminKeyFile;
    private final int port;

    private VigilServer(StorageEngine engine, HttpApi http, FileLock lock, FileChannel lockChannel, Path adminKeyFile,
                        int port) {
        this.engine = engine;
        this.http = http;
        this.lock = lock;
        this.lockChannel = lockChannel;
        this.adminKeyFile = adminKeyFile;
        this.port = port;
    }

    /**
     * Starts a node.
     *
     * @param bind address to listen on
     * @param port port, 0 for any free one
     * @param env the process environment (for {@code VIGIL_API_KEY} and {@code keyEnv} keys)
     * @throws IllegalStateException when another process uses the data directory
     */
    public static VigilServer start(Path dataDir, VigilConfig config, String bind, int port, Map<String, String> env,
                                    Clock clock) {
        FileChannel lockChannel = null;
        FileLock lock;
        try {
            Files.createDirectories(dataDir);
            lockChannel = FileChannel.open(dataDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
            if (lock == null) {
                lockChannel.close();
                throw new IllegalStateException("data directory " + dataDir + " is in use by another Vigil process");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use data directory " + dataDir + ": " + e.getMessage(), e);
        }
        ApiKeys keys = ApiKeys.from(config.auth(), env);
        Path adminKeyFile = null;
        if (keys.isEmpty()) {
            adminKeyFile = dataDir.resolve("admin.key");
            keys = keys.withAdminKey("admin.key", AdminKeyFile.readOrCreate(adminKeyFile));
        }
        StorageEngine engine = StorageEngine.open(EmbeddedMetricStore.open(dataDir.resolve("store")),
                dataDir.resolve("wal"), config.storage().engineConfig(), clock);
        LabelRules rules = LabelRules.DEFAULTS;
        int maxBody = (int) Math.min(Integer.MAX_VALUE, config.server().maxBodyBytes());
        HttpApi http = new HttpApi(new HttpApi.Parts(engine, new QueryEngine(engine),
                new RemoteWriteDecoder(rules, clock, (int) Math.min(256L << 20, maxBody * 4L), 1 << 20),
                new OtlpMetricsDecoder(rules, clock), new JsonBatchDecoder(rules, clock), keys,
                config.server().maxBodyBytes(), config.server().maxConcurrentIngest()));
        int bound;
        try {
            bound = http.start(bind, port);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        LOG.info("Vigil listening on http://{}:{} (data in {}, {} series known, keys: {})", bind, bound, dataDir,
                engine.registry().size(), keys.describe());
        return new VigilServer(engine, http, lock, lockChannel, adminKeyFile, bound);
    }

    public int port() {
        return port;
    }

    /** Path of the generated admin key file, or null when keys came from the config or the environment. */
    public Path adminKeyFile() {
        return adminKeyFile;
    }

    public StorageEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        http.close();
        engine.close();
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("releasing data directory lock: {}", e.getMessage());
        }
    }
}
