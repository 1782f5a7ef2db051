package io.backbone.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.backbone.contract.CompiledContract;
import io.backbone.contract.PropertySpec;
import io.backbone.contract.QualitySpec;
import io.backbone.product.ProductCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;

/**
 * What another ODCS tool reads out of our contracts: from each shipped contract alone, derive the Avro schema that a
 * tool exporting ODCS to Avro would write (logicalType and format mapped as the ODCS v3.1.0 types say, optional
 * properties as nullable unions, an object's or enum's Avro name from its {@code physicalType}, an enum's symbols from
 * its {@code validValues}), and check with Avro's own schema resolution that it reads what the topic really holds.
 */
class OdcsAvroExportTest {
    final Map<String, CompiledContract> contracts = ProductCatalog.shipped().contracts();

    @Test
    void everyShippedContractDerivesAnAvroSchemaThatReadsItsTopic() {
        assertThat(contracts).hasSizeGreaterThanOrEqualTo(7);
        for (CompiledContract c : contracts.values()) {
            Schema derived = record(
                    c.contract()
                            .document()
                            .root()
                            .path("schema")
                            .get(0)
                            .path("name")
                            .asText(),
                    c.contract().properties());

            SchemaCompatibility.SchemaPairCompatibility result =
                    SchemaCompatibility.checkReaderWriterCompatibility(derived, c.schema());

            assertThat(result.getType())
                    .as(
                            "%s (%s): the Avro schema an ODCS tool derives:%n%s%ncannot read %s: %s",
                            c.contract().file(),
                            c.topic(),
                            derived.toString(true),
                            c.schema().getFullName(),
                            result.getResult().getIncompatibilities())
                    .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
            assertThat(derived.getFields()).hasSameSizeAs(c.schema().getFields());
        }
    }

    @Test
    void everyPropertyOfEveryShippedContractIsDescribedAndClassified() {
        List<String> missing = new ArrayList<>();
        for (CompiledContract c : contracts.values()) {
            check(c.contract().file(), c.contract().properties(), missing);
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void aContractThatDeclaresTheWrongWidthDoesNotReadItsTopic() {
        CompiledContract orders = contracts.get("orders.product.orders");
        // what ODCS reads from "integer" without a format: i32, which cannot read Avro's long amounts
        Schema i32 = Schema.createRecord(
                "OrderEvent",
                null,
                null,
                false,
                List.of(new Schema.Field("totalAmountMinor", Schema.create(Schema.Type.INT))));

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(i32, orders.schema())
                        .getType())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.INCOMPATIBLE);
    }

    private static void check(String file, List<PropertySpec> properties, List<String> missing) {
        for (PropertySpec p : properties) {
            if (p.get("description").asText("").isBlank()) {
                missing.add(file + ": " + p.path() + " has no description");
            }
            if (p.classification() == null) {
                missing.add(file + ": " + p.path() + " has no classification");
            }
            check(file, p.children(), missing);
        }
    }

    // ---- the ODCS → Avro mapping ---------------------------------------------------------------------------------

    private static Schema record(String name, List<PropertySpec> properties) {
        List<Schema.Field> fields = new ArrayList<>();
        for (PropertySpec p : properties) {
            Schema type = type(p);
            if (p.required()) {
                fields.add(new Schema.Field(p.name(), type));
            } else {
                fields.add(new Schema.Field(
                        p.name(), Schema.createUnion(Schema.create(Schema.Type.NULL), type), null, Schema.NULL_VALUE));
            }
        }
        return Schema.createRecord(name, null, null, false, fields);
    }

    private static Schema type(PropertySpec p) {
        String format = p.logicalTypeOptions() == null
                ? ""
                : p.logicalTypeOptions().path("format").asText("");
        return switch (String.valueOf(p.logicalType())) {
            case "string" -> {
                List<String> symbols = enumSymbols(p);
                yield symbols == null
                        ? Schema.create(Schema.Type.STRING)
                        : Schema.createEnum(p.get("physicalType").asText(), null, null, symbols);
            }
            case "integer" ->
                Schema.create(List.of("i64", "u32", "u64").contains(format) ? Schema.Type.LONG : Schema.Type.INT);
            case "number" -> Schema.create("f32".equals(format) ? Schema.Type.FLOAT : Schema.Type.DOUBLE);
            case "boolean" -> Schema.create(Schema.Type.BOOLEAN);
            case "timestamp" -> LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
            case "date" -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case "object" -> record(p.get("physicalType").asText(p.name()), p.children());
            case "array" ->
                Schema.createArray(record(p.get("items").path("physicalType").asText(p.name()), p.children()));
            default -> throw new AssertionError(p.path() + ": logicalType " + p.logicalType() + " has no Avro type");
        };
    }

    /** A string with a {@code physicalType} and one {@code validValues} list is the Avro enum of those symbols. */
    private static List<String> enumSymbols(PropertySpec p) {
        if (!p.get("physicalType").isTextual()) {
            return null;
        }
        for (QualitySpec q : p.quality()) {
            JsonNode values = q.node().path("arguments").path("validValues");
            if ("invalidValues".equals(q.metric()) && values.isArray()) {
                List<String> symbols = new ArrayList<>();
                values.forEach(v -> symbols.add(v.asText()));
                return symbols;
            }
        }
        return null;
    }
}
