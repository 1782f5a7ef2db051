package io.backbone.producer.publish;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** CloudEvents Kafka protocol binding, binary content mode: event attributes as {@code ce_*} headers. */
public final class CloudEventHeaders {
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String TIME = "ce_time";
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";
    public static final String AVRO = "application/avro";

    private CloudEventHeaders() {}

    /** Headers for one event; {@code type} is reverse-DNS, e.g. {@code io.backbone.orders.OrderPlaced}. */
    public static Headers of(String id, String source, String type, Instant time, String subject) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(SPEC_VERSION, bytes("1.0"));
        headers.add(ID, bytes(id));
        headers.add(SOURCE, bytes(source));
        headers.add(TYPE, bytes(type));
        headers.add(TIME, bytes(time.toString()));
        headers.add(SUBJECT, bytes(subject));
        headers.add(CONTENT_TYPE, bytes(AVRO));
        return headers;
    }

    /** A header's value as UTF-8 text, or null. */
    public static String text(Headers headers, String key) {
        var h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
