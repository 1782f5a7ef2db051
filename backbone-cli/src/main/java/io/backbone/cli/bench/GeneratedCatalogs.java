package io.backbone.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Catalogs written for the cost-growth series: K copies of the benchmark orders product, each on its own raw
 * stream ({@code d<k>.raw.orders}), or one product whose contract carries R generated rules.
 */
public final class GeneratedCatalogs {
    private GeneratedCatalogs() {}

    /** The raw topic of product {@code k}. */
    public static String rawTopic(int k) {
        return "d" + k + ".raw.orders";
    }

    /** {@code products} copies of the benchmark product (its full contract) under {@code dir}. */
    public static Path products(Path dir, int products) throws IOException {
        writeAvro(dir);
        for (int k = 0; k < products; k++) {
            String domain = "d" + k;
            Path d = Files.createDirectories(dir.resolve("domains/" + domain));
            Files.writeString(
                    d.resolve("raw.odcs.yaml"),
                    resource("bench-catalog/domains/orders/order-events.odcs.yaml")
                            .replace("orders.raw.order-events", rawTopic(k))
                            .replace("domain: orders", "domain: " + domain));
            Files.writeString(
                    d.resolve("product.odcs.yaml"),
                    resource("bench-catalog/domains/orders/orders.odcs.yaml")
                            .replace("orders.product.orders.v1", domain + ".product.orders.v1")
                            .replace("id: orders.product.orders", "id: " + domain + ".product.orders")
                            .replace("domain: orders", "domain: " + domain));
            Files.writeString(
                    d.resolve("product.odps.yaml"),
                    resource("bench-catalog/domains/orders/orders.odps.yaml")
                            .replace("contractId: orders.raw.order-events", "contractId: " + rawTopic(k))
                            .replace("contractId: orders.product.orders", "contractId: " + domain + ".product.orders")
                            .replace("id: orders", "id: " + domain)
                            .replace("domain: orders", "domain: " + domain));
        }
        return dir;
    }

    /**
     * One product on {@code d0.raw.orders} whose contract has exactly {@code rules} rules: range, pattern and length
     * rules on the order's fields, then CEL rules of the kinds contracts use (comparisons, sums, all()).
     */
    public static Path rules(Path dir, int rules) throws IOException {
        writeAvro(dir);
        Path d = Files.createDirectories(dir.resolve("domains/d0"));
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
                domain: d0
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
                header.formatted(rawTopic(0), rawTopic(0))
                        + "      - name: eventId\n        logicalType: string\n"
                        + "team:\n  name: bench\ncustomProperties:\n  - property: audience\n    value: domain\n");
        Files.writeString(
                d.resolve("product.odcs.yaml"),
                header.formatted("d0.product.orders", "d0.product.orders.v1")
                        + properties
                        + (quality.length() == 0 ? "" : "    quality:\n" + quality)
                        + "team:\n  name: bench\ncustomProperties:\n  - property: compatibility\n    value: BACKWARD\n");
        Files.writeString(d.resolve("product.odps.yaml"), """
                apiVersion: v1.0.0
                kind: DataProduct
                id: d0
                domain: d0
                status: active
                inputPorts:
                  - name: raw
                    version: 1.0.0
                    contractId: %s
                outputPorts:
                  - name: product
                    version: 1.0.0
                    contractId: d0.product.orders
                """.formatted(rawTopic(0)));
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
}
