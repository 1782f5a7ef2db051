package io.backbone.catalogservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The lineage graph of the catalog: topics and products as nodes; a product reads its input ports' topics, writes
 * its product topic and dead-letters to its DLQ topic; consumer groups read product topics. Drawn as SVG in layers
 * (sources on the left, consumers on the right) and offered as JSON.
 */
final class Lineage {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Node(String id, String kind, String label, String product) {}

    record Edge(String from, String to, String kind) {}

    final Map<String, Node> nodes = new LinkedHashMap<>();
    final List<Edge> edges = new ArrayList<>();

    /** The graph of {@code products} (catalog records), with the consumer groups {@code consumers} gives per topic. */
    static Lineage of(Map<String, JsonNode> products, Function<String, List<ObjectNode>> consumers) {
        Lineage g = new Lineage();
        Set<String> productTopics = new LinkedHashSet<>();
        for (JsonNode p : products.values()) {
            productTopics.add(p.path("productTopic").asText());
        }
        for (JsonNode p : products.values()) {
            String id = "product:" + p.path("id").asText();
            g.node(
                    id,
                    p.path("join").asBoolean() ? "join-product" : "product",
                    p.path("name").asText(p.path("id").asText()),
                    p.path("id").asText());
            for (JsonNode in : p.path("inputs")) {
                String topic = in.path("topic").asText();
                g.node("topic:" + topic, productTopics.contains(topic) ? "product-topic" : "raw-topic", topic, null);
                g.edges.add(new Edge("topic:" + topic, id, "reads"));
            }
            String out = p.path("productTopic").asText();
            g.node("topic:" + out, "product-topic", out, p.path("id").asText());
            g.edges.add(new Edge(id, "topic:" + out, "writes"));
            String dlq = p.path("dlqTopic").asText();
            g.node("topic:" + dlq, "dlq-topic", dlq, p.path("id").asText());
            g.edges.add(new Edge(id, "topic:" + dlq, "dead-letters"));
        }
        for (String topic : productTopics) {
            for (ObjectNode group : consumers.apply(topic)) {
                String id = "group:" + group.path("group").asText();
                g.node(id, "consumer-group", group.path("group").asText(), null);
                g.edges.add(new Edge("topic:" + topic, id, "consumed by"));
            }
        }
        return g;
    }

    private void node(String id, String kind, String label, String product) {
        nodes.putIfAbsent(id, new Node(id, kind, label, product));
    }

    /** Only what touches {@code productId}: its inputs, its outputs, what reads those, and what feeds it. */
    Lineage around(String productId) {
        String center = "product:" + productId;
        Set<String> keep = new LinkedHashSet<>();
        keep.add(center);
        for (Edge e : edges) {
            if (e.to().equals(center)) {
                keep.add(e.from());
            }
            if (e.from().equals(center)) {
                keep.add(e.to());
            }
        }
        Set<String> first = new LinkedHashSet<>(keep);
        for (Edge e : edges) {
            // one step further: who feeds the inputs, who reads the outputs
            if (first.contains(e.to()) && !e.to().equals(center) && e.kind().equals("writes")) {
                keep.add(e.from());
            }
            if (first.contains(e.from())
                    && !e.from().equals(center)
                    && !e.kind().equals("writes")) {
                keep.add(e.to());
            }
        }
        Lineage g = new Lineage();
        for (String id : keep) {
            g.nodes.put(id, nodes.get(id));
        }
        for (Edge e : edges) {
            if (keep.contains(e.from()) && keep.contains(e.to())) {
                g.edges.add(e);
            }
        }
        return g;
    }

    ObjectNode json() {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode n = out.putArray("nodes");
        nodes.values().forEach(x -> {
            ObjectNode o = n.addObject().put("id", x.id()).put("kind", x.kind()).put("label", x.label());
            if (x.product() != null) {
                o.put("product", x.product());
            }
        });
        ArrayNode e = out.putArray("edges");
        edges.forEach(x -> e.addObject().put("from", x.from()).put("to", x.to()).put("kind", x.kind()));
        return out;
    }

    /** Layers by longest path from a source; within a layer, in insertion order. */
    String svg() {
        Map<String, Integer> layer = new HashMap<>();
        nodes.keySet().forEach(id -> layer.put(id, 0));
        for (int round = 0; round < nodes.size(); round++) {
            boolean changed = false;
            for (Edge e : edges) {
                int want = layer.get(e.from()) + 1;
                if (layer.get(e.to()) < want) {
                    layer.put(e.to(), want);
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
        }
        Map<Integer, List<String>> byLayer = new java.util.TreeMap<>();
        nodes.keySet()
                .forEach(id -> byLayer.computeIfAbsent(layer.get(id), k -> new ArrayList<>())
                        .add(id));
        int w = 200;
        int h = 34;
        int gapX = 60;
        int gapY = 14;
        Map<String, int[]> at = new HashMap<>();
        int rows = byLayer.values().stream().mapToInt(List::size).max().orElse(1);
        for (Map.Entry<Integer, List<String>> e : byLayer.entrySet()) {
            int y = 10;
            for (String id : e.getValue()) {
                at.put(id, new int[] {10 + e.getKey() * (w + gapX), y});
                y += h + gapY;
            }
        }
        int width = 20 + byLayer.size() * (w + gapX) - gapX;
        int height = 20 + rows * (h + gapY) - gapY;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lineage\" role=\"img\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height)
                .append("\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\">")
                .append("<title>Lineage: what feeds the products and what reads them</title>")
                .append(
                        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\""
                                + " markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\"/></marker></defs>");
        for (Edge e : edges) {
            int[] a = at.get(e.from());
            int[] b = at.get(e.to());
            int x1 = a[0] + w;
            int y1 = a[1] + h / 2;
            int x2 = b[0];
            int y2 = b[1] + h / 2;
            int mid = (x1 + x2) / 2;
            s.append("<path class=\"edge ")
                    .append(e.kind().replace(' ', '-'))
                    .append("\" d=\"M")
                    .append(x1)
                    .append(',')
                    .append(y1)
                    .append(" C")
                    .append(mid)
                    .append(',')
                    .append(y1)
                    .append(' ')
                    .append(mid)
                    .append(',')
                    .append(y2)
                    .append(' ')
                    .append(x2)
                    .append(',')
                    .append(y2)
                    .append("\" marker-end=\"url(#arrow)\"><title>")
                    .append(Html.escape(e.kind()))
                    .append("</title></path>");
        }
        for (Node n : nodes.values()) {
            int[] p = at.get(n.id());
            String label = n.label().length() > 30 ? n.label().substring(0, 29) + "…" : n.label();
            boolean link = n.kind().endsWith("product");
            if (link) {
                s.append("<a href=\"/products/")
                        .append(Html.escape(n.product()))
                        .append("\">");
            }
            s.append("<g class=\"node ")
                    .append(n.kind())
                    .append("\" data-id=\"")
                    .append(Html.escape(n.id()))
                    .append("\"><rect x=\"")
                    .append(p[0])
                    .append("\" y=\"")
                    .append(p[1])
                    .append("\" width=\"")
                    .append(w)
                    .append("\" height=\"")
                    .append(h)
                    .append("\" rx=\"6\"/><text x=\"")
                    .append(p[0] + 8)
                    .append("\" y=\"")
                    .append(p[1] + 21)
                    .append("\">")
                    .append(Html.escape(label))
                    .append("</text><title>")
                    .append(Html.escape(n.kind() + ": " + n.label()))
                    .append("</title></g>");
            if (link) {
                s.append("</a>");
            }
        }
        return s.append("</svg>").toString();
    }
}
