package io.backbone.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.dlq.DeadLetter;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.serde.AvroDecoder;
import io.backbone.serde.AvroEncoder;
import io.backbone.topology.dedup.DedupMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One raw change stream, two products declared in YAML only: the validated changes (an event product) and the table
 * (an entity product: latest valid state per key, tombstone on delete), in both dedup modes.
 */
@ParameterizedClass(name = "dedup {0}")
@EnumSource(
        value = DedupMode.class,
        names = {"CHANGELOG", "PRODUCT_TOPIC"})
class EntityProductTopologyTest extends TopologyTestSupport {
    static final String RAW = "inventory.raw.stock-changes";
    static final String EVENTS = "inventory.product.stock-changes.v1";
    static final String ENTITY = "inventory.product.stock.v1";
    static final String DLQ = "inventory.dlq.stock-changes";
    static final DataProduct STOCK = ProductCatalog.shipped().product("inventory.stock");
    static final Schema CHANGE = STOCK.input().schema();
    static final Schema ROW = STOCK.output().schema();

    long lsn = 1000;

    static GenericRecord row(String sku, int quantity, String supplierEmail) {
        GenericRecord row = new GenericData.Record(ROW);
        row.put("sku", sku);
        row.put("warehouse", "BER-1");
        row.put("quantity", quantity);
        row.put("price_minor", 1299L);
        row.put("currency", "EUR");
        row.put("supplier_email", supplierEmail);
        row.put("updated_at", NOW.toEpochMilli());
        return row;
    }

    GenericRecord change(String op, GenericRecord before, GenericRecord after) {
        lsn += 8;
        GenericRecord source = new GenericData.Record(CHANGE.getField("source").schema());
        source.put("database", "postgres");
        source.put("schema", "inventory");
        source.put("table", "stock");
        source.put("lsn", lsn);
        source.put("txId", 7L);
        source.put("snapshot", false);
        GenericRecord c = new GenericData.Record(CHANGE);
        c.put("changeId", "inventory.stock:" + lsn + ":" + op.charAt(0));
        c.put("op", new GenericData.EnumSymbol(CHANGE.getField("op").schema(), op));
        c.put("before", before);
        c.put("after", after);
        c.put("source", source);
        c.put("committedAt", NOW.toEpochMilli());
        return c;
    }

    void send(String key, GenericRecord change) {
        int id = client.register(RAW + "-value", CHANGE);
        TestRecord<String, byte[]> in = new TestRecord<>(key, new AvroEncoder().encode(id, CHANGE, change));
        in.headers().add("ce_id", change.get("changeId").toString().getBytes(StandardCharsets.UTF_8));
        raw(RAW).pipeInput(in);
    }

    GenericRecord decode(byte[] value) {
        return (GenericRecord) AvroDecoder.generic(client).decode(value);
    }

    @Test
    void aCreateUpdateAndDeleteBecomeThreeChangesAndTheRowsLatestStateThenATombstone() {
        GenericRecord created = row("SKU-000001", 12, "anna@supplier.example");
        GenericRecord updated = row("SKU-000001", 11, "anna@supplier.example");
        send("SKU-000001/BER-1", change("CREATE", null, created));
        send("SKU-000001/BER-1", change("UPDATE", created, updated));
        send("SKU-000001/BER-1", change("DELETE", updated, null));

        List<TestRecord<String, byte[]>> changes = out(EVENTS).readRecordsToList();
        List<TestRecord<String, byte[]>> entity = out(ENTITY).readRecordsToList();

        assertThat(changes)
                .extracting(r -> decode(r.value()).get("op").toString())
                .containsExactly("CREATE", "UPDATE", "DELETE");
        assertThat(entity).extracting(TestRecord::key).containsOnly("SKU-000001/BER-1");
        assertThat(entity).hasSize(3);
        GenericRecord first = decode(entity.get(0).value());
        assertThat(first.getSchema().getFullName()).isEqualTo("io.backbone.inventory.cdc.Stock");
        assertThat(first.get("quantity")).isEqualTo(12);
        assertThat(first.get("supplier_email").toString())
                .isEqualTo(masker.hash("anna@supplier.example"))
                .doesNotContain("anna");
        assertThat(decode(entity.get(1).value()).get("quantity")).isEqualTo(11);
        assertThat(entity.get(2).value()).as("a deleted row is a tombstone").isNull();
        assertThat(new String(
                        entity.get(2).headers().lastHeader(DeadLetter.CHANGE_ID).value(), StandardCharsets.UTF_8))
                .endsWith(":D");
        GenericRecord changeOut = decode(changes.get(1).value());
        assertThat(((GenericRecord) changeOut.get("before"))
                        .get("supplier_email")
                        .toString())
                .isEqualTo(masker.hash("anna@supplier.example"));
        assertThat(out(DLQ).readRecordsToList()).isEmpty();
    }

    @Test
    void aChangeThatBreaksTheContractIsDeadLetteredAndTheEntityKeepsItsLastValidState() {
        GenericRecord created = row("SKU-000002", 5, null);
        send("SKU-000002/BER-1", change("CREATE", null, created));
        out(ENTITY).readRecordsToList();
        out(EVENTS).readRecordsToList();

        send("SKU-000002/BER-1", change("UPDATE", created, row("SKU-000002", -3, null)));

        assertThat(out(ENTITY).readRecordsToList())
                .as("the entity is unchanged")
                .isEmpty();
        assertThat(out(EVENTS).readRecordsToList()).isEmpty();
        List<TestRecord<String, byte[]>> dlq = out(DLQ).readRecordsToList();
        // each product says for itself why it refused the change
        assertThat(dlq)
                .extracting(r -> DeadLetter.text(r.headers(), DeadLetter.PRODUCT))
                .containsExactlyInAnyOrder("inventory", "inventory.stock");
        assertThat(dlq).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo("SKU-000002/BER-1");
            assertThat(DeadLetter.text(r.headers(), DeadLetter.RULE)).isEqualTo("after.quantity.minimum");
        });
    }

    @Test
    void aChangeCapturedTwiceIsAppliedOnceInBothProducts() {
        GenericRecord created = row("SKU-000003", 1, null);
        GenericRecord change = change("CREATE", null, created);
        send("SKU-000003/BER-1", change);
        List<TestRecord<String, byte[]>> entity = out(ENTITY).readRecordsToList();
        List<TestRecord<String, byte[]>> events = out(EVENTS).readRecordsToList();
        if (dedup == DedupMode.PRODUCT_TOPIC) {
            // a restarted task finds its product topics as they are: the seen ids come back from them
            driver.close();
            entity.forEach(r -> productHistory.add(history(ENTITY, r)));
            events.forEach(r -> productHistory.add(history(EVENTS, r)));
            driver = newDriver("backbone-test");
        }

        send("SKU-000003/BER-1", change);

        assertThat(entity).hasSize(1);
        assertThat(events).hasSize(1);
        assertThat(out(ENTITY).readRecordsToList()).isEmpty();
        assertThat(out(EVENTS).readRecordsToList()).isEmpty();
        assertThat(out(DLQ).readRecordsToList()).isEmpty();
    }

    /**
     * The same mechanism for a domain without a database: a customers entity built from customer events, declared
     * in a descriptor beside the shipped ones (state: the whole event; changeId: the event id; never deleted).
     */
    @Test
    void anEntityBuiltFromEventsKeepsEachCustomersLatestProfile(@TempDir Path dir) throws Exception {
        Path shipped = Path.of("../schemas/src/main/resources/catalog");
        try (var files = Files.walk(shipped)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = dir.resolve(shipped.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
        Path customers = dir.resolve("domains/customers");
        Files.writeString(
                customers.resolve("customer-profiles.odcs.yaml"),
                Files.readString(customers.resolve("customers.odcs.yaml"))
                        .replace("id: customers.product.customers", "id: customers.product.customer-profiles")
                        .replace("customers.product.customers.v1", "customers.product.customer-profiles.v1"));
        Files.writeString(
                customers.resolve("customer-profiles.odps.yaml"),
                Files.readString(customers.resolve("customers.odps.yaml"))
                        .replace("id: customers", "id: customer-profiles")
                        .replace(
                                "contractId: customers.product.customers",
                                "contractId: customers.product.customer-profiles")
                        .replace(
                                "    type: topic\n",
                                "    type: topic\n    customProperties:\n      - property: entity\n"
                                        + "        value: {changeId: eventId}\n"));
        List<DataProduct> products = ProductCatalog.load(io.backbone.catalog.CatalogSource.directory(dir))
                .products();
        DataProduct profiles = products.stream()
                .filter(p -> p.id().equals("customer-profiles"))
                .findFirst()
                .orElseThrow();
        assertThat(profiles.isEntity()).isTrue();
        driver.close();
        driver = new org.apache.kafka.streams.TopologyTestDriver(
                BackboneTopology.topology(products, client, masker, dedup, this::history),
                driverProperties("backbone-test"),
                NOW.plusSeconds(60));
        var registered =
                io.backbone.producer.customers.CustomersService.register("cus-000042", new java.util.Random(3), NOW);
        var updated =
                io.backbone.producer.customers.CustomersService.register("cus-000042", new java.util.Random(4), NOW);
        updated.setEventType(io.backbone.customers.v1.CustomerEventType.CUSTOMER_UPDATED);
        updated.setEventId("0b7c7a1e-6f0e-4bd8-9a57-1f1c9b1a0c42");
        raw("customers.raw.customer-events")
                .pipeInput("cus-000042", encode("customers.raw.customer-events", registered));
        raw("customers.raw.customer-events").pipeInput("cus-000042", encode("customers.raw.customer-events", updated));
        raw("customers.raw.customer-events").pipeInput("cus-000042", encode("customers.raw.customer-events", updated));

        List<TestRecord<String, byte[]>> entity =
                out("customers.product.customer-profiles.v1").readRecordsToList();

        assertThat(entity).hasSize(2).extracting(TestRecord::key).containsOnly("cus-000042");
        GenericRecord latest = decode(entity.get(1).value());
        assertThat(latest.get("eventType").toString()).isEqualTo("CUSTOMER_UPDATED");
        assertThat(latest.get("fullName").toString()).isEqualTo(masker.hash(updated.getFullName()));
        assertThat(out("customers.product.customers.v1").readRecordsToList())
                .as("the event product beside it is unchanged")
                .hasSize(2);
    }

    static ConsumerRecord<byte[], byte[]> history(String topic, TestRecord<String, byte[]> r) {
        RecordHeaders headers = new RecordHeaders(r.headers().toArray());
        return new ConsumerRecord<>(
                topic,
                0,
                0,
                r.timestamp(),
                TimestampType.CREATE_TIME,
                -1,
                -1,
                r.key().getBytes(StandardCharsets.UTF_8),
                r.value(),
                headers,
                java.util.Optional.empty());
    }
}
