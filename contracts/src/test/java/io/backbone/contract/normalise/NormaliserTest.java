package io.backbone.contract.normalise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NormaliserTest {
    static String apply(List<String> kinds, Map<String, String> options, String value) {
        return Normaliser.compile(kinds, options).apply(value);
    }

    @Test
    void countryCodesAreTrimmedAndUpperCased() {
        assertThat(apply(List.of("country"), Map.of(), " de ")).isEqualTo("DE");
        assertThat(apply(List.of("currency"), Map.of(), "eur")).isEqualTo("EUR");
    }

    @Test
    void trimmingAndCodesFollowCelsStringExtensionSoASerializerCanRepeatThem() {
        // Unicode White_Space (as CEL's trim()): no-break and em spaces go, a control character that is none stays
        assertThat(apply(List.of("trim"), Map.of(), "\u00a0EUR\u2003")).isEqualTo("EUR");
        assertThat(apply(List.of("trim"), Map.of(), "EUR\u001f")).isEqualTo("EUR\u001f");
        // ASCII upper-casing (as CEL's upperAscii()): a long s is no S in a currency code
        assertThat(apply(List.of("currency"), Map.of(), "\u017fek")).isEqualTo("\u017fEK");
        assertThat(Normaliser.portableCel(List.of("currency"), "message.currency"))
                .isEqualTo("message.currency.trim().upperAscii()");
        assertThat(Normaliser.portableCel(List.of("trim"), "x")).isEqualTo("x.trim()");
        assertThat(Normaliser.portableCel(List.of("trim", "lower"), "x")).isNull();
        assertThat(Normaliser.portableCel(List.of("phone-e164"), "x")).isNull();
    }

    @Test
    void nationalPhoneNumbersBecomeE164InTheDefaultRegion() {
        assertThat(apply(List.of("phone-e164"), Map.of("phoneRegion", "DE"), "030 1234567"))
                .isEqualTo("+49301234567");
        assertThat(apply(List.of("phone-e164"), Map.of("phoneRegion", "DE"), "+1 650-253-0000"))
                .isEqualTo("+16502530000");
        assertThat(apply(List.of("phone-e164"), Map.of("phoneRegion", "DE"), "not a number"))
                .as("left for the rules")
                .isEqualTo("not a number");
    }

    @Test
    void aRecurringNumberGetsTheSameAnswerAndOneLeftAsItWasStaysTheCallersInstance() {
        Normaliser phone = Normaliser.compile(List.of("phone-e164"), Map.of("phoneRegion", "DE"));
        assertThat(phone.apply("030 1234567")).isEqualTo("+49301234567");
        assertThat(phone.apply("030 1234567")).as("from the recent answers").isEqualTo("+49301234567");
        String bad = new String("12 34".toCharArray());
        String again = new String("12 34".toCharArray());
        assertThat(phone.apply(bad)).isSameAs(bad);
        assertThat(phone.apply(again))
                .as("a recent 'unchanged' is the caller's own instance")
                .isSameAs(again);
        String e164 = "+49301234567";
        assertThat(phone.apply(e164)).isSameAs(e164);
    }

    @Test
    void emailDomainsAreLowerCasedTheLocalPartOnlyWhenThePolicySaysSo() {
        assertThat(apply(List.of("email"), Map.of(), "Anna.Berg@Shop.DE")).isEqualTo("Anna.Berg@shop.de");
        assertThat(apply(List.of("email"), Map.of("emailLocalPart", "lower"), "Anna.Berg@Shop.DE"))
                .isEqualTo("anna.berg@shop.de");
    }

    @Test
    void whitespaceUnicodeAndTimestamps() {
        assertThat(apply(List.of("collapse-whitespace", "trim"), Map.of(), "  Anna   Berg "))
                .isEqualTo("Anna Berg");
        assertThat(apply(List.of("nfc"), Map.of(), "e\u0301")).isEqualTo("\u00e9");
        assertThat(apply(List.of("utc"), Map.of(), "2026-12-01T10:00:00+01:00")).isEqualTo("2026-12-01T09:00:00Z");
    }

    @Test
    void anUnchangedValueIsTheSameInstanceSoACorrectionIsToldByIdentity() {
        String clean = "DE";
        assertThat(apply(List.of("country", "trim", "nfc"), Map.of(), clean)).isSameAs(clean);
    }

    @Test
    void theOrderIsFixedWhateverOrderTheContractWrites() {
        assertThat(apply(List.of("lower", "trim"), Map.of(), "  ABC ")).isEqualTo("abc");
        assertThat(apply(List.of("trim", "lower"), Map.of(), "  ABC ")).isEqualTo("abc");
    }

    @Test
    void unknownNormalisersAndRegionsAreRefusedWithTheFix() {
        assertThatThrownBy(() -> Normaliser.compile(List.of("titlecase"), Map.of()))
                .hasMessageContaining("unknown normaliser 'titlecase'")
                .hasMessageContaining("trim");
        assertThatThrownBy(() -> Normaliser.compile(List.of("phone-e164"), Map.of("phoneRegion", "XX")))
                .hasMessageContaining("phoneRegion 'XX'");
    }
}
