package io.backbone.governance;

import com.fasterxml.jackson.databind.JsonNode;
import io.backbone.catalog.CatalogException;
import io.backbone.catalog.Problem;
import io.backbone.catalog.YamlDocument;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** The platform's global policy: what every contract and product must satisfy beyond the ODCS/ODPS schemas. */
public record GovernancePolicy(
        boolean requireOwner,
        boolean requireDescription,
        Set<String> productCompatibility,
        int minRetentionDays,
        int maxRetentionDays,
        int minQualityRulesPerProduct,
        boolean avroBindingIsError,
        int deprecationNoticeDays,
        int retirementQuietDays) {

    private static final Set<String> KEYS = Set.of(
            "version",
            "requireOwner",
            "requireDescription",
            "productCompatibility",
            "retentionDays",
            "minQualityRulesPerProduct",
            "avroBinding",
            "deprecationNoticeDays",
            "retirementQuietDays");

    /** The policy shipped in the schemas jar. */
    public static GovernancePolicy shipped() {
        try (InputStream in =
                GovernancePolicy.class.getClassLoader().getResourceAsStream("catalog/governance/policy.yaml")) {
            if (in == null) {
                throw new IllegalStateException("the schemas artifact has no catalog/governance/policy.yaml");
            }
            return parse(
                    "classpath:catalog/governance/policy.yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a policy file; unknown keys and bad values are problems naming the line. */
    public static GovernancePolicy parse(String file, String text) {
        YamlDocument doc = YamlDocument.parse(file, text);
        JsonNode root = doc.root();
        List<Problem> problems = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                problems.add(
                        doc.problem("policy", "$." + key, "unknown policy key '" + key + "'", "use one of " + KEYS));
            }
        }
        JsonNode compat = root.path("productCompatibility");
        java.util.SortedSet<String> modes = new java.util.TreeSet<>();
        compat.forEach(m -> modes.add(m.asText()));
        if (modes.isEmpty()) {
            problems.add(doc.problem(
                    "policy",
                    "$.productCompatibility",
                    "no compatibility mode allowed for products",
                    "list at least BACKWARD"));
        }
        int min = root.path("retentionDays").path("min").asInt(1);
        int max = root.path("retentionDays").path("max").asInt(Integer.MAX_VALUE);
        if (min < 0 || max < min) {
            problems.add(
                    doc.problem("policy", "$.retentionDays", "retentionDays needs 0 <= min <= max", "fix the bounds"));
        }
        String binding = root.path("avroBinding").asText("error");
        if (!binding.equals("error") && !binding.equals("warn")) {
            problems.add(
                    doc.problem("policy", "$.avroBinding", "avroBinding is '" + binding + "'", "write error or warn"));
        }
        int notice = days(doc, "deprecationNoticeDays", 30, problems);
        int quiet = days(doc, "retirementQuietDays", 7, problems);
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return new GovernancePolicy(
                root.path("requireOwner").asBoolean(true),
                root.path("requireDescription").asBoolean(true),
                java.util.Collections.unmodifiableSortedSet(modes),
                min,
                max,
                root.path("minQualityRulesPerProduct").asInt(1),
                binding.equals("error"),
                notice,
                quiet);
    }

    /** A whole number of days >= 0 under {@code key} ({@code otherwise} when absent); a problem when it is not one. */
    private static int days(YamlDocument doc, String key, int otherwise, List<Problem> problems) {
        JsonNode node = doc.root().path(key);
        int days = node.asInt(otherwise);
        if (doc.root().has(key) && (!node.canConvertToInt() || days < 0)) {
            problems.add(doc.problem(
                    "policy",
                    "$." + key,
                    key + " is '" + node.asText() + "'",
                    "write a whole number of days >= 0, e.g. " + otherwise));
        }
        return days;
    }
}
