package io.backbone.catalogservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The catalog's answers as JSON, shared by the JSON API and the pages. */
final class CatalogApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> LIST_PARAMETERS = Set.of("q", "domain", "owner", "tag", "classification", "status");
    static final Set<String> STATES = Set.of("OK", "BROKEN", "IDLE", "UNKNOWN");

    /** A request the API refuses: HTTP status, the parameter at fault and how to fix it. */
    static final class BadRequest extends RuntimeException {
        final int status;
        final String parameter;
        final String fix;

        BadRequest(int status, String message, String parameter, String fix) {
            super(message);
            this.status = status;
            this.parameter = parameter;
            this.fix = fix;
        }

        ObjectNode json() {
            ObjectNode o = JSON.createObjectNode().put("error", getMessage());
            if (parameter != null) {
                o.put("parameter", parameter);
            }
            if (fix != null) {
                o.put("fix", fix);
            }
            return o;
        }
    }

    private final CatalogState state;
    private final ClusterView cluster;
    private final String namespace;

    CatalogApi(CatalogState state, ClusterView cluster, String bootstrapServers) {
        this.state = state;
        this.cluster = cluster;
        this.namespace = "kafka://" + bootstrapServers.split(",")[0].trim();
    }

    CatalogState state() {
        return state;
    }

    /** Products matching the filters; an unknown parameter or status value is refused, naming it. */
    ObjectNode list(Map<String, String> params) {
        for (String name : params.keySet()) {
            if (!LIST_PARAMETERS.contains(name)) {
                throw new BadRequest(
                        400,
                        "unknown query parameter '" + name + "'",
                        name,
                        "use one of " + new TreeSet<>(LIST_PARAMETERS));
            }
        }
        String status = params.get("status");
        if (status != null && !status.isBlank() && !STATES.contains(status.toUpperCase(java.util.Locale.ROOT))) {
            throw new BadRequest(
                    400,
                    "status '" + status + "' is not a product state",
                    "status",
                    "use one of " + new TreeSet<>(STATES));
        }
        ArrayNode products = JSON.createArrayNode();
        for (JsonNode p : state.products().values()) {
            ObjectNode s = summary(p);
            if (!Products.matches(
                            s.path("id").asText() + " " + s.path("name").asText() + " "
                                    + s.path("description").asText()
                                    + " " + s.path("domain").asText() + " "
                                    + s.path("owner").asText() + " " + s.path("tags") + " "
                                    + s.path("productTopic").asText(),
                            params.get("q"))
                    || !equalsIfGiven(s.path("domain").asText(), params.get("domain"))
                    || !equalsIfGiven(s.path("owner").asText(), params.get("owner"))
                    || !containsIfGiven(s.path("tags"), params.get("tag"))
                    || !containsIfGiven(s.path("classifications"), params.get("classification"))
                    || !equalsIfGiven(s.path("status").asText(), status)) {
                continue;
            }
            products.add(s);
        }
        ObjectNode out = JSON.createObjectNode().put("count", products.size());
        out.set("products", products);
        return out;
    }

    private static boolean equalsIfGiven(String value, String wanted) {
        return wanted == null || wanted.isBlank() || value.equalsIgnoreCase(wanted.trim());
    }

    private static boolean containsIfGiven(JsonNode values, String wanted) {
        if (wanted == null || wanted.isBlank()) {
            return true;
        }
        for (JsonNode v : values) {
            if (v.asText().equalsIgnoreCase(wanted.trim())) {
                return true;
            }
        }
        return false;
    }

    ObjectNode summary(JsonNode p) {
        String id = p.path("id").asText();
        JsonNode output = Products.outputContract(p);
        ObjectNode s = JSON.createObjectNode()
                .put("id", id)
                .put("name", p.path("name").asText(id))
                .put("domain", p.path("domain").asText())
                .put("owner", Products.owner(p))
                .put(
                        "description",
                        p.path("descriptor").path("description").path("purpose").asText(""))
                .put("productTopic", p.path("productTopic").asText())
                .put("version", output.path("version").asText())
                .put("join", p.path("join").asBoolean())
                .put("kind", p.path("kind").asText(p.path("join").asBoolean() ? "join" : "events"));
        ArrayNode tags = s.putArray("tags");
        Products.tags(p).forEach(tags::add);
        TreeSet<String> classifications = new TreeSet<>();
        Products.propertyDocs(output.path("document")).values().forEach(d -> {
            if (d.path("classification").isTextual()) {
                classifications.add(d.path("classification").asText());
            }
        });
        ArrayNode c = s.putArray("classifications");
        classifications.forEach(c::add);
        JsonNode latest = latest(id);
        s.put("status", latest == null ? "UNKNOWN" : latest.path("state").asText("UNKNOWN"));
        s.put("openAlerts", state.openAlerts(id).size());
        return s;
    }

    JsonNode latest(String id) {
        List<JsonNode> windows = state.windows(id);
        return windows.isEmpty() ? null : windows.get(windows.size() - 1);
    }

    JsonNode product(String id) {
        JsonNode p = state.product(id);
        if (p == null) {
            throw new BadRequest(
                    404,
                    "unknown product '" + id + "'",
                    "id",
                    "known products: " + state.products().keySet());
        }
        return p;
    }

    ObjectNode detail(String id, io.backbone.catalogservice.access.Viewer viewer) {
        JsonNode p = product(id);
        ObjectNode d = summary(p);
        JsonNode output = Products.outputContract(p);
        JsonNode doc = output.path("document");
        d.put(
                "usage",
                p.path("descriptor")
                        .path("description")
                        .path("usage")
                        .asText(doc.path("description").path("usage").asText("")));
        d.set(
                "team",
                p.path("descriptor").path("team").isMissingNode()
                        ? doc.path("team")
                        : p.path("descriptor").path("team"));
        d.set("support", doc.path("support").isMissingNode() ? JSON.createArrayNode() : doc.path("support"));
        d.put("kind", p.path("kind").asText(p.path("join").asBoolean() ? "join" : "events"));
        if (p.has("entity")) {
            d.set("entity", p.path("entity"));
        }
        ArrayNode inputs = d.putArray("inputs");
        for (JsonNode in : p.path("inputs")) {
            ObjectNode i = inputs.addObject()
                    .put("topic", in.path("topic").asText())
                    .put("contractId", in.path("contractId").asText())
                    .put(
                            "version",
                            p.path("contracts")
                                    .path(in.path("contractId").asText())
                                    .path("version")
                                    .asText());
            if (in.has("role")) {
                i.put("role", in.path("role").asText());
            }
        }
        d.putObject("output")
                .put("topic", p.path("productTopic").asText())
                .put("contractId", p.path("outputContractId").asText())
                .put("version", output.path("version").asText())
                .put("dlqTopic", p.path("dlqTopic").asText());
        d.set("schema", Products.schemaTable(output));
        ArrayNode rules = d.putArray("rules");
        for (Products.Rule r : Products.rules(doc)) {
            rules.addObject()
                    .put("name", r.name())
                    .put("kind", r.kind())
                    .put("severity", r.severity())
                    .put("text", r.plainWords());
        }
        d.set("sla", Products.sla(doc));
        d.put("compatibility", String.valueOf(Products.customProperty(doc, "compatibility")));
        d.put("audience", String.valueOf(Products.customProperty(doc, "audience")));
        d.put("dedupWindow", String.valueOf(Products.customProperty(doc, "dedupWindow")));
        d.set("versions", p.path("versions"));
        ObjectNode access = d.putObject("access");
        access.set("roles", doc.path("roles").isMissingNode() ? JSON.createArrayNode() : doc.path("roles"));
        ArrayNode consumers = access.putArray("declaredConsumers");
        String declared = Products.customProperty(p.path("descriptor"), "consumers");
        if (declared != null) {
            try {
                JSON.readTree(declared).forEach(consumers::add);
            } catch (java.io.IOException e) {
                consumers.add(declared);
            }
        }
        d.set("live", status(id));
        ArrayNode groups = d.putArray("consumerGroups");
        cluster.consumers(p.path("productTopic").asText()).forEach(groups::add);
        ObjectNode lifecycle =
                d.putObject("lifecycle").put("status", doc.path("status").asText("active"));
        for (String key : List.of("deprecatedOn", "sunset", "successor")) {
            String value = Products.customProperty(doc, key);
            if (value != null) {
                lifecycle.put(key, value);
            }
        }
        if ("deprecated".equals(lifecycle.path("status").asText())) {
            // who still has to move before the sunset: every group that committed offsets on this version's topic
            ArrayNode still = lifecycle.putArray("stillReadBy");
            groups.forEach(g -> still.add(g.path("group").asText()));
        }
        if (cluster.groupsProblem() != null) {
            d.put("consumerGroupsProblem", cluster.groupsProblem());
        }
        if (viewer.mayRead(p)) {
            d.set("sample", cluster.sample(p.path("productTopic").asText(), Products.piiAcrossContracts(p)));
        } else {
            d.putObject("sample")
                    .put(
                            "withheld",
                            "principal " + viewer.principal() + " may not read "
                                    + p.path("productTopic").asText()
                                    + ": its records are for "
                                    + String.join(", ", io.backbone.catalogservice.access.Viewer.readers(p))
                                    + "; ask its owner to add " + viewer.principal()
                                    + " to customProperties.consumers in "
                                    + p.path("descriptorFile").asText());
        }
        d.set("lineage", lineage().around(id).json());
        return d;
    }

    ObjectNode status(String id) {
        product(id);
        ObjectNode s = JSON.createObjectNode();
        List<JsonNode> windows = state.windows(id);
        JsonNode latest = windows.isEmpty() ? null : windows.get(windows.size() - 1);
        s.set("latest", latest);
        s.set("totals", state.totals(id));
        ArrayNode recent = s.putArray("windows");
        windows.subList(Math.max(0, windows.size() - 60), windows.size()).forEach(recent::add);
        ArrayNode top = s.putArray("topFailingRules");
        JsonNode totals = state.totals(id);
        if (totals != null) {
            List<Map.Entry<String, JsonNode>> byRule = new ArrayList<>();
            totals.path("deadLetteredByRule").fields().forEachRemaining(byRule::add);
            byRule.sort(Comparator.comparingLong(
                            (Map.Entry<String, JsonNode> e) -> e.getValue().asLong())
                    .reversed());
            byRule.stream()
                    .limit(5)
                    .forEach(e -> top.addObject()
                            .put("rule", e.getKey())
                            .put("deadLettered", e.getValue().asLong()));
        }
        ArrayNode alerts = s.putArray("alerts");
        state.alerts(id).stream().limit(50).forEach(alerts::add);
        ArrayNode open = s.putArray("openAlerts");
        state.openAlerts(id).values().forEach(open::add);
        return s;
    }

    Lineage lineage() {
        return Lineage.of(state.products(), cluster::consumers);
    }

    ArrayNode openLineage() {
        return OpenLineageEvents.events(state.products(), namespace, this::latest, Instant.now());
    }

    ObjectNode health() {
        ObjectNode h = JSON.createObjectNode()
                .put("products", state.products().size())
                .put("skippedRecords", state.skipped())
                .put(
                        "lastRead",
                        state.lastRead() == 0
                                ? null
                                : Instant.ofEpochMilli(state.lastRead()).toString());
        if (state.lastSkipped() != null) {
            h.put("lastSkipped", state.lastSkipped());
        }
        String problem = state.problem();
        h.put("ok", problem == null);
        if (problem != null) {
            h.put("problem", problem);
        }
        return h;
    }
}
