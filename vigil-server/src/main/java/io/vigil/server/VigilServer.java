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
import io.vigil.server.storage.StorageBackend;
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
 * One running Vigil node: data directory (locked against a second process; it holds the WAL, and the embedded store
 * when that is the backend), storage backend, storage engine, decoders and HTTP API. {@link #close()} stops HTTP
 * first, then commits and closes storage.
 */
public final class VigilServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VigilServer.class);

    private final io.vigil.server.notify.Notifications notifications;
    private final io.vigil.server.export.Exports exports;
    private final StorageEngine engine;
    private final StorageBackend backend;
    private final io.vigil.server.calendar.FeedPoller feedPoller;
    private final io.vigil.server.calendar.WeddingHealthMonitor weddingHealth;
    private final io.vigil.alerting.service.AlertingService alerting;
    private final HttpApi http;
    private final io.vigil.server.stream.StreamHub streams;
    /** Live streams across the nodes of a PostgreSQL database; null on the embedded store. */
    private final io.vigil.server.stream.StreamFanOut fanOut;
    private final FileLock lock;
    private final FileChannel lockChannel;
    private final Path adminKeyFile;
    private final int port;

    private VigilServer(StorageEngine engine, StorageBackend backend, io.vigil.server.calendar.FeedPoller feedPoller,
                        io.vigil.server.calendar.WeddingHealthMonitor weddingHealth,
                        io.vigil.alerting.service.AlertingService alerting,
                        io.vigil.server.notify.Notifications notifications, io.vigil.server.export.Exports exports,
                        HttpApi http,
                        io.vigil.server.stream.StreamHub streams, io.vigil.server.stream.StreamFanOut fanOut,
                        FileLock lock, FileChannel lockChannel, Path adminKeyFile, int port) {
        this.fanOut = fanOut;
        this.alerting = alerting;
        this.notifications = notifications;
        this.exports = exports;
        this.feedPoller = feedPoller;
        this.weddingHealth = weddingHealth;
        this.engine = engine;
        this.backend = backend;
        this.http = http;
        this.streams = streams;
        this.lock = lock;
        this.lockChannel = lockChannel;
        this.adminKeyFile = adminKeyFile;
        this.port = port;
    }

    /** Starts a node with the default node id {@value #DEFAULT_NODE_ID}. */
    public static VigilServer start(Path dataDir, VigilConfig config, String bind, int port, Map<String, String> env,
                                    Clock clock) {
        return start(dataDir, config, DEFAULT_NODE_ID, bind, port, env, clock);
    }

    /** The environment variable that may give the secret signing stream tokens (else generated and stored). */
    static final String STREAM_SECRET_ENV = "VIGIL_STREAM_SECRET";

    /** The node id of a node started without one. */
    public static final String DEFAULT_NODE_ID = "node-1";

    /**
     * Starts a node.
     *
     * @param nodeId the node's id among the nodes sharing a PostgreSQL database; see {@link io.vigil.store.NodeId}
     * @param bind address to listen on
     * @param port port, 0 for any free one
     * @param env the process environment (for {@code VIGIL_API_KEY} and {@code keyEnv} keys)
     * @throws IllegalStateException when another process uses the data directory, or another node the node id
     */
    public static VigilServer start(Path dataDir, VigilConfig config, String nodeId, String bind, int port,
                                    Map<String, String> env, Clock clock) {
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
        io.vigil.export.ExportSinks.Built exporters;
        try {
            exporters = io.vigil.export.ExportSinks.build(config.export(), env);
        } catch (IllegalArgumentException e) {
            release(lock, lockChannel);
            throw e;
        }
        ApiKeys keys = ApiKeys.from(config.auth(), env);
        Path adminKeyFile = null;
        if (keys.isEmpty()) {
            adminKeyFile = dataDir.resolve("admin.key");
            keys = keys.withAdminKey("admin.key", AdminKeyFile.readOrCreate(adminKeyFile));
        }
        StorageBackend backend;
        StorageEngine engine;
        try {
            backend = StorageBackend.open(config.storage(), dataDir, nodeId, env);
        } catch (RuntimeException e) {
            release(lock, lockChannel);
            throw e;
        }
        try {
            engine = StorageEngine.open(backend.store(), dataDir.resolve("wal"), config.storage().engineConfig(), clock);
        } catch (RuntimeException e) {
            backend.store().close();
            backend.releaseNodeId();
            release(lock, lockChannel);
            throw e;
        }
        engine.maintenanceLease(backend.maintenanceLease());
        LabelRules rules = LabelRules.DEFAULTS;
        int maxBody = (int) Math.min(Integer.MAX_VALUE, config.server().maxBodyBytes());
        io.vigil.calendar.WeddingCalendar calendar = new io.vigil.calendar.WeddingCalendar(backend.weddingStore(),
                config.calendar().settings(), clock);
        java.util.List<io.vigil.server.calendar.FeedPoller.FeedConfig> feeds = new java.util.ArrayList<>();
        for (VigilConfig.Feed f : config.calendar().feeds()) {
            String url = f.url(env);
            if (url == null) {
                LOG.error("calendar feed {}: the environment variable {} is not set; the feed is not polled",
                        f.name(), f.urlEnv());
                continue;
            }
            feeds.add(new io.vigil.server.calendar.FeedPoller.FeedConfig(f.name(), java.net.URI.create(url),
                    f.pollInterval()));
        }
        io.vigil.server.calendar.FeedPoller feedPoller = new io.vigil.server.calendar.FeedPoller(feeds, calendar,
                backend.lease("calendar-feeds")).start();
        QueryEngine queries = new QueryEngine(engine);
        io.vigil.server.calendar.WeddingHealthMonitor weddingHealth =
                new io.vigil.server.calendar.WeddingHealthMonitor(calendar, queries).start();
        io.vigil.store.StateStore state = backend.stateStore();
        io.vigil.alerting.rules.RuleEvaluator ruleEvaluator = new io.vigil.alerting.rules.RuleEvaluator(queries);
        io.vigil.alerting.service.AlertingService alerting = new io.vigil.alerting.service.AlertingService(state,
                ruleEvaluator, calendar, backend.lease("alerting"), clock, alertingRules(config),
                io.vigil.alerting.lifecycle.LifecycleConfig.DEFAULTS).start();
        java.util.function.Supplier<io.vigil.alerting.lifecycle.AckLinks> ackLinks =
                () -> new io.vigil.alerting.lifecycle.AckLinks(io.vigil.server.alerting.AckSecrets.resolve(state, env));
        io.vigil.server.alerting.AlertRoutes alertRoutes = new io.vigil.server.alerting.AlertRoutes(state, calendar,
                ackLinks, ruleEvaluator, alerting::rulesInForce, HttpApi::keyName);
        io.vigil.server.notify.Notifications notifications = io.vigil.server.notify.Notifications.start(
                config.notifications(), state, backend.weddingStore(), engine, env, clock, nodeId, ackLinks);
        alerting.whenIntentsWritten(notifications.service()::wake);
        io.vigil.server.export.Exports exports = io.vigil.server.export.Exports.start(config.export(), exporters,
                engine, calendar, backend.lease("export"), state, alerting, clock);
        io.vigil.server.stream.StreamHub streams = new io.vigil.server.stream.StreamHub(queries, calendar, clock,
                io.vigil.server.stream.StreamClient.Limits.DEFAULTS).start();
        // On PostgreSQL, streams also update when another node flushed a metric (docs/streams.md).
        io.vigil.store.EventChannel events = backend.openEventChannel(io.vigil.server.stream.StreamFanOut.CHANNEL);
        io.vigil.server.stream.StreamFanOut fanOut = events == null ? null
                : io.vigil.server.stream.StreamFanOut.start(events, nodeId, streams, engine::refreshSeries);
        engine.onFlushed(fanOut);
        HttpApi http = new HttpApi(new HttpApi.Parts(engine, queries,
                new RemoteWriteDecoder(rules, clock, (int) Math.min(256L << 20, maxBody * 4L), 1 << 20),
                new OtlpMetricsDecoder(rules, clock), new JsonBatchDecoder(rules, clock), keys,
                config.server().maxBodyBytes(), config.server().maxConcurrentIngest(),
                new HttpApi.NodeInfo(nodeId, config.storage().backend(), alerting::evaluating), calendar, feedPoller::status,
                weddingHealth, alertRoutes, notifications.routes(), batch -> {
                    if (alerting.wantsIngest() || streams.wantsIngest()) { // the batch's metrics, found once for both
                        java.util.Set<String> metrics = batch.metricNames();
                        alerting.ingested(metrics);
                        streams.ingested(metrics);
                    }
                }, new io.vigil.server.stream.StreamRoutes(streams, new io.vigil.server.stream.StreamTokens(
                        () -> io.vigil.server.alerting.AckSecrets.resolve(state, env, STREAM_SECRET_ENV, "stream-tokens"),
                        clock), HttpApi::keyName), exports));
        int bound;
        try {
            bound = http.start(bind, port);
        } catch (RuntimeException e) {
            streams.close();
            notifications.service().close();
            alerting.close();
            exports.close();
            weddingHealth.close();
            feedPoller.close();
            engine.close();
            if (fanOut != null) {
                fanOut.close();
            }
            backend.releaseNodeId();
            release(lock, lockChannel);
            throw e;
        }
        LOG.info("Vigil node {} listening on http://{}:{} (WAL in {}, {}, {} series known, keys: {})", nodeId, bind,
                bound, dataDir, backend.describe(), engine.registry().size(), keys.describe());
        return new VigilServer(engine, backend, feedPoller, weddingHealth, alerting, notifications, exports, http,
                streams, fanOut, lock, lockChannel, adminKeyFile, bound);
    }

    public int port() {
        return port;
    }

    /** Path of the generated admin key file, or null when keys came from the config or the environment. */
    public Path adminKeyFile() {
        return adminKeyFile;
    }

    /** The rules of the config's rules file, or the built-in defaults. */
    private static java.util.List<io.vigil.alerting.rules.Rule> alertingRules(VigilConfig config) {
        String file = config.alerting().rulesFile();
        if (file == null) {
            return io.vigil.alerting.rules.DefaultRules.load();
        }
        try {
            return io.vigil.alerting.rules.RuleParser.parseYaml(Files.readString(Path.of(file)));
        } catch (IOException e) {
            throw new IllegalArgumentException("alerting.rulesFile " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The alerting and delivery state of this node's database (the outbox of notification intents, history). */
    public io.vigil.store.StateStore state() {
        return backend.stateStore();
    }

    /** Alerting (tests evaluate on demand). */
    public io.vigil.alerting.service.AlertingService alerting() {
        return alerting;
    }

    /** The per-wedding checks (tests run them on demand). */
    public io.vigil.server.calendar.WeddingHealthMonitor weddingHealth() {
        return weddingHealth;
    }

    /** The exports (tests run an export round on demand). */
    public io.vigil.server.export.Exports exports() {
        return exports;
    }

    /** The calendar feed poller (tests poll on demand). */
    public io.vigil.server.calendar.FeedPoller feedPoller() {
        return feedPoller;
    }

    /** The live-metric streams (tests read their counters). */
    public io.vigil.server.stream.StreamHub streams() {
        return streams;
    }

    /** Live streams across the nodes of a PostgreSQL database (tests read its counters); null on the embedded store. */
    public io.vigil.server.stream.StreamFanOut streamFanOut() {
        return fanOut;
    }

    public StorageEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        streams.close();
        http.close();
        alerting.close();
        notifications.service().close();
        exports.close();
        weddingHealth.close();
        feedPoller.close();
        engine.close(); // its final flush is still announced to the other nodes
        if (fanOut != null) {
            fanOut.close();
        }
        backend.releaseNodeId();
        release(lock, lockChannel);
    }

    private static void release(FileLock lock, FileChannel channel) {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            LOG.warn("releasing data directory lock: {}", e.getMessage());
        }
    }
}
