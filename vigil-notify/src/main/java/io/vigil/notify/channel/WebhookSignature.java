package io.vigil.notify.channel;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of Vigil's webhooks, {@code X-Vigil-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">} keyed
 * with the shared secret, {@code <timestamp>} being the {@code X-Vigil-Timestamp} header (epoch seconds): how
 * {@link WebhookChannel} signs and how a receiver verifies (docs/notifications.md).
 */
public final class WebhookSignature {
    /** The scheme prefix of the signature header. */
    public static final String SCHEME = "v1=";
    /** Shortest secret taken: 32 bytes, the HMAC-SHA256 output size. */
    public static final int MIN_SECRET_BYTES = 32;
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");
    private static final Pattern SIGNATURE = Pattern.compile("v1=[0-9a-fA-F]{64}");

    private WebhookSignature() {}

    /**
     * Whether a request is genuine and fresh: the signature is well formed and matches the timestamp and the body
     * (compared in constant time), and the timestamp is within {@code tolerance} of {@code now} either way (older
     * requests may be replays). Malformed or missing headers give false; it never throws for what a request holds.
     *
     * @param secret the shared secret (UTF-8)
     * @param timestampHeader the {@code X-Vigil-Timestamp} header, null if absent
     * @param signatureHeader the {@code X-Vigil-Signature} header, null if absent
     * @param body the request body exactly as received, before any parsing
     * @param now the receiver's clock
     * @param tolerance how far the timestamp may be from {@code now}, e.g. 5 minutes
     */
    public static boolean verify(String secret, String timestampHeader, String signatureHeader, byte[] body,
                                 Instant now, Duration tolerance) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(tolerance, "tolerance");
        if (timestampHeader == null || signatureHeader == null || body == null) {
            return false;
        }
        String ts = timestampHeader.strip();
        String sig = signatureHeader.strip();
        if (!TIMESTAMP.matcher(ts).matches() || !SIGNATURE.matcher(sig).matches()) {
            return false;
        }
        long seconds = Long.parseLong(ts);
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = mac(secret.getBytes(StandardCharsets.UTF_8), ts, body);
        byte[] given = HexFormat.of().parseHex(sig.substring(SCHEME.length()));
        return MessageDigest.isEqual(expected, given);
    }

    /** The header value {@code v1=<hex>} for a timestamp (epoch seconds, as sent) and a body. */
    static String sign(byte[] secret, String timestamp, byte[] body) {
        return SCHEME + HexFormat.of().formatHex(mac(secret, timestamp, body));
    }

    /** HMAC-SHA256 of {@code "<timestamp>.<body>"}. */
    private static byte[] mac(byte[] secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
