package io.vigil.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The generated admin key at {@code <data>/admin.key}, created with mode 0600 when no key is configured, and reused
 * on later starts (its mode is reset to 0600 if it was widened). Only its path is ever printed.
 */
public final class AdminKeyFile {
    private AdminKeyFile() {}

    /** Reads the key file, creating it with a new random 256-bit key first when missing. */
    public static String readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                String key = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!key.isEmpty()) {
                    // Someone may have copied or edited it: it holds an admin secret, so only the owner reads it.
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                    return key;
                }
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String key = "vgl_" + HexFormat.of().formatHex(random);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create admin key file " + file + ": " + e.getMessage(), e);
        }
    }
}
