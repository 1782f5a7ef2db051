package io.backbone.topology.internals;

import io.backbone.dlq.DeadLetter;
import io.backbone.product.DataProduct;
import io.backbone.serde.AvroDecoder;
import io.backbone.serde.PoisonPillException;
import io.backbone.topology.dedup.ProductHistory;
import io.backbone.topology.metrics.ProductMetrics;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a task's seen-ids from its product topic: the committed records of the last window, read from the
 * partition that holds this task's keys (the same partition number when the product has as many partitions as its
 * source; otherwise all of them). A record the backbone did not write is skipped, counted and reported, never fatal.
 */
final class ProductTopicRestore {
    private static final Logger LOG = LoggerFactory.getLogger(ProductTopicRestore.class);

    private ProductTopicRestore() {}

    static SeenIds restore(
            ProductHistory history,
            Map<String, Object> appConfigs,
            DataProduct product,
            AvroDecoder decoder,
            ProductMetrics metrics,
            int taskPartition,
            long nowMillis) {
        long window = product.dedupWindow().toMillis();
        SeenIds seen = new SeenIds(window);
        long started = System.nanoTime();
        long[] skipped = {0};
        history.read(appConfigs, product, taskPartition, nowMillis - window, r -> {
            if (product.isEntity()) {
                // an entity's records (tombstones included) carry their change id in a header
                org.apache.kafka.common.header.Header h = r.headers().lastHeader(DeadLetter.CHANGE_ID);
                if (h != null && h.value() != null) {
                    seen.add(
                            SeenIds.hash(new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)),
                            r.timestamp());
                }
                return;
            }
            GenericRecord value;
            try {
                value = (GenericRecord) decoder.decode(r.value());
            } catch (PoisonPillException e) {
                skipped[0]++;
                metrics.foreign();
                ForeignRecords.skipped(
                        product.id(),
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        e.kind().code() + ": " + e.getMessage());
                return;
            }
            Object id = product.dedupField().first(value);
            if (id != null) {
                seen.add(SeenIds.hash(id instanceof CharSequence text ? text : id.toString()), r.timestamp());
            }
        });
        LOG.atInfo()
                .addKeyValue("product", product.id())
                .addKeyValue("topic", product.productTopic())
                .addKeyValue("partition", taskPartition)
                .log(
                        "Product {} partition {}: restored {} event ids of the last {} from {} in {} ms{}",
                        product.id(),
                        taskPartition,
                        seen.size(),
                        product.dedupWindow(),
                        product.productTopic(),
                        (System.nanoTime() - started) / 1_000_000,
                        skipped[0] == 0 ? "" : " (" + skipped[0] + " records the backbone did not write skipped)");
        return seen;
    }
}
