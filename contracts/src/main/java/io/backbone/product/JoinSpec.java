package io.backbone.product;

import io.backbone.contract.CompiledContract;
import io.backbone.contract.rules.FieldMapping;
import java.time.Duration;
import java.util.List;

/** How a cross-domain product joins two products: sides, window, and how each output field is computed. */
public record JoinSpec(Side left, Side right, Duration window, List<FieldMapping> mappings) {

    /** One input product of the join, and which of its events take part (null filter: all). */
    public record Side(
            String port,
            CompiledContract contract,
            String filter,
            io.backbone.contract.rules.CelExpression filterProgram) {
        public String topic() {
            return contract.topic();
        }
    }
}
