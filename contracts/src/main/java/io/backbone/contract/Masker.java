package io.backbone.contract;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/** Applies a product's masks to a record in place: keyed HMAC-SHA256 hashes, redaction, dropping. */
public final class Masker {
    public static final String REDACTED = "REDACTED";
    private static final HexFormat HEX = HexFormat.of();

    private static final int BLOCK = 64;

    // HMAC-SHA256 (RFC 2104) with the keyed pads absorbed once: each hash starts from a copy of these two states,
    // two SHA-256 compressions fewer per value than javax.crypto.Mac, which re-absorbs the inner pad every time
    private final MessageDigest inner;
    private final MessageDigest outer;

    /** {@code secret}: the salt of the keyed hash; the same secret gives the same pseudonyms, so joins still work. */
    public Masker(byte[] secret) {
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("the masking secret must be at least 16 bytes");
        }
        byte[] key = secret.length > BLOCK ? sha256().digest(secret) : secret.clone();
        byte[] ipad = new byte[BLOCK];
        byte[] opad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            ipad[i] = (byte) (k ^ 0x36);
            opad[i] = (byte) (k ^ 0x5c);
        }
        this.inner = sha256();
        this.inner.update(ipad);
        this.outer = sha256();
        this.outer.update(opad);
        copy(inner); // fail now, not on the first record, if this JVM's SHA-256 cannot be copied
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    private static MessageDigest copy(MessageDigest prototype) {
        try {
            return (MessageDigest) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("this JVM's SHA-256 cannot be copied", e);
        }
    }

    /** Masks every field {@code masks} names. */
    public void apply(GenericRecord record, List<Mask> masks) {
        for (Mask mask : masks) {
            switch (mask.policy()) {
                case HASH -> mask.field().update(record, v -> v == null ? null : hash(v.toString()));
                case REDACT -> mask.field().update(record, v -> v == null ? null : REDACTED);
                case DROP -> mask.field().update(record, v -> null);
                case KEEP -> {}
            }
        }
    }

    /** The pseudonym of {@code value}: lowercase hex of HMAC-SHA256(secret, value). */
    public String hash(String value) {
        MessageDigest in = copy(inner);
        byte[] innerHash = in.digest(value.getBytes(StandardCharsets.UTF_8));
        MessageDigest out = copy(outer);
        return HEX.formatHex(out.digest(innerHash));
    }
}
