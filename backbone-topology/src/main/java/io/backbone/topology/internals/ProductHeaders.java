package io.backbone.topology.internals;

import java.util.Arrays;
import java.util.List;

/** Which producer headers a product record keeps: {@code backbone.product.headers}, documented in BackboneConfig. */
public final class ProductHeaders {
    public static final String CONFIG = "backbone.product.headers";
    /** CloudEvents' headers and the content type. */
    public static final String DEFAULT = "ce_,content-type";

    private ProductHeaders() {}

    /** The configured prefixes (a list or a comma-separated string; absent: {@link #DEFAULT}). */
    public static String[] prefixes(Object configured) {
        Object value = configured == null ? DEFAULT : configured;
        List<String> prefixes = value instanceof List<?> list
                ? list.stream().map(String::valueOf).toList()
                : Arrays.asList(String.valueOf(value).split(","));
        return prefixes.stream().map(String::trim).filter(p -> !p.isEmpty()).toArray(String[]::new);
    }
}
