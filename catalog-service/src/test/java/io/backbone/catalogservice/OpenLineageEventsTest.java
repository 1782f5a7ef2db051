package io.backbone.catalogservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.product.record.CatalogRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The catalog's lineage as OpenLineage events, validated against the official OpenLineage 2-0-2 JSON Schemas (the
 * OpenLineage repository's spec/OpenLineage.json and spec/facets/, bundled under test resources at the paths of their
 * $id): every event against RunEvent, every facet against the schema its _schemaURL names.
 */
class OpenLineageEventsTest {
    static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            b -> b.schemaMappers(m -> m.mapPrefix("https://openlineage.io/spec/", "classpath:openlineage/")));

    static Map<String, JsonNode> shippedRecords() {
        Map<String, JsonNode> records = new LinkedHashMap<>();
        for (DataProduct p : ProductCatalog.shipped().products()) {
            records.put(p.id(), CatalogRecord.of(p, null, 0));
        }
        return records;
    }

    @Test
    void everyEventAndEveryFacetValidatesAgainstTheOfficialSchemas() {
        Map<String, JsonNode> records = shippedRecords();
        var events = OpenLineageEvents.events(records, "kafka://127.0.0.1:9092", id -> null, Instant.now());

        assertThat(events).hasSize(records.size());
        JsonSchema runEvent = FACTORY.getSchema(SchemaLocation.of(OpenLineageEvents.SPEC));
        List<String> problems = new ArrayList<>();
        for (JsonNode event : events) {
            for (ValidationMessage m : runEvent.validate(event)) {
                problems.add(event.path("job").path("name").asText() + ": RunEvent: " + m.getMessage());
            }
            facets(event, problems, event.path("job").path("name").asText());
        }
        assertThat(problems).isEmpty();
    }

    /** Every object with a _schemaURL, validated against that schema. */
    private static void facets(JsonNode node, List<String> problems, String where) {
        if (node.isObject() && node.has("_schemaURL")) {
            JsonSchema schema =
                    FACTORY.getSchema(SchemaLocation.of(node.get("_schemaURL").asText()));
            for (ValidationMessage m : schema.validate(node)) {
                problems.add(where + ": " + node.get("_schemaURL").asText() + ": " + m.getMessage());
            }
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            facets(it.next(), problems, where);
        }
    }

    @Test
    void theValidatorRejectsAnEventThatBreaksTheSpec() {
        JsonNode event = OpenLineageEvents.events(shippedRecords(), "kafka://x:9092", id -> null, Instant.now())
                .get(0);
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.get("run")).put("runId", "not-a-uuid");
        ((com.fasterxml.jackson.databind.node.ObjectNode) event).remove("producer");

        Set<ValidationMessage> errors =
                FACTORY.getSchema(SchemaLocation.of(OpenLineageEvents.SPEC)).validate(event);

        assertThat(errors)
                .extracting(ValidationMessage::getMessage)
                .anySatisfy(m -> assertThat(m).contains("producer"));
    }

    @Test
    void jobsAreProductsAndDatasetsAreTopicsWithSchemaOwnershipAndQualityFacets() {
        Map<String, JsonNode> records = shippedRecords();
        JsonNode orders = OpenLineageEvents.event(records.get("orders"), "kafka://b:9092", null, Instant.now());

        assertThat(orders.path("job").path("name").asText()).isEqualTo("orders");
        assertThat(orders.path("job")
                        .path("facets")
                        .path("jobType")
                        .path("processingType")
                        .asText())
                .isEqualTo("STREAMING");
        JsonNode input = orders.path("inputs").get(0);
        assertThat(input.path("namespace").asText()).isEqualTo("kafka://b:9092");
        assertThat(input.path("name").asText()).isEqualTo("orders.raw.order-events");
        assertThat(input.path("facets").path("schema").path("fields"))
                .extracting(f -> f.path("name").asText())
                .contains("eventId", "lines", "totalAmountMinor");
        assertThat(input.path("inputFacets").path("dataQualityAssertions").path("assertions"))
                .extracting(a -> a.path("name").asText())
                .contains("customerId.nullValues");
        assertThat(orders.path("outputs"))
                .extracting(o -> o.path("name").asText())
                .containsExactly("orders.product.orders.v1", "orders.dlq.order-events");
        assertThat(orders.path("outputs")
                        .get(0)
                        .path("facets")
                        .path("ownership")
                        .path("owners")
                        .get(0)
                        .path("name")
                        .asText())
                .isEqualTo("team:orders");
    }
}
