package io.backbone.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.backbone.contract.CompiledContract;
import io.backbone.contract.RecordRule;
import io.backbone.contract.RuleContext;
import io.backbone.contract.export.ConfluentContract;
import io.backbone.contract.rules.CelEnvironment;
import io.backbone.contract.rules.CelExpression;
import io.backbone.contract.rules.ValueRule;
import io.backbone.producer.orders.OrdersService;
import io.backbone.product.ProductCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The raw streams' contracts as Confluent data-contract rule sets: every exported rule, evaluated as standard CEL over
 * the record, gives the backbone's own verdict on records that pass it and records that break it (the simulators'
 * events and faults, and one record per rule made to break just that rule); rules only the backbone can evaluate are
 * left out and named with the reason.
 */
class ConfluentExportTest {
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    final ProductCatalog catalog = ProductCatalog.shipped();

    @Test
    void everyExportedRuleGivesTheBackbonesVerdictOnRecordsThatPassAndBreakIt() {
        RuleContext context = new RuleContext(CelEnvironment::view);
        int checked = 0;
        for (Map.Entry<String, List<SpecificRecord>> stream :
                io.backbone.producer.simulation.RuleCorpus.corpus(NOW).entrySet()) {
            CompiledContract contract = catalog.contracts().get(stream.getKey());
            ConfluentContract exported = ConfluentContract.of(contract);
            for (JsonNode r : exported.ruleSet().path("domainRules")) {
                String name = r.path("name").asText();
                RecordRule rule = contract.rules().stream()
                        .filter(x -> x.name().equals(name))
                        .findFirst()
                        .orElseThrow();
                assertThat(r.path("expr").asText()).as(name).doesNotContain("record.");
                CelExpression cel = CelEnvironment.compile(
                        r.path("expr").asText().replaceAll("\\bmessage\\b", "record"), contract.schema());
                List<GenericRecord> records = new ArrayList<>();
                for (SpecificRecord e : stream.getValue()) {
                    GenericRecord g = (GenericRecord) e;
                    records.add(g);
                    if (rule instanceof ValueRule v) {
                        GenericRecord broken = io.backbone.producer.simulation.RuleCorpus.breaking(g, v);
                        if (broken != null) {
                            records.add(broken);
                        }
                    }
                }
                int passed = 0;
                int failed = 0;
                for (GenericRecord record : records) {
                    // the backbone checks the record as its contract corrects it
                    GenericRecord asChecked = io.backbone.producer.simulation.RuleCorpus.corrected(contract, record);
                    boolean backbone = rule.check(asChecked, context.reset(asChecked, NOW.toEpochMilli())) == null;
                    boolean confluent;
                    try {
                        confluent = Boolean.TRUE.equals(cel.eval(CelEnvironment.view(record), NOW.toEpochMilli()));
                    } catch (Exception e) {
                        confluent = false;
                    }
                    assertThat(confluent)
                            .as("%s: %s on %s", stream.getKey(), r.path("expr").asText(), record)
                            .isEqualTo(backbone);
                    if (backbone) {
                        passed++;
                    } else {
                        failed++;
                    }
                }
                assertThat(passed).as(name + ": records that pass").isPositive();
                assertThat(failed).as(name + ": records that break it").isPositive();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(10);
    }

    @Test
    void theCorpusHoldsRecordsOfEveryRawStreamOfTheShippedCatalog() {
        java.util.Set<String> raw = new java.util.TreeSet<>();
        catalog.products().stream()
                .filter(p -> p.join() == null)
                .forEach(p -> raw.add(p.input().id()));

        assertThat(io.backbone.producer.simulation.RuleCorpus.corpus(NOW).keySet())
                .containsExactlyInAnyOrderElementsOf(raw);
    }

    @Test
    void eachRuleIsAConditionOnWriteWithTheContractInTheMetadata() {
        ConfluentContract orders = ConfluentContract.of(catalog.contracts().get(OrdersService.TOPIC));

        assertThat(orders.ruleSet().path("domainRules")).allSatisfy(r -> {
            assertThat(r.path("kind").asText()).isEqualTo("CONDITION");
            assertThat(r.path("mode").asText()).isEqualTo("WRITE");
            assertThat(r.path("type").asText()).isEqualTo("CEL");
            assertThat(r.path("onFailure").asText()).isIn("ERROR", "NONE");
        });
        assertThat(orders.metadata()
                        .path("properties")
                        .path("backbone.contract.id")
                        .asText())
                .isEqualTo("orders.raw.order-events");
        assertThat(orders.metadata().path("properties").path("owner").asText()).isEqualTo("orders");
    }

    @Test
    void aRuleOnACorrectedPropertyChecksTheValueCorrectedInCelOrStaysWithTheBackbone() {
        ConfluentContract orders = ConfluentContract.of(catalog.contracts().get(OrdersService.TOPIC));
        ConfluentContract customers = ConfluentContract.of(catalog.contracts().get("customers.raw.customer-events"));

        assertThat(orders.ruleSet().path("domainRules"))
                .filteredOn(r -> r.path("name").asText().startsWith("currency."))
                .extracting(r -> r.path("expr").asText())
                .containsExactlyInAnyOrder(
                        "message.currency.trim().upperAscii().matches('^[A-Z]{3}$')",
                        "message.currency.trim().upperAscii() in ['CHF', 'DKK', 'EUR', 'GBP', 'NOK', 'PLN', 'SEK',"
                                + " 'USD']");
        assertThat(orders.skipped()).extracting(ConfluentContract.Skipped::rule).doesNotContain("currency.pattern");
        // a phone number made E.164 by libphonenumber has no CEL form
        assertThat(customers.skipped())
                .filteredOn(s -> s.rule().equals("phone.pattern"))
                .singleElement()
                .satisfies(s -> assertThat(s.reason()).contains("corrects 'phone' with [phone-e164]"));
    }

    @Test
    void rulesOnlyTheBackboneCanEvaluateAreLeftOutAndNamedWithTheReason() {
        ConfluentContract product = ConfluentContract.of(catalog.contracts().get("orders.product.orders"));

        assertThat(product.skipped())
                .extracting(ConfluentContract.Skipped::rule)
                .contains("total-equals-sum-of-lines", "not-from-the-future");
        assertThat(product.skipped())
                .filteredOn(s -> s.rule().equals("total-equals-sum-of-lines"))
                .singleElement()
                .satisfies(s -> assertThat(s.reason()).contains("sum()"));
        assertThat(product.ruleSet().path("domainRules").toString())
                .doesNotContain("sum(")
                .doesNotContain("nowMillis")
                .contains("placed-order-has-lines");
    }
}
