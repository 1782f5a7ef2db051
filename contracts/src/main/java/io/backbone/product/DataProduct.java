package io.backbone.product;

import io.backbone.catalog.YamlDocument;
import io.backbone.contract.CompiledContract;
import java.util.List;

/**
 * A data product as the topology runs it: an ODPS descriptor bound to the contract of its input port (the raw
 * domain stream) and the contract of its output port (the product topic), plus the DLQ topic of its stream. A join
 * product reads two other products instead ({@link #join()}); its records are checked against its output contract,
 * which is then also its {@code input}. {@code descriptor} is the ODPS file as written.
 */
public record DataProduct(
        String id,
        String name,
        String domain,
        String descriptorFile,
        CompiledContract input,
        CompiledContract output,
        String dlqTopic,
        JoinSpec join,
        YamlDocument descriptor,
        EntitySpec entity,
        VersionMapping mapping) {

    /** Whether its output record is mapped from the input record (an older major's shape): see {@link VersionMapping}. */
    public boolean isMapped() {
        return mapping != null;
    }

    /** Whether the product is an entity product: the latest state per key on a compacted topic. */
    public boolean isEntity() {
        return entity != null;
    }

    /**
     * The field whose value identifies a record for deduplication: the output contract's unique property, or for an
     * entity product the input's change id that its descriptor names. Null: no deduplication.
     */
    public io.backbone.contract.FieldPath dedupField() {
        return entity == null ? output.dedupField() : entity.changeId();
    }

    /** The window of {@link #dedupField()}: the output contract's dedupWindow. */
    public java.time.Duration dedupWindow() {
        return output.dedupWindow();
    }

    /** The raw topic of a single-input product; null for a join product. */
    public String rawTopic() {
        return join == null ? input.topic() : null;
    }

    /** The topics the product reads. */
    public List<String> sourceTopics() {
        return join == null
                ? List.of(input.topic())
                : List.of(join.left().topic(), join.right().topic());
    }

    public String productTopic() {
        return output.topic();
    }
}
