package io.backbone.topology.internals;

import io.backbone.contract.CompiledContract;
import io.backbone.contract.Correction;
import io.backbone.contract.Masker;
import io.backbone.contract.RecordRule;
import io.backbone.contract.RuleContext;
import io.backbone.contract.Severity;
import io.backbone.contract.Stage;
import io.backbone.contract.Violation;
import io.backbone.contract.rules.CelEnvironment;
import io.backbone.dlq.DeadLetter;
import io.backbone.product.DataProduct;
import io.backbone.product.EntitySpec;
import io.backbone.registry.SchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import io.backbone.serde.AvroEncoder;
import io.backbone.serde.AvroSerdeConfig;
import io.backbone.serde.PoisonPillException;
import io.backbone.serde.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericRecord;

/**
 * One product's contract pipeline, without Kafka Streams: decode → schema → normalise → rules ({@link #check}), then
 * (after deduplication) mask → encode ({@link #publish}). Violations come back as data; only a registry outage escapes as an exception,
 * because it must be retried, never dead-lettered.
 */
public final class ContractEnforcer {
    private final DataProduct product;
    private final SchemaRegistryClient registry;
    private final AvroDecoder decoder;
    private final AvroEncoder encoder = new AvroEncoder();
    private final Masker masker;
    private final List<RecordRule> rules;
    private final List<RecordRule> stateRules;
    /** The raw contract's corrections (shared by every product of one raw stream) and this product's own. */
    private final List<Correction> inputCorrections;

    private final List<Correction> corrections;
    private final List<Correction> stateCorrections;
    private final EntitySpec entity;
    private final io.backbone.product.VersionMapping mapping;
    private final RuleContext stateContext = new RuleContext(CelEnvironment::view);
    private final Map<Integer, String> schemaVerdicts = new ConcurrentHashMap<>();
    private final RuleContext context = new RuleContext(CelEnvironment::view);
    private volatile int productSchemaId = -1;

    public ContractEnforcer(DataProduct product, SchemaRegistryClient registry, Masker masker) {
        this.product = product;
        this.registry = registry;
        this.masker = masker;
        this.decoder = AvroDecoder.generic(registry, product.input().schema());
        List<RecordRule> all = new ArrayList<>(product.input().rules());
        this.inputCorrections = product.input().corrections();
        List<Correction> fixes = new ArrayList<>();
        if (product.isEntity() || product.isMapped()) {
            // an entity's output rules and corrections are about its state, a mapped product's about the record
            // mapped from the input: applied to that record
            this.stateRules = product.output().rules();
            this.stateCorrections = product.output().corrections();
        } else {
            this.stateRules = List.of();
            this.stateCorrections = List.of();
            if (product.output() != product.input()) {
                // a product rule that repeats one of the raw contract's is checked (and counted) once
                for (RecordRule r : product.output().rules()) {
                    if (!(r instanceof io.backbone.contract.rules.ValueRule v)
                            || all.stream().noneMatch(v::sameCheck)) {
                        all.add(r);
                    }
                }
                fixes.addAll(product.output().corrections());
            }
        }
        this.rules = List.copyOf(all);
        this.corrections = List.copyOf(fixes);
        this.entity = product.entity();
        this.mapping = product.mapping();
    }

    public DataProduct product() {
        return product;
    }

    /** A decoder of the product topic's own records (for rebuilding a task's seen event ids). */
    public AvroDecoder productDecoder() {
        return AvroDecoder.generic(registry, product.output().schema());
    }

    /** Decodes {@code value} and checks it against the input and output contracts. */
    public Enforcement check(byte[] value, long nowMillis) {
        Enforcement decoded = decode(value);
        return decoded.ok() ? checkRecord(decoded.record(), nowMillis) : decoded;
    }

    /**
     * Decodes {@code value} against the input contract's schema: passed with the record (no warnings, nothing
     * corrected yet), or failed at stage schema or deserialize. Products sharing a raw stream and its contract decode
     * once and share the result ({@link SharedInputProcessor}).
     */
    public Enforcement decode(byte[] value) {
        GenericRecord record;
        try {
            int id = WireFormat.schemaId(value);
            String incompatibility = schemaVerdicts.computeIfAbsent(id, this::schemaVerdict);
            if (!incompatibility.isEmpty()) {
                return Enforcement.failed(
                        Stage.SCHEMA,
                        List.of(new Violation("schema.compatible", "", incompatibility, Severity.ERROR, Stage.SCHEMA)),
                        DeadLetter.CONTRACT_VIOLATION);
            }
            record = (GenericRecord) decoder.decode(value);
        } catch (PoisonPillException e) {
            return Enforcement.failed(
                    Stage.DESERIALIZE,
                    List.of(new Violation(
                            "deserialize." + e.kind().code(), "", e.getMessage(), Severity.ERROR, Stage.DESERIALIZE)),
                    e.getClass().getName());
        }
        return Enforcement.passed(record, List.of(), List.of());
    }

    /**
     * Corrects a decoded (or, for a join product, computed) record in place with the contracts' normalisers, then
     * checks it against their rules: decode → normalise → check rules (then, in {@link #publish}, mask → encode).
     */
    public Enforcement checkRecord(GenericRecord record, long nowMillis) {
        return checkCorrected(record, correctInput(record), nowMillis);
    }

    /**
     * Applies the input (raw) contract's corrections to {@code record} in place; returns the properties they changed,
     * or null when none did (the common case allocates nothing).
     */
    public List<String> correctInput(GenericRecord record) {
        return correct(inputCorrections, record, null);
    }

    /**
     * {@link #checkRecord} for a record the input contract's corrections have already been applied to, which changed
     * {@code corrected} (null: none; the list is added to).
     */
    public Enforcement checkCorrected(GenericRecord record, List<String> corrected, long nowMillis) {
        corrected = correct(corrections, record, corrected);
        Found found = check(rules, record, context.reset(record, nowMillis), null);
        List<Violation> errors = found.errors;
        List<Violation> warnings = found.warnings;
        if (entity != null && errors == null && !deleted(record)) {
            GenericRecord state = state(record);
            if (state == null) {
                errors = List.of(new Violation(
                        "entity.state",
                        entity.state(),
                        "holds no state and the entity's deletedWhen (" + entity.deletedWhen() + ") does not hold",
                        Severity.ERROR,
                        Stage.QUALITY));
            } else {
                corrected = correct(stateCorrections, state, corrected);
                found = check(stateRules, state, stateContext.reset(state, nowMillis), found);
                errors = found.errors;
                warnings = found.warnings;
            }
        }
        GenericRecord out = record;
        if (mapping != null && errors == null) {
            try {
                out = mapping.apply(record, context);
            } catch (io.backbone.product.VersionMapping.MappingException e) {
                return Enforcement.failed(
                        Stage.TRANSFORM,
                        List.of(new Violation(
                                "mapping." + e.field(), e.field(), e.getMessage(), Severity.ERROR, Stage.TRANSFORM)),
                        DeadLetter.CONTRACT_VIOLATION);
            }
            corrected = correct(stateCorrections, out, corrected);
            found = check(stateRules, out, stateContext.reset(out, nowMillis), found);
            errors = found.errors;
            warnings = found.warnings;
        }
        if (errors != null) {
            Stage earliest =
                    errors.stream().map(Violation::stage).min(Enum::compareTo).orElseThrow();
            return Enforcement.failed(earliest, errors, DeadLetter.CONTRACT_VIOLATION);
        }
        return Enforcement.passed(out, warnings, corrected == null ? List.of() : corrected);
    }

    /**
     * Applies {@code fixes} to {@code record}; returns {@code so} plus the properties that changed (null while none
     * has: the common case allocates nothing).
     */
    private static List<String> correct(List<Correction> fixes, GenericRecord record, List<String> so) {
        for (int i = 0; i < fixes.size(); i++) {
            Correction fix = fixes.get(i);
            if (fix.apply(record)) {
                if (so == null) {
                    so = new ArrayList<>(2);
                }
                so.add(fix.property());
            }
        }
        return so;
    }

    private String schemaVerdict(int writerId) {
        Schema writer = decoder.writerSchema(writerId);
        SchemaCompatibility.SchemaPairCompatibility pair = SchemaCompatibility.checkReaderWriterCompatibility(
                product.input().schema(), writer);
        if (pair.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return "";
        }
        return "writer schema id " + writerId + " (" + writer.getFullName()
                + ") does not resolve to the contract schema "
                + product.input().schema().getFullName() + ": "
                + pair.getResult().getIncompatibilities().stream()
                        .map(i -> i.getType() + " at " + i.getLocation())
                        .toList();
    }

    /** What the rules found: errors (null: none, the common case, with no allocation) and warnings. */
    private static final class Found {
        List<Violation> errors;
        List<Violation> warnings = List.of();
    }

    /** Runs {@code rules} on {@code record}, adding to {@code so} (null or {@link #NONE}: a fresh result). */
    private static Found check(List<RecordRule> rules, GenericRecord record, RuleContext context, Found so) {
        Found found = so == NONE ? null : so; // the shared empty result is never written to
        for (RecordRule rule : rules) {
            Violation v = rule.check(record, context);
            if (v == null) {
                continue;
            }
            if (found == null) {
                found = new Found();
            }
            if (v.severity() == Severity.ERROR) {
                if (found.errors == null) {
                    found.errors = new ArrayList<>(2);
                }
                found.errors.add(v);
            } else {
                if (found.warnings.isEmpty()) {
                    found.warnings = new ArrayList<>(2);
                }
                found.warnings.add(v);
            }
        }
        return found == null ? NONE : found;
    }

    private static final Found NONE = new Found();

    /**
     * Whether {@code record} deletes its entity: the entity's deletedWhen holds (evaluated in the rule context that
     * {@link #checkRecord} has just reset to this record). False for a product that is no entity or never deletes.
     */
    private boolean deleted(GenericRecord record) {
        if (entity == null || entity.deleted() == null) {
            return false;
        }
        try {
            return Boolean.TRUE.equals(entity.deleted().eval(context.celView(), context.nowMillis()));
        } catch (dev.cel.runtime.CelEvaluationException e) {
            return false;
        }
    }

    /** The entity's state in {@code record}: the state field, or the record itself. */
    private GenericRecord state(GenericRecord record) {
        return entity.statePath() == null
                ? record
                : (GenericRecord) entity.statePath().first(record);
    }

    /**
     * Masks and encodes a record that passed, for the product topic; failures are transform/serialize violations.
     * For an entity product, the state is what is masked and encoded, and a deleted entity is a tombstone
     * ({@link Published#tombstone()}).
     */
    public Published publish(GenericRecord record) {
        CompiledContract output = product.output();
        if (entity != null) {
            if (deleted(record)) {
                return Published.TOMBSTONE;
            }
            record = state(record);
        }
        try {
            masker.apply(record, output.masks());
        } catch (RuntimeException e) {
            return Published.failed(Stage.TRANSFORM, e);
        }
        try {
            return Published.ok(encoder.encode(productSchemaId(), output.schema(), record));
        } catch (io.backbone.registry.RegistryUnavailableException
                | io.backbone.registry.RegistryMisconfiguredException e) {
            // the registry, not the record: retried, never dead-lettered
            throw e;
        } catch (RuntimeException e) {
            return Published.failed(Stage.SERIALIZE, e);
        }
    }

    private int productSchemaId() {
        int id = productSchemaId;
        if (id < 0) {
            String subject = AvroSerdeConfig.valueSubject(product.productTopic());
            try {
                // a lookup is a read: on a registry that lets only the platform write, apply registered it already
                id = registry.idOf(subject, product.output().schema());
            } catch (io.backbone.registry.SchemaNotFoundException notYet) {
                id = registry.register(subject, product.output().schema());
            }
            productSchemaId = id;
        }
        return id;
    }

    /** The product value, or the stage and exception that stopped it. */
    public record Published(byte[] value, Stage stage, RuntimeException error) {
        static final Published TOMBSTONE = new Published(null, null, null);

        /** Whether this is an entity's tombstone: no value and no failure. */
        public boolean tombstone() {
            return value == null && error == null;
        }

        static Published ok(byte[] value) {
            return new Published(value, null, null);
        }

        static Published failed(Stage stage, RuntimeException error) {
            return new Published(null, stage, error);
        }

        public Violation violation() {
            return new Violation(
                    stage.code() + ".error",
                    "",
                    error.getClass().getSimpleName() + ": " + error.getMessage(),
                    Severity.ERROR,
                    stage);
        }
    }
}
