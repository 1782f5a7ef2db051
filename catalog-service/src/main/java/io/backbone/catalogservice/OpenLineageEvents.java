package io.backbone.catalogservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.avro.Schema;

/**
 * The catalog's lineage as OpenLineage 2-0-2 run events, one per product (a streaming job that runs as long as the
 * backbone does): the job is the product, its datasets are Kafka topics in namespace {@code kafka://<bootstrap>},
 * with schema, ownership and documentation facets, job type STREAMING, and on the input topics the data-quality
 * assertions the contract makes, each with whether the latest status window kept it.
 */
final class OpenLineageEvents {
    static final String SPEC = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
    static final String PRODUCER = "urn:backbone:catalog-service";
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenLineageEvents() {}

    static ArrayNode events(
            Map<String, JsonNode> products, String namespace, Function<String, JsonNode> latestStatus, Instant now) {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode p : products.values()) {
            out.add(event(p, namespace, latestStatus.apply(p.path("id").asText()), now));
        }
        return out;
    }

    static ObjectNode event(JsonNode p, String namespace, JsonNode status, Instant now) {
        String id = p.path("id").asText();
        ObjectNode e = JSON.createObjectNode()
                .put("eventType", "RUNNING")
                .put("eventTime", now.toString())
                .put("producer", PRODUCER)
                .put("schemaURL", SPEC);
        String runKey = id + "@"
                + p.path("contracts")
                        .path(p.path("outputContractId").asText())
                        .path("version")
                        .asText();
        e.putObject("run")
                .put(
                        "runId",
                        UUID.nameUUIDFromBytes(runKey.getBytes(StandardCharsets.UTF_8))
                                .toString());
        ObjectNode job = e.putObject("job").put("namespace", "backbone").put("name", id);
        ObjectNode jobFacets = job.putObject("facets");
        String purpose = p.path("descriptor")
                .path("description")
                .path("purpose")
                .asText(p.path("name").asText(id));
        jobFacets.set(
                "documentation",
                facet("1-1-0/DocumentationJobFacet.json#/$defs/DocumentationJobFacet")
                        .put("description", purpose));
        jobFacets.set(
                "jobType",
                facet("2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet")
                        .put("processingType", "STREAMING")
                        .put("integration", "KAFKA_STREAMS")
                        .put("jobType", p.path("join").asBoolean() ? "JOIN_DATA_PRODUCT" : "DATA_PRODUCT"));
        String owner = Products.owner(p);
        if (owner != null) {
            ObjectNode ownership = facet("1-0-1/OwnershipJobFacet.json#/$defs/OwnershipJobFacet");
            ownership
                    .putArray("owners")
                    .addObject()
                    .put("name", "team:" + owner)
                    .put("type", "OWNER");
            jobFacets.set("ownership", ownership);
        }
        ArrayNode inputs = e.putArray("inputs");
        for (JsonNode in : p.path("inputs")) {
            JsonNode contract = p.path("contracts").path(in.path("contractId").asText());
            ObjectNode dataset = dataset(namespace, in.path("topic").asText(), contract, owner);
            ArrayNode assertions = JSON.createArrayNode();
            for (Products.Rule r : Products.rules(contract.path("document"))) {
                ObjectNode a = assertions
                        .addObject()
                        .put("assertion", r.kind())
                        .put("name", r.name())
                        .put("severity", r.severity())
                        .put("description", r.plainWords());
                if (r.column() != null) {
                    a.put("column", r.column());
                }
                Boolean kept = kept(status, r.name());
                a.put("success", kept == null || kept);
            }
            if (!assertions.isEmpty()) {
                ObjectNode q =
                        facet("1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet");
                q.set("assertions", assertions);
                dataset.putObject("inputFacets").set("dataQualityAssertions", q);
            }
            inputs.add(dataset);
        }
        ArrayNode outputs = e.putArray("outputs");
        JsonNode output = p.path("contracts").path(p.path("outputContractId").asText());
        outputs.add(dataset(namespace, p.path("productTopic").asText(), output, owner));
        ObjectNode dlq = JSON.createObjectNode()
                .put("namespace", namespace)
                .put("name", p.path("dlqTopic").asText());
        dlq.putObject("facets")
                .set(
                        "documentation",
                        facet("1-1-0/DocumentationDatasetFacet.json#/$defs/DocumentationDatasetFacet")
                                .put(
                                        "description",
                                        "Dead letters of " + id
                                                + ": every record that broke a contract, with its reason and provenance in headers."));
        outputs.add(dlq);
        return e;
    }

    private static Boolean kept(JsonNode status, String rule) {
        if (status == null) {
            return null;
        }
        for (var it = status.path("deadLetteredByRule").fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (name.equals(rule) || name.endsWith("." + rule) || rule.endsWith(name)) {
                return status.path("deadLetteredByRule").path(name).asLong() == 0;
            }
        }
        return true;
    }

    private static ObjectNode dataset(String namespace, String topic, JsonNode contract, String owner) {
        ObjectNode d = JSON.createObjectNode().put("namespace", namespace).put("name", topic);
        ObjectNode facets = d.putObject("facets");
        String avsc = contract.path("avroSchema").asText(null);
        if (avsc != null) {
            ObjectNode schema = facet("1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet");
            ArrayNode fields = schema.putArray("fields");
            Map<String, JsonNode> docs = Products.propertyDocs(contract.path("document"));
            addFields(fields, new Schema.Parser().parse(avsc), "", docs);
            facets.set("schema", schema);
        }
        String purpose =
                contract.path("document").path("description").path("purpose").asText(null);
        if (purpose != null) {
            facets.set(
                    "documentation",
                    facet("1-1-0/DocumentationDatasetFacet.json#/$defs/DocumentationDatasetFacet")
                            .put("description", purpose));
        }
        if (owner != null) {
            ObjectNode ownership = facet("1-0-1/OwnershipDatasetFacet.json#/$defs/OwnershipDatasetFacet");
            ownership
                    .putArray("owners")
                    .addObject()
                    .put("name", "team:" + owner)
                    .put("type", "OWNER");
            facets.set("ownership", ownership);
        }
        return d;
    }

    private static void addFields(ArrayNode fields, Schema record, String prefix, Map<String, JsonNode> docs) {
        int position = 1;
        for (Schema.Field f : record.getFields()) {
            Schema type = Products.nonNull(f.schema());
            ObjectNode field = fields.addObject()
                    .put("name", f.name())
                    .put("type", Products.avroType(f.schema()))
                    .put("ordinal_position", position++);
            JsonNode doc = docs.get(prefix + f.name());
            String description = doc != null && doc.path("description").isTextual()
                    ? doc.path("description").asText()
                    : f.doc();
            if (description != null) {
                field.put("description", description);
            }
            Schema nested = type.getType() == Schema.Type.ARRAY ? Products.nonNull(type.getElementType()) : type;
            if (nested.getType() == Schema.Type.RECORD) {
                addFields(
                        field.putArray("fields"),
                        nested,
                        prefix + f.name() + (type.getType() == Schema.Type.ARRAY ? "[]." : "."),
                        docs);
            }
        }
    }

    private static ObjectNode facet(String schema) {
        return JSON.createObjectNode()
                .put("_producer", PRODUCER)
                .put("_schemaURL", "https://openlineage.io/spec/facets/" + schema);
    }

    static List<String> facetFiles() {
        return List.of(
                "DocumentationJobFacet",
                "JobTypeJobFacet",
                "OwnershipJobFacet",
                "DataQualityAssertionsDatasetFacet",
                "SchemaDatasetFacet",
                "DocumentationDatasetFacet",
                "OwnershipDatasetFacet");
    }
}
