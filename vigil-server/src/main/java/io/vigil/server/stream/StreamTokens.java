package io.vigil.server.stream;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived, HMAC-SHA256-signed tokens that stand in for an API key on the two stream endpoints only (browsers'
 * {@code EventSource} and {@code WebSocket} cannot send an {@code Authorization} header). A token grants the read
 * role for {@link #LIFETIME}; it names the key it was issued to by its configured name, never the key.
 *
 * <p>Form: {@code vst1.<expiry epoch ms>.<base64url key name>.<base64url nonce>.<base64url HMAC of what precedes>}.
 * The secret is read through a supplier for every token issued or checked (see
 * {@link io.vigil.server.alerting.AckSecrets}), so every node of a database accepts the tokens of the others.
 * Thread-safe.
 */
public final class StreamTokens {
    /** How long a token is accepted after it was issued. */
    public static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final String PREFIX = "vst1.";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final Supplier<byte[]> secret;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** A token that was issued, with its expiry. */
    public record Issued(String token, long expiresAtMillis) {}

    public StreamTokens(Supplier<byte[]> secret, Clock clock) {
        this.secret = secret;
        this.clock = clock;
    }

    /** A new token for the key of this name, valid for {@link #LIFETIME}. */
    public Issued issue(String keyName) {
        long expiry = clock.millis() + LIFETIME.toMillis();
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        String body = PREFIX + expiry + "." + B64.encodeToString(keyName.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(nonce);
        return new Issued(body + "." + B64.encodeToString(mac(body)), expiry);
    }

    /**
     * The key name of a valid, unexpired token, or null when the token is malformed, tampered with or expired.
     * Comparison of signatures is constant-time.
     */
    public String verify(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 1024) {
            return null;
        }
        int lastDot = token.lastIndexOf('.');
        String body = token.substring(0, lastDot);
        String[] parts = body.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        try {
            // The signature's text is compared, not its decoded bytes: base64 decoders ignore the unused low bits of
            // the last character, so a changed last character could otherwise still verify.
            byte[] presented = token.substring(lastDot + 1).getBytes(StandardCharsets.US_ASCII);
            byte[] expected = B64.encodeToString(mac(body)).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(presented, expected)) {
                return null;
            }
            long expiry = Long.parseLong(parts[1]);
            if (clock.millis() >= expiry) {
                return null;
            }
            return new String(B64D.decode(parts[2]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) { // bad base64 or number
            return null;
        }
    }

    private byte[] mac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.get(), "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
