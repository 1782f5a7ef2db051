package io.backbone.contract;

import com.fasterxml.jackson.databind.JsonNode;

/** One ODCS {@code quality} entry as written, with where it stands in its file. */
public record QualitySpec(
        String name,
        String type,
        String metric,
        String engine,
        String implementation,
        String severity,
        JsonNode node,
        String yamlPath) {}
