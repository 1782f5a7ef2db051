package io.backbone.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The embedded registry keeps what Confluent's data contracts add to a schema version (metadata and a rule set) and
 * answers deletes, as Confluent's REST API documents them: what a client registers it reads back unchanged, by
 * version and by id.
 */
class RegistryDataContractsTest extends RegistryHttpTest {
    static final String SUBJECT = "orders.raw.order-events-value";
    static final String V1 =
            "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"amount\",\"type\":\"long\"}]}";
    static final String V2 =
            "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"amount\",\"type\":\"long\"},"
                    + "{\"name\":\"currency\",\"type\":\"string\",\"default\":\"EUR\"}]}";
    static final String METADATA =
            "{\"tags\":{\"Order.amount\":[\"INTERNAL\"]},\"properties\":{\"owner\":\"orders\",\"app.version\":\"1\"},"
                    + "\"sensitive\":[\"secret\"]}";
    static final String RULES = "{\"domainRules\":[{\"name\":\"amount-not-negative\",\"kind\":\"CONDITION\",\"mode\":"
            + "\"WRITE\",\"type\":\"CEL\",\"expr\":\"message.amount >= 0\",\"onFailure\":\"ERROR\"}]}";

    record Reply(int status, JsonNode body) {
        int code() {
            return body.path("error_code").asInt();
        }
    }

    Reply call(String method, String path, String body) throws Exception {
        HttpResponse<String> r = send(method, path, body);
        return new Reply(r.statusCode(), json.readTree(r.body()));
    }

    String register(String schema, String metadata, String ruleSet) throws Exception {
        ObjectNode body = json.createObjectNode().put("schema", schema);
        if (metadata != null) {
            body.set("metadata", json.readTree(metadata));
        }
        if (ruleSet != null) {
            body.set("ruleSet", json.readTree(ruleSet));
        }
        return body.toString();
    }

    int registered(String schema, String metadata, String ruleSet) throws Exception {
        Reply r = call("POST", "/subjects/" + SUBJECT + "/versions", register(schema, metadata, ruleSet));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        return r.body().path("id").asInt();
    }

    @Test
    void metadataAndARuleSetAreReadBackUnchangedByVersionAndById() throws Exception {
        int id = registered(V1, METADATA, RULES);

        Reply byVersion = call("GET", "/subjects/" + SUBJECT + "/versions/1", null);
        Reply byId = call("GET", "/schemas/ids/" + id, null);
        Reply latest = call("GET", "/subjects/" + SUBJECT + "/versions/latest", null);

        for (Reply r : java.util.List.of(byVersion, byId, latest)) {
            assertThat(r.body().path("metadata")).isEqualTo(json.readTree(METADATA));
            assertThat(r.body().path("ruleSet")).isEqualTo(json.readTree(RULES));
        }
        Reply lookup = call("POST", "/subjects/" + SUBJECT, register(V1, null, null));
        assertThat(lookup.body().path("version").asInt()).isEqualTo(1);
        assertThat(lookup.body().path("ruleSet")).isEqualTo(json.readTree(RULES));
    }

    @Test
    void aSchemaThatDiffersOnlyInItsRulesIsANewVersionAndOneWithoutRulesInheritsThePrevious() throws Exception {
        int first = registered(V1, METADATA, RULES);
        String stricter = RULES.replace("message.amount >= 0", "message.amount > 0");

        int second = registered(V1, METADATA, stricter);
        int again = registered(V1, null, null);

        assertThat(second).isNotEqualTo(first);
        assertThat(again)
                .as("no rules given: the previous version's, so nothing new")
                .isEqualTo(second);
        assertThat(call("GET", "/subjects/" + SUBJECT + "/versions", null).body())
                .hasSize(2);
        int third = registered(V2, null, null);
        assertThat(call("GET", "/schemas/ids/" + third, null).body().path("ruleSet"))
                .as("a new schema inherits the rules")
                .isEqualTo(json.readTree(stricter));
    }

    @Test
    void theConfigurationsDefaultsGoUnderAndItsOverridesOverWhatAVersionSpecifies() throws Exception {
        Reply set = call(
                "PUT",
                "/config/" + SUBJECT,
                "{\"defaultMetadata\":{\"properties\":{\"owner\":\"platform\",\"domain\":\"orders\"}},"
                        + "\"overrideRuleSet\":{\"domainRules\":[{\"name\":\"amount-not-negative\",\"kind\":"
                        + "\"CONDITION\",\"mode\":\"WRITE\",\"type\":\"CEL\",\"expr\":\"message.amount >= 1\"}]}}");
        assertThat(set.status()).as(set.body().toString()).isEqualTo(200);

        int id = registered(V1, METADATA, RULES);

        JsonNode stored = call("GET", "/schemas/ids/" + id, null).body();
        assertThat(stored.path("metadata").path("properties").path("owner").asText())
                .as("the version's own value wins over the default")
                .isEqualTo("orders");
        assertThat(stored.path("metadata").path("properties").path("domain").asText())
                .isEqualTo("orders");
        assertThat(stored.path("ruleSet").path("domainRules"))
                .singleElement()
                .satisfies(r -> assertThat(r.path("expr").asText()).isEqualTo("message.amount >= 1"));
        JsonNode config = call("GET", "/config/" + SUBJECT + "?defaultToGlobal=true", null)
                .body();
        assertThat(config.path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        assertThat(config.path("defaultMetadata")
                        .path("properties")
                        .path("owner")
                        .asText())
                .isEqualTo("platform");
    }

    @Test
    void defaultsMergeAsConfluentsMergeDoesRulesByNameAppendedAndATagListReplacedWhole() throws Exception {
        Reply set = call(
                "PUT",
                "/config/" + SUBJECT,
                "{\"defaultMetadata\":{\"tags\":{\"Order.amount\":[\"PII\",\"FINANCE\"]}},"
                        + "\"defaultRuleSet\":{\"domainRules\":["
                        + "{\"name\":\"amount-not-negative\",\"kind\":\"CONDITION\",\"mode\":\"WRITE\",\"type\":\"CEL\","
                        + "\"expr\":\"true\"},"
                        + "{\"name\":\"from-default\",\"kind\":\"CONDITION\",\"mode\":\"WRITE\",\"type\":\"CEL\","
                        + "\"expr\":\"message.amount < 1000000\"}]}}");
        assertThat(set.status()).as(set.body().toString()).isEqualTo(200);

        JsonNode stored = call("GET", "/schemas/ids/" + registered(V1, METADATA, RULES), null)
                .body();

        // the default's rules without the ones the version names again, then the version's: the order they run in
        assertThat(stored.path("ruleSet").path("domainRules"))
                .extracting(r -> r.path("name").asText() + ": " + r.path("expr").asText())
                .containsExactly("from-default: message.amount < 1000000", "amount-not-negative: message.amount >= 0");
        assertThat(stored.path("metadata").path("tags").path("Order.amount"))
                .as("a path's tags are the version's list, not a union with the default's")
                .extracting(JsonNode::asText)
                .containsExactly("INTERNAL");
    }

    @Test
    void theLatestVersionWithMetadataIsFoundByItsProperties() throws Exception {
        registered(V1, METADATA, null);
        registered(V2, METADATA.replace("\"app.version\":\"1\"", "\"app.version\":\"2\""), null);

        Reply one = call("GET", "/subjects/" + SUBJECT + "/metadata?key=app.version&value=1", null);
        Reply two =
                call("GET", "/subjects/" + SUBJECT + "/metadata?key=app.version&value=2&key=owner&value=orders", null);
        Reply none = call("GET", "/subjects/" + SUBJECT + "/metadata?key=app.version&value=3", null);

        assertThat(one.body().path("version").asInt()).isEqualTo(1);
        assertThat(two.body().path("version").asInt()).isEqualTo(2);
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.code()).isEqualTo(40403);
        assertThat(call("GET", "/subjects/nope-value/metadata?key=a&value=b", null)
                        .code())
                .isEqualTo(40401);
    }

    @Test
    void versionsAndSubjectsAreSoftDeletedThenPermanentlyWithConfluentsErrorCodes() throws Exception {
        registered(V1, null, null);
        registered(V2, null, null);
        String versions = "/subjects/" + SUBJECT + "/versions";

        assertThat(call("DELETE", versions + "/2?permanent=true", null).code())
                .as("permanent before soft")
                .isEqualTo(40407);
        assertThat(call("DELETE", versions + "/1", null).body().asInt()).isEqualTo(1);
        assertThat(call("DELETE", versions + "/1", null).code()).isEqualTo(40406);
        assertThat(call("DELETE", versions + "/9", null).code()).isEqualTo(40402);
        assertThat(call("GET", versions, null).body())
                .extracting(JsonNode::asInt)
                .containsExactly(2);
        assertThat(call("GET", versions + "?deleted=true", null).body())
                .extracting(JsonNode::asInt)
                .containsExactly(1, 2);
        assertThat(call("GET", versions + "/1", null).code()).isEqualTo(40402);
        assertThat(call("GET", versions + "/1?deleted=true", null)
                        .body()
                        .path("deleted")
                        .asBoolean())
                .isTrue();

        assertThat(call("DELETE", "/subjects/" + SUBJECT + "?permanent=true", null)
                        .code())
                .as("a live version is left")
                .isEqualTo(40405);
        assertThat(call("DELETE", "/subjects/" + SUBJECT, null).body())
                .extracting(JsonNode::asInt)
                .containsExactly(2);
        assertThat(call("DELETE", "/subjects/" + SUBJECT, null).code()).isEqualTo(40404);
        assertThat(call("GET", "/subjects", null).body()).isEmpty();
        assertThat(call("GET", "/subjects?deleted=true", null).body())
                .extracting(JsonNode::asText)
                .containsExactly(SUBJECT);
        assertThat(call("GET", versions, null).code()).isEqualTo(40401);

        assertThat(call("DELETE", "/subjects/" + SUBJECT + "?permanent=true", null)
                        .body())
                .extracting(JsonNode::asInt)
                .containsExactly(1, 2);
        assertThat(call("GET", "/subjects?deleted=true", null).body()).isEmpty();
        assertThat(call("DELETE", "/subjects/" + SUBJECT, null).code()).isEqualTo(40401);
        assertThat(registered(V1, null, null))
                .as("registering again after a permanent delete starts a new version 1")
                .isPositive();
        assertThat(call("GET", versions, null).body())
                .extracting(JsonNode::asInt)
                .containsExactly(1);
    }
}
