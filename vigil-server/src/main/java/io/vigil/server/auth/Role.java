package io.vigil.server.auth;

import io.javalin.security.RouteRole;
import java.util.Locale;

/** What a key may do. {@link #ADMIN} may do everything. */
public enum Role implements RouteRole {
    INGEST, READ, ADMIN;

    public static Role parse(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
