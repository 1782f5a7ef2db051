package io.backbone.contract.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.backbone.catalog.Problem;
import io.backbone.catalog.YamlDocument;
import io.backbone.contract.Correction;
import io.backbone.contract.FieldPath;
import io.backbone.contract.PropertySpec;
import io.backbone.contract.normalise.Normaliser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Reads the corrections a contract property declares ({@code customProperties}: {@code normalise}, with the options
 * {@code phoneRegion} and {@code emailLocalPart}) and compiles them, reporting every mistake as a problem that names
 * the file, the property and the fix.
 */
public final class Corrections {
    /** The custom property that lists a property's normalisers. */
    public static final String PROPERTY = "normalise";

    public static final String PHONE_REGION = "phoneRegion";
    public static final String EMAIL_LOCAL_PART = "emailLocalPart";
    private static final Set<String> LOCAL_PART = Set.of("keep", "lower");

    private Corrections() {}

    /** What a property declares: its normalisers as written, and their options. */
    public record Declared(List<String> kinds, Map<String, String> options) {
        /** The normaliser these compile to, or null when they do not compile (lint reports why). */
        public Normaliser compileOrNull() {
            try {
                return Normaliser.compile(kinds, options);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** The corrections {@code p} declares, or null when it declares none. */
    public static Declared declared(PropertySpec p) {
        JsonNode value = p.customProperties().get(PROPERTY);
        if (value == null || value.isNull()) {
            return null;
        }
        List<String> kinds = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(k -> kinds.add(k.asText()));
        } else {
            kinds.add(value.asText());
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (String option : List.of(PHONE_REGION, EMAIL_LOCAL_PART)) {
            JsonNode v = p.customProperties().get(option);
            if (v != null && !v.isNull()) {
                options.put(option, v.asText());
            }
        }
        return new Declared(List.copyOf(kinds), options);
    }

    /** Compiles what {@code p} declares against its resolved {@code field}; null if nothing, or problems added. */
    public static Correction compile(YamlDocument doc, PropertySpec p, FieldPath field, List<Problem> problems) {
        String at = p.yamlPath() + ".customProperties";
        if (p.customProperties().containsKey("normalize")) {
            problems.add(doc.problem(
                    PROPERTY,
                    at,
                    "property '" + p.path() + "' has a custom property 'normalize', which the backbone does not read",
                    "spell it normalise: {property: normalise, value: [trim, lower]}"));
        }
        Declared declared = declared(p);
        if (declared == null) {
            for (String option : List.of(PHONE_REGION, EMAIL_LOCAL_PART)) {
                if (p.customProperties().containsKey(option)) {
                    problems.add(doc.problem(
                            PROPERTY,
                            at,
                            "property '" + p.path() + "' sets " + option + " but declares no normalise",
                            "add {property: normalise, value: ["
                                    + (option.equals(PHONE_REGION) ? "phone-e164" : "email") + "]} or remove "
                                    + option));
                }
            }
            return null;
        }
        int before = problems.size();
        List<String> kinds = declared.kinds();
        if (kinds.isEmpty()) {
            problems.add(doc.problem(
                    PROPERTY,
                    at,
                    "property '" + p.path() + "' declares normalise with no normaliser",
                    "list at least one of " + Normaliser.KINDS + ", or remove the custom property"));
        }
        for (String kind : kinds) {
            if (!Normaliser.KINDS.contains(kind)) {
                problems.add(doc.problem(
                        PROPERTY,
                        at,
                        "property '" + p.path() + "' declares an unknown normaliser '" + kind + "'",
                        "use one of " + Normaliser.KINDS));
            }
        }
        if (kinds.contains("lower") && kinds.contains("upper")) {
            problems.add(doc.problem(
                    PROPERTY,
                    at,
                    "property '" + p.path() + "' declares both lower and upper",
                    "keep one of them (country and currency codes already upper-case)"));
        }
        Schema leaf = FieldPath.nonNull(field.leafSchema());
        if (leaf.getType() != Schema.Type.STRING) {
            problems.add(doc.problem(
                    PROPERTY,
                    at,
                    "normalisers " + kinds + " need a string field; '" + p.path() + "' is an Avro "
                            + leaf.getType().getName()
                            + (leaf.getType() == Schema.Type.LONG && kinds.contains("utc")
                                    ? " (epoch milliseconds are UTC already)"
                                    : ""),
                    "remove normalise from '" + p.path() + "', or declare it on a string property"));
        }
        String region = declared.options().get(PHONE_REGION);
        if (region != null && !kinds.contains("phone-e164")) {
            problems.add(doc.problem(
                    PROPERTY,
                    at,
                    "property '" + p.path() + "' sets phoneRegion but does not declare phone-e164",
                    "add phone-e164 to normalise, or remove phoneRegion"));
        }
        String localPart = declared.options().get(EMAIL_LOCAL_PART);
        if (localPart != null && !kinds.contains("email")) {
            problems.add(doc.problem(
                    PROPERTY,
                    at,
                    "property '" + p.path() + "' sets emailLocalPart but does not declare email",
                    "add email to normalise, or remove emailLocalPart"));
        } else if (localPart != null && !LOCAL_PART.contains(localPart)) {
            problems.add(doc.problem(
                    PROPERTY,
                    at,
                    "emailLocalPart '" + localPart + "' of property '" + p.path() + "' is unknown",
                    "write keep (the default: only the domain is lower-cased) or lower"));
        }
        if (problems.size() > before) {
            return null;
        }
        try {
            return new Correction(p.path(), field, kinds, Normaliser.compile(kinds, declared.options()));
        } catch (IllegalArgumentException e) {
            problems.add(doc.problem(PROPERTY, at, "property '" + p.path() + "': " + e.getMessage(), "fix the option"));
            return null;
        }
    }
}
