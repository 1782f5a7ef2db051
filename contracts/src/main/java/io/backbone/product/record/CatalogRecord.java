package io.backbone.product.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbone.catalog.Problem;
import io.backbone.catalog.YamlDocument;
import io.backbone.contract.CompiledContract;
import io.backbone.contract.ContractParser;
import io.backbone.contract.DataContract;
import io.backbone.contract.diff.Change;
import io.backbone.contract.diff.ContractDiff;
import io.backbone.product.DataProduct;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * A product as the {@code _backbone.catalog} topic holds it (JSON, key the product id): id, name, domain, topics,
 * input ports, the ODPS descriptor, every contract it binds (ODCS document as JSON, version, file, topic, Avro
 * schema) and the version history of its output contract, each version with the changes from the one before as
 * {@code contract diff} classifies them.
 */
public final class CatalogRecord {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CatalogRecord() {}

    /** Whether two records hold the same product (their publication times aside). */
    public static boolean sameContent(JsonNode a, JsonNode b) {
        return withoutTimes(normalized(a)).equals(withoutTimes(normalized(b)));
    }

    /** As read back from the topic: YAML numbers become the JSON numbers Jackson reads (1.0 vs 1, long vs int). */
    static JsonNode normalized(JsonNode node) {
        try {
            return JSON.readTree(JSON.writeValueAsBytes(node));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record of {@code p}, continuing the version history of {@code before} (null: first publication). */
    public static ObjectNode of(DataProduct p, JsonNode before, long now) {
        ObjectNode r = JSON.createObjectNode();
        JsonNode descriptor = p.descriptor() == null
                ? JSON.createObjectNode()
                : p.descriptor().root();
        r.put("id", p.id())
                .put("name", p.name())
                .put("domain", p.domain())
                .put("descriptorFile", p.descriptorFile())
                .put("productTopic", p.productTopic())
                .put("dlqTopic", p.dlqTopic())
                .put("join", p.join() != null)
                .put("kind", p.join() != null ? "join" : p.isEntity() ? "entity" : "events");
        if (p.isEntity()) {
            // how the entity is kept: the state field (null: the whole record), the deletion, the change id
            ObjectNode entity = r.putObject("entity");
            entity.put("state", p.entity().state());
            entity.put("deletedWhen", p.entity().deletedWhen());
            entity.put(
                    "changeId",
                    p.entity().changeId() == null ? null : p.entity().changeId().path());
        }
        ArrayNode inputs = r.putArray("inputs");
        if (p.join() == null) {
            inputs.addObject()
                    .put("contractId", p.input().id())
                    .put("topic", p.input().topic());
        } else {
            inputs.addObject()
                    .put("role", "left")
                    .put("contractId", p.join().left().contract().id())
                    .put("topic", p.join().left().topic());
            inputs.addObject()
                    .put("role", "right")
                    .put("contractId", p.join().right().contract().id())
                    .put("topic", p.join().right().topic());
        }
        r.put("outputContractId", p.output().id());
        r.set("descriptor", descriptor);
        ObjectNode contracts = r.putObject("contracts");
        List<CompiledContract> bound = new ArrayList<>();
        if (p.join() == null) {
            bound.add(p.input());
        } else {
            bound.add(p.join().left().contract());
            bound.add(p.join().right().contract());
        }
        bound.add(p.output());
        for (CompiledContract c : bound) {
            contracts
                    .putObject(c.id())
                    .put("version", c.version())
                    .put("file", c.contract().file())
                    .put("topic", c.topic())
                    .put("avroSchema", c.schema().toString())
                    .set("document", c.contract().document().root());
        }
        r.set("versions", versions(p, before, now));
        r.put("publishedAt", Instant.ofEpochMilli(now).toString());
        return r;
    }

    /** The previous history, plus this version when the output contract or its schema changed. */
    private static ArrayNode versions(DataProduct p, JsonNode before, long now) {
        ArrayNode versions = JSON.createArrayNode();
        if (before != null && before.path("versions").isArray()) {
            before.path("versions").forEach(v -> versions.add(v.deepCopy()));
        }
        CompiledContract output = p.output();
        JsonNode previous = before == null ? null : before.path("contracts").path(output.id());
        boolean changed = previous == null
                || previous.isMissingNode()
                || !previous.path("document")
                        .equals(normalized(output.contract().document().root()))
                || !previous.path("avroSchema").asText().equals(output.schema().toString());
        if (!changed && !versions.isEmpty()) {
            return versions;
        }
        ObjectNode v = versions.addObject()
                .put("version", output.version())
                .put("contractId", output.id())
                .put("topic", output.topic())
                .put("publishedAt", Instant.ofEpochMilli(now).toString());
        if (previous == null || previous.isMissingNode()) {
            v.put("bump", "INITIAL");
            v.putArray("changes");
            return versions;
        }
        try {
            List<Problem> problems = new ArrayList<>();
            DataContract old = ContractParser.parse(
                    YamlDocument.parse(
                            previous.path("file").asText("previous"),
                            previous.path("document").toString()),
                    problems);
            Schema oldSchema =
                    new Schema.Parser().parse(previous.path("avroSchema").asText());
            ContractDiff.Result diff = ContractDiff.diff(old, oldSchema, output.contract(), output.schema());
            v.put("bump", diff.bump().name())
                    .put("from", previous.path("version").asText());
            ArrayNode changes = v.putArray("changes");
            for (Change c : diff.changes()) {
                changes.addObject()
                        .put("kind", c.kind().label())
                        .put("where", c.where())
                        .put("description", c.description())
                        .put("breaking", c.breaking())
                        .put("affects", c.affects());
            }
        } catch (RuntimeException e) {
            v.put("bump", "UNKNOWN").put("error", "the previous version could not be compared: " + e.getMessage());
        }
        return versions;
    }

    private static JsonNode withoutTimes(JsonNode record) {
        ObjectNode copy = record.deepCopy();
        copy.remove("publishedAt");
        return copy;
    }
}
