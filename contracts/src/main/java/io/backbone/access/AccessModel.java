package io.backbone.access;

import com.fasterxml.jackson.databind.JsonNode;
import io.backbone.catalog.CatalogSource;
import io.backbone.catalog.Problem;
import io.backbone.catalog.YamlDocument;
import io.backbone.product.DataProduct;
import io.backbone.product.PlatformTopics;
import io.backbone.product.ProductCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may do what, derived from the catalog: the principals declared in {@code governance/principals.yaml} and the
 * products. A producer (the domain's service) writes its domain's raw topics; the backbone reads raw topics and the
 * products that joins read, writes products, DLQs and its own status topics, and owns its internal topics, group and
 * transactional ids; a consumer reads the products whose descriptor lists it ({@code customProperties.consumers}) or
 * whose contract grants it ({@code roles: [{role: <principal>, access: read}]}); raw topics and DLQs hold unmasked
 * PII, so only their own domain's principals and the backbone read them. The grants are the least that works.
 */
public final class AccessModel {
    public static final String FILE = "governance/principals.yaml";

    /** A Kafka user and its role on the platform. */
    public record Principal(String name, PrincipalKind kind, String domain, String description) {
        public String user() {
            return "User:" + name;
        }
    }

    /** One allowed operation, with why it is there. Resource types and operations are Kafka's names. */
    public record Grant(
            String principal, String resourceType, String patternType, String resource, String operation, String why)
            implements Comparable<Grant> {
        @Override
        public int compareTo(Grant o) {
            return key().compareTo(o.key());
        }

        public String key() {
            return principal + " " + resourceType + ":" + patternType + ":" + resource + " " + operation;
        }
    }

    private final Map<String, Principal> principals;
    private final List<Problem> problems;
    private final YamlDocument document;

    private AccessModel(Map<String, Principal> principals, List<Problem> problems, YamlDocument document) {
        this.principals = principals;
        this.problems = problems;
        this.document = document;
    }

    /** The principals of {@code source}, or null when the catalog declares none (then access is not managed). */
    public static AccessModel load(CatalogSource source) {
        if (!source.exists(FILE)) {
            return null;
        }
        YamlDocument doc = YamlDocument.parse(source.display(FILE), source.read(FILE));
        List<Problem> problems = new ArrayList<>();
        Map<String, Principal> principals = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode p : doc.root().path("principals")) {
            String at = "$.principals[" + i++ + "]";
            String name = p.path("name").asText("");
            String kind = p.path("kind").asText("");
            if (!name.matches("[a-z][a-z0-9-]*")) {
                problems.add(doc.problem(
                        "access",
                        at + ".name",
                        "principal name '" + name + "' is not kebab-case",
                        "name it like orders-service"));
                continue;
            }
            PrincipalKind parsed = PrincipalKind.parse(kind);
            if (parsed == null) {
                problems.add(doc.problem(
                        "access",
                        at + ".kind",
                        "principal '" + name + "' has kind '" + kind + "'",
                        "use one of " + PrincipalKind.codes()));
                continue;
            }
            if (parsed.writesRawStreams() && p.path("domain").asText("").isEmpty()) {
                problems.add(doc.problem(
                        "access",
                        at + ".domain",
                        kind + " '" + name + "' names no domain",
                        "add domain: <the domain whose raw topics it writes>"));
            }
            if (principals.put(
                            name,
                            new Principal(
                                    name,
                                    parsed,
                                    p.path("domain").asText(null),
                                    p.path("description").asText(null)))
                    != null) {
                problems.add(doc.problem(
                        "access", at + ".name", "principal '" + name + "' is declared twice", "declare it once"));
            }
        }
        if (doc.root().path("principals").isEmpty()) {
            problems.add(doc.problem(
                    "access",
                    "$.principals",
                    "no principals declared",
                    "declare at least the backbone and a producer per domain"));
        }
        return new AccessModel(principals, problems, doc);
    }

    public Map<String, Principal> principals() {
        return principals;
    }

    public List<Problem> problems() {
        return problems;
    }

    /** The principals allowed to read {@code p}'s product topic: its descriptor's consumers and its contract's roles. */
    public static Set<String> readers(DataProduct p) {
        Set<String> out = new LinkedHashSet<>();
        if (p.descriptor() != null) {
            for (JsonNode c : p.descriptor().root().path("customProperties")) {
                if ("consumers".equals(c.path("property").asText())) {
                    c.path("value").forEach(v -> out.add(v.asText()));
                }
            }
        }
        for (JsonNode r : p.output().contract().document().root().path("roles")) {
            if ("read".equalsIgnoreCase(r.path("access").asText())) {
                out.add(r.path("role").asText());
            }
        }
        return out;
    }

    /** Lint: unknown principals, readers of raw topics from another domain, products nobody may read, domains without a producer. */
    public List<Problem> check(ProductCatalog catalog) {
        List<Problem> out = new ArrayList<>(problems);
        Set<String> producingDomains = new TreeSet<>();
        principals.values().stream()
                .filter(p -> p.kind().writesRawStreams())
                .forEach(p -> producingDomains.add(p.domain()));
        if (principals.values().stream().noneMatch(p -> p.kind() == PrincipalKind.BACKBONE)) {
            out.add(document.problem(
                    "access",
                    "$.principals",
                    "no principal of kind backbone",
                    "declare {name: backbone, kind: backbone}"));
        }
        for (Principal who : principals.values()) {
            if (who.kind() == PrincipalKind.CONSUMER && who.domain() != null) {
                out.add(document.problem(
                        "access",
                        "$.principals[?(@.name == '" + who.name() + "')].domain",
                        "consumer '" + who.name() + "' names domain " + who.domain()
                                + ", but a consumer reads products only, never a domain's raw topics or dead letters",
                        "remove its domain, or declare it as the domain's producer (kind: producer) if it writes"));
            }
        }
        for (DataProduct p : catalog.products()) {
            YamlDocument descriptor = p.descriptor();
            Set<String> own = new java.util.LinkedHashSet<>();
            if (p.rawTopic() != null) {
                own.add(p.rawTopic());
            }
            own.add(p.productTopic());
            own.add(p.dlqTopic());
            for (String t : own) {
                if (!t.startsWith(p.domain() + ".")) {
                    out.add(descriptor.problem(
                            "access",
                            "$.domain",
                            "product " + p.id() + " of domain " + p.domain() + " binds " + t
                                    + ", a topic of another domain: its producers would be granted WRITE on it",
                            "bind only topics named " + p.domain() + ".raw|product|dlq.<name>, or move the product"
                                    + " to the domain that owns " + t));
                }
            }
            Set<String> readers = readers(p);
            if (readers.isEmpty()) {
                out.add(
                        descriptor.problem(
                                "access",
                                "$.customProperties",
                                "product " + p.id() + " has no reader",
                                "list its consumers: customProperties: [{property: consumers, value: [<principal>]}], or grant a role in its contract"));
            }
            for (String r : readers) {
                Principal known = principals.get(r);
                if (known == null) {
                    out.add(descriptor.problem(
                            "access",
                            "$.customProperties",
                            "reader '" + r + "' of " + p.id() + " is not a declared principal",
                            "declare it in " + FILE + " ({name: " + r + ", kind: consumer})"));
                }
            }
            if (p.rawTopic() != null && !producingDomains.contains(p.domain())) {
                out.add(descriptor.problem(
                        "access",
                        "$.domain",
                        "domain " + p.domain() + " writes " + p.rawTopic() + " but has no producer principal",
                        "declare {name: " + p.domain() + "-service, kind: producer, domain: " + p.domain() + "} in "
                                + FILE));
            }
            if (p.join() == null) {
                JsonNode roles = p.input().contract().document().root().path("roles");
                int i = 0;
                for (JsonNode r : roles) {
                    Principal who = principals.get(r.path("role").asText());
                    if ("read".equalsIgnoreCase(r.path("access").asText())
                            && (who == null
                                    || !p.domain().equals(who.domain())
                                    || who.kind() == PrincipalKind.CONSUMER)) {
                        out.add(p.input()
                                .contract()
                                .document()
                                .problem(
                                        "access",
                                        "$.roles[" + i + "]",
                                        "'" + r.path("role").asText() + "' may not read raw topic " + p.rawTopic()
                                                + ": raw topics hold unmasked PII, only domain " + p.domain()
                                                + " and the backbone read them",
                                        "grant it the product " + p.productTopic() + " instead"));
                    }
                    i++;
                }
            }
        }
        return out;
    }

    /**
     * The registry subjects {@code principal} may change: a producer's or capture's own domain's raw streams
     * ({@code <topic>-key}, {@code <topic>-value}); nothing for any other kind.
     */
    public java.util.SortedSet<String> schemaSubjects(ProductCatalog catalog, String principal) {
        java.util.SortedSet<String> out = new TreeSet<>();
        Principal who = principals.get(principal);
        if (who == null || !who.kind().writesRawStreams()) {
            return out;
        }
        for (DataProduct p : catalog.products()) {
            if (p.rawTopic() != null && p.domain().equals(who.domain())) {
                out.add(p.rawTopic() + "-key");
                out.add(p.rawTopic() + "-value");
            }
        }
        return out;
    }

    /** Every grant the catalog implies, for a backbone with application id {@code backboneAppId}. */
    public List<Grant> grants(ProductCatalog catalog, String backboneAppId) {
        Set<Grant> out = new TreeSet<>();
        Set<String> productTopics = new LinkedHashSet<>();
        catalog.products().forEach(p -> productTopics.add(p.productTopic()));
        for (Principal who : principals.values()) {
            switch (who.kind()) {
                case PRODUCER, CDC -> {
                    if (who.kind() == PrincipalKind.CDC) {
                        // its positions in the database's log (Kafka Connect creates the compacted topic itself)
                        for (String offsets : List.of(
                                PlatformTopics.cdcOffsets(who.domain()), PlatformTopics.outboxOffsets(who.domain()))) {
                            for (String op : List.of("CREATE", "READ", "WRITE", "DESCRIBE", "DESCRIBE_CONFIGS")) {
                                topic(out, who, offsets, op, "keeps its capture positions");
                            }
                        }
                        for (String op : List.of("CREATE", "WRITE", "DESCRIBE")) {
                            topic(
                                    out,
                                    who,
                                    PlatformTopics.outboxRefused(who.domain()),
                                    op,
                                    "moves aside outbox rows that name no raw topic of its domain");
                        }
                    }
                    for (DataProduct p : catalog.products()) {
                        if (p.rawTopic() != null && p.domain().equals(who.domain())) {
                            topic(out, who, p.rawTopic(), "WRITE", "writes its domain's raw stream");
                            topic(out, who, p.rawTopic(), "DESCRIBE", "writes its domain's raw stream");
                        }
                    }
                    out.add(new Grant(
                            who.user(),
                            "CLUSTER",
                            "LITERAL",
                            "kafka-cluster",
                            "IDEMPOTENT_WRITE",
                            "idempotent producer"));
                }
                case BACKBONE -> {
                    for (DataProduct p : catalog.products()) {
                        for (String in : p.sourceTopics()) {
                            topic(out, who, in, "READ", "input of " + p.id());
                            topic(out, who, in, "DESCRIBE", "input of " + p.id());
                        }
                        for (String t : List.of(p.productTopic(), p.dlqTopic())) {
                            topic(out, who, t, "WRITE", "output of " + p.id());
                            topic(out, who, t, "DESCRIBE", "output of " + p.id());
                        }
                        topic(out, who, p.productTopic(), "READ", "rebuilds the seen event ids of " + p.id());
                    }
                    for (String t : List.of(PlatformTopics.STATUS, PlatformTopics.ALERTS)) {
                        topic(out, who, t, "WRITE", "publishes status and alerts");
                        topic(out, who, t, "DESCRIBE", "publishes status and alerts");
                    }
                    for (String op : List.of(
                            "CREATE", "READ", "WRITE", "DESCRIBE", "DELETE", "ALTER_CONFIGS", "DESCRIBE_CONFIGS")) {
                        out.add(new Grant(
                                who.user(),
                                "TOPIC",
                                "PREFIXED",
                                backboneAppId + "-",
                                op,
                                "Kafka Streams internal topics"));
                    }
                    // Kafka Streams' group id is the application id itself: no other group
                    out.add(new Grant(who.user(), "GROUP", "LITERAL", backboneAppId, "READ", "its consumer group"));
                    out.add(new Grant(who.user(), "GROUP", "LITERAL", backboneAppId, "DESCRIBE", "its consumer group"));
                    out.add(new Grant(
                            who.user(),
                            "TRANSACTIONAL_ID",
                            "PREFIXED",
                            backboneAppId + "-",
                            "WRITE",
                            "exactly-once transactions"));
                    out.add(new Grant(
                            who.user(),
                            "TRANSACTIONAL_ID",
                            "PREFIXED",
                            backboneAppId + "-",
                            "DESCRIBE",
                            "exactly-once transactions"));
                    out.add(new Grant(
                            who.user(),
                            "CLUSTER",
                            "LITERAL",
                            "kafka-cluster",
                            "IDEMPOTENT_WRITE",
                            "idempotent producer"));
                }
                case CONSUMER -> {
                    for (DataProduct p : catalog.products()) {
                        if (readers(p).contains(who.name())) {
                            topic(out, who, p.productTopic(), "READ", "granted " + p.id());
                            topic(out, who, p.productTopic(), "DESCRIBE", "granted " + p.id());
                        }
                    }
                    groups(out, who, "READ");
                    groups(out, who, "DESCRIBE");
                }
                case CATALOG -> {
                    for (String t : List.of(PlatformTopics.CATALOG, PlatformTopics.STATUS, PlatformTopics.ALERTS)) {
                        topic(out, who, t, "READ", "the catalog reads the backbone's own topics");
                        topic(out, who, t, "DESCRIBE", "the catalog reads the backbone's own topics");
                    }
                    for (String t : productTopics) {
                        topic(out, who, t, "READ", "sample records (PII the topic does not mask is withheld)");
                        topic(out, who, t, "DESCRIBE", "consumer lag");
                    }
                    out.add(new Grant(
                            who.user(), "GROUP", "LITERAL", "*", "DESCRIBE", "lists the groups reading products"));
                }
                default -> {}
            }
            // a domain's producers and captures read its own raw topics and dead letters (unmasked PII stays with
            // them and the backbone); a consumer never does, whatever domain it names
            if (who.domain() != null && who.kind().writesRawStreams()) {
                groups(out, who, "READ");
                for (DataProduct p : catalog.products()) {
                    if (p.rawTopic() != null && p.domain().equals(who.domain())) {
                        topic(out, who, p.rawTopic(), "READ", "its own domain's raw stream");
                        topic(out, who, p.dlqTopic(), "READ", "its own domain's dead letters");
                        topic(out, who, p.dlqTopic(), "DESCRIBE", "its own domain's dead letters");
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * The delimiter between a principal's name and the rest of its consumer groups' names: principal names are
     * kebab-case, so a dot can be in none of them, and {@code finance.} never covers {@code finance-reporting.…}.
     */
    public static final String GROUP_DELIMITER = ".";

    /** The consumer group {@code suffix} of {@code principal}, as its ACLs allow it: {@code <principal>.<suffix>}. */
    public static String group(String principal, String suffix) {
        return principal + GROUP_DELIMITER + suffix;
    }

    private static void groups(Set<Grant> out, Principal who, String op) {
        out.add(new Grant(
                who.user(),
                "GROUP",
                "PREFIXED",
                who.name() + GROUP_DELIMITER,
                op,
                "its consumer groups (" + who.name() + GROUP_DELIMITER + "*)"));
    }

    private static void topic(Set<Grant> out, Principal who, String topic, String op, String why) {
        out.add(new Grant(who.user(), "TOPIC", "LITERAL", topic, op, why));
    }
}
