package io.backbone.contract;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.avro.generic.GenericRecord;

/** Applies a product's masks to a record in place: keyed HMAC-SHA256 hashes, redaction, dropping. */
public final class Masker {
    public static final String REDACTED = "REDACTED";
    private static final HexFormat HEX = HexFormat.of();

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    /** {@code secret}: the salt of the keyed hash; the same secret gives the same pseudonyms, so joins still work. */
    public Masker(byte[] secret) {
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("the masking secret must be at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
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
        return HEX.formatHex(macs.get().doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }
}
