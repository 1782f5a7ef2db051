package io.backbone.dlq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backbone.contract.ContractViolationException;
import io.backbone.contract.Severity;
import io.backbone.contract.Stage;
import io.backbone.contract.Violation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The dead-letter format, version 1. A DLQ record keeps the original key, value bytes and headers untouched and
 * adds these headers (UTF-8 text), readable with plain Kafka tooling:
 *
 * <ul>
 *   <li>{@code __streams.errors.exception}, {@code __streams.errors.message}, {@code __streams.errors.topic},
 *       {@code __streams.errors.partition}, {@code __streams.errors.offset}: Kafka Streams' own DLQ header names;
 *       the exception is {@link ContractViolationException} for contract violations and poison pills, else the
 *       class of the exception that failed the record, whose stack trace is in {@code __streams.errors.stacktrace}
 *   <li>{@code backbone.dlq.format}: {@code 1}
 *   <li>{@code backbone.product}, {@code backbone.contract.id}, {@code backbone.contract.version}
 *   <li>{@code backbone.stage}: deserialize, schema, quality, transform or serialize
 *   <li>{@code backbone.rule}: the first failed rule; {@code backbone.violations}: all of them as a JSON array of
 *       {@code {rule, field, message, severity, stage}}, PII values redacted
 * </ul>
 */
public final class DeadLetter {
    public static final String EXCEPTION = "__streams.errors.exception";
    public static final String MESSAGE = "__streams.errors.message";
    public static final String TOPIC = "__streams.errors.topic";
    public static final String PARTITION = "__streams.errors.partition";
    public static final String OFFSET = "__streams.errors.offset";
    public static final String STACKTRACE = "__streams.errors.stacktrace";
    public static final String FORMAT = "backbone.dlq.format";
    public static final String PRODUCT = "backbone.product";
    public static final String CONTRACT_ID = "backbone.contract.id";
    public static final String CONTRACT_VERSION = "backbone.contract.version";
    public static final String STAGE = "backbone.stage";
    public static final String RULE = "backbone.rule";
    public static final String VIOLATIONS = "backbone.violations";
    /** On records that passed: the warning-severity rules they failed, same JSON shape as violations. */
    public static final String WARNINGS = "backbone.warnings";
    /**
     * On records that passed: the properties the contract's normalisers corrected, comma-separated contract paths
     * ({@code email,address.country}); absent when nothing was corrected.
     */
    public static final String CORRECTED = "backbone.corrected";
    /**
     * On records of a deprecated product version: the day its contract was deprecated (ISO date), after the HTTP
     * Deprecation header (RFC 9745).
     */
    public static final String DEPRECATION = "backbone.deprecation";
    /** On records of a deprecated product version: the day it stops being published (ISO date; RFC 8594's Sunset). */
    public static final String SUNSET = "backbone.sunset";
    /** The record's own timestamp (ms); the dead letter's timestamp is the time of failure. */
    public static final String ORIGINAL_TIMESTAMP = "backbone.original.timestamp";
    /** Which instance dead-lettered it: {@code <application.id>@<host>}. */
    public static final String INSTANCE = "backbone.instance";
    /** On an entity product's records: the id of the change that set the state (the value holds the state only). */
    public static final String CHANGE_ID = "backbone.change-id";

    /** On a redriven record: how many times it has been redriven from a dead-letter topic (1, 2, …). */
    public static final String REDRIVE_COUNT = "backbone.redrive.count";
    /** On a redriven record: the dead letter it came from, {@code <dlq topic>/<partition>/<offset>}. */
    public static final String REDRIVE_FROM = "backbone.redrive.from";
    /** On a parked record: why it was parked, and when. */
    public static final String PARKED_REASON = "backbone.parked.reason";

    private static final String REDRIVE = "backbone.redrive.";
    private static final String RESERVED = "backbone.";
    private static final String RESERVED_STREAMS = "__streams.errors.";

    public static final String CONTRACT_VIOLATION = ContractViolationException.class.getName();
    public static final String FORMAT_VERSION = "1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetter() {}

    /** Adds the dead-letter headers to {@code headers} (the original headers stay). */
    public static void annotate(
            Headers headers,
            String product,
            String contractId,
            String contractVersion,
            Stage stage,
            List<Violation> violations,
            String exception,
            String sourceTopic,
            int partition,
            long offset) {
        String message = violations.size() + " rule(s) failed at stage " + stage.code() + ": "
                + String.join(
                        ", ",
                        violations.stream()
                                .map(v -> v.rule() + " (" + v.message() + ")")
                                .toList());
        put(headers, EXCEPTION, exception);
        put(headers, MESSAGE, message.length() > 2000 ? message.substring(0, 2000) : message);
        put(headers, TOPIC, sourceTopic);
        put(headers, PARTITION, String.valueOf(partition));
        put(headers, OFFSET, String.valueOf(offset));
        put(headers, FORMAT, FORMAT_VERSION);
        put(headers, PRODUCT, product);
        put(headers, CONTRACT_ID, contractId);
        put(headers, CONTRACT_VERSION, contractVersion);
        put(headers, STAGE, stage.code());
        put(headers, RULE, violations.isEmpty() ? "" : violations.get(0).rule());
        put(headers, VIOLATIONS, toJson(violations));
    }

    /**
     * Removes every header only the backbone may set ({@code backbone.*}, {@code __streams.errors.*}): a producer's
     * forged annotation must never reach a product or DLQ record looking like the backbone's own. Allocates nothing
     * when there is none, as on almost every record. The redrive headers ({@code backbone.redrive.*}) stay: they are
     * the record's provenance after a redrive, and carry no verdict (a forged count can only park the forger's own
     * record sooner).
     */
    public static void dropReserved(Headers headers) {
        List<String> forged = null;
        for (Header h : headers) {
            String key = h.key();
            if (isReserved(key)) {
                if (forged == null) {
                    forged = new java.util.ArrayList<>(2);
                }
                forged.add(key);
            }
        }
        if (forged != null) {
            forged.forEach(headers::remove);
        }
    }

    /**
     * Keeps of a producer's headers only those a product may carry: names starting with one of {@code allowed}
     * (CloudEvents' {@code ce_} and {@code content-type} by default) and the redrive provenance; everything else, the
     * reserved headers included, is removed, so that a header a producer sets (a user id, a trace of an internal
     * system, PII) never reaches a wider audience than the raw topic's. Allocates nothing when all may stay.
     */
    public static void keepForProduct(Headers headers, String[] allowed) {
        List<String> dropped = null;
        for (Header h : headers) {
            String key = h.key();
            boolean keep = key.startsWith(REDRIVE);
            for (int i = 0; !keep && i < allowed.length; i++) {
                keep = key.startsWith(allowed[i]);
            }
            if (!keep || isReserved(key)) {
                if (dropped == null) {
                    dropped = new java.util.ArrayList<>(2);
                }
                dropped.add(key);
            }
        }
        if (dropped != null) {
            dropped.forEach(headers::remove);
        }
    }

    /** Whether {@code key} is a header only the backbone may set. */
    public static boolean isReserved(String key) {
        return (key.startsWith(RESERVED) && !key.startsWith(REDRIVE)) || key.startsWith(RESERVED_STREAMS);
    }

    /** Keeps the record's own timestamp and names the failing instance. */
    public static void failedAt(Headers headers, long originalTimestamp, String instance) {
        put(headers, ORIGINAL_TIMESTAMP, String.valueOf(originalTimestamp));
        put(headers, INSTANCE, instance);
    }

    /** {@code <application.id>@<host>}, the host from {@code HOSTNAME} or the local address. */
    public static String instance(String applicationId) {
        return applicationId + "@" + Host.NAME;
    }

    private static final class Host {
        static final String NAME = resolve();

        private static String resolve() {
            String env = System.getenv("HOSTNAME");
            if (env != null && !env.isBlank()) {
                return env;
            }
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "unknown-host";
            }
        }
    }

    /** Names the exception that failed a record and adds its stack trace (at most 8 KiB), as Kafka Streams does. */
    public static void exception(Headers headers, Throwable exception) {
        java.io.StringWriter trace = new java.io.StringWriter();
        exception.printStackTrace(new java.io.PrintWriter(trace));
        String text = trace.toString();
        put(headers, EXCEPTION, exception.getClass().getName());
        put(headers, STACKTRACE, text.length() > 8192 ? text.substring(0, 8192) : text);
    }

    public static String toJson(List<Violation> violations) {
        try {
            return JSON.writeValueAsString(violations.stream()
                    .map(v -> Map.of(
                            "rule", v.rule(),
                            "field", v.field(),
                            "message", v.message(),
                            "severity", v.severity().code(),
                            "stage", v.stage().code()))
                    .toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads {@code backbone.violations} back (for consumers, the CLI and tests). */
    public static List<Violation> violations(Headers headers) {
        String json = text(headers, VIOLATIONS);
        if (json == null) {
            return List.of();
        }
        try {
            List<Map<String, String>> raw = JSON.readValue(json, new TypeReference<>() {});
            return raw.stream()
                    .map(m -> new Violation(
                            m.get("rule"),
                            m.get("field"),
                            m.get("message"),
                            Severity.parse(m.get("severity")),
                            Stage.parse(m.get("stage"))))
                    .toList();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "header " + VIOLATIONS + " is not the documented JSON: " + e.getMessage(), e);
        }
    }

    /** A header's last value as text, or null. */
    public static String text(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }
}
