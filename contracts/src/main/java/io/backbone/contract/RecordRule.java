package io.backbone.contract;

import org.apache.avro.generic.GenericRecord;

/** One compiled contract rule applied to one record. */
public interface RecordRule {

    /** A stable name, used in DLQ headers and metrics: {@code <field>.<check>} or the quality rule's name. */
    String name();

    /** The failure, or null when {@code record} passes. */
    Violation check(GenericRecord record, RuleContext context);
}
