package io.backbone.contract.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbone.catalog.Problem;
import io.backbone.catalog.YamlDocument;
import io.backbone.contract.ContractParser;
import io.backbone.contract.DataContract;
import io.backbone.contract.diff.Change.Kind;
import io.backbone.contract.diff.ContractDiff.Bump;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of change between two versions of a shipped product contract (and its Avro schema), classified as a
 * consumer would: consumers are broken when they lose a field, a guarantee or a service level, or can no longer read
 * the data; tightened or added rules are not breaking for them. The contracts are edited as YAML trees, not as text,
 * so the table does not depend on how the files are laid out.
 */
class ContractDiffTest {
    static final Path DOMAINS = Path.of("../schemas/src/main/resources/catalog/domains");
    static final Path AVRO = Path.of("../schemas/src/main/resources/catalog/avro");
    static final ObjectMapper JSON = new ObjectMapper();

    /** One row: the change, on which product, and the verdict with a word its one-line reason must contain. */
    record Mutation(
            String name,
            String product,
            Consumer<ObjectNode> contract,
            UnaryOperator<String> avsc,
            Kind kind,
            boolean breaking,
            Bump bump,
            String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Mutation contract(
            String name, Consumer<ObjectNode> edit, Kind kind, boolean breaking, Bump bump, String reason) {
        return new Mutation(name, "orders", edit, a -> a, kind, breaking, bump, reason);
    }

    static Mutation customers(
            String name, Consumer<ObjectNode> edit, Kind kind, boolean breaking, Bump bump, String reason) {
        return new Mutation(name, "customers", edit, a -> a, kind, breaking, bump, reason);
    }

    static Mutation avro(
            String name, UnaryOperator<String> edit, Kind kind, boolean breaking, Bump bump, String reason) {
        return new Mutation(name, "orders", c -> {}, edit, kind, breaking, bump, reason);
    }

    static Stream<Mutation> mutations() {
        return Stream.of(
                // ---- fields, in the Avro schema and in the contract
                new Mutation(
                        "add an optional field (Avro and contract)",
                        "orders",
                        c -> properties(c).add(property("channel", "string", false)),
                        a -> replace(
                                a,
                                "{\"name\": \"cancellationReason\"",
                                "{\"name\": \"channel\", \"type\": [\"null\", \"string\"], \"default\": null},\n"
                                        + "    {\"name\": \"cancellationReason\""),
                        Kind.FIELD_ADDED,
                        false,
                        Bump.MINOR,
                        "optional"),
                avro(
                        "remove a field",
                        a -> replace(
                                        a,
                                        "    {\"name\": \"cancellationReason\", \"type\": [\"null\", \"string\"], \"default\": null}\n",
                                        "")
                                .replace("\"doc\": \"ISO-4217 code.\"},", "\"doc\": \"ISO-4217 code.\"}"),
                        Kind.FIELD_REMOVED,
                        true,
                        Bump.MAJOR,
                        "lose"),
                avro(
                        "rename a field without an alias",
                        a -> replace(a, "\"name\": \"cancellationReason\"", "\"name\": \"cancelReason\""),
                        Kind.FIELD_RENAMED,
                        true,
                        Bump.MAJOR,
                        "without an alias"),
                avro(
                        "add a field without a default",
                        a -> replace(
                                a,
                                "{\"name\": \"cancellationReason\"",
                                "{\"name\": \"channel\", \"type\": \"string\"},\n    {\"name\": \"cancellationReason\""),
                        Kind.FIELD_ADDED,
                        true,
                        Bump.MAJOR,
                        "cannot be read"),
                contract(
                        "stop declaring a property",
                        c -> removeProperty(c, "cancellationReason"),
                        Kind.FIELD_REMOVED,
                        true,
                        Bump.MAJOR,
                        "no longer declared"),
                // ---- types and formats
                avro(
                        "widen int to long in Avro",
                        a -> replace(
                                a,
                                "{\"name\": \"quantity\", \"type\": \"int\"}",
                                "{\"name\": \"quantity\", \"type\": \"long\"}"),
                        Kind.TYPE_CHANGED,
                        false,
                        Bump.MINOR,
                        "widening"),
                avro(
                        "narrow long to int in Avro",
                        a -> replace(
                                a,
                                "{\"name\": \"totalAmountMinor\", \"type\": \"long\"",
                                "{\"name\": \"totalAmountMinor\", \"type\": \"int\""),
                        Kind.TYPE_CHANGED,
                        true,
                        Bump.MAJOR,
                        "incompatible under BACKWARD"),
                contract(
                        "change a logicalType in the contract only",
                        c -> prop(c, "cancellationReason").put("logicalType", "integer"),
                        Kind.TYPE_CHANGED,
                        true,
                        Bump.MAJOR,
                        "string → integer"),
                contract(
                        "change an integer format i64 → i32",
                        c -> options(prop(c, "totalAmountMinor")).put("format", "i32"),
                        Kind.TYPE_CHANGED,
                        true,
                        Bump.MAJOR,
                        "i64 → i32"),
                contract(
                        "add a string format",
                        c -> options(prop(c, "orderId")).put("format", "uuid"),
                        Kind.RULE_ADDED,
                        false,
                        Bump.MINOR,
                        "format uuid added"),
                // ---- required and unique
                contract(
                        "make a property required",
                        c -> prop(c, "cancellationReason").put("required", true),
                        Kind.RULE_TIGHTENED,
                        false,
                        Bump.MINOR,
                        "now required"),
                contract(
                        "make a property optional",
                        c -> prop(c, "orderId").put("required", false),
                        Kind.RULE_LOOSENED,
                        true,
                        Bump.MAJOR,
                        "missing"),
                contract(
                        "drop unique",
                        c -> prop(c, "eventId").remove("unique"),
                        Kind.RULE_DROPPED,
                        true,
                        Bump.MAJOR,
                        "duplicates may now reach consumers"),
                contract(
                        "add unique",
                        c -> prop(c, "orderId").put("unique", true),
                        Kind.RULE_ADDED,
                        false,
                        Bump.MINOR,
                        "now unique"),
                contract(
                        "declare a primary key",
                        c -> prop(c, "orderId").put("primaryKey", true),
                        Kind.KEY_CHANGED,
                        true,
                        Bump.MAJOR,
                        "primary key"),
                // ---- valid values, patterns and ranges
                contract(
                        "narrow validValues",
                        c -> validValues(c, "currency").remove(7),
                        Kind.RULE_TIGHTENED,
                        false,
                        Bump.MINOR,
                        "narrowed (no longer NOK)"),
                contract(
                        "widen validValues",
                        c -> validValues(c, "currency").add("JPY"),
                        Kind.RULE_LOOSENED,
                        true,
                        Bump.MAJOR,
                        "now also JPY"),
                contract(
                        "swap one valid value for another",
                        c -> validValues(c, "currency")
                                .set(7, JSON.getNodeFactory().textNode("JPY")),
                        Kind.RULE_CHANGED,
                        true,
                        Bump.MAJOR,
                        "NOK out, JPY in"),
                contract(
                        "add a pattern",
                        c -> options(prop(c, "lines[].sku")).put("pattern", "^[A-Z]{3}-[0-9]{4}$"),
                        Kind.RULE_ADDED,
                        false,
                        Bump.MINOR,
                        "pattern"),
                new Mutation(
                        "change a pattern",
                        "customer-events",
                        c -> options(prop(c, "customerId")).put("pattern", "^cus-[0-9]{8}$"),
                        a -> a,
                        Kind.RULE_CHANGED,
                        true,
                        Bump.MAJOR,
                        "^cus-[0-9]{6}$ → ^cus-[0-9]{8}$"),
                contract(
                        "raise a minimum",
                        c -> options(prop(c, "totalAmountMinor")).put("minimum", 1),
                        Kind.RULE_TIGHTENED,
                        false,
                        Bump.MINOR,
                        "minimum (none) → 1"),
                contract(
                        "raise a maximum length",
                        c -> options(prop(c, "orderId")).put("maxLength", 64),
                        Kind.RULE_TIGHTENED,
                        false,
                        Bump.MINOR,
                        "maxLength (none) → 64"),
                new Mutation(
                        "drop a maximum length",
                        "customer-events",
                        c -> options(prop(c, "email")).remove("maxLength"),
                        a -> a,
                        Kind.RULE_LOOSENED,
                        true,
                        Bump.MAJOR,
                        "maxLength 254 → (none)"),
                // ---- named and unnamed quality rules
                contract(
                        "add a named CEL rule",
                        c -> contractQuality(c)
                                .addObject()
                                .put("name", "at-most-ten-lines")
                                .put("type", "custom")
                                .put("engine", "cel")
                                .put("implementation", "record.lines.size() <= 10"),
                        Kind.RULE_ADDED,
                        false,
                        Bump.MINOR,
                        "record.lines.size() <= 10"),
                contract(
                        "drop a named rule",
                        c -> contractQuality(c).remove(1),
                        Kind.RULE_DROPPED,
                        true,
                        Bump.MAJOR,
                        "consumers lose that guarantee"),
                contract(
                        "change a named rule's expression",
                        c -> ((ObjectNode) contractQuality(c).get(1)).put("implementation", "true"),
                        Kind.RULE_CHANGED,
                        true,
                        Bump.MAJOR,
                        "'true'"),
                contract(
                        "rename a rule, same expression",
                        c -> ((ObjectNode) contractQuality(c).get(1)).put("name", "placed-order-has-a-line"),
                        Kind.RULE_CHANGED,
                        false,
                        Bump.MINOR,
                        "renamed to 'placed-order-has-a-line'"),
                contract(
                        "demote a rule from error to warning",
                        c -> ((ObjectNode) contractQuality(c).get(0)).put("severity", "warning"),
                        Kind.RULE_LOOSENED,
                        true,
                        Bump.MAJOR,
                        "violations now reach consumers"),
                contract(
                        "promote a rule from warning to error",
                        c -> ((ObjectNode) contractQuality(c).get(2)).put("severity", "error"),
                        Kind.RULE_TIGHTENED,
                        false,
                        Bump.MINOR,
                        "now dead-lettered"),
                contract(
                        "add a second unnamed rule with the same metric",
                        c -> quality(prop(c, "currency"))
                                .addObject()
                                .put("metric", "invalidValues")
                                .put("mustBe", 0)
                                .set("arguments", JSON.createObjectNode().put("pattern", "^[A-Z]{3}$")),
                        Kind.RULE_ADDED,
                        false,
                        Bump.MINOR,
                        "pattern"),
                new Mutation(
                        "drop one of two unnamed rules with the same metric",
                        "orders-two-unnamed",
                        c -> quality(prop(c, "currency")).remove(1),
                        a -> a,
                        Kind.RULE_DROPPED,
                        true,
                        Bump.MAJOR,
                        "dropped"),
                customers(
                        "add an unnamed nullValues rule",
                        c -> quality(prop(c, "phone"))
                                .addObject()
                                .put("metric", "nullValues")
                                .put("mustBe", 0),
                        Kind.RULE_ADDED,
                        false,
                        Bump.MINOR,
                        "nullValues"),
                // ---- classification and masking
                customers(
                        "change a classification label only",
                        c -> prop(c, "email").put("classification", "confidential"),
                        Kind.CLASSIFICATION_CHANGED,
                        false,
                        Bump.MINOR,
                        "label only"),
                // ---- lifecycle: deprecating with notice is not breaking; retiring before the sunset is
                contract(
                        "deprecate the version with a sunset and a successor",
                        c -> {
                            c.put("status", "deprecated");
                            custom(c, "deprecatedOn", "2026-12-01");
                            custom(c, "sunset", "2027-02-01");
                            custom(c, "successor", "orders.product.orders.v2");
                        },
                        Kind.LIFECYCLE_CHANGED,
                        false,
                        Bump.MINOR,
                        "until the sunset 2027-02-01"),
                contract(
                        "retire the version while its sunset is years away",
                        c -> {
                            c.put("status", "retired");
                            custom(c, "sunset", "2099-01-01");
                        },
                        Kind.LIFECYCLE_CHANGED,
                        true,
                        Bump.MAJOR,
                        "without the notice they were promised"),
                // ---- corrections (normalise): breaking unless validValues prove no published value changes
                contract(
                        "correct a property whose validValues the normaliser keeps (currency: trim as well)",
                        c -> custom(prop(c, "currency"), "normalise", List.of("currency", "trim")),
                        Kind.CORRECTION_CHANGED,
                        false,
                        Bump.MINOR,
                        "dead-lettered may now be corrected"),
                contract(
                        "correct the currency with upper instead of currency (validValues kept on both sides)",
                        c -> {
                            removeCustom(prop(c, "currency"), "normalise");
                            custom(prop(c, "currency"), "normalise", List.of("upper"));
                        },
                        Kind.CORRECTION_CHANGED,
                        false,
                        Bump.MINOR,
                        "values consumers already receive do not change"),
                contract(
                        "stop correcting the currency (validValues are upper-case: those records are now refused)",
                        c -> removeCustom(prop(c, "currency"), "normalise"),
                        Kind.CORRECTION_REMOVED,
                        false,
                        Bump.MINOR,
                        "records it corrected are now dead-lettered"),
                customers(
                        "start correcting a field no validValues protect (city lower-cased)",
                        c -> custom(prop(c, "address.city"), "normalise", List.of("lower")),
                        Kind.CORRECTION_ADDED,
                        true,
                        Bump.MAJOR,
                        "stored pseudonyms"),
                customers(
                        "trim a street, which no validValues protect (its pseudonyms may change)",
                        c -> custom(prop(c, "address.street"), "normalise", List.of("trim")),
                        Kind.CORRECTION_ADDED,
                        true,
                        Bump.MAJOR,
                        "publish it as a new major"),
                customers(
                        "stop lower-casing e-mail local parts (pseudonyms of the hashed e-mail change)",
                        c -> custom(prop(c, "email"), "emailLocalPart", "keep"),
                        Kind.CORRECTION_CHANGED,
                        true,
                        Bump.MAJOR,
                        "values consumers already receive may change"),
                customers(
                        "stop correcting e-mail addresses",
                        c -> {
                            removeCustom(prop(c, "email"), "normalise");
                            removeCustom(prop(c, "email"), "emailLocalPart");
                        },
                        Kind.CORRECTION_REMOVED,
                        true,
                        Bump.MAJOR,
                        "values consumers already receive may change"),
                customers(
                        "mask a field differently (hash → redact)",
                        c -> custom(prop(c, "email"), "masking", "redact"),
                        Kind.CLASSIFICATION_CHANGED,
                        true,
                        Bump.MAJOR,
                        "redacted value instead of pseudonyms"),
                customers(
                        "stop masking a field (PII no longer marked)",
                        c -> custom(prop(c, "fullName"), "pii", false),
                        Kind.CLASSIFICATION_CHANGED,
                        true,
                        Bump.MAJOR,
                        "in clear"),
                contract(
                        "mark a field as PII, hashed",
                        c -> {
                            custom(prop(c, "customerId"), "pii", true);
                            custom(prop(c, "customerId"), "masking", "hash");
                        },
                        Kind.CLASSIFICATION_CHANGED,
                        true,
                        Bump.MAJOR,
                        "pseudonyms instead of the values"),
                contract(
                        "narrow the audience to the domain",
                        c -> setCustom(c, "audience", "domain"),
                        Kind.AUDIENCE_CHANGED,
                        true,
                        Bump.MAJOR,
                        "lose access"),
                new Mutation(
                        "take a join product's field from another input",
                        "paid-orders",
                        c -> custom(prop(c, "customerId"), "source", "right.orderId"),
                        a -> a,
                        Kind.MAPPING_CHANGED,
                        true,
                        Bump.MAJOR,
                        "taken from right.orderId instead of left.customerId"),
                // ---- topic, service levels, compatibility, deduplication
                contract(
                        "rename the topic (physicalName)",
                        c -> ((ObjectNode) c.get("schema").get(0)).put("physicalName", "orders.product.orders-all.v1"),
                        Kind.TOPIC_CHANGED,
                        true,
                        Bump.MAJOR,
                        "receive nothing more"),
                contract(
                        "shorten retention",
                        c -> sla(c, "retention").put("value", 7),
                        Kind.SLA_WEAKENED,
                        true,
                        Bump.MAJOR,
                        "retention 30d → 7d"),
                contract(
                        "lengthen retention",
                        c -> sla(c, "retention").put("value", 90),
                        Kind.SLA_IMPROVED,
                        false,
                        Bump.MINOR,
                        "retention 30d → 90d"),
                contract(
                        "promise a higher latency (2 s → 5 s)",
                        c -> sla(c, "latency").put("value", 5),
                        Kind.SLA_WEAKENED,
                        true,
                        Bump.MAJOR,
                        "latency 2s → 5s"),
                contract(
                        "promise a lower latency in another unit (2 s → 500 ms)",
                        c -> sla(c, "latency").put("value", 500).put("unit", "ms"),
                        Kind.SLA_IMPROVED,
                        false,
                        Bump.MINOR,
                        "latency 2s → 500ms"),
                contract(
                        "add a freshness promise",
                        c -> ((ArrayNode) c.get("slaProperties"))
                                .addObject()
                                .put("property", "freshness")
                                .put("value", 1)
                                .put("unit", "h")
                                .put("element", "occurredAt"),
                        Kind.SLA_IMPROVED,
                        false,
                        Bump.MINOR,
                        "freshness now promised"),
                contract(
                        "drop the latency promise",
                        c -> ((ArrayNode) c.get("slaProperties")).remove(0),
                        Kind.SLA_WEAKENED,
                        true,
                        Bump.MAJOR,
                        "latency no longer promised"),
                contract(
                        "weaken compatibility BACKWARD → NONE",
                        c -> setCustom(c, "compatibility", "NONE"),
                        Kind.COMPATIBILITY_CHANGED,
                        true,
                        Bump.MAJOR,
                        "future versions stay readable"),
                contract(
                        "strengthen compatibility BACKWARD → FULL_TRANSITIVE",
                        c -> setCustom(c, "compatibility", "FULL_TRANSITIVE"),
                        Kind.COMPATIBILITY_CHANGED,
                        false,
                        Bump.MINOR,
                        "stricter"),
                contract(
                        "shorten the dedup window",
                        c -> setCustom(c, "dedupWindow", "PT1H"),
                        Kind.RULE_LOOSENED,
                        true,
                        Bump.MAJOR,
                        "duplicates further apart"),
                // ---- documentation
                contract(
                        "reword a property's description",
                        c -> prop(c, "orderId").put("description", "The order's id; the record key."),
                        Kind.DOCUMENTATION_CHANGED,
                        false,
                        Bump.PATCH,
                        "reworded"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void classifiesEveryChangeAsAConsumerWould(Mutation m) {
        ObjectNode before = base(m.product());
        ObjectNode after = before.deepCopy();
        m.contract().accept(after);
        String avsc = avsc(m.product());

        ContractDiff.Result result = ContractDiff.diff(
                parse(before),
                new Schema.Parser().parse(avsc),
                parse(after),
                new Schema.Parser().parse(m.avsc().apply(avsc)));

        assertThat(result.changes()).as(m.name()).anySatisfy(ch -> {
            assertThat(ch.kind()).isEqualTo(m.kind());
            assertThat(ch.breaking()).isEqualTo(m.breaking());
            assertThat(ch.description()).contains(m.reason()).doesNotContain("\n");
        });
        assertThat(result.bump()).as(m.name() + ": " + result.changes()).isEqualTo(m.bump());
        String topic = after.get("schema").get(0).get("physicalName").asText();
        assertThat(result.nextTopic())
                .isEqualTo(
                        m.bump() == Bump.MAJOR && topic.contains(".product.")
                                ? topic.substring(0, topic.length() - 1) + "2"
                                : null);
    }

    @Test
    void theTableCoversEveryKindOfContractFieldAtLeastThirtyTimes() {
        List<Mutation> all = mutations().toList();
        assertThat(all).hasSizeGreaterThanOrEqualTo(30);
        assertThat(all).extracting(Mutation::kind).contains(Kind.values());
    }

    @Test
    void addingAnOptionalPropertyTheAvroSchemaAlreadyHadIsMinor() {
        ObjectNode before = base("orders");
        removeProperty(before, "cancellationReason");
        ObjectNode after = base("orders");
        Schema schema = new Schema.Parser().parse(avsc("orders"));

        ContractDiff.Result result = ContractDiff.diff(parse(before), schema, parse(after), schema);

        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.FIELD_ADDED);
            assertThat(c.breaking()).isFalse();
            assertThat(c.description()).contains("optional");
        });
        assertThat(result.bump()).isEqualTo(Bump.MINOR);
    }

    @Test
    void theSameContractHasNoChanges() {
        for (String product : List.of("orders", "customers", "customer-events", "paid-orders", "orders-two-unnamed")) {
            Schema schema = new Schema.Parser().parse(avsc(product));
            ContractDiff.Result result = ContractDiff.diff(parse(base(product)), schema, parse(base(product)), schema);
            assertThat(result.changes()).as(product).isEmpty();
            assertThat(result.bump()).isEqualTo(Bump.NONE);
        }
    }

    @Test
    void normalisersWrittenInAnotherOrderAreTheSameCorrection() {
        ObjectNode before = base("customers");
        ObjectNode after = before.deepCopy();
        custom(prop(after, "fullName"), "normalise", List.of("nfc", "collapse-whitespace", "trim"));
        Schema schema = new Schema.Parser().parse(avsc("customers"));

        ContractDiff.Result result = ContractDiff.diff(parse(before), schema, parse(after), schema);

        assertThat(result.changes()).isEmpty();
        assertThat(result.bump()).isEqualTo(Bump.NONE);
    }

    @Test
    void aCorrectionAddedWhereTheOldVersionRefusedEveryValueItChangesIsMinor() {
        ObjectNode before = base("customers");
        removeCustom(prop(before, "address.country"), "normalise");
        ObjectNode after = base("customers");
        Schema schema = new Schema.Parser().parse(avsc("customers"));

        ContractDiff.Result result = ContractDiff.diff(parse(before), schema, parse(after), schema);

        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.CORRECTION_ADDED);
            assertThat(c.where()).isEqualTo("address.country.normalise");
            assertThat(c.breaking()).isFalse();
            assertThat(c.affects()).isEqualTo("producers");
        });
        assertThat(result.bump()).isEqualTo(Bump.MINOR);
    }

    @Test
    void aFieldRenamedWithAnAliasIsNotARename() {
        String a = replace(
                avsc("orders"),
                "{\"name\": \"cancellationReason\", \"type\": [\"null\", \"string\"], \"default\": null}",
                "{\"name\": \"cancelReason\", \"aliases\": [\"cancellationReason\"], \"type\": [\"null\", \"string\"], \"default\": null}");
        ObjectNode contract = base("orders");

        assertThat(ContractDiff.diff(
                                parse(contract),
                                new Schema.Parser().parse(avsc("orders")),
                                parse(contract),
                                new Schema.Parser().parse(a))
                        .changes())
                .isEmpty();
    }

    // ---- fixtures -----------------------------------------------------------------------------------------------

    static ObjectNode base(String product) {
        String file =
                switch (product) {
                    case "customers" -> "customers/customers.odcs.yaml";
                    case "customer-events" -> "customers/customer-events.odcs.yaml";
                    case "paid-orders" -> "sales/paid-orders.odcs.yaml";
                    default -> "orders/orders.odcs.yaml";
                };
        try {
            ObjectNode root = (ObjectNode) YamlDocument.parse(file, Files.readString(DOMAINS.resolve(file)))
                    .root()
                    .deepCopy();
            if (file.equals("orders/orders.odcs.yaml")) {
                // the fixture is major 1 as it was before major 2 existed: active, correcting its own currency
                root.put("status", "active");
                for (String key : List.of("deprecatedOn", "sunset", "successor")) {
                    removeCustom(root, key);
                }
                custom(prop(root, "currency"), "normalise", List.of("currency"));
            }
            if (product.equals("orders-two-unnamed")) {
                quality(prop(root, "currency"))
                        .addObject()
                        .put("metric", "invalidValues")
                        .put("mustBe", 0)
                        .set("arguments", JSON.createObjectNode().put("pattern", "^[A-Z]{3}$"));
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String avsc(String product) {
        try {
            return Files.readString(AVRO.resolve(
                    switch (product) {
                        case "customers", "customer-events" -> "customers/CustomerEvent.avsc";
                        case "paid-orders" -> "sales/PaidOrder.avsc";
                        default -> "orders/OrderEvent.avsc";
                    }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON is YAML: the edited tree is written as JSON and read back by the contract parser. */
    static DataContract parse(ObjectNode root) {
        List<Problem> problems = new ArrayList<>();
        DataContract c = ContractParser.parse(YamlDocument.parse("edited.odcs.yaml", root.toString()), problems);
        assertThat(problems).isEmpty();
        return c;
    }

    static String replace(String text, String from, String to) {
        assertThat(text).contains(from);
        return text.replace(from, to);
    }

    static ArrayNode properties(ObjectNode root) {
        return (ArrayNode) root.get("schema").get(0).get("properties");
    }

    /** A property by its path: {@code address.country}, {@code lines[].sku}. */
    static ObjectNode prop(ObjectNode root, String path) {
        JsonNode list = properties(root);
        ObjectNode found = null;
        for (String part : path.split("\\.")) {
            boolean items = part.endsWith("[]");
            String name = items ? part.substring(0, part.length() - 2) : part;
            found = null;
            for (JsonNode p : list) {
                if (name.equals(p.path("name").asText())) {
                    found = (ObjectNode) p;
                }
            }
            assertThat(found).as("property " + path).isNotNull();
            list = items ? found.path("items").path("properties") : found.path("properties");
        }
        return found;
    }

    static void removeProperty(ObjectNode root, String name) {
        ArrayNode list = properties(root);
        for (int i = 0; i < list.size(); i++) {
            if (name.equals(list.get(i).path("name").asText())) {
                list.remove(i);
                return;
            }
        }
        throw new AssertionError("no property " + name);
    }

    static ObjectNode property(String name, String type, boolean required) {
        return JSON.createObjectNode()
                .put("name", name)
                .put("logicalType", type)
                .put("required", required)
                .put("classification", "internal")
                .put("description", "Where the order came from.");
    }

    static ObjectNode options(ObjectNode property) {
        return property.has("logicalTypeOptions")
                ? (ObjectNode) property.get("logicalTypeOptions")
                : property.putObject("logicalTypeOptions");
    }

    static ArrayNode quality(ObjectNode property) {
        return property.has("quality") ? (ArrayNode) property.get("quality") : property.putArray("quality");
    }

    static ArrayNode contractQuality(ObjectNode root) {
        return (ArrayNode) root.get("schema").get(0).get("quality");
    }

    static ArrayNode validValues(ObjectNode root, String property) {
        return (ArrayNode) quality(prop(root, property)).get(0).get("arguments").get("validValues");
    }

    static void custom(ObjectNode node, String property, Object value) {
        ArrayNode list = node.has("customProperties")
                ? (ArrayNode) node.get("customProperties")
                : node.putArray("customProperties");
        for (JsonNode c : list) {
            if (property.equals(c.path("property").asText())) {
                ((ObjectNode) c).set("value", JSON.valueToTree(value));
                return;
            }
        }
        list.addObject().put("property", property).set("value", JSON.valueToTree(value));
    }

    static void removeCustom(ObjectNode node, String property) {
        ArrayNode list = (ArrayNode) node.get("customProperties");
        for (int i = 0; i < list.size(); i++) {
            if (property.equals(list.get(i).path("property").asText())) {
                list.remove(i);
                return;
            }
        }
        throw new AssertionError("no custom property " + property);
    }

    static void setCustom(ObjectNode root, String property, String value) {
        custom(root, property, value);
    }

    static ObjectNode sla(ObjectNode root, String property) {
        for (JsonNode s : root.get("slaProperties")) {
            if (property.equals(s.path("property").asText())) {
                return (ObjectNode) s;
            }
        }
        throw new AssertionError("no SLA property " + property);
    }
}
