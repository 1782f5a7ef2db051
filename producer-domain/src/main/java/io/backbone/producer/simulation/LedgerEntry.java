package io.backbone.producer.simulation;

import io.backbone.producer.faults.Fault;

/**
 * What the simulator sent, kept apart from the event itself: where it landed and how it was spoiled. The key to
 * reconcile a DLQ record is its source topic, partition and offset; a product record's key is its event id.
 */
public record LedgerEntry(
        String domain,
        String topic,
        String key,
        String eventId,
        Fault fault,
        String expectedRule,
        int partition,
        long offset) {}
