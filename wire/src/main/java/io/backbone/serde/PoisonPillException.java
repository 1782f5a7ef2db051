package io.backbone.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A value that no retry will ever decode: it belongs in a dead-letter topic. */
public class PoisonPillException extends SerializationException {

    /** Why a value cannot be decoded. */
    public enum Kind {
        NOT_FRAMED("not-framed"),
        UNKNOWN_SCHEMA_ID("unknown-schema-id"),
        UNDECODABLE("undecodable"),
        /** A string, bytes, fixed, array or map declares more than the record's remaining bytes can hold. */
        LENGTH_EXCEEDS_RECORD("length-exceeds-record"),
        /** Records, arrays, maps or unions nested deeper than {@link AvroBounds#MAX_DEPTH}. */
        NESTING_TOO_DEEP("nesting-too-deep"),
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
