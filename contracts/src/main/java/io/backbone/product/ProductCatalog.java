package io.backbone.product;

import com.fasterxml.jackson.databind.JsonNode;
import io.backbone.catalog.CatalogException;
import io.backbone.catalog.CatalogSource;
import io.backbone.catalog.Problem;
import io.backbone.catalog.StandardSchemas;
import io.backbone.catalog.YamlDocument;
import io.backbone.contract.CompiledContract;
import io.backbone.contract.ContractParser;
import io.backbone.contract.DataContract;
import io.backbone.contract.PropertySpec;
import io.backbone.contract.rules.ContractCompiler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Every contract and product of a catalog, validated against the official JSON Schemas, compiled and bound
 * together. Loading either yields a catalog that can run, or throws a {@link CatalogException} listing every
 * problem at once.
 */
public final class ProductCatalog {
    private final Map<String, CompiledContract> contracts;
    private final List<DataProduct> products;

    private final List<DataProduct> retired;

    private ProductCatalog(
            Map<String, CompiledContract> contracts, List<DataProduct> products, List<DataProduct> retired) {
        this.retired = retired;
        this.contracts = contracts;
        this.products = products;
    }

    /** The catalog shipped in the schemas jar. */
    public static ProductCatalog shipped() {
        return load(CatalogSource.classpath());
    }

    public static ProductCatalog load(CatalogSource source) {
        List<Problem> problems = new ArrayList<>();
        Map<String, CompiledContract> contracts = new LinkedHashMap<>();
        for (String file : source.files(".odcs.yaml")) {
            CompiledContract c = loadContract(source, file, problems);
            if (c != null) {
                CompiledContract clash = contracts.putIfAbsent(c.id(), c);
                if (clash != null) {
                    problems.add(c.contract()
                            .document()
                            .problem(
                                    "$.id",
                                    "contract id '" + c.id() + "' is also used by "
                                            + clash.contract().file(),
                                    "give each contract its own id"));
                }
            }
        }
        List<DataProduct> products = new ArrayList<>();
        for (String file : source.files(".odps.yaml")) {
            products.addAll(loadProduct(source, file, contracts, problems));
        }
        if (products.isEmpty() && problems.isEmpty()) {
            problems.add(new Problem(
                    source.display("domains"),
                    0,
                    "",
                    "no *.odps.yaml product descriptor found",
                    "add one descriptor per data product under domains/<domain>/"));
        }
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        // a retired version is no longer published: it stays in the catalog as a record of what was
        List<DataProduct> retired = products.stream()
                .filter(p -> p.output().contract().lifecycle().retired())
                .toList();
        List<DataProduct> live = new ArrayList<>(products);
        live.removeAll(retired);
        return new ProductCatalog(Map.copyOf(contracts), List.copyOf(live), retired);
    }

    private static CompiledContract loadContract(CatalogSource source, String file, List<Problem> problems) {
        String display = source.display(file);
        YamlDocument doc;
        try {
            doc = YamlDocument.parse(display, source.read(file));
        } catch (CatalogException e) {
            problems.addAll(e.problems());
            return null;
        }
        List<Problem> schemaProblems = StandardSchemas.validate(doc, StandardSchemas.Standard.ODCS);
        if (!schemaProblems.isEmpty()) {
            problems.addAll(schemaProblems);
            return null;
        }
        DataContract contract = ContractParser.parse(doc, problems);
        if (contract == null) {
            return null;
        }
        if (!TopicNames.valid(contract.topic())) {
            problems.add(doc.problem(
                    "topic-naming",
                    "$.schema[0].physicalName",
                    "topic '" + contract.topic() + "' breaks the naming rule " + TopicNames.PATTERN.pattern(),
                    "name it <domain>.raw|product|dlq.<name>[.v<N>]"));
            return null;
        }
        Schema schema;
        try {
            String avsc = source.read(
                    contract.avroSchemaRef(), display, doc.line("$.schema[0].customProperties"), "avroSchema");
            schema = new Schema.Parser().parse(avsc);
        } catch (CatalogException e) {
            problems.addAll(e.problems());
            return null;
        } catch (SchemaParseException e) {
            problems.add(doc.problem(
                    "$.schema[0].customProperties",
                    "Avro schema " + contract.avroSchemaRef() + " does not parse: " + e.getMessage(),
                    "fix the .avsc file"));
            return null;
        }
        return ContractCompiler.compile(contract, schema, problems);
    }

    private static List<DataProduct> loadProduct(
            CatalogSource source, String file, Map<String, CompiledContract> contracts, List<Problem> problems) {
        String display = source.display(file);
        YamlDocument doc;
        try {
            doc = YamlDocument.parse(display, source.read(file));
        } catch (CatalogException e) {
            problems.addAll(e.problems());
            return List.of();
        }
        List<Problem> schemaProblems = StandardSchemas.validate(doc, StandardSchemas.Standard.ODPS);
        if (!schemaProblems.isEmpty()) {
            problems.addAll(schemaProblems);
            return List.of();
        }
        JsonNode root = doc.root();
        JsonNode inputs = root.path("inputPorts");
        if (inputs.size() == 2) {
            DataProduct joined = JoinCompiler.compile(doc, display, contracts, problems);
            return joined == null ? List.of() : List.of(joined);
        }
        if (inputs.size() != 1) {
            problems.add(doc.problem(
                    "$.inputPorts",
                    "a product reads one input port (a raw stream) or two (a join), found " + inputs.size(),
                    "declare one inputPort naming a raw stream's contract, or two with role left and right"));
            return List.of();
        }
        CompiledContract input = contract(doc, "$.inputPorts[0].contractId", inputs.get(0), contracts, problems);
        if (input != null && !"raw".equals(TopicNames.kind(input.topic()))) {
            problems.add(doc.problem(
                    "$.inputPorts[0].contractId",
                    "input contract '" + input.id() + "' binds topic " + input.topic() + ", which is not a raw topic",
                    "bind the input port to the contract of a <domain>.raw.<stream> topic"));
            input = null;
        }
        List<DataProduct> out = new ArrayList<>();
        int i = 0;
        for (JsonNode port : root.path("outputPorts")) {
            String at = "$.outputPorts[" + i++ + "].contractId";
            CompiledContract output = contract(doc, at, port, contracts, problems);
            if (output == null || input == null) {
                continue;
            }
            if (!"product".equals(TopicNames.kind(output.topic()))) {
                problems.add(doc.problem(
                        at,
                        "output contract '" + output.id() + "' binds topic " + output.topic()
                                + ", which is not a product topic",
                        "bind it to a <domain>.product.<name>.v<N> topic"));
                continue;
            }
            String portAt = "$.outputPorts[" + (i - 1) + "]";
            JsonNode entityNode = ContractParser.customProperties(port.path("customProperties"))
                    .get(EntitySpec.PROPERTY);
            EntitySpec entity = null;
            VersionMapping mapping = null;
            if (entityNode != null) {
                entity = EntityCompiler.compile(doc, portAt, entityNode, input, output, problems);
                if (entity == null) {
                    continue;
                }
            } else if (!output.schema().equals(input.schema()) && VersionMapping.declared(output)) {
                mapping = VersionMapping.compile(input, output, problems);
                if (mapping == null) {
                    continue;
                }
            } else if (!output.schema().equals(input.schema())) {
                problems.add(doc.problem(
                        at,
                        "output schema " + output.schema().getFullName() + " differs from input schema "
                                + input.schema().getFullName(),
                        "bind both contracts to the same .avsc, map the output's fields from the input's"
                                + " (customProperties: [{property: source, value: <CEL over record>}] on its properties),"
                                + " or declare an entity product whose state is a field of the input"
                                + " (customProperties: [{property: entity, value: {state: <field>}}])"));
                continue;
            }
            if (mapping == null
                    ? !piiCovered(doc, at, input, output, entity, problems)
                    : !mappedPiiCovered(doc, at, input, output, mapping, problems)) {
                continue;
            }
            String id = root.path("id").asText();
            out.add(new DataProduct(
                    i == 1 ? id : id + "." + port.path("name").asText(),
                    root.path("name").asText(id),
                    root.path("domain").asText(),
                    display,
                    input,
                    output,
                    TopicNames.dlqFor(input.topic()),
                    null,
                    doc,
                    entity,
                    mapping));
        }
        if (i == 0) {
            problems.add(doc.problem(
                    "$",
                    "product has no outputPorts",
                    "declare an outputPort whose contractId names the product contract"));
        }
        return out;
    }

    /**
     * Raw PII must never reach a product whose audience is wider than the domain: every PII property of the input
     * contract needs a masking policy (keep included, as an explicit decision) in the output contract.
     */
    private static boolean piiCovered(
            YamlDocument doc,
            String at,
            CompiledContract input,
            CompiledContract output,
            EntitySpec entity,
            List<Problem> problems) {
        if (!output.widerThanDomain()) {
            return true;
        }
        Map<String, String> declared = PropertySpec.piiMasking(output.contract().properties());
        boolean keyOk = true;
        for (PropertySpec key : input.contract().properties()) {
            // the record key travels as it is: masking changes values only
            if (key.get("primaryKey").asBoolean(false) && key.pii() && !"keep".equals(declared.get(key.path()))) {
                problems.add(doc.problem(
                        "pii-masking",
                        at,
                        "the record key of " + input.id() + " is PII property '" + key.path()
                                + "', and keys are not masked: " + output.id() + " (audience "
                                + output.contract().custom("audience", "company-internal")
                                + ") would publish it in the clear",
                        "key the stream by an id that is not personal data (and drop primaryKey from '"
                                + key.path() + "'), or declare masking: keep for it in "
                                + output.contract().file()
                                + " if every consumer may see it"));
                keyOk = false;
            }
        }
        // an entity publishes only its state: the input's PII below the state field, under the state's own names
        String prefix = entity == null || entity.state() == null ? "" : entity.state() + ".";
        boolean ok = true;
        for (String inputPath :
                PropertySpec.piiMasking(input.contract().properties()).keySet()) {
            if (!inputPath.startsWith(prefix)) {
                continue;
            }
            String path = inputPath.substring(prefix.length());
            if (declared.get(path) == null) {
                problems.add(doc.problem(
                        "pii-masking",
                        at,
                        "PII property '" + inputPath + "' of " + input.id() + " has no masking policy in "
                                + output.id() + " (audience "
                                + output.contract().custom("audience", "company-internal") + ")",
                        "list '" + path + "' in " + output.contract().file()
                                + " with customProperties pii: true and masking: hash|redact|drop|keep"));
                ok = false;
            }
        }
        return ok && keyOk;
    }

    /**
     * For a mapped output: every field whose source reads a PII property of the input is itself declared PII with a
     * masking policy, when the output's audience is wider than the domain.
     */
    private static boolean mappedPiiCovered(
            YamlDocument doc,
            String at,
            CompiledContract input,
            CompiledContract output,
            VersionMapping mapping,
            List<Problem> problems) {
        if (!output.widerThanDomain()) {
            return true;
        }
        Map<String, String> declared = PropertySpec.piiMasking(output.contract().properties());
        java.util.Set<String> inputPii =
                PropertySpec.piiMasking(input.contract().properties()).keySet();
        boolean ok = true;
        for (Map.Entry<String, String> e : mapping.expressions().entrySet()) {
            // what the expression reads, from its syntax tree: record.address, record['email'], record itself
            java.util.Set<String> reads;
            try {
                reads = io.backbone.contract.rules.CelEnvironment.reads(e.getValue(), input.schema());
            } catch (IllegalArgumentException notCel) {
                continue; // reported where the mapping is compiled
            }
            for (String pii : inputPii) {
                String piiPath = pii.replace("[]", "");
                for (String read : reads) {
                    String r = read.replace("[]", "");
                    String target;
                    if (r.isEmpty() || piiPath.equals(r) || piiPath.startsWith(r + ".")) {
                        // the PII value travels inside what is read: under the output field, at the same place
                        target = r.isEmpty()
                                ? e.getKey() + "." + piiPath
                                : piiPath.equals(r) ? e.getKey() : e.getKey() + piiPath.substring(r.length());
                    } else if (r.startsWith(piiPath + ".")) {
                        target = e.getKey(); // something derived from below a PII value
                    } else {
                        continue;
                    }
                    if (!maskedAt(declared, target, e.getKey())) {
                        problems.add(doc.problem(
                                "pii-masking",
                                at,
                                "field '" + e.getKey() + "' of " + output.id() + " is mapped from PII property '"
                                        + pii + "' of " + input.id() + " (its source " + e.getValue()
                                        + " reads " + (r.isEmpty() ? "the whole record" : r)
                                        + ") but has no masking policy (audience "
                                        + output.contract().custom("audience", "company-internal") + ")",
                                "list '" + target + "' in " + output.contract().file()
                                        + " with customProperties pii: true and masking: hash|redact|drop|keep"));
                        ok = false;
                    }
                    break;
                }
            }
        }
        return ok;
    }

    /** Whether the output declares a masking for {@code target}, for it or for a field that holds it. */
    private static boolean maskedAt(Map<String, String> declared, String target, String field) {
        for (String d : declared.keySet()) {
            String path = d.replace("[]", "");
            if (path.equals(target)
                    || target.startsWith(path + ".") && path.length() >= field.length()
                    || path.equals(field)) {
                return true;
            }
        }
        return false;
    }

    static CompiledContract contract(
            YamlDocument doc,
            String at,
            JsonNode port,
            Map<String, CompiledContract> contracts,
            List<Problem> problems) {
        String id = port.path("contractId").asText(null);
        if (id == null) {
            problems.add(
                    doc.problem(at, "port has no contractId", "set contractId to the id of an *.odcs.yaml contract"));
            return null;
        }
        CompiledContract c = contracts.get(id);
        if (c == null) {
            problems.add(doc.problem(
                    at,
                    "contract '" + id + "' is not in the catalog (or failed to load)",
                    "add domains/<domain>/<name>.odcs.yaml with id: " + id
                            + ", or fix the contract's own problems above"));
        }
        return c;
    }

    /** The products the backbone publishes: every output port whose contract is not retired. */
    public List<DataProduct> products() {
        return products;
    }

    /** Output ports whose contract is retired: no longer published, their topics left for an operator to remove. */
    public List<DataProduct> retired() {
        return retired;
    }

    public Map<String, CompiledContract> contracts() {
        return contracts;
    }

    /** Every contract by the topic it binds (the first, when two bind one topic). */
    public Map<String, CompiledContract> contractsByTopic() {
        Map<String, CompiledContract> out = new LinkedHashMap<>();
        contracts.values().forEach(c -> out.putIfAbsent(c.topic(), c));
        return out;
    }

    /** The product with {@code id}; an unknown id is an IllegalArgumentException listing the known ones. */
    public DataProduct product(String id) {
        return products.stream()
                .filter(p -> p.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown product '" + id + "'; known products: "
                        + products.stream().map(DataProduct::id).toList()));
    }
}
