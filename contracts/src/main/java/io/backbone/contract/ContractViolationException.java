package io.backbone.contract;

import java.util.List;

/**
 * A record broke its contract. The backbone routes violations as data rather than throwing this; it names the class
 * in a dead letter's {@code __streams.errors.exception} header (as Kafka Streams' own dead letters name a real
 * exception class), and the publisher's shift-left check throws it to refuse an event before it is sent.
 */
public final class ContractViolationException extends RuntimeException {
    private final transient List<Violation> violations;

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
