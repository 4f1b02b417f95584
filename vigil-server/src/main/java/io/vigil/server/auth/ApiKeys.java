package io.vigil.server.auth;

import io.vigil.server.config.VigilConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API keys a server accepts, kept only as SHA-256 digests and compared in constant time. Keys never reach logs:
 * {@link #describe()} names keys by their configured name only. Thread-safe (immutable).
 */
public final class ApiKeys {
    private record Entry(String name, byte[] digest, Set<Role> roles) {}

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Keys from the config file, plus {@code VIGIL_API_KEY} from the environment as an admin key when set.
     *
     * @throws IllegalArgumentException when a {@code keyEnv} names an unset variable
     */
    public static ApiKeys from(VigilConfig.Auth auth, Map<String, String> env) {
        List<Entry> list = new ArrayList<>();
        for (VigilConfig.ApiKeyConfig k : auth.keys()) {
            byte[] digest;
            if (k.sha256() != null) {
                digest = HexFormat.of().parseHex(k.sha256().toLowerCase());
            } else if (k.keyEnv() != null) {
                String v = env.get(k.keyEnv());
                if (v == null || v.isEmpty()) {
                    throw new IllegalArgumentException("auth key '" + k.name() + "' reads environment variable "
                            + k.keyEnv() + ", which is not set");
                }
                digest = sha256(v);
            } else {
                digest = sha256(k.key());
            }
            EnumSet<Role> roles = EnumSet.noneOf(Role.class);
            k.roles().forEach(r -> roles.add(Role.parse(r)));
            list.add(new Entry(k.name() == null ? "unnamed" : k.name(), digest, roles));
        }
        String envKey = env.get("VIGIL_API_KEY");
        if (envKey != null && !envKey.isEmpty()) {
            list.add(new Entry("VIGIL_API_KEY", sha256(envKey), EnumSet.of(Role.ADMIN)));
        }
        return new ApiKeys(list);
    }

    /** This set plus one admin key (used for the generated {@code admin.key}). */
    public ApiKeys withAdminKey(String name, String key) {
        List<Entry> list = new ArrayList<>(entries);
        list.add(new Entry(name, sha256(key), EnumSet.of(Role.ADMIN)));
        return new ApiKeys(list);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The roles of a presented key, empty when the key is unknown. */
    public Set<Role> rolesOf(String presented) {
        byte[] digest = sha256(presented);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest, digest)) {
                roles.addAll(e.roles);
            }
        }
        return roles;
    }

    /** The configured name of a presented key (never the key), or null when the key is unknown. */
    public String nameOf(String presented) {
        byte[] digest = sha256(presented);
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest, digest)) {
                return e.name;
            }
        }
        return null;
    }

    /** Whether a key with these roles may act in the required role. */
    public static boolean permits(Set<Role> held, Role required) {
        return held.contains(Role.ADMIN) || held.contains(required);
    }

    /** Key names and roles, for the startup log. */
    public String describe() {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            out.add(e.name + " " + e.roles);
        }
        return String.join(", ", out);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
