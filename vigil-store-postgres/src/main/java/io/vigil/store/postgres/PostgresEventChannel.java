package io.vigil.store.postgres;

import io.vigil.store.EventChannel;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventChannel} over PostgreSQL LISTEN/NOTIFY: one connection listens on the channel and a thread waits
 * for notifications on it (no polling of tables); publishing is {@code pg_notify} on a second connection. When the
 * listening connection fails, the thread reconnects and listens again (messages sent meanwhile are missed, as the
 * interface allows). Thread-safe.
 */
public final class PostgresEventChannel implements EventChannel {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresEventChannel.class);

    private final PostgresSettings settings;
    private final String channel;
    private final List<Consumer<String>> receivers = new CopyOnWriteArrayList<>();
    private final Thread listener;
    private final Object publishLock = new Object();
    private Connection publisher; // guarded by publishLock
    private volatile boolean closed;
    private volatile Connection listening;

    /**
     * Starts listening on {@code channel} (letters, digits and underscores only).
     *
     * @throws IllegalArgumentException for another channel name
     */
    public PostgresEventChannel(PostgresSettings settings, String channel) {
        if (!channel.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("channel was '" + channel
                    + "' but it must be lower-case letters, digits and underscores, at most 63");
        }
        this.settings = settings;
        this.channel = channel;
        this.listener = Thread.ofPlatform().name("vigil-events-" + channel).daemon(true).start(this::listen);
    }

    private Connection connect(String purpose) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", settings.user());
        if (settings.password() != null && !settings.password().isEmpty()) {
            props.setProperty("password", settings.password());
        }
        props.setProperty("ApplicationName", "vigil-events-" + purpose);
        Connection c = DriverManager.getConnection(settings.jdbcUrl(), props);
        c.setAutoCommit(true);
        return c;
    }

    private void listen() {
        while (!closed) {
            try (Connection c = connect("listen"); Statement st = c.createStatement()) {
                st.execute("LISTEN " + channel);
                listening = c;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notes = pg.getNotifications(500);
                    if (notes == null) {
                        continue;
                    }
                    for (PGNotification n : notes) {
                        for (Consumer<String> r : receivers) {
                            try {
                                r.accept(n.getParameter());
                            } catch (RuntimeException e) {
                                LOG.warn("event receiver on '{}' failed: {}", channel, e.toString());
                            }
                        }
                    }
                }
            } catch (SQLException e) {
                if (!closed) {
                    LOG.warn("listening on '{}' failed ({}); reconnecting", channel, e.getSQLState());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            } finally {
                listening = null;
            }
        }
    }

    /** True while the channel listens (for readiness checks and tests). */
    public boolean listening() {
        return listening != null;
    }

    @Override
    public void publish(String payload) {
        if (payload.length() > MAX_PAYLOAD_CHARS) {
            throw new IllegalArgumentException("event payload of " + payload.length() + " characters is longer than "
                    + MAX_PAYLOAD_CHARS);
        }
        synchronized (publishLock) {
            try {
                if (publisher == null || publisher.isClosed()) {
                    publisher = connect("publish");
                }
                try (PreparedStatement ps = publisher.prepareStatement("SELECT pg_notify(?, ?)")) {
                    ps.setString(1, channel);
                    ps.setString(2, payload);
                    ps.execute();
                }
            } catch (SQLException e) {
                closePublisher();
                throw new io.vigil.store.StorageException("publishing on '" + channel + "' to "
                        + settings.redactedUrl() + " failed: " + e.getMessage(), e, true);
            }
        }
    }

    @Override
    public void subscribe(Consumer<String> receiver) {
        receivers.add(receiver);
    }

    private void closePublisher() {
        if (publisher != null) {
            try {
                publisher.close();
            } catch (SQLException ignored) {
                // closing a broken connection
            }
            publisher = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (publishLock) {
            closePublisher();
        }
        try {
            listener.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
