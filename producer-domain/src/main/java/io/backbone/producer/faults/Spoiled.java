package io.backbone.producer.faults;

import org.apache.avro.specific.SpecificRecord;

/** An event after a contract fault was applied, with the rule the backbone must name for it. */
public record Spoiled<T extends SpecificRecord>(T event, Fault fault, String expectedRule) {}
