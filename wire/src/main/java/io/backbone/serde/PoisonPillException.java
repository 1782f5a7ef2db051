package io.backbone.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A value that no retry will ever decode: it belongs in a dead-letter topic. */
public class PoisonPillException extends SerializationException {

    /** Why a value cannot be decoded. */
    public enum Kind {
        NOT_FRAMED("not-framed"),
        UNKNOWN_SCHEMA_ID("unknown-schema-id"),
        UNDECODABLE("undecodable"),
        NULL_VALUE("null-value");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        /** The stable name used in dead-letter headers. */
        public String code() {
            return code;
        }
    }

    private final Kind kind;

    public PoisonPillException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public PoisonPillException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
