package io.backbone.contract;

import static io.backbone.contract.ContractFixture.contract;
import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.catalog.Problem;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

/** Corrections declared in a contract, compiled against its Avro schema and applied to decoded records. */
class ContractCorrectionsTest {

    static GenericRecord item(String id, String email, String... tagCodes) {
        Schema tag = ContractFixture.SCHEMA.getField("tags").schema().getElementType();
        GenericRecord r = new GenericData.Record(ContractFixture.SCHEMA);
        r.put("id", new Utf8(id));
        r.put("email", email == null ? null : new Utf8(email));
        r.put("count", 1);
        r.put("price", 1.0);
        List<GenericRecord> tags = new ArrayList<>();
        for (String code : tagCodes) {
            GenericRecord t = new GenericData.Record(tag);
            t.put("code", new Utf8(code));
            t.put("weight", 1L);
            tags.add(t);
        }
        r.put("tags", tags);
        return r;
    }

    @Test
    void correctionsAreCompiledPerPropertyAndChangeOnlyWhatNeedsIt() {
        CompiledContract c = contract()
                .property(
                        "email",
                        "logicalType: string",
                        "customProperties:",
                        "  - {property: normalise, value: [trim, email]}",
                        "  - {property: emailLocalPart, value: lower}")
                .property(
                        "tags",
                        "logicalType: array",
                        "items:",
                        "  logicalType: object",
                        "  properties:",
                        "    - name: code",
                        "      logicalType: string",
                        "      customProperties:",
                        "        - {property: normalise, value: upper}")
                .compile();

        assertThat(c.corrections()).extracting(Correction::property).containsExactly("email", "tags[].code");

        GenericRecord dirty = item("1", " Anna.Berg@Shop.DE ", "a", "B");
        Object untouchedTag = ((GenericRecord) ((List<?>) dirty.get("tags")).get(1)).get("code");
        assertThat(c.corrections().get(0).apply(dirty)).isTrue();
        assertThat(c.corrections().get(1).apply(dirty)).isTrue();
        assertThat(dirty.get("email")).hasToString("anna.berg@shop.de");
        List<?> tags = (List<?>) dirty.get("tags");
        assertThat(((GenericRecord) tags.get(0)).get("code")).hasToString("A");
        assertThat(((GenericRecord) tags.get(1)).get("code"))
                .as("a value already canonical stays the decoder's own object")
                .isSameAs(untouchedTag);

        GenericRecord clean = item("2", "anna.berg@shop.de", "A");
        Object email = clean.get("email");
        assertThat(c.corrections().get(0).apply(clean)).isFalse();
        assertThat(c.corrections().get(1).apply(clean)).isFalse();
        assertThat(clean.get("email")).isSameAs(email);

        GenericRecord none = item("3", null);
        assertThat(c.corrections().get(0).apply(none)).as("null stays null").isFalse();
        assertThat(none.get("email")).isNull();
    }

    @Test
    void everyMistakeIsAProblemNamingThePropertyAndTheFix() {
        List<Problem> problems = new ArrayList<>();
        CompiledContract c = contract()
                .property(
                        "count",
                        "logicalType: integer",
                        "customProperties:",
                        "  - {property: normalise, value: [trim]}")
                .property(
                        "note",
                        "logicalType: string",
                        "customProperties:",
                        "  - {property: normalise, value: [lower, upper, soundex]}",
                        "  - {property: phoneRegion, value: DE}")
                .property(
                        "email", "logicalType: string", "customProperties:", "  - {property: normalize, value: [trim]}")
                .property(
                        "id",
                        "logicalType: string",
                        "customProperties:",
                        "  - {property: normalise, value: [phone-e164]}",
                        "  - {property: phoneRegion, value: Germany}")
                .compile(problems);

        assertThat(c).isNull();
        assertThat(problems).allSatisfy(p -> {
            assertThat(p.policy()).isEqualTo("normalise");
            assertThat(p.field()).endsWith(".customProperties");
            assertThat(p.fix()).isNotBlank();
        });
        assertThat(problems)
                .extracting(p -> p.message() + " | " + p.fix())
                .anySatisfy(m -> assertThat(m).contains("need a string field; 'count' is an Avro int"))
                .anySatisfy(m ->
                        assertThat(m).contains("unknown normaliser 'soundex'").contains("use one of [trim"))
                .anySatisfy(m -> assertThat(m).contains("'note' declares both lower and upper"))
                .anySatisfy(m -> assertThat(m).contains("'note' sets phoneRegion but does not declare phone-e164"))
                .anySatisfy(m -> assertThat(m).contains("'normalize'").contains("spell it normalise"))
                .anySatisfy(m -> assertThat(m).contains("phoneRegion 'Germany'").contains("ISO 3166 alpha-2"));
    }

    @Test
    void aTimestampOnlyGoesToUtcWhenItIsAString() {
        CompiledContract c = contract()
                .property("note", "logicalType: string", "customProperties:", "  - {property: normalise, value: [utc]}")
                .compile();
        GenericRecord r = item("1", null);
        r.put("note", new Utf8("2026-12-01T10:00:00+01:00"));

        assertThat(c.corrections().get(0).apply(r)).isTrue();
        assertThat(r.get("note")).hasToString("2026-12-01T09:00:00Z");
        assertThat(c.corrections().get(0).apply(r)).as("already UTC").isFalse();
    }
}
