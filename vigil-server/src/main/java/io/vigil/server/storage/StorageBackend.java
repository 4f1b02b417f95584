package io.vigil.server.storage;

import io.vigil.server.config.VigilConfig;
import io.vigil.store.EventChannel;
import io.vigil.store.Lease;
import io.vigil.store.MetricStore;
import io.vigil.store.NodeId;
import io.vigil.store.embedded.EmbeddedMetricStore;
import io.vigil.store.postgres.PostgresEventChannel;
import io.vigil.store.postgres.PostgresLease;
import io.vigil.store.postgres.PostgresMetricStore;
import io.vigil.store.postgres.PostgresSettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * The store a node runs on and the coordination that comes with it: on the embedded store a single node holds every
 * lease; on PostgreSQL the leases are advisory locks shared by all nodes of the database, and the node's id is
 * itself held as a lease so that two running nodes cannot share one id (and with it one WAL checkpoint).
 */
public final class StorageBackend {
    private final MetricStore store;
    private final Lease maintenanceLease;
    private final Lease nodeLease;
    private final String description;
    /** Makes the lease of a singleton job by name. */
    private final java.util.function.Function<String, Lease> leases;
    /** Opens an event channel between the nodes by name; null on the embedded store. */
    private final java.util.function.Function<String, EventChannel> channels;

    private StorageBackend(MetricStore store, Lease maintenanceLease, Lease nodeLease, String description,
                           java.util.function.Function<String, Lease> leases,
                           java.util.function.Function<String, EventChannel> channels) {
        this.leases = leases;
        this.channels = channels;
        this.store = store;
        this.maintenanceLease = maintenanceLease;
        this.nodeLease = nodeLease;
        this.description = description;
    }

    /**
     * Opens the configured backend for one node.
     *
     * @throws IllegalArgumentException when the PostgreSQL settings are incomplete or the node id is invalid
     * @throws IllegalStateException when another running node uses the same node id
     * @throws io.vigil.store.StorageException when the store cannot be opened
     */
    public static StorageBackend open(VigilConfig.Storage config, Path dataDir, String nodeId, Map<String, String> env) {
        NodeId.check(nodeId);
        if (!config.isPostgres()) {
            return new StorageBackend(EmbeddedMetricStore.open(dataDir.resolve("store")), Lease.local("maintenance"),
                    Lease.local("node." + nodeId), "embedded store in " + dataDir.resolve("store"), Lease::local,
                    name -> null);
        }
        PostgresSettings settings = settings(config.postgres(), env);
        PostgresLease nodeLease = new PostgresLease(settings, "node." + nodeId);
        if (!acquireWithin(nodeLease, NODE_ID_WAIT)) {
            nodeLease.close();
            throw new IllegalStateException("node id '" + nodeId + "' is in use by another running Vigil node on "
                    + settings.redactedUrl() + " (or the database is unreachable); give each node its own --node-id");
        }
        try {
            PostgresMetricStore store = PostgresMetricStore.open(settings, nodeId);
            return new StorageBackend(store, new PostgresLease(settings, "maintenance"), nodeLease,
                    "PostgreSQL " + settings.redactedUrl() + " as node " + nodeId,
                    name -> new PostgresLease(settings, name), name -> new PostgresEventChannel(settings, name));
        } catch (RuntimeException e) {
            nodeLease.close();
            throw e;
        }
    }

    /**
     * How long a starting node waits for its id to be free: a node restarted right after a crash may find the id
     * still held until PostgreSQL notices that the old session is gone.
     */
    static final java.time.Duration NODE_ID_WAIT = java.time.Duration.ofSeconds(15);

    private static boolean acquireWithin(Lease lease, java.time.Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!lease.tryAcquire()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    static PostgresSettings settings(VigilConfig.Postgres pg, Map<String, String> env) {
        String url = pg.url(env);
        String user = pg.user(env);
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("storage.backend is postgres but no JDBC URL is set: give"
                    + " storage.postgres.url in the config or VIGIL_POSTGRES_URL in the environment");
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("storage.backend is postgres but no database user is set: give"
                    + " storage.postgres.user in the config or VIGIL_POSTGRES_USER in the environment");
        }
        return new PostgresSettings(url, user, pg.password(env), pg.maxPoolSize());
    }

    /** The metric store; the storage engine owns and closes it. */
    public MetricStore store() {
        return store;
    }

    /** The wedding calendar's store, on the same database as the metrics. */
    public io.vigil.store.WeddingStore weddingStore() {
        return store instanceof PostgresMetricStore pg ? pg.weddings() : ((EmbeddedMetricStore) store).weddings();
    }

    /** The alerting and delivery state store, on the same database as the metrics. */
    public io.vigil.store.StateStore stateStore() {
        return store instanceof PostgresMetricStore pg ? pg.state() : ((EmbeddedMetricStore) store).state();
    }

    /** The lease of the singleton maintenance jobs; the storage engine owns and closes it. */
    public Lease maintenanceLease() {
        return maintenanceLease;
    }

    /** A new lease for a singleton job (one node at a time runs it); the caller closes it. */
    public Lease lease(String name) {
        return leases.apply(name);
    }

    /**
     * Opens a channel of best-effort messages to every node of the database (PostgreSQL LISTEN/NOTIFY on
     * {@code name}), or returns null on the embedded store, where this node is the only one. The caller closes it.
     *
     * @param name lower-case letters, digits and underscores
     * @throws IllegalArgumentException for another name
     */
    public EventChannel openEventChannel(String name) {
        return channels.apply(name);
    }

    /** Releases the node id; call after the engine has closed. */
    public void releaseNodeId() {
        nodeLease.close();
    }

    /** Where the data lives, without secrets, for logs. */
    public String describe() {
        return description;
    }
}
