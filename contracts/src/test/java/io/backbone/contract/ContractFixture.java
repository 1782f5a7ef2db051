package io.backbone.contract;

import io.backbone.catalog.Problem;
import io.backbone.catalog.YamlDocument;
import io.backbone.contract.rules.ContractCompiler;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/** Builds a one-topic ODCS contract from property and quality snippets, compiled against a test schema. */
final class ContractFixture {
    static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type":"record","name":"Item","namespace":"t","fields":[
              {"name":"id","type":"string"},
              {"name":"note","type":["null","string"],"default":null},
              {"name":"count","type":"int"},
              {"name":"price","type":"double"},
              {"name":"email","type":["null","string"],"default":null},
              {"name":"tags","type":{"type":"array","items":{"type":"record","name":"Tag","fields":[
                {"name":"code","type":"string"},{"name":"weight","type":"long"}]}}},
              {"name":"owner","type":["null",{"type":"record","name":"Owner","fields":[
                {"name":"name","type":"string"},{"name":"phone","type":["null","string"],"default":null}]}],"default":null}
            ]}""");

    private final StringBuilder properties = new StringBuilder();
    private final StringBuilder quality = new StringBuilder();
    private String audience = "company-internal";

    static ContractFixture contract() {
        return new ContractFixture();
    }

    /** A property given as YAML lines under {@code - name: <name>} (indented by the fixture). */
    ContractFixture property(String name, String... lines) {
        properties.append("      - name: ").append(name).append('\n');
        for (String l : lines) {
            properties.append("        ").append(l).append('\n');
        }
        return this;
    }

    ContractFixture cel(String name, String expression, String severity) {
        quality.append("      - name: ")
                .append(name)
                .append("\n        type: custom\n        engine: cel\n")
                .append("        implementation: \"")
                .append(expression.replace("\"", "\\\""))
                .append("\"\n")
                .append("        severity: ")
                .append(severity)
                .append('\n');
        return this;
    }

    ContractFixture audience(String audience) {
        this.audience = audience;
        return this;
    }

    String yaml() {
        return """
                apiVersion: v3.1.0
                kind: DataContract
                id: t.product.items
                version: 1.0.0
                status: active
                schema:
                  - name: Item
                    physicalName: t.product.items.v1
                    customProperties:
                      - property: avroSchema
                        value: avro/t/Item.avsc
                    properties:
                """ + properties + (quality.length() == 0 ? "" : "    quality:\n" + quality) + """
                customProperties:
                  - property: audience
                    value: %s
                """.formatted(audience);
    }

    /** Compiles; fails the test with the problems if there are any. */
    CompiledContract compile() {
        List<Problem> problems = new ArrayList<>();
        CompiledContract c = compile(problems);
        if (c == null) {
            throw new AssertionError("contract did not compile: " + problems + "\n" + yaml());
        }
        return c;
    }

    CompiledContract compile(List<Problem> problems) {
        DataContract contract = ContractParser.parse(YamlDocument.parse("test.odcs.yaml", yaml()), problems);
        return contract == null ? null : ContractCompiler.compile(contract, SCHEMA, problems);
    }
}
