package io.backbone.producer.publish;

import io.backbone.contract.CompiledContract;
import io.backbone.contract.ContractViolationException;
import io.backbone.contract.Correction;
import io.backbone.contract.RecordRule;
import io.backbone.contract.RuleContext;
import io.backbone.contract.Violation;
import io.backbone.contract.rules.CelEnvironment;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Shift-left: the publisher checks an event against the same compiled contracts the backbone enforces on its
 * topic (the raw contract and the contracts of the products it feeds) before sending it, after the corrections the
 * backbone would apply (on a copy: what is sent is the event as written, the backbone corrects it).
 */
public final class ContractCheck {

    /** What the publisher does with an event that breaks its contract. */
    public enum Mode {
        /** No check. */
        OFF("off"),
        /** Check, log and send anyway; the backbone dead-letters it. */
        WARN("warn"),
        /** Check and refuse to send: the caller's future fails with {@link ContractViolationException}. */
        REJECT("reject");

        private final String code;

        Mode(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static Mode parse(String value) {
            for (Mode m : values()) {
                if (m.code.equals(value.toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown contract check mode '" + value + "'; use off, warn or reject");
        }
    }

    private final Mode mode;
    private final Map<String, List<RecordRule>> rulesByTopic = new HashMap<>();
    private final Map<String, List<Correction>> correctionsByTopic = new HashMap<>();

    public ContractCheck(ProductCatalog catalog, Mode mode) {
        this.mode = mode;
        if (mode == Mode.OFF) {
            return;
        }
        for (DataProduct p : catalog.products()) {
            List<RecordRule> rules = rulesByTopic.computeIfAbsent(p.rawTopic(), t -> new ArrayList<>());
            List<Correction> corrections = correctionsByTopic.computeIfAbsent(p.rawTopic(), t -> new ArrayList<>());
            // an entity product's output rules are about its state, a mapped product's about the mapped record: not
            // about the raw record
            for (CompiledContract c :
                    p.isEntity() || p.isMapped() ? List.of(p.input()) : List.of(p.input(), p.output())) {
                for (RecordRule r : c.rules()) {
                    if (rules.stream().noneMatch(x -> x.name().equals(r.name()))) {
                        rules.add(r);
                    }
                }
                for (Correction fix : c.corrections()) {
                    if (corrections.stream().noneMatch(x -> x.property().equals(fix.property()))) {
                        corrections.add(fix);
                    }
                }
            }
        }
    }

    public static ContractCheck off() {
        return new ContractCheck(null, Mode.OFF);
    }

    public Mode mode() {
        return mode;
    }

    /** Every error- and warning-severity rule {@code event} breaks on {@code topic}; empty when it passes. */
    public List<Violation> check(String topic, GenericRecord event) {
        if (mode == Mode.OFF) {
            return List.of();
        }
        List<Correction> corrections = correctionsByTopic.getOrDefault(topic, List.of());
        if (!corrections.isEmpty()) {
            // the backbone corrects before it checks; the check does the same on a copy, the event is sent as written
            event = GenericData.get().deepCopy(event.getSchema(), event);
            for (Correction fix : corrections) {
                fix.apply(event);
            }
        }
        RuleContext context = new RuleContext(CelEnvironment::view).reset(event, System.currentTimeMillis());
        List<Violation> violations = new ArrayList<>();
        for (RecordRule rule : rulesByTopic.getOrDefault(topic, List.of())) {
            Violation v = rule.check(event, context);
            if (v != null) {
                violations.add(v);
            }
        }
        return violations;
    }
}
