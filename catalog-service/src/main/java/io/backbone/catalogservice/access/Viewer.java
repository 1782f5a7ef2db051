package io.backbone.catalogservice.access;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who is looking at the catalog. Discovery (names, owners, schemas, promises, status) is open to every authenticated
 * principal; a product's data (its sample record) only to the principals the access model lets read it: its
 * descriptor's consumers and its contract's read roles, as {@code backbone plan} derives the ACLs, and {@code admin}.
 * {@link #OPEN}: the catalog of an unsecured cluster, where anyone who reaches the port may read anything the
 * cluster would give them anyway.
 */
public record Viewer(String principal) {
    public static final Viewer OPEN = new Viewer(null);

    public boolean open() {
        return principal == null;
    }

    /** Whether this viewer may see records of {@code product} (a {@code _backbone.catalog} record). */
    public boolean mayRead(JsonNode product) {
        return open() || principal.equals("admin") || readers(product).contains(principal);
    }

    /** The principals granted {@code product}'s topic: its descriptor's consumers and its contract's read roles. */
    public static Set<String> readers(JsonNode product) {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode c : product.path("descriptor").path("customProperties")) {
            if ("consumers".equals(c.path("property").asText())) {
                c.path("value").forEach(v -> out.add(v.asText()));
            }
        }
        JsonNode output =
                product.path("contracts").path(product.path("outputContractId").asText());
        for (JsonNode r : output.path("document").path("roles")) {
            if ("read".equalsIgnoreCase(r.path("access").asText())) {
                out.add(r.path("role").asText());
            }
        }
        return out;
    }
}
