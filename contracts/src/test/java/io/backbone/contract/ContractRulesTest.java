package io.backbone.contract;

import static io.backbone.contract.ContractFixture.contract;
import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.catalog.Problem;
import io.backbone.contract.rules.CelEnvironment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.Test;

class ContractRulesTest {
    static final RuleContext CONTEXT = new RuleContext(CelEnvironment::view);

    static GenericRecordBuilder item() {
        GenericRecord tag = new GenericData.Record(
                ContractFixture.SCHEMA.getField("tags").schema().getElementType());
        tag.put("code", "AB");
        tag.put("weight", 3L);
        return new GenericRecordBuilder(ContractFixture.SCHEMA)
                .set("id", "6f1c1a52-0c5e-4c2b-9a55-0d5bb0b8d111")
                .set("count", 2)
                .set("price", 9.5)
                .set("email", "a.b@example.com")
                .set("tags", new ArrayList<>(List.of(tag)));
    }

    static List<String> failures(CompiledContract c, GenericRecord r) {
        CONTEXT.reset(r, 0);
        return c.rules().stream()
                .map(rule -> rule.check(r, CONTEXT))
                .filter(Objects::nonNull)
                .map(Violation::rule)
                .toList();
    }

    @Test
    void requiredFailsOnNullOnlyWhereAvroAllowsNull() {
        CompiledContract c = contract()
                .property("note", "required: true")
                .property("id", "required: true")
                .compile();

        assertThat(c.rules()).extracting(RecordRule::name).containsExactly("note.required");
        assertThat(failures(c, item().build())).containsExactly("note.required");
        assertThat(failures(c, item().set("note", "x").build())).isEmpty();
    }

    @Test
    void boundsAreInclusiveOrExclusiveAsWritten() {
        CompiledContract c = contract()
                .property("count", "logicalTypeOptions:", "  minimum: 1", "  maximum: 10")
                .property("price", "logicalTypeOptions:", "  exclusiveMinimum: 0", "  exclusiveMaximum: 100.5")
                .compile();

        assertThat(failures(c, item().set("count", 1).set("price", 100.4).build()))
                .isEmpty();
        assertThat(failures(c, item().set("count", 10).build())).isEmpty();
        assertThat(failures(c, item().set("count", 0).build())).containsExactly("count.minimum");
        assertThat(failures(c, item().set("count", 11).build())).containsExactly("count.maximum");
        assertThat(failures(c, item().set("price", 0.0).build())).containsExactly("price.exclusiveMinimum");
        assertThat(failures(c, item().set("price", 100.5).build())).containsExactly("price.exclusiveMaximum");
    }

    @Test
    void stringOptionsCheckPatternLengthAndFormat() {
        CompiledContract c = contract()
                .property("id", "logicalTypeOptions:", "  format: uuid")
                .property("email", "logicalTypeOptions:", "  format: email", "  maxLength: 20", "  minLength: 8")
                .compile();

        assertThat(failures(c, item().build())).isEmpty();
        assertThat(failures(c, item().set("id", "not-a-uuid").build())).containsExactly("id.format");
        assertThat(failures(c, item().set("email", "a.b at example.com").build()))
                .containsExactly("email.format");
        assertThat(failures(c, item().set("email", "ab@cd.io").build())).isEmpty();
        assertThat(failures(c, item().set("email", "a@b.io").build())).containsExactly("email.minLength");
        assertThat(failures(c, item().set("email", "ab@cd.i").build()))
                .containsExactly("email.format", "email.minLength");
        assertThat(failures(c, item().set("email", "very.long.name@example.com").build()))
                .containsExactly("email.maxLength");
        assertThat(failures(c, item().set("email", null).build()))
                .as("absent optional value is not checked")
                .isEmpty();
    }

    @Test
    void arrayItemPropertiesAreCheckedOnEveryItem() {
        CompiledContract c = contract()
                .property(
                        "tags",
                        "items:",
                        "  properties:",
                        "    - name: code",
                        "      logicalTypeOptions:",
                        "        pattern: \"^[A-Z]{2}$\"",
                        "    - name: weight",
                        "      logicalTypeOptions:",
                        "        minimum: 1")
                .compile();
        GenericRecord r = item().build();
        GenericRecord bad = new GenericData.Record(
                ContractFixture.SCHEMA.getField("tags").schema().getElementType());
        bad.put("code", "abc");
        bad.put("weight", 0L);
        @SuppressWarnings("unchecked")
        List<Object> tags = (List<Object>) r.get("tags");
        tags.add(bad);

        assertThat(failures(c, r)).containsExactly("tags[].code.pattern", "tags[].weight.minimum");
    }

    @Test
    void invalidValuesWithValidValuesOrPattern() {
        CompiledContract c = contract()
                .property(
                        "id",
                        "quality:",
                        "  - metric: invalidValues",
                        "    mustBe: 0",
                        "    arguments:",
                        "      validValues: [a, b]")
                .property(
                        "note",
                        "quality:",
                        "  - metric: invalidValues",
                        "    mustBe: 0",
                        "    arguments:",
                        "      pattern: \"^n-\"",
                        "  - metric: nullValues",
                        "    mustBe: 0")
                .compile();

        assertThat(failures(c, item().set("id", "a").set("note", "n-1").build()))
                .isEmpty();
        assertThat(failures(c, item().set("id", "c").set("note", "x").build()))
                .containsExactly("id.invalidValues", "note.invalidValues");
        assertThat(failures(c, item().set("id", "b").build())).containsExactly("note.nullValues");
    }

    @Test
    void missingValuesRejectsNullAndBlank() {
        CompiledContract c = contract()
                .property("note", "quality:", "  - metric: missingValues", "    mustBe: 0")
                .compile();

        assertThat(failures(c, item().set("note", "x").build())).isEmpty();
        assertThat(failures(c, item().set("note", "  ").build())).containsExactly("note.missingValues.blank");
        assertThat(failures(c, item().build())).containsExactly("note.missingValues");
    }

    @Test
    void celRulesSeeNestedListsAndTreatMissingOptionalFieldsAsAViolation() {
        CompiledContract c = contract()
                .cel(
                        "weights-positive",
                        "record.tags.all(t, t.weight > 0) && sum(record.tags.map(t, t.weight)) == 3",
                        "error")
                .cel("owner-named", "record.owner.name != ''", "warning")
                .cel("has-owner-or-note", "has(record.owner) || has(record.note)", "error")
                .compile();

        CONTEXT.reset(item().build(), 0);
        List<Violation> v = c.rules().stream()
                .map(r -> r.check(item().build(), CONTEXT))
                .filter(Objects::nonNull)
                .toList();

        assertThat(v).extracting(Violation::rule).containsExactly("owner-named", "has-owner-or-note");
        assertThat(v.get(0).severity()).isEqualTo(Severity.WARNING);
        assertThat(v.get(0).message()).startsWith("could not be evaluated");
        assertThat(v.get(1).message()).startsWith("does not hold");
    }

    @Test
    void piiValuesNeverAppearInMessages() {
        CompiledContract c = contract()
                .property(
                        "email",
                        "logicalTypeOptions:",
                        "  format: email",
                        "customProperties:",
                        "  - property: pii",
                        "    value: true",
                        "  - property: masking",
                        "    value: hash")
                .compile();
        GenericRecord r = item().set("email", "secret.person at example.com").build();
        CONTEXT.reset(r, 0);

        Violation v = c.rules().get(0).check(r, CONTEXT);

        assertThat(v.message()).contains("<redacted PII>").doesNotContain("secret.person");
    }

    @Test
    void maskingAppliesOnlyWhenTheAudienceIsWiderThanTheDomain() {
        String[] pii = {
            "customProperties:", "  - property: pii", "    value: true", "  - property: masking", "    value: hash"
        };
        CompiledContract wide = contract().property("email", pii).compile();
        CompiledContract domain =
                contract().audience("domain").property("email", pii).compile();

        assertThat(wide.masks()).hasSize(1);
        assertThat(domain.masks()).isEmpty();
    }

    @Test
    void maskerHashesWithTheSecretRedactsAndDrops() {
        CompiledContract c = contract()
                .property(
                        "email",
                        "customProperties:",
                        "  - property: pii",
                        "    value: true",
                        "  - property: masking",
                        "    value: hash")
                .property(
                        "note",
                        "customProperties:",
                        "  - property: pii",
                        "    value: true",
                        "  - property: masking",
                        "    value: drop")
                .property(
                        "owner",
                        "properties:",
                        "  - name: name",
                        "    customProperties:",
                        "      - property: pii",
                        "        value: true",
                        "      - property: masking",
                        "        value: redact")
                .compile();
        GenericRecord owner = new GenericData.Record(
                ContractFixture.SCHEMA.getField("owner").schema().getTypes().get(1));
        owner.put("name", "Anna Schmidt");
        GenericRecord r = item().set("note", "call me").set("owner", owner).build();
        Masker masker = new Masker("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8));

        masker.apply(r, c.masks());

        assertThat(r.get("email")).isEqualTo(masker.hash("a.b@example.com"));
        assertThat(masker.hash("a.b@example.com"))
                .isNotEqualTo(
                        new Masker("another-secret-0123456".getBytes(StandardCharsets.UTF_8)).hash("a.b@example.com"));
        assertThat(r.get("note")).isNull();
        assertThat(((GenericRecord) r.get("owner")).get("name")).isEqualTo(Masker.REDACTED);
    }

    @Test
    void compileProblemsNameTheLineAndTheFix() {
        List<Problem> problems = new ArrayList<>();
        contract()
                .property("missing", "required: true")
                .property("id", "logicalTypeOptions:", "  format: ipv6", "  pattern: \"([\"")
                .property("email", "customProperties:", "  - property: pii", "    value: true")
                .property(
                        "count",
                        "customProperties:",
                        "  - property: pii",
                        "    value: true",
                        "  - property: masking",
                        "    value: hash")
                .cel("bad", "record.id ==", "error")
                .cel("typed", "record.count + 1", "error")
                .cel(
                        "typo",
                        "record.cuont > 0 && record.tags.all(t, t.wieght > 0) && record.owner.name.size() > 0",
                        "error")
                .compile(problems);

        assertThat(problems).extracting(Problem::line).allMatch(line -> line > 10);
        assertThat(problems)
                .extracting(Problem::toString)
                .anySatisfy(p -> assertThat(p)
                        .contains("test.odcs.yaml:")
                        .contains("property 'missing' is not in Avro schema t.Item")
                        .contains("fix: name an existing field"));
        assertThat(problems).extracting(Problem::message).anyMatch(m -> m.contains("format 'ipv6' is not supported"));
        assertThat(problems).extracting(Problem::message).anyMatch(m -> m.contains("pattern does not compile"));
        assertThat(problems)
                .extracting(Problem::message)
                .anyMatch(m -> m.contains("PII property 'email' has no masking policy"));
        assertThat(problems)
                .extracting(Problem::message)
                .anyMatch(m -> m.contains("masking 'hash' needs a string field"));
        assertThat(problems).extracting(Problem::message).anyMatch(m -> m.contains("CEL expression does not compile"));
        assertThat(problems)
                .extracting(Problem::message)
                .anySatisfy(m -> assertThat(m)
                        .contains("record.cuont: record t.Item has no field 'cuont'")
                        .contains("record.tags[].wieght: record t.Tag has no field 'wieght'")
                        .doesNotContain("owner.name"));
        assertThat(problems).hasSize(8);
    }
}
