package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backbone.catalogservice.CatalogServer;
import io.backbone.kafka.ClientSettings;
import io.backbone.platform.LocalPlatform;
import io.backbone.producer.simulation.ShopSimulator;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.CatalogPublisher;
import io.backbone.provisioning.Provisioner;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.topology.BackboneApp;
import io.backbone.topology.BackboneConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The catalog on a real broker of its own, with the backbone and the domain services running: the JSON API says
 * what the topics hold, raises and clears an alert, lists the consumer groups with their lag and draws the lineage
 * the descriptors declare; the web page is driven in a real headless Chromium.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static LocalPlatform platform;
    static ClientSettings settings;
    static ProductCatalog catalog = ProductCatalog.shipped();
    static BackboneApp app;
    static CatalogServer server;

    @BeforeAll
    static void runTheShopWithTheCatalog(@TempDir Path state) throws Exception {
        platform = LocalPlatform.start(0);
        settings = ClientSettings.of(platform.bootstrapServers(), platform.schemaRegistryUrl());
        try (Admin admin = settings.admin()) {
            new Provisioner(admin, new RestSchemaRegistryClient(settings.clientConfig()), 2)
                    .provision(catalog.products());
        }
        CatalogPublisher.Result published = new CatalogPublisher(settings.kafkaConfig()).publish(catalog.products());
        assertThat(published.published()).hasSize(catalog.products().size());
        // publishing the same catalog again changes nothing
        assertThat(new CatalogPublisher(settings.kafkaConfig())
                        .publish(catalog.products())
                        .unchanged())
                .hasSize(catalog.products().size());
        app = Backbone.start(
                settings,
                catalog,
                "catalog-it",
                Files.createDirectories(state).toString(),
                "integration-test-secret-0123456789",
                Map.of(BackboneConfig.STATUS_WINDOW_MS, 2_000L, BackboneConfig.STATUS_GRACE_MS, 500L));
        server = CatalogServer.start(new HashMap<>(settings.clientConfig()), "127.0.0.1", 0);
        assertThat(server.awaitCatalog(Duration.ofSeconds(60))).isTrue();
        assertThat(server.url()).startsWith("http://127.0.0.1:");
        try (ShopSimulator simulator = new ShopSimulator(settings)) {
            simulator.run(ShopSimulator.Plan.allDomains(1_200, 0.05, 0, 7), (sent, total) -> {});
        }
        ItSupport.awaitCommitted(settings, catalog, "catalog-it", Duration.ofMinutes(3));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (app != null) {
            app.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200) {
            throw new AssertionError(path + " answered " + r.statusCode() + ": " + body);
        }
        return body;
    }

    static int status(String path) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    @Order(1)
    void everyProductWithItsOwnerSchemaRulesServiceLevelsAndTopics() throws Exception {
        JsonNode list = get("/api/products");
        assertThat(list.path("count").asInt()).isEqualTo(catalog.products().size());
        for (DataProduct p : catalog.products()) {
            JsonNode d = get("/api/products/" + p.id());
            assertThat(d.path("owner").asText()).as(p.id()).isNotBlank();
            assertThat(d.path("output").path("topic").asText()).isEqualTo(p.productTopic());
            assertThat(d.path("output").path("dlqTopic").asText()).isEqualTo(p.dlqTopic());
            assertThat(d.path("inputs"))
                    .extracting(i -> i.path("topic").asText())
                    .containsExactlyElementsOf(p.sourceTopics());
            Set<String> fields = new HashSet<>();
            d.path("schema").forEach(f -> fields.add(f.path("field").asText()));
            for (Schema.Field f : p.output().schema().getFields()) {
                assertThat(fields).as(p.id()).contains(f.name());
            }
            assertThat(d.path("schema"))
                    .allSatisfy(f -> assertThat(f.path("description").asText()).isNotBlank());
            assertThat(d.path("rules")).as(p.id()).isNotEmpty();
            if (p.id().equals("customers")) {
                assertThat(d.path("schema"))
                        .filteredOn(f -> f.path("field").asText().equals("email"))
                        .singleElement()
                        .satisfies(
                                f -> assertThat(f.path("corrections").asText()).contains("email"));
            }
            assertThat(d.path("rules"))
                    .allSatisfy(r -> assertThat(r.path("text").asText()).isNotBlank());
            // an entity product's topic is compacted: it keeps every key's latest state, no retention applies
            assertThat(d.path("sla"))
                    .extracting(s -> s.path("property").asText())
                    .contains(p.isEntity() ? new String[] {"latency"} : new String[] {"latency", "retention"});
            assertThat(d.path("kind").asText())
                    .as(p.id())
                    .isEqualTo(p.join() != null ? "join" : p.isEntity() ? "entity" : "events");
            assertThat(d.path("versions").get(0).path("bump").asText()).isEqualTo("INITIAL");
        }
        assertThat(get("/api/products?domain=sales").path("count").asInt()).isEqualTo(1);
        assertThat(get("/api/products?q=pseudonym")
                        .path("products")
                        .get(0)
                        .path("id")
                        .asText())
                .isEqualTo("customers");
        assertThat(status("/api/products?colour=blue")).isEqualTo(400);
        assertThat(status("/api/products/no-such-product")).isEqualTo(404);
        assertThat(get("/api/openapi.json").path("openapi").asText()).startsWith("3.");
    }

    @Test
    @Order(2)
    void liveCountsEqualWhatTheProductAndDlqTopicsHold() {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    for (DataProduct p : catalog.products()) {
                        JsonNode totals =
                                get("/api/products/" + p.id() + "/status").path("totals");
                        int published =
                                ItSupport.read(settings, p.productTopic()).size();
                        // the majors of one product share the raw stream's DLQ; each counts its own dead letters
                        int deadLettered = (int) ItSupport.read(settings, p.dlqTopic()).stream()
                                .filter(r -> p.id().equals(io.backbone.dlq.DeadLetter.text(
                                        r.headers(), io.backbone.dlq.DeadLetter.PRODUCT)))
                                .count();
                        assertThat(totals.path("valid").asLong())
                                .as(p.id() + " valid")
                                .isEqualTo(published);
                        assertThat(totals.path("deadLettered").asLong())
                                .as(p.id() + " dead-lettered")
                                .isEqualTo(deadLettered);
                        assertThat(totals.path("in").asLong())
                                .isEqualTo(published
                                        + deadLettered
                                        + totals.path("duplicates").asLong());
                    }
                });
        JsonNode orders = get0("/api/products/orders/status").path("totals");
        assertThat(orders.path("deadLettered").asLong()).isPositive();
        assertThat(orders.path("deadLetteredByRule").size()).isPositive();
    }

    static JsonNode get0(String path) {
        try {
            return get(path);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Order(3)
    void freshnessAndLatencyAreMeasured() throws Exception {
        boolean found = false;
        for (JsonNode w : get("/api/products/orders/status").path("windows")) {
            if (w.path("latencyMs").path("count").asLong() > 0) {
                assertThat(w.path("latencyMs").path("p95").isNumber()).isTrue();
                assertThat(w.path("freshnessMs").isNumber()).isTrue();
                assertThat(w.path("promises"))
                        .extracting(p -> p.path("promise").asText())
                        .contains("latency", "dead-letter-ratio");
                found = true;
            }
        }
        assertThat(found).isTrue();
    }

    static void produceGarbage(String topic, int n) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(settings.kafkaConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(
                        topic,
                        ("garbage-" + i).getBytes(StandardCharsets.UTF_8),
                        "not avro".getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    static boolean alertAfter(Instant since, String state) throws Exception {
        for (JsonNode a : get("/api/products/orders/status").path("alerts")) {
            if (a.path("promise").asText().equals("dead-letter-ratio")
                    && a.path("state").asText().equals(state)
                    && Instant.parse(a.path("at").asText()).isAfter(since)) {
                return true;
            }
        }
        return false;
    }

    @Test
    @Order(4)
    void anAlertWhenTheDeadLetterRatioExceedsTheContractsThresholdAndARecoveryAfter() throws Exception {
        Instant since = Instant.now();
        produceGarbage("orders.raw.order-events", 40);

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> alertAfter(since, "BROKEN"));
        assertThat(get("/api/alerts"))
                .anySatisfy(a ->
                        assertThat(a.path("message").asText()).contains("orders breaks its dead-letter-ratio promise"));

        try (ShopSimulator simulator = new ShopSimulator(settings)) {
            simulator.run(new ShopSimulator.Plan(300, 0, 0, 8, Set.of("orders")), (sent, total) -> {});
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> alertAfter(since, "KEPT"));
    }

    @Test
    @Order(5)
    void consumerGroupsReadingAProductAreListedWithTheirLag() throws Exception {
        Map<String, Object> config = new HashMap<>(settings.kafkaConfig());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "catalog-it-reader");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("orders.product.orders.v1"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !consumer.poll(Duration.ofMillis(200)).isEmpty());
            consumer.commitSync();
        }
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(get("/api/products/orders/consumers"))
                        .anySatisfy(g -> {
                            assertThat(g.path("group").asText()).isEqualTo("catalog-it-reader");
                            assertThat(g.path("committed").asLong()).isPositive();
                            assertThat(g.path("lag").asLong())
                                    .isPositive(); // it read 10 records, far fewer than there are
                        }));
    }

    @Test
    @Order(6)
    void theLineageGraphsEdgesAreTheDescriptorsPorts() throws Exception {
        Set<String> expected = new HashSet<>();
        for (DataProduct p : catalog.products()) {
            p.sourceTopics().forEach(t -> expected.add("topic:" + t + " reads product:" + p.id()));
            expected.add("product:" + p.id() + " writes topic:" + p.productTopic());
            expected.add("product:" + p.id() + " dead-letters topic:" + p.dlqTopic());
        }
        Set<String> found = new HashSet<>();
        for (JsonNode e : get("/api/lineage").path("edges")) {
            if (!e.path("kind").asText().equals("consumed by")) {
                found.add(e.path("from").asText() + " " + e.path("kind").asText() + " "
                        + e.path("to").asText());
            }
        }
        assertThat(found).isEqualTo(expected);
        assertThat(get("/api/openlineage")).hasSize(catalog.products().size());
    }

    @Test
    @Order(7)
    void theWebPageInARealBrowser() throws Exception {
        WebDriver driver = Browsers.chromium();
        try {
            driver.get(server.url() + "/");
            assertThat(driver.findElements(By.cssSelector("tr.product")))
                    .hasSize(catalog.products().size());

            WebElement search = driver.findElement(By.id("q"));
            search.sendKeys("sales", Keys.ENTER);
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            driver.findElements(By.cssSelector("tr.product")).size() == 1);
            assertThat(driver.findElement(By.cssSelector("tr.product")).getAttribute("data-id"))
                    .isEqualTo("paid-orders");

            driver.get(server.url() + "/products/customers");
            // what the contract corrects, where consumers read the contract
            assertThat(driver.findElements(By.cssSelector("#schema-table tbody tr")))
                    .anySatisfy(row -> assertThat(row.getText())
                            .startsWith("email")
                            .contains("trim, email (local part lower-cased)"));

            driver.get(server.url() + "/products/orders");
            assertThat(driver.findElements(By.cssSelector("#schema-table tbody tr"))
                            .size())
                    .isGreaterThanOrEqualTo(
                            p("orders").output().schema().getFields().size());
            assertThat(driver.findElements(By.cssSelector("#rules-list li"))).isNotEmpty();
            assertThat(driver.findElement(By.cssSelector("h1 .badge")).getAttribute("data-state"))
                    .isNotBlank();
            assertThat(driver.findElements(By.cssSelector("svg.lineage g.node")))
                    .isNotEmpty();
            assertThat(driver.findElement(By.tagName("body")).getText())
                    .contains("latency 2 s")
                    .doesNotContain("@example");

            // the keyboard reaches the content first
            driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
            assertThat(driver.switchTo().activeElement().getText()).isEqualTo("Skip to content");

            long before = Long.parseLong(
                    driver.findElement(By.id("total-deadLettered")).getText());
            produceGarbage("orders.raw.order-events", 25);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        driver.navigate().refresh();
                        return Long.parseLong(driver.findElement(By.id("total-deadLettered"))
                                        .getText())
                                >= before + 25;
                    });

            byte[] png = ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES);
            Path shot = Path.of("target", "catalog-product-page.png");
            Files.write(shot, png);
            assertThat(png.length).isGreaterThan(10_000);
        } finally {
            driver.quit();
        }
    }

    /** Orders in two majors, v1 deprecated (the topology tests' catalog), published beside the shop's products. */
    static final ProductCatalog VERSIONED = ProductCatalog.load(io.backbone.catalog.CatalogSource.directory(
            Path.of("../backbone-topology/src/test/resources/catalogs/versioned")));

    @Test
    @Order(8)
    void aDeprecatedVersionSaysSoAndNamesTheConsumerGroupsStillReadingIt() throws Exception {
        try (Admin admin = settings.admin()) {
            new Provisioner(admin, new RestSchemaRegistryClient(settings.clientConfig()), 1)
                    .provision(VERSIONED.products());
        }
        // the catalog topic holds one catalog: publishing removes the products it does not list
        List<DataProduct> both = new ArrayList<>(catalog.products());
        both.addAll(VERSIONED.products());
        new CatalogPublisher(settings.kafkaConfig()).publish(both);
        Map<String, Object> config = new HashMap<>(settings.kafkaConfig());
        config.put("group.id", "legacy-report");
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> v1Reader =
                new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                        config,
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            org.apache.kafka.common.TopicPartition tp =
                    new org.apache.kafka.common.TopicPartition("shop.product.orders.v1", 0);
            v1Reader.assign(List.of(tp));
            v1Reader.commitSync(Map.of(tp, new org.apache.kafka.clients.consumer.OffsetAndMetadata(0)));
        }

        JsonNode lifecycle = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(
                        () -> get("/api/products/shop-orders.v1").path("lifecycle"),
                        l -> l.path("stillReadBy").toString().contains("legacy-report"));
        assertThat(lifecycle.path("status").asText()).isEqualTo("deprecated");
        assertThat(lifecycle.path("deprecatedOn").asText()).isEqualTo("2026-11-01");
        assertThat(lifecycle.path("sunset").asText()).isEqualTo("2027-01-31");
        assertThat(lifecycle.path("successor").asText()).isEqualTo("shop.product.orders.v2");
        assertThat(get("/api/products/shop-orders")
                        .path("lifecycle")
                        .path("status")
                        .asText())
                .isEqualTo("active");

        HttpResponse<String> v1 = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/products/shop-orders.v1"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(v1.body())
                .contains("id=\"deprecation\"")
                .contains("Deprecated</strong> since 2026-11-01")
                .contains("sunset <strong>2027-01-31</strong>")
                .contains("Still read by 1 consumer group(s): <code class=\"still-reading\">legacy-report</code>");
        HttpResponse<String> v2 = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/products/shop-orders"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(v2.body()).doesNotContain("id=\"deprecation\"");
    }

    @Test
    @Order(9)
    void whenTheBrokerIsAwayTheCatalogKeepsServingAndSaysSo() throws Exception {
        app.close();
        app = null;
        platform.close();
        platform = null;

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> !get("/api/health").path("ok").asBoolean());
        assertThat(get("/api/health").path("problem").asText()).contains("does not answer");
        assertThat(get("/api/products").path("count").asInt())
                .isEqualTo(catalog.products().size() + VERSIONED.products().size());
        HttpResponse<String> page = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/products/orders"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("The catalog cannot read the cluster right now")
                .contains("does not answer");
    }

    static DataProduct p(String id) {
        return catalog.product(id);
    }
}
