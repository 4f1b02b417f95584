package io.vigil.server.alerting;

import io.vigil.store.StateStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * The secret that signs acknowledgement links (read for each link signed or checked): from the environment variable
 * {@code VIGIL_ACK_SECRET} (at least 32 characters), else generated once and kept in the state store, so that every
 * node of a database signs and checks links alike. Never logged.
 */
public final class AckSecrets {
    static final String ENV = "VIGIL_ACK_SECRET";
    private static final String KIND = "secret";
    private static final String ID = "ack-links";
    private static final char QUOTE = '"';

    private AckSecrets() {}

    public static byte[] resolve(StateStore state, Map<String, String> env) {
        return resolve(state, env, ENV, ID);
    }

    /**
     * A secret of the same kind for another use: from the environment variable {@code envName} (at least 32
     * characters) when set, else generated once and kept in the state store under {@code id}. Never logged.
     */
    public static byte[] resolve(StateStore state, Map<String, String> env, String envName, String id) {
        String configured = env.get(envName);
        if (configured != null && !configured.isBlank()) {
            if (configured.length() < 32) {
                throw new IllegalArgumentException(envName + " must be at least 32 characters long");
            }
            return configured.getBytes(StandardCharsets.UTF_8);
        }
        var stored = state.get(KIND, id);
        if (stored.isPresent()) {
            return hex(stored.get());
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        state.put(KIND, Map.of(id, QUOTE + HexFormat.of().formatHex(secret) + QUOTE));
        // Another node may have stored its own at the same moment: use whichever is stored now. Callers resolve
        // again for every link they sign or check, so all nodes agree once the race is over.
        return hex(state.get(KIND, id).orElseThrow());
    }

    /** The bytes of a stored JSON string of hex digits. */
    private static byte[] hex(String json) {
        return HexFormat.of().parseHex(json.substring(1, json.length() - 1));
    }
}
