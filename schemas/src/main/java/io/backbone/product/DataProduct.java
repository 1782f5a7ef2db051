package io.backbone.product;

import io.backbone.contract.CompiledContract;

/**
 * A data product as the topology runs it: an ODPS descriptor bound to the contract of its input port (the raw
 * domain stream) and the contract of its output port (the product topic), plus the DLQ topic of its stream.
 */
public record DataProduct(
        String id,
        String name,
        String domain,
        String descriptorFile,
        CompiledContract input,
        CompiledContract output,
        String dlqTopic) {

    public String rawTopic() {
        return input.topic();
    }

    public String productTopic() {
        return output.topic();
    }
}
