package io.backbone.registry;

import org.apache.avro.Schema;

/** One version of a subject as the registry reports it. */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {}
