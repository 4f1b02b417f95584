package io.vigil.store.postgres;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The scratch PostgreSQL database the tests use, named by {@code VIGIL_TEST_PG_URL} and {@code VIGIL_TEST_PG_USER}
 * (empty password), which {@code ./vigil test} starts. Without them a test fails, never skips.
 */
final class TestDatabase {
    private TestDatabase() {}

    static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            fail(name + " is not set: run ./vigil test, which starts PostgreSQL"
                    + " (or set VIGIL_TEST_PG_URL and VIGIL_TEST_PG_USER to a scratch database)");
        }
        return v;
    }

    static PostgresSettings settings(int maxPoolSize) {
        return new PostgresSettings(env("VIGIL_TEST_PG_URL"), env("VIGIL_TEST_PG_USER"), "", maxPoolSize);
    }

    /** A connection of its own, outside any store's pool. */
    static Connection connect() throws SQLException {
        return DriverManager.getConnection(env("VIGIL_TEST_PG_URL"), env("VIGIL_TEST_PG_USER"), "");
    }
}
