package io.backbone.producer.publish;

import io.backbone.contract.Violation;
import java.util.List;

/** The publisher refused an event because it breaks its topic's contract (shift-left check in reject mode). */
public final class ContractViolationException extends RuntimeException {
    private final List<Violation> violations;

    public ContractViolationException(String topic, List<Violation> violations) {
        super("event for " + topic + " breaks its contract: "
                + String.join(
                        ", ",
                        violations.stream()
                                .map(v -> v.rule() + " (" + v.message() + ")")
                                .toList()));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
