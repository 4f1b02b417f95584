package io.vigil.alerting;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** The stable identity of an alert (rule id and group labels), the same on every node and after restarts. */
public final class Fingerprint {
    private Fingerprint() {}

    /** 16 hex digits of the SHA-256 of the rule id and the sorted labels. */
    public static String of(String ruleId, Map<String, String> labels) {
        StringBuilder b = new StringBuilder(ruleId).append('\u0000');
        new TreeMap<>(labels).forEach((k, v) -> b.append(k).append('\u0001').append(v).append('\u0000'));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
