package io.backbone.access;

import java.util.Arrays;
import java.util.List;

/** What a principal of {@code governance/principals.yaml} is on the platform; its {@code kind:} value. */
public enum PrincipalKind {
    /** A domain's service: writes its domain's raw streams. */
    PRODUCER("producer"),
    /** A domain's change data capture or outbox relay: writes its domain's raw streams from its database. */
    CDC("cdc"),
    /** Reads the products granted to it, nothing raw. */
    CONSUMER("consumer"),
    /** The Kafka Streams application that enforces the contracts and publishes the products. */
    BACKBONE("backbone"),
    /** The data product catalog service. */
    CATALOG("catalog");

    private final String code;

    PrincipalKind(String code) {
        this.code = code;
    }

    /** As written in principals.yaml. */
    public String code() {
        return code;
    }

    /** Whether principals of this kind write a domain's raw streams (and so read its raw topics and dead letters). */
    public boolean writesRawStreams() {
        return this == PRODUCER || this == CDC;
    }

    /** The kind written {@code code}, or null when there is none. */
    public static PrincipalKind parse(String code) {
        return Arrays.stream(values())
                .filter(k -> k.code.equals(code))
                .findFirst()
                .orElse(null);
    }

    /** Every kind as written, for a message that lists them. */
    public static List<String> codes() {
        return Arrays.stream(values()).map(PrincipalKind::code).sorted().toList();
    }

    @Override
    public String toString() {
        return code;
    }
}
