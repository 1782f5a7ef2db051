package io.backbone.catalogservice;

import static io.backbone.catalogservice.Html.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeSet;

/** The catalog's web pages, rendered on the server: plain HTML and SVG, no script, nothing from the internet. */
final class Pages {
    private final CatalogApi api;

    Pages(CatalogApi api) {
        this.api = api;
    }

    private String page(String title, String body) {
        JsonNode health = api.health();
        String banner = health.path("ok").asBoolean()
                ? ""
                : "<p class=\"banner\" role=\"alert\">The catalog cannot read the cluster right now: "
                        + escape(health.path("problem").asText()) + ". What it shows is what it read last.</p>";
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(title) + " · data product catalog</title>"
                + "<link rel=\"stylesheet\" href=\"/static/catalog.css\"></head><body>"
                + "<a class=\"skip\" href=\"#main\">Skip to content</a>"
                + "<header><a href=\"/\" class=\"home\">Data product catalog</a>"
                + "<nav><a href=\"/api/products\">JSON API</a> <a href=\"/api/openapi.json\">OpenAPI</a> "
                + "<a href=\"/api/openlineage\">OpenLineage</a></nav></header>" + banner
                + "<main id=\"main\">" + body + "</main><footer>Read from "
                + escape(api.state().products().size() + "")
                + " catalog record(s) on _backbone.catalog and the status on _backbone.status; as of "
                + escape(Instant.now().toString().substring(0, 19).replace('T', ' '))
                + " UTC · <a href=\"\">reload</a></footer>"
                + "</body></html>";
    }

    /** What a consumer gets from the product topic, in words. */
    static String kind(JsonNode d) {
        JsonNode e = d.path("entity");
        return switch (d.path("kind").asText("events")) {
            case "join" -> "join: pairs of two products' events within a window";
            case "entity" ->
                "entity: a compacted topic with the latest state of each key ("
                        + (e.path("state").isTextual()
                                ? "field " + e.path("state").asText()
                                : "the whole record")
                        + " of the input)"
                        + (e.path("deletedWhen").isTextual()
                                ? ", a tombstone when " + e.path("deletedWhen").asText()
                                : "")
                        + "; read it from the beginning to rebuild the table";
            default -> "events: every valid event once";
        };
    }

    static String badge(String state) {
        String s = state == null ? "UNKNOWN" : state;
        String text =
                switch (s) {
                    case "OK" -> "keeps its promises";
                    case "BROKEN" -> "breaks a promise";
                    case "IDLE" -> "idle";
                    default -> "no status yet";
                };
        return "<span class=\"badge " + escape(s.toLowerCase(java.util.Locale.ROOT)) + "\" data-state=\"" + escape(s)
                + "\">" + escape(text) + "</span>";
    }

    String list(Map<String, String> params) {
        JsonNode result = api.list(params);
        StringBuilder b = new StringBuilder("<h1>Data products</h1>");
        TreeSet<String> domains = new TreeSet<>();
        api.state()
                .products()
                .values()
                .forEach(p -> domains.add(p.path("domain").asText()));
        b.append("<form class=\"search\" method=\"get\" action=\"/\" role=\"search\">")
                .append("<label for=\"q\">Search</label><input id=\"q\" name=\"q\" type=\"search\" value=\"")
                .append(escape(params.getOrDefault("q", "")))
                .append("\" placeholder=\"name, domain, owner, topic…\" autofocus>")
                .append(
                        "<label for=\"domain\">Domain</label><select id=\"domain\" name=\"domain\"><option value=\"\">all</option>");
        for (String d : domains) {
            b.append("<option")
                    .append(d.equals(params.get("domain")) ? " selected" : "")
                    .append(">")
                    .append(escape(d))
                    .append("</option>");
        }
        b.append(
                "</select><label for=\"status\">Status</label><select id=\"status\" name=\"status\"><option value=\"\">all</option>");
        for (String s : new TreeSet<>(CatalogApi.STATES)) {
            b.append("<option")
                    .append(s.equalsIgnoreCase(params.getOrDefault("status", "")) ? " selected" : "")
                    .append(">")
                    .append(s)
                    .append("</option>");
        }
        b.append("</select><button type=\"submit\">Find</button></form>");
        b.append("<p class=\"count\" id=\"count\">")
                .append(result.path("count").asInt())
                .append(" product(s)</p>");
        b.append("<table class=\"products\" id=\"products\"><thead><tr><th>Product</th><th>Domain</th><th>Owner</th>"
                + "<th>Topic</th><th>Version</th><th>Status</th></tr></thead><tbody>");
        for (JsonNode p : result.path("products")) {
            b.append("<tr class=\"product\" data-id=\"")
                    .append(escape(p.path("id").asText()))
                    .append("\"><td><a href=\"/products/")
                    .append(url(p.path("id").asText()))
                    .append("\">")
                    .append(escape(p.path("name").asText()))
                    .append("</a><div class=\"muted\">")
                    .append(escape(p.path("description").asText()))
                    .append("</div></td><td>")
                    .append(escape(p.path("domain").asText()))
                    .append("</td><td>")
                    .append(escape(p.path("owner").asText()))
                    .append("</td><td><code>")
                    .append(escape(p.path("productTopic").asText()))
                    .append("</code></td><td>")
                    .append(escape(p.path("version").asText()))
                    .append("</td><td>")
                    .append(badge(p.path("status").asText()))
                    .append("</td></tr>");
        }
        b.append("</tbody></table>");
        b.append("<h2>Lineage</h2><div class=\"lineage-box\">")
                .append(api.lineage().svg())
                .append("</div>");
        return page("Data products", b.toString());
    }

    String product(String id, io.backbone.catalogservice.access.Viewer viewer) {
        JsonNode d = api.detail(id, viewer);
        JsonNode status = d.path("live");
        JsonNode latest = status.path("latest");
        JsonNode totals = status.path("totals");
        StringBuilder b = new StringBuilder();
        b.append("<h1>")
                .append(escape(d.path("name").asText()))
                .append(' ')
                .append(badge(d.path("status").asText()))
                .append("</h1>");
        b.append("<p class=\"lead\">")
                .append(escape(d.path("description").asText()))
                .append("</p>");
        JsonNode lifecycle = d.path("lifecycle");
        if ("deprecated".equals(lifecycle.path("status").asText())) {
            b.append(
                            "<section class=\"deprecation\" id=\"deprecation\" role=\"note\"><strong>Deprecated</strong> since ")
                    .append(escape(lifecycle.path("deprecatedOn").asText()))
                    .append(": published until its sunset <strong>")
                    .append(escape(lifecycle.path("sunset").asText()))
                    .append("</strong>; its successor is <code>")
                    .append(escape(lifecycle.path("successor").asText()))
                    .append("</code>. ");
            JsonNode still = lifecycle.path("stillReadBy");
            if (still.isEmpty()) {
                b.append("No consumer group reads it any more.");
            } else {
                b.append("Still read by ").append(still.size()).append(" consumer group(s): ");
                for (JsonNode g : still) {
                    b.append("<code class=\"still-reading\">")
                            .append(escape(g.asText()))
                            .append("</code> ");
                }
            }
            b.append("</section>");
        }
        if (!d.path("usage").asText().isEmpty()) {
            b.append("<p>").append(escape(d.path("usage").asText())).append("</p>");
        }
        b.append("<dl class=\"facts\"><dt>Id</dt><dd><code>")
                .append(escape(d.path("id").asText()))
                .append("</code></dd>")
                .append("<dt>Owner</dt><dd>")
                .append(escape(d.path("owner").asText()))
                .append("</dd>")
                .append("<dt>Domain</dt><dd>")
                .append(escape(d.path("domain").asText()))
                .append("</dd>")
                .append("<dt>Product topic</dt><dd><code>")
                .append(escape(d.path("output").path("topic").asText()))
                .append("</code> (contract ")
                .append(escape(d.path("output").path("contractId").asText()))
                .append(" v")
                .append(escape(d.path("output").path("version").asText()))
                .append(")</dd><dt>Dead letters</dt><dd><code>")
                .append(escape(d.path("output").path("dlqTopic").asText()))
                .append("</code></dd>")
                .append("<dt>Kind</dt><dd id=\"kind\">")
                .append(escape(kind(d)))
                .append("</dd>")
                .append("<dt>Reads</dt><dd>");
        for (JsonNode in : d.path("inputs")) {
            b.append("<code>").append(escape(in.path("topic").asText())).append("</code> ");
        }
        b.append("</dd><dt>Compatibility</dt><dd>")
                .append(escape(d.path("compatibility").asText()))
                .append("</dd><dt>Audience</dt><dd>")
                .append(escape(d.path("audience").asText()))
                .append("</dd>");
        for (JsonNode s : d.path("support")) {
            b.append("<dt>Support</dt><dd>")
                    .append(escape(
                            s.path("tool").asText() + " " + s.path("channel").asText()))
                    .append("</dd>");
        }
        b.append("</dl>");

        b.append("<section aria-labelledby=\"live\"><h2 id=\"live\">Live</h2>");
        if (latest.isMissingNode() || latest.isNull()) {
            b.append("<p>No status yet: the backbone publishes one per product per window once it runs.</p>");
        } else {
            b.append("<table class=\"figures\"><thead><tr><th></th><th>latest window</th><th>since ")
                    .append(escape(totals.path("windowStart")
                            .asText()
                            .replace('T', ' ')
                            .replace("Z", "")))
                    .append("</th></tr></thead><tbody>");
            for (String f : new String[] {"in", "valid", "deadLettered", "duplicates", "warned", "foreign"}) {
                b.append("<tr><th>")
                        .append(label(f))
                        .append("</th><td id=\"latest-")
                        .append(f)
                        .append("\">")
                        .append(latest.path(f).asLong())
                        .append("</td><td id=\"total-")
                        .append(f)
                        .append("\">")
                        .append(totals.path(f).asLong())
                        .append("</td></tr>");
            }
            b.append("</tbody></table>");
            b.append("<p>Window ")
                    .append(escape(latest.path("windowStart").asText()))
                    .append(" – ")
                    .append(escape(latest.path("windowEnd").asText()))
                    .append("; freshness ")
                    .append(
                            latest.path("freshnessMs").isNumber()
                                    ? latest.path("freshnessMs").asLong() + " ms"
                                    : "–")
                    .append("; latency p50/p95/p99 ")
                    .append(ms(latest.path("latencyMs").path("p50")))
                    .append(" / ")
                    .append(ms(latest.path("latencyMs").path("p95")))
                    .append(" / ")
                    .append(ms(latest.path("latencyMs").path("p99")))
                    .append("</p><ul class=\"promises\">");
            for (JsonNode p : latest.path("promises")) {
                String kept =
                        p.path("kept").isBoolean() ? (p.get("kept").asBoolean() ? "kept" : "broken") : "not judged";
                b.append("<li class=\"")
                        .append(kept.replace(' ', '-'))
                        .append("\"><strong>")
                        .append(escape(p.path("promise").asText()))
                        .append("</strong> ")
                        .append(escape(p.path("threshold").asText()))
                        .append(": ")
                        .append(escape(p.path("actual").asText()))
                        .append(" — ")
                        .append(kept)
                        .append("</li>");
            }
            b.append("</ul>");
        }
        if (status.path("topFailingRules").size() > 0) {
            b.append("<h3>Top failing rules</h3><ol class=\"top-rules\">");
            for (JsonNode r : status.path("topFailingRules")) {
                b.append("<li><code>")
                        .append(escape(r.path("rule").asText()))
                        .append("</code>: ")
                        .append(r.path("deadLettered").asLong())
                        .append(" dead-lettered</li>");
            }
            b.append("</ol>");
        }
        if (status.path("alerts").size() > 0) {
            b.append("<h3>Alerts</h3><ul class=\"alerts\">");
            int shown = 0;
            for (JsonNode a : status.path("alerts")) {
                if (shown++ == 10) {
                    break;
                }
                b.append("<li class=\"")
                        .append(escape(a.path("state").asText().toLowerCase(java.util.Locale.ROOT)))
                        .append("\">")
                        .append(escape(a.path("at").asText().replace('T', ' ')))
                        .append(" — ")
                        .append(escape(a.path("message").asText()))
                        .append("</li>");
            }
            b.append("</ul>");
        }
        b.append("</section>");

        b.append(
                "<section aria-labelledby=\"schema\"><h2 id=\"schema\">Schema</h2><table class=\"schema\" id=\"schema-table\"><thead><tr>"
                        + "<th>Field</th><th>Type</th><th>Required</th><th>Description</th><th>Classification</th><th>Masking</th><th>Corrected</th></tr></thead><tbody>");
        for (JsonNode f : d.path("schema")) {
            b.append("<tr><td><code>")
                    .append(escape(f.path("field").asText()))
                    .append("</code></td><td>")
                    .append(escape(f.path("type").asText()))
                    .append(f.has("format") ? " (" + escape(f.path("format").asText()) + ")" : "")
                    .append("<div class=\"muted\">")
                    .append(escape(f.path("avroType").asText()))
                    .append("</div></td><td>")
                    .append(f.path("required").asBoolean() ? "yes" : "no")
                    .append("</td><td>")
                    .append(escape(f.path("description").asText()))
                    .append("</td><td>")
                    .append(escape(f.path("classification").asText()))
                    .append("</td><td>")
                    .append(
                            f.path("pii").asBoolean()
                                    ? "PII: " + escape(f.path("masking").asText())
                                    : "")
                    .append("</td><td class=\"corrections\">")
                    .append(escape(f.path("corrections").asText("")))
                    .append("</td></tr>");
        }
        b.append("</tbody></table></section>");

        b.append(
                "<section aria-labelledby=\"rules\"><h2 id=\"rules\">Rules</h2><ul class=\"rules\" id=\"rules-list\">");
        for (JsonNode r : d.path("rules")) {
            b.append("<li><code>")
                    .append(escape(r.path("name").asText()))
                    .append("</code> — ")
                    .append(escape(r.path("text").asText()))
                    .append(
                            r.path("severity").asText().equals("error")
                                    ? ""
                                    : " <em>(" + escape(r.path("severity").asText())
                                            + ": counted, not dead-lettered)</em>")
                    .append("</li>");
        }
        b.append("</ul></section>");

        b.append("<section aria-labelledby=\"sla\"><h2 id=\"sla\">Service levels</h2><ul class=\"sla\">");
        for (JsonNode s : d.path("sla")) {
            b.append("<li>").append(escape(s.path("text").asText())).append("</li>");
        }
        b.append("<li>deduplication window ")
                .append(escape(d.path("dedupWindow").asText()))
                .append("</li></ul></section>");

        b.append("<section aria-labelledby=\"lineage\"><h2 id=\"lineage\">Lineage</h2><div class=\"lineage-box\">")
                .append(api.lineage().around(d.path("id").asText()).svg())
                .append("</div></section>");

        b.append(
                "<section aria-labelledby=\"consumers\"><h2 id=\"consumers\">Who reads it</h2><table class=\"consumers\"><thead><tr>"
                        + "<th>Consumer group</th><th>Partitions</th><th>Lag</th></tr></thead><tbody>");
        for (JsonNode g : d.path("consumerGroups")) {
            b.append("<tr><td><code>")
                    .append(escape(g.path("group").asText()))
                    .append("</code></td><td>")
                    .append(g.path("partitions").asInt())
                    .append("</td><td>")
                    .append(g.path("lag").asLong())
                    .append("</td></tr>");
        }
        b.append("</tbody></table>");
        if (d.path("access").path("declaredConsumers").size() > 0) {
            b.append("<p>Declared consumers: ");
            for (JsonNode c : d.path("access").path("declaredConsumers")) {
                b.append("<span class=\"tag\">").append(escape(c.asText())).append("</span> ");
            }
            b.append("</p>");
        }
        b.append("</section>");

        b.append("<section aria-labelledby=\"versions\"><h2 id=\"versions\">Versions</h2><ul class=\"versions\">");
        for (JsonNode v : d.path("versions")) {
            b.append("<li><strong>")
                    .append(escape(v.path("version").asText()))
                    .append("</strong> ")
                    .append(escape(v.path("bump").asText()))
                    .append(", published ")
                    .append(escape(v.path("publishedAt").asText()));
            if (v.path("changes").size() > 0) {
                b.append("<ul>");
                for (JsonNode c : v.path("changes")) {
                    b.append("<li>")
                            .append(escape(c.path("kind").asText()))
                            .append(" <code>")
                            .append(escape(c.path("where").asText()))
                            .append("</code>: ")
                            .append(escape(c.path("description").asText()))
                            .append(c.path("breaking").asBoolean() ? " <strong>(breaking)</strong>" : "")
                            .append("</li>");
                }
                b.append("</ul>");
            }
            b.append("</li>");
        }
        b.append("</ul></section>");

        b.append("<section aria-labelledby=\"sample\"><h2 id=\"sample\">Sample record</h2>");
        JsonNode sample = d.path("sample");
        if (sample.isMissingNode() || sample.isNull()) {
            b.append("<p>The product topic holds no record yet.</p>");
        } else if (sample.has("unavailable")) {
            b.append("<p>").append(escape(sample.path("unavailable").asText())).append("</p>");
        } else if (sample.has("withheld")) {
            b.append("<p class=\"withheld\">")
                    .append(escape(sample.path("withheld").asText()))
                    .append("</p>");
        } else {
            b.append("<p class=\"muted\">")
                    .append(escape(sample.path("topic").asText() + "-"
                            + sample.path("partition").asText() + "@"
                            + sample.path("offset").asText() + ", "
                            + sample.path("timestamp").asText()))
                    .append(" — as consumers see it; PII not masked on the topic is withheld here.</p><pre>")
                    .append(escape(sample.path("value").toPrettyString()))
                    .append("</pre>");
        }
        b.append("</section>");
        return page(d.path("name").asText(), b.toString());
    }

    private static String label(String f) {
        return switch (f) {
            case "in" -> "records in";
            case "valid" -> "published";
            case "deadLettered" -> "dead-lettered";
            case "duplicates" -> "duplicates dropped";
            case "warned" -> "with warnings";
            default -> "foreign records skipped";
        };
    }

    private static String ms(JsonNode v) {
        return v.isNumber() ? v.asLong() + " ms" : "–";
    }

    private static String url(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    String error(int status, String message) {
        return page(
                "Error " + status,
                "<h1>" + status + "</h1><p>" + escape(message) + "</p><p><a href=\"/\">All products</a></p>");
    }
}
