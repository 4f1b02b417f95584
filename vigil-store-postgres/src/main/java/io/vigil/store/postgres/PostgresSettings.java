package io.vigil.store.postgres;

import java.util.Objects;

/**
 * Where and how the PostgreSQL store connects.
 *
 * @param jdbcUrl a {@code jdbc:postgresql://host:port/database} URL; it should not carry the password
 * @param user the database role
 * @param password the role's password; null or empty for trust/peer authentication. Never shown by
 *     {@link #toString()} nor in any exception message of the store
 * @param maxPoolSize the maximum number of pooled connections, at least 1
 */
public record PostgresSettings(String jdbcUrl, String user, String password, int maxPoolSize) {
    public PostgresSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql: but was "
                    + Redaction.url(jdbcUrl));
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize was " + maxPoolSize + " but must be at least 1");
        }
    }

    /** The URL with any {@code password=} parameter and {@code user:password@} part masked. */
    public String redactedUrl() {
        return Redaction.url(jdbcUrl);
    }

    @Override
    public String toString() {
        return "PostgresSettings[jdbcUrl=" + redactedUrl() + ", user=" + user + ", password="
                + (password == null || password.isEmpty() ? "(none)" : "***") + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
