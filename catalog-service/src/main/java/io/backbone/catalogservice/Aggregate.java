package io.backbone.catalogservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sums status events: the shares of one window published by several backbone instances, or many windows into
 * totals. Counts add up; latency percentiles and freshness take the worst; a promise is broken if any share broke it.
 */
final class Aggregate {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COUNTS =
            List.of("in", "valid", "duplicates", "deadLettered", "warned", "foreign", "late", "early");
    private static final List<String> MAPS = List.of("deadLetteredByStage", "deadLetteredByRule", "warnedByRule");

    private Aggregate() {}

    static JsonNode sum(List<JsonNode> events) {
        if (events.size() == 1) {
            return events.get(0);
        }
        ObjectNode out = JSON.createObjectNode();
        JsonNode first = events.get(0);
        out.put("product", first.path("product").asText());
        out.put("productTopic", first.path("productTopic").asText());
        out.put("dlqTopic", first.path("dlqTopic").asText());
        String start = null;
        String end = null;
        for (JsonNode e : events) {
            String s = e.path("windowStart").asText();
            String f = e.path("windowEnd").asText();
            start = start == null || s.compareTo(start) < 0 ? s : start;
            end = end == null || f.compareTo(end) > 0 ? f : end;
        }
        out.put("windowStart", start).put("windowEnd", end);
        for (String c : COUNTS) {
            long n = 0;
            for (JsonNode e : events) {
                n += e.path(c).asLong();
            }
            out.put(c, n);
        }
        for (String m : MAPS) {
            Map<String, Long> sum = new java.util.TreeMap<>();
            for (JsonNode e : events) {
                for (Iterator<Map.Entry<String, JsonNode>> it = e.path(m).fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    sum.merge(f.getKey(), f.getValue().asLong(), Long::sum);
                }
            }
            ObjectNode node = out.putObject(m);
            sum.forEach(node::put);
        }
        long in = out.get("in").asLong();
        if (in > 0) {
            out.put("deadLetterPercent", Math.round(out.get("deadLettered").asLong() * 10000.0 / in) / 100.0);
        } else {
            out.putNull("deadLetterPercent");
        }
        Long freshness = null;
        String newest = null;
        long latencyCount = 0;
        Map<String, Long> worst = new LinkedHashMap<>();
        for (JsonNode e : events) {
            if (e.path("freshnessMs").isNumber()) {
                long f = e.get("freshnessMs").asLong();
                freshness = freshness == null ? f : Math.min(freshness, f);
            }
            String n = e.path("newestEventTime").asText(null);
            if (n != null && (newest == null || n.compareTo(newest) > 0)) {
                newest = n;
            }
            latencyCount += e.path("latencyMs").path("count").asLong();
            for (String p : List.of("p50", "p95", "p99")) {
                JsonNode v = e.path("latencyMs").path(p);
                if (v.isNumber()) {
                    worst.merge(p, v.asLong(), Math::max);
                }
            }
        }
        if (freshness == null) {
            out.putNull("freshnessMs");
        } else {
            out.put("freshnessMs", freshness);
        }
        out.put("newestEventTime", newest);
        ObjectNode latency = out.putObject("latencyMs").put("count", latencyCount);
        for (String p : List.of("p50", "p95", "p99")) {
            if (worst.containsKey(p)) {
                latency.put(p, worst.get(p));
            } else {
                latency.putNull(p);
            }
        }
        Map<String, ObjectNode> promises = new LinkedHashMap<>();
        for (JsonNode e : events) {
            for (JsonNode p : e.path("promises")) {
                String name = p.path("promise").asText();
                ObjectNode seen = promises.get(name);
                boolean broken = p.path("kept").isBoolean() && !p.get("kept").asBoolean();
                if (seen == null
                        || broken
                        || seen.path("kept").isNull() && p.path("kept").isBoolean()) {
                    if (seen == null
                            || !(seen.path("kept").isBoolean()
                                    && !seen.get("kept").asBoolean())) {
                        promises.put(name, p.deepCopy());
                    }
                }
            }
        }
        ArrayNode list = out.putArray("promises");
        boolean anyBroken = false;
        for (ObjectNode p : promises.values()) {
            list.add(p);
            anyBroken |= p.path("kept").isBoolean() && !p.get("kept").asBoolean();
        }
        out.put("state", anyBroken ? "BROKEN" : in == 0 ? "IDLE" : "OK");
        out.put(
                "windows",
                events.stream()
                        .mapToInt(e -> Math.max(1, e.path("windows").asInt(1)))
                        .sum());
        return out;
    }
}
