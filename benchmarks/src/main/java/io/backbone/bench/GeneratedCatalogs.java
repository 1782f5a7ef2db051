package io.backbone.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Catalogs written for the cost-growth series: K copies of the benchmark orders product, each on its own raw
 * stream ({@code <series>d<k>.raw.orders}), or one product whose contract carries R generated rules.
 */
public final class GeneratedCatalogs {
    private GeneratedCatalogs() {}

    /** The domain of product {@code k} of a series: every series has its own topics, so no leg sees another's. */
    public static String domain(String series, int k) {
        return series + "d" + k;
    }

    /** The raw topic of product {@code k} of a series. */
    public static String rawTopic(String series, int k) {
        return domain(series, k) + ".raw.orders";
    }

    /** {@code products} copies of the benchmark product (its full contract) under {@code dir}. */
    public static Path products(Path dir, String series, int products) throws IOException {
        writeAvro(dir);
        for (int k = 0; k < products; k++) {
            String domain = domain(series, k);
            Path d = Files.createDirectories(dir.resolve("domains/" + domain));
            Files.writeString(
                    d.resolve("raw.odcs.yaml"),
                    resource("bench-catalog/domains/orders/order-events.odcs.yaml")
                            .replace("orders.raw.order-events", rawTopic(series, k))
                            .replace("domain: orders", "domain: " + domain));
            Files.writeString(
                    d.resolve("product.odcs.yaml"),
                    resource("bench-catalog/domains/orders/orders.odcs.yaml")
                            .replace("orders.product.orders.v1", domain + ".product.orders.v1")
                            .replace("id: orders.product.orders", "id: " + domain + ".product.orders")
                            .replace("domain: orders", "domain: " + domain));
            Files.writeString(
                    d.resolve("product.odps.yaml"),
                    oneMajor()
                            .replace("contractId: orders.raw.order-events", "contractId: " + rawTopic(series, k))
                            .replace("contractId: orders.product.orders", "contractId: " + domain + ".product.orders")
                            .replace("id: orders", "id: " + domain)
                            .replace("domain: orders", "domain: " + domain));
        }
        return dir;
    }

    /**
     * One product on the series' first raw topic whose contract has exactly {@code rules} rules: range, pattern and length
     * rules on the order's fields, then CEL rules of the kinds contracts use (comparisons, sums, all()).
     */
    public static Path rules(Path dir, String series, int rules) throws IOException {
        writeAvro(dir);
        String domain = domain(series, 0);
        Path d = Files.createDirectories(dir.resolve("domains/" + domain));
        String[] builtIn = {
            "      - name: totalAmountMinor\n        logicalType: integer\n        logicalTypeOptions:\n          minimum: 0\n",
            "      - name: currency\n        logicalType: string\n        logicalTypeOptions:\n          pattern: \"^[A-Z]{3}$\"\n",
            "      - name: orderId\n        logicalType: string\n        logicalTypeOptions:\n          minLength: 1\n",
        };
        String[] cel = {
            "record.totalAmountMinor == sum(record.lines.map(l, l.quantity * l.unitPriceMinor))",
            "record.lines.size() > 0",
            "record.lines.all(l, l.quantity >= 1)",
            "record.totalAmountMinor < 100000000",
            "record.currency != ''",
        };
        StringBuilder properties = new StringBuilder();
        StringBuilder quality = new StringBuilder();
        for (int i = 0; i < rules; i++) {
            if (i < builtIn.length) {
                properties.append(builtIn[i]);
            } else {
                quality.append("      - name: rule-")
                        .append(i)
                        .append("\n        type: custom\n        engine: cel\n")
                        .append("        implementation: \"")
                        .append(cel[i % cel.length])
                        .append("\"\n");
            }
        }
        String header = """
                apiVersion: v3.1.0
                kind: DataContract
                id: %s
                version: 1.0.0
                status: active
                domain: %s
                description:
                  purpose: Generated for the benchmark.
                schema:
                  - name: OrderEvent
                    physicalName: %s
                    customProperties:
                      - property: avroSchema
                        value: avro/orders/OrderEvent.avsc
                    properties:
                """;
        Files.writeString(
                d.resolve("raw.odcs.yaml"),
                header.formatted(rawTopic(series, 0), domain, rawTopic(series, 0))
                        + "      - name: eventId\n        logicalType: string\n"
                        + "team:\n  name: bench\ncustomProperties:\n  - property: audience\n    value: domain\n");
        Files.writeString(
                d.resolve("product.odcs.yaml"),
                header.formatted(domain + ".product.orders", domain, domain + ".product.orders.v1")
                        + properties
                        + (quality.length() == 0 ? "" : "    quality:\n" + quality)
                        + "team:\n  name: bench\ncustomProperties:\n  - property: compatibility\n    value: BACKWARD\n");
        Files.writeString(d.resolve("product.odps.yaml"), """
                apiVersion: v1.0.0
                kind: DataProduct
                id: %s
                domain: %s
                status: active
                inputPorts:
                  - name: raw
                    version: 1.0.0
                    contractId: %s
                outputPorts:
                  - name: product
                    version: 1.0.0
                    contractId: %s.product.orders
                """.formatted(domain, domain, rawTopic(series, 0), domain));
        return dir;
    }

    private static void writeAvro(Path dir) throws IOException {
        Path avro = Files.createDirectories(dir.resolve("avro/orders"));
        Files.writeString(avro.resolve("OrderEvent.avsc"), resource("bench-catalog/avro/orders/OrderEvent.avsc"));
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = GeneratedCatalogs.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The benchmark product's descriptor with its first major only (the generated catalogs have no second). */
    static String oneMajor() throws IOException {
        String descriptor = resource("bench-catalog/domains/orders/orders.odps.yaml");
        int v2 = descriptor.indexOf("  - name: v2\n");
        int end = descriptor.indexOf("customProperties:", v2);
        return v2 < 0 ? descriptor : descriptor.substring(0, v2) + descriptor.substring(end);
    }
}
