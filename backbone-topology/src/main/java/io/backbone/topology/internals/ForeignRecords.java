package io.backbone.topology.internals;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records in a product topic that the backbone did not write (not Confluent-framed, an unknown schema id, bytes
 * that do not decode). Wherever the backbone reads a product topic it skips them: each is counted by the caller, and
 * logged once per topic-partition with its offset, so one bad writer cannot flood the log nor stop a task.
 */
final class ForeignRecords {
    private static final Logger LOG = LoggerFactory.getLogger(ForeignRecords.class);
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    private ForeignRecords() {}

    static void skipped(String product, String topic, int partition, long offset, String reason) {
        if (REPORTED.add(product + "|" + topic + "-" + partition)) {
            LOG.atWarn()
                    .addKeyValue("product", product)
                    .addKeyValue("topic", topic)
                    .addKeyValue("partition", partition)
                    .addKeyValue("offset", offset)
                    .log(
                            "Product {}: skipped a record the backbone did not write in {}-{} at offset {} ({}); further ones "
                                    + "in this partition are counted in the 'foreign' metric, not logged",
                            product,
                            topic,
                            partition,
                            offset,
                            reason);
        }
    }
}
