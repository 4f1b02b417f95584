package io.vigil.store.postgres;

import io.vigil.store.Lease;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Lease} held as a PostgreSQL session-level advisory lock on a connection of its own. PostgreSQL releases
 * the lock the moment that session ends, whether the node exits, is killed, or loses its network, so the next
 * node's {@link #tryAcquire()} takes over without any expiry clock; with nodes calling it every 5 s, failover takes
 * at most about 5 s plus the time PostgreSQL needs to notice a dead connection (at once for a killed process, TCP
 * keepalive for a vanished host). {@code tryAcquire} on the holder checks its connection, so a holder whose session
 * was lost stops believing it holds the lease. Thread-safe.
 */
public final class PostgresLease implements Lease {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresLease.class);

    private final String name;
    private final long key;
    private final PostgresSettings settings;
    private Connection connection; // guarded by this
    private boolean held;          // guarded by this

    /** A lease named {@code name}; the lock key is a stable hash of the name, the same on every node. */
    public PostgresLease(PostgresSettings settings, String name) {
        this.settings = settings;
        this.name = name;
        CRC32C crc = new CRC32C();
        crc.update(("vigil.lease." + name).getBytes(StandardCharsets.UTF_8));
        this.key = crc.getValue();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized boolean tryAcquire() {
        try {
            if (connection == null || connection.isClosed() || !connection.isValid(2)) {
                dropConnection();
                Properties props = new Properties();
                props.setProperty("user", settings.user());
                if (settings.password() != null && !settings.password().isEmpty()) {
                    props.setProperty("password", settings.password());
                }
                props.setProperty("ApplicationName", "vigil-lease-" + name);
                props.setProperty("tcpKeepAlive", "true");
                connection = DriverManager.getConnection(settings.jdbcUrl(), props);
                connection.setAutoCommit(true);
            }
            if (held) {
                return true; // the session is valid, so its advisory lock is still ours
            }
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    held = rs.next() && rs.getBoolean(1);
                }
            }
            if (held) {
                LOG.info("lease '{}' acquired", name);
            }
            return held;
        } catch (SQLException e) {
            if (held) {
                LOG.warn("lease '{}' lost: its database session failed ({})", name, e.getSQLState());
            }
            dropConnection();
            return false;
        }
    }

    private void dropConnection() {
        held = false;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the session is gone either way, and with it the lock
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        if (held && connection != null) {
            // Unlock explicitly: PostgreSQL ends a closed session's backend asynchronously, so closing alone would
            // leave the lock held for a moment after close() returns.
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                ps.setLong(1, key);
                ps.execute();
                LOG.info("lease '{}' released", name);
            } catch (SQLException e) {
                LOG.warn("lease '{}': unlock failed ({}); it lapses when the session ends", name, e.getSQLState());
            }
        }
        dropConnection();
    }

    @Override
    public String toString() {
        return "PostgresLease[" + name + " on " + settings.redactedUrl() + "]";
    }
}
