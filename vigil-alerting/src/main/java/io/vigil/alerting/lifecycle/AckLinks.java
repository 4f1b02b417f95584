package io.vigil.alerting.lifecycle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed acknowledgement links: a token naming an alert or a group, whom the link was sent to, and until when it is
 * valid, signed with HMAC-SHA256. A token that was altered, signed with another secret, or is past its expiry is
 * refused. The token is {@code base64url(payload) "." base64url(hmac)}; it is a capability, not a secret, but it is
 * only as safe as the secret it was signed with.
 */
public final class AckLinks {
    private static final String ALGORITHM = "HmacSHA256";
    private static final int VERSION = 1;
    private static final int MIN_SECRET_BYTES = 32;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    /** The outcome of {@link #verify}. */
    public sealed interface Verification permits Accepted, Refused {}

    /** A valid token: what it acknowledges, whom it was issued to (may be empty) and until when it was valid. */
    public record Accepted(AckTarget target, String issuedTo, Instant expiresAt) implements Verification {}

    /** A refused token and why. */
    public record Refused(Reason reason) implements Verification {}

    /** Why a token was refused. */
    public enum Reason { MALFORMED, BAD_SIGNATURE, EXPIRED }

    /** Links signed with {@code secret} (at least 32 bytes). */
    public AckLinks(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the ack link secret needs at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    /** A token acknowledging {@code target}, sent to {@code issuedTo} (an on-call handle, never an address). */
    public String sign(AckTarget target, String issuedTo, Instant expiresAt) {
        byte[] payload = payload(target, issuedTo == null ? "" : issuedTo, expiresAt);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(payload));
    }

    /** Checks a token's signature, then its expiry at {@code now}. */
    public Verification verify(String token, Instant now) {
        if (token == null) {
            return new Refused(Reason.MALFORMED);
        }
        int dot = token.indexOf('.');
        if (dot < 0 || dot != token.lastIndexOf('.')) {
            return new Refused(Reason.MALFORMED);
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = DECODER.decode(token.substring(0, dot));
            signature = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return new Refused(Reason.MALFORMED);
        }
        if (!MessageDigest.isEqual(signature, mac(payload))) {
            return new Refused(Reason.BAD_SIGNATURE);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            if (in.readUnsignedByte() != VERSION) {
                return new Refused(Reason.MALFORMED);
            }
            AckTarget target = new AckTarget(AckTarget.Scope.valueOf(in.readUTF()), in.readUTF());
            String issuedTo = in.readUTF();
            Instant expiresAt = Instant.ofEpochSecond(in.readLong());
            if (in.available() != 0) {
                return new Refused(Reason.MALFORMED);
            }
            return now.isBefore(expiresAt) ? new Accepted(target, issuedTo, expiresAt) : new Refused(Reason.EXPIRED);
        } catch (IOException | RuntimeException e) {
            return new Refused(Reason.MALFORMED);
        }
    }

    private static byte[] payload(AckTarget target, String issuedTo, Instant expiresAt) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // Length-prefixed fields: no separator a label value could contain can shift one field into the next.
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(target.scope().name());
            out.writeUTF(target.id());
            out.writeUTF(issuedTo);
            out.writeLong(expiresAt.getEpochSecond());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
        }
    }
}
