package io.backbone.producer.faults;

import java.util.Locale;

/** A way the simulator spoils an event, and where the backbone must send the result. */
public enum Fault {
    NONE(Outcome.PRODUCT, null),
    DUPLICATE(Outcome.DROPPED, null),
    NEGATIVE_AMOUNT(Outcome.DLQ, "schema"),
    INCONSISTENT_TOTAL(Outcome.DLQ, "quality"),
    UNKNOWN_CURRENCY(Outcome.DLQ, "quality"),
    MALFORMED_EMAIL(Outcome.DLQ, "schema"),
    MISSING_REQUIRED(Outcome.DLQ, "quality"),
    MISSING_REASON(Outcome.DLQ, "quality"),
    NOT_FRAMED(Outcome.DLQ, "deserialize"),
    UNKNOWN_SCHEMA_ID(Outcome.DLQ, "deserialize"),
    TRUNCATED_AVRO(Outcome.DLQ, "deserialize");

    /** Where an event ends. */
    public enum Outcome {
        PRODUCT,
        DLQ,
        DROPPED
    }

    private final Outcome outcome;
    private final String stage;

    Fault(Outcome outcome, String stage) {
        this.outcome = outcome;
        this.stage = stage;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The DLQ stage the backbone must report, for faults that end in the DLQ. */
    public String stage() {
        return stage;
    }

    public boolean poisonPill() {
        return "deserialize".equals(stage);
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
