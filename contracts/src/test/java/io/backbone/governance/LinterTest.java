package io.backbone.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbone.catalog.CatalogException;
import io.backbone.catalog.CatalogFixtures;
import io.backbone.catalog.CatalogSource;
import io.backbone.catalog.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinterTest {
    @TempDir
    Path dir;

    final GovernancePolicy policy = GovernancePolicy.shipped();

    @BeforeEach
    void copyShippedCatalog() throws IOException {
        CatalogFixtures.copyShipped(Path.of("../schemas"), dir);
    }

    List<String> lint() {
        return Linter.lint(CatalogSource.directory(dir), policy).stream()
                .filter(p -> !p.warning())
                .map(p -> p.lintLine().substring(dir.toString().length() + 1))
                .toList();
    }

    void edit(String file, String from, String to) throws IOException {
        Path p = dir.resolve(file);
        String text = Files.readString(p);
        assertThat(text).as(file).contains(from);
        Files.writeString(p, text.replace(from, to));
    }

    @Test
    void theShippedCatalogLintsCleanWithoutAWarning() {
        // but for the one raw rule producers' serializers cannot check: the backbone makes phone numbers E.164 with
        // libphonenumber before it checks them (the currency is corrected too, but in a way CEL can repeat)
        assertThat(Linter.lint(CatalogSource.classpath(), policy))
                .extracting(Problem::lintLine)
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .contains("warning: portable: rule '")
                        .contains("'phone.pattern'")
                        .contains("corrects 'phone' with [phone-e164]"));
    }

    /** The shipped policy holds contracts to their Avro schemas strictly. */
    GovernancePolicy strict() throws IOException {
        String shipped = Files.readString(Path.of("../schemas/src/main/resources/catalog/governance/policy.yaml"));
        assertThat(shipped).contains("avroBinding: error");
        return GovernancePolicy.parse("strict.yaml", shipped);
    }

    /** A policy for a catalog on its way to complete contracts: the Avro binding only warns. */
    GovernancePolicy lenient() throws IOException {
        String shipped = Files.readString(Path.of("../schemas/src/main/resources/catalog/governance/policy.yaml"));
        return GovernancePolicy.parse("lenient.yaml", shipped.replace("avroBinding: error", "avroBinding: warn"));
    }

    List<String> lifecycleProblems() {
        return Linter.lint(CatalogSource.directory(dir), policy).stream()
                .filter(p -> p.policy().equals("lifecycle"))
                .map(p -> p.lintLine().substring(dir.toString().length() + 1))
                .toList();
    }

    void deprecateCustomers(String... customProperties) throws IOException {
        edit("domains/customers/customers.odcs.yaml", "\nstatus: active\n", "\nstatus: deprecated\n");
        StringBuilder extra = new StringBuilder();
        for (int i = 0; i < customProperties.length; i += 2) {
            extra.append("  - property: ")
                    .append(customProperties[i])
                    .append("\n    value: ")
                    .append(customProperties[i + 1])
                    .append('\n');
        }
        edit("domains/customers/customers.odcs.yaml", "\ncustomProperties:\n", "\ncustomProperties:\n" + extra);
    }

    @Test
    void aDeprecatedContractNamesItsSuccessorAndASunsetThePolicysNoticeAway() throws IOException {
        deprecateCustomers("deprecatedOn", "2026-12-01", "sunset", "2027-01-15", "successor", "orders.product.orders");
        assertThat(lifecycleProblems()).isEmpty();
    }

    @Test
    void oneTypoIsOneProblemWithTheNearestValidValue() throws IOException {
        Path contract = dir.resolve("domains/customers/customers.odcs.yaml");
        String text = Files.readString(contract);
        int at = text.indexOf("logicalType: string");
        assertThat(at).isPositive();
        Files.writeString(contract, text.substring(0, at) + "logicalType: strng" + text.substring(at + 19));

        List<String> schema = Linter.lint(CatalogSource.directory(dir), policy).stream()
                .filter(p -> p.policy().equals("odcs-schema"))
                .map(Problem::lintLine)
                .toList();
        assertThat(schema)
                .singleElement()
                .satisfies(l -> assertThat(l).contains("strng").contains("did you mean 'string'?"));
    }

    @Test
    void anUnquotedDateIsAWarningThatNamesTheLineAndTheQuotedForm() throws IOException {
        deprecateCustomers(
                "deprecatedOn", "2026-12-01", "sunset", "\"2027-01-15\"", "successor", "orders.product.orders");
        List<String> yaml = Linter.lint(CatalogSource.directory(dir), policy).stream()
                .filter(p -> p.policy().equals("yaml"))
                .map(p -> p.lintLine().substring(dir.toString().length() + 1))
                .toList();
        assertThat(yaml)
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .startsWith("domains/customers/customers.odcs.yaml:")
                        .contains("warning")
                        .contains("the date 2026-12-01 is not quoted")
                        .contains("fix: quote it: \"2026-12-01\""));
    }

    @Test
    void aDeprecationWithoutDatesOrSuccessorIsRefusedWithTheFix() throws IOException {
        deprecateCustomers();
        assertThat(lifecycleProblems())
                .hasSize(3)
                .anySatisfy(l -> assertThat(l)
                        .startsWith("domains/customers/customers.odcs.yaml:")
                        .contains("a deprecated contract needs deprecatedOn")
                        .contains("fix: add {property: deprecatedOn, value: \"2027-01-31\"}"))
                .anySatisfy(l -> assertThat(l).contains("a deprecated contract needs sunset"))
                .anySatisfy(l -> assertThat(l).contains("names no successor"));
    }

    @Test
    void aSunsetCloserThanThePolicysNoticeFailsLintNamingTheDays() throws IOException {
        deprecateCustomers("deprecatedOn", "2026-12-01", "sunset", "2026-12-15", "successor", "orders.product.ordrs");
        assertThat(lifecycleProblems())
                .hasSize(2)
                .anySatisfy(l -> assertThat(l)
                        .contains("sunset 2026-12-15 is 14 day(s) after deprecatedOn 2026-12-01; the policy gives"
                                + " consumers at least 30 days")
                        .contains("fix: set sunset on or after 2026-12-31"))
                .anySatisfy(l -> assertThat(l).contains("successor 'orders.product.ordrs' is not in the catalog"));
    }

    @Test
    void anUnknownStatusOrASunsetOnAnActiveContractIsReported() throws IOException {
        edit("domains/orders/orders-v2.odcs.yaml", "\nstatus: active\n", "\nstatus: sunsetting\n");
        edit(
                "domains/payments/payments.odcs.yaml",
                "\ncustomProperties:\n",
                "\ncustomProperties:\n  - property: sunset\n    value: 2027-01-01\n");
        assertThat(lifecycleProblems())
                .anySatisfy(l -> assertThat(l)
                        .startsWith("domains/orders/orders-v2.odcs.yaml:")
                        .contains("status 'sunsetting' is not one of [proposed, draft, active, deprecated, retired]"))
                .anySatisfy(l -> assertThat(l)
                        .startsWith("domains/payments/payments.odcs.yaml:")
                        .contains("sunset is set but the status is active"));
    }

    @Test
    void anUnknownNormaliserOrOneThatDoesNotFitThePropertyNamesFileFieldAndFix() throws IOException {
        String file = "domains/customers/customers.odcs.yaml";
        edit(file, "value: [trim, collapse-whitespace, nfc]", "value: [trim, titlecase]");
        edit(
                "domains/orders/orders.odcs.yaml",
                "      - name: totalAmountMinor\n",
                "      - name: totalAmountMinor\n        customProperties:\n          - property: normalise\n"
                        + "            value: [trim]\n");
        edit(
                file,
                "          - property: emailLocalPart\n            value: lower",
                "          - property: emailLocalPart\n            value: upper");

        List<Problem> problems = Linter.lint(CatalogSource.directory(dir), policy).stream()
                .filter(p -> p.policy().equals("normalise"))
                .toList();

        assertThat(problems).allSatisfy(p -> {
            assertThat(p.line()).isPositive();
            assertThat(p.warning()).isFalse();
        });
        assertThat(problems)
                .extracting(Problem::lintLine)
                .anySatisfy(l -> assertThat(l)
                        .contains("customers.odcs.yaml")
                        .contains("property 'fullName' declares an unknown normaliser 'titlecase'")
                        .contains("fix: use one of [trim, collapse-whitespace, nfc"))
                .anySatisfy(l -> assertThat(l)
                        .contains("orders.odcs.yaml")
                        .contains("need a string field; 'totalAmountMinor' is an Avro long")
                        .contains("fix: remove normalise from 'totalAmountMinor'"))
                .anySatisfy(l -> assertThat(l)
                        .contains("emailLocalPart 'upper' of property 'email' is unknown")
                        .contains("fix: write keep"));
        assertThat(problems).hasSize(3);
    }

    @Test
    void aContractThatDisagreesWithItsAvroSchemaNamesFileFieldBothTypesAndTheFix() throws IOException {
        String file = "domains/sales/paid-orders.odcs.yaml";
        edit(file, "        logicalTypeOptions:\n          format: i64\n", "");
        edit(
                file,
                "      - name: currency\n        logicalType: string",
                "      - name: currency\n        logicalType: integer");

        List<Problem> problems = Linter.lint(CatalogSource.directory(dir), strict()).stream()
                .filter(p -> p.policy().equals(AvroBinding.POLICY) && p.file().endsWith("paid-orders.odcs.yaml"))
                .toList();

        assertThat(problems).isNotEmpty().allSatisfy(p -> {
            assertThat(p.warning()).isFalse();
            assertThat(p.line()).isPositive();
        });
        assertThat(problems)
                .extracting(Problem::lintLine)
                .anySatisfy(l -> assertThat(l)
                        .contains("'totalAmountMinor' is integer without a format (ODCS reads i32)")
                        .contains("but long in Avro")
                        .contains("fix: set logicalTypeOptions: {format: i64}"))
                .anySatisfy(l -> assertThat(l)
                        .contains("'currency' is 'integer' in the contract but string in Avro")
                        .contains("fix: set logicalType: string"));
        assertThat(Linter.lint(CatalogSource.directory(dir), lenient()))
                .filteredOn(
                        p -> p.policy().equals(AvroBinding.POLICY) && p.file().endsWith("paid-orders.odcs.yaml"))
                .isNotEmpty()
                .allMatch(Problem::warning);
    }

    @Test
    void everyAvroFieldMustBeDeclaredAndRequiredMustMatchNullability() throws IOException {
        edit(
                "domains/orders/orders.odcs.yaml",
                "      - name: orderId\n        logicalType: string\n        classification: internal\n"
                        + "        required: true\n        description: Id of the order; the record key.\n",
                "");
        String file = "domains/sales/paid-orders.odcs.yaml";
        edit(
                file,
                "        description: ISO 4217 currency code.\n        classification: internal\n        required: true",
                "        description: ISO 4217 currency code.\n        classification: internal\n        required: false");

        List<String> lines = Linter.lint(CatalogSource.directory(dir), strict()).stream()
                .filter(p -> p.file().endsWith("paid-orders.odcs.yaml"))
                .map(Problem::lintLine)
                .toList();
        List<String> orders = Linter.lint(CatalogSource.directory(dir), strict()).stream()
                .filter(p -> p.file().endsWith("/orders.odcs.yaml"))
                .map(Problem::lintLine)
                .toList();

        assertThat(lines)
                .anySatisfy(l -> assertThat(l)
                        .contains("'currency' is never null in Avro")
                        .contains("set required: true"));
        assertThat(orders)
                .anySatisfy(l -> assertThat(l)
                        .contains("Avro field 'orderId' (string) is not declared")
                        .contains("declare it: {name: orderId, logicalType: string, required: true"));
    }

    @Test
    void formatI64IsAcceptedAndADeprecatedFieldWarnsWithoutFailing() throws IOException {
        edit("domains/orders/orders.odcs.yaml", "domain: orders\n", "domain: orders\ndataProduct: orders\n");

        List<Problem> problems = Linter.lint(CatalogSource.directory(dir), policy);

        assertThat(problems)
                .filteredOn(p -> p.policy().equals("deprecated"))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.warning()).isTrue();
                    assertThat(p.file()).endsWith("orders/orders.odcs.yaml");
                    assertThat(p.lintLine()).contains("warning: deprecated: 'dataProduct' is deprecated");
                });
        assertThat(problems).noneMatch(p -> !p.warning());
        assertThat(problems).noneMatch(p -> p.message().contains("format 'i64' is not supported"));
    }

    @Test
    void reportsEveryPolicyBreachAtOnceWithFileLineAndPolicy() throws IOException {
        // every line number below is looked up in the edited file, so the assertion is about the right line
        edit("domains/payments/payments.odcs.yaml", "    value: BACKWARD\n", "    value: NONE\n");
        edit("domains/payments/payments.odcs.yaml", "    value: 30\n    unit: d", "    value: 2\n    unit: y");
        edit(
                "domains/payments/payments.odcs.yaml",
                "team:\n  name: payments\n  members:\n    - username: payments-team\n      role: owner\n",
                "");
        edit(
                "domains/orders/orders.odps.yaml",
                "description:\n  purpose: Validated, deduplicated order events for every downstream team.\n",
                "");
        edit(
                "domains/customers/customers.odcs.yaml",
                "        required: true\n        unique: true\n        customProperties:\n",
                "        required: true\n        unique: true\n        quality:\n          - metric: nullValues\n            mustBe: 0\n"
                        + "        customProperties:\n");
        edit("domains/orders/orders.odcs.yaml", "record.lines.size() > 0", "record.line.size() > 0");

        assertThat(lint())
                .containsExactly(
                        "domains/orders/orders.odcs.yaml:"
                                + lineOf(
                                        "domains/orders/orders.odcs.yaml",
                                        "        implementation: \"record.eventType != 'ORDER_PLACED' || record.line.size() > 0\"")
                                + ": cel: CEL expression does not compile: reads fields the record does not have: "
                                + "record.line: record io.backbone.orders.v1.OrderEvent has no field 'line' (fields: [eventId, eventType, "
                                + "occurredAt, orderId, customerId, lines, totalAmountMinor, currency, cancellationReason]) (fix: fix the "
                                + "expression; fields are record.<name>, optional ones need has(record.<name>))",
                        "domains/orders/orders.odps.yaml:1: description: no description.purpose (fix: say in one sentence what this is for)",
                        "domains/orders/orders.odps.yaml:"
                                + lineOf("domains/orders/orders.odps.yaml", "    contractId: orders.product.orders")
                                + ": contract: contract 'orders.product.orders' is not in the catalog (or failed to load) "
                                + "(fix: add domains/<domain>/<name>.odcs.yaml with id: orders.product.orders, or fix the contract's own problems above)",
                        "domains/payments/payments.odcs.yaml:2: owner: no owning team (fix: add team: {name: <team>, members: [{username: <id>, role: owner}]})",
                        "domains/payments/payments.odcs.yaml:"
                                + lineOf("domains/payments/payments.odcs.yaml", "  - property: retention")
                                + ": retention: retention of 730 days is outside the policy's 1..400 days "
                                + "(fix: choose a retention within the bounds, or change the policy with the platform team)",
                        "domains/payments/payments.odcs.yaml:"
                                + lineOf("domains/payments/payments.odcs.yaml", "customProperties:")
                                + ": compatibility: product compatibility is NONE, policy allows "
                                + "[BACKWARD, BACKWARD_TRANSITIVE, FULL, FULL_TRANSITIVE] (fix: add customProperties: [{property: compatibility, value: BACKWARD}])",
                        "domains/sales/paid-orders.odps.yaml:"
                                + lineOf("domains/sales/paid-orders.odps.yaml", "    contractId: orders.product.orders")
                                + ": contract: contract 'orders.product.orders' is not in the catalog (or failed to load) "
                                + "(fix: add domains/<domain>/<name>.odcs.yaml with id: orders.product.orders, or fix the contract's own problems above)");
    }

    /** The 1-based line of the first line of {@code file} equal to {@code line}. */
    int lineOf(String file, String line) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve(file));
        int i = lines.indexOf(line);
        assertThat(i).as(file + " has the line " + line).isNotNegative();
        return i + 1;
    }

    @Test
    void piiWithoutMaskingInAWiderProductIsCaughtByLintAndAtLoadTime() throws IOException {
        edit(
                "domains/customers/customers.odcs.yaml",
                "      - name: phone\n        logicalType: string\n"
                        + "        description: \"The customer's phone number in E.164 form, when given.\"\n"
                        + "        classification: restricted\n        customProperties:\n"
                        + "          - property: pii\n            value: true\n          - property: masking\n            value: drop\n",
                "");

        assertThat(lint())
                .anySatisfy(l ->
                        assertThat(l).contains("avro-binding: Avro field 'phone' ([null, string]) is not declared"))
                .contains(
                        "domains/customers/customers.odps.yaml:"
                                + lineOf(
                                        "domains/customers/customers.odps.yaml",
                                        "    contractId: customers.product.customers")
                                + ": pii-masking: PII property 'phone' of customers.raw.customer-events has no "
                                + "masking policy in customers.product.customers (audience company-internal) (fix: list 'phone' in "
                                + dir
                                + "/domains/customers/customers.odcs.yaml with customProperties pii: true and masking: hash|redact|drop|keep)");
    }

    @Test
    void aProductWithoutQualityRulesAndABadTopicNameAreReported() throws IOException {
        edit(
                "domains/payments/payments.odcs.yaml",
                "        quality:\n          - metric: invalidValues\n            mustBe: 0\n"
                        + "            arguments:\n              validValues: [EUR, USD, GBP, CHF, PLN, SEK, DKK, NOK]\n",
                "");
        for (String[] e : new String[][] {
            {"PaymentEventType", "PAYMENT_AUTHORISED, PAYMENT_FAILED, PAYMENT_REFUNDED"},
            {"PaymentMethod", "CARD, PAYPAL, BANK_TRANSFER"}
        }) {
            edit(
                    "domains/payments/payments.odcs.yaml",
                    "        quality:\n          - metric: invalidValues\n            mustBe: 0\n"
                            + "            description: The symbols of the Avro enum " + e[0]
                            + "; a new one is a new value for consumers.\n"
                            + "            arguments:\n              validValues: [" + e[1] + "]\n",
                    "");
        }
        int start = Files.readString(dir.resolve("domains/payments/payments.odcs.yaml"))
                .indexOf("    quality:\n      - name: failure-has-reason");
        Path file = dir.resolve("domains/payments/payments.odcs.yaml");
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, start) + text.substring(text.indexOf("slaProperties:")));
        edit(
                "domains/orders/order-events.odcs.yaml",
                "physicalName: orders.raw.order-events",
                "physicalName: Orders_Raw");

        assertThat(lint())
                .anySatisfy(l -> assertThat(l)
                        .startsWith(
                                "domains/payments/payments.odcs.yaml:13: quality-rules: product has 0 quality rule(s)"))
                .anySatisfy(l -> assertThat(l)
                        .startsWith("domains/orders/order-events.odcs.yaml:"
                                + lineOf("domains/orders/order-events.odcs.yaml", "    physicalName: Orders_Raw")
                                + ": topic-naming: topic 'Orders_Raw' breaks the naming rule"));
    }

    @Test
    void aBrokenPolicyFileNamesTheKey() {
        assertThatThrownBy(() -> GovernancePolicy.parse(
                        "policy.yaml", "version: 1\nrequireOwnr: true\nproductCompatibility: [BACKWARD]\n"))
                .isInstanceOf(CatalogException.class)
                .satisfies(e -> assertThat(((CatalogException) e).problems())
                        .extracting(Problem::lintLine)
                        .singleElement()
                        .asString()
                        .startsWith("policy.yaml:2: policy: unknown policy key 'requireOwnr' (fix: use one of"));
    }

    /** A raw stream's rule that producers' Confluent serializers could not evaluate is named, as a warning. */
    @Test
    void aRawRuleOnlyTheBackboneCanEvaluateIsAWarningNamingTheRuleAndWhy() throws IOException {
        String file = "domains/payments/payment-events.odcs.yaml";
        edit(
                file,
                "\nslaProperties:",
                "\n    quality:\n      - name: not-from-the-future\n        type: custom\n        engine: cel\n"
                        + "        implementation: \"record.occurredAt <= nowMillis + 300000\"\n"
                        + "        severity: warning\nslaProperties:");

        List<Problem> problems = Linter.lint(CatalogSource.directory(dir), policy).stream()
                .filter(p -> p.policy().equals("portable") && p.message().contains("not-from-the-future"))
                .toList();

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.warning()).isTrue();
            assertThat(p.file()).endsWith("payment-events.odcs.yaml");
            assertThat(p.line()).isPositive();
            assertThat(p.message())
                    .contains("rule 'not-from-the-future' is enforced by the backbone only")
                    .contains("nowMillis");
        });
    }
}
