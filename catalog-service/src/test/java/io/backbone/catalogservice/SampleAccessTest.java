package io.backbone.catalogservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbone.catalogservice.access.Authenticator;
import io.backbone.catalogservice.access.Logins;
import io.backbone.catalogservice.access.TokenVerifier;
import io.backbone.catalogservice.access.Viewer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who sees a product's sample, and what of it: PII of any contract the product derives from is withheld. */
class SampleAccessTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A product of audience domain whose contract leaves the raw contract's e-mail undeclared, hashing the name. */
    static JsonNode product() throws Exception {
        return JSON.readTree("""
                {"id": "customers", "productTopic": "customers.product.customers.v1", "outputContractId": "out",
                 "descriptor": {"customProperties": [{"property": "consumers", "value": ["fulfilment"]}]},
                 "contracts": {
                   "raw": {"document": {"schema": [{"properties": [
                     {"name": "email", "customProperties": [{"property": "pii", "value": true},
                                                            {"property": "masking", "value": "hash"}]},
                     {"name": "address", "properties": [
                       {"name": "street", "customProperties": [{"property": "pii", "value": true}]}]}]}]}},
                   "out": {"document": {"roles": [{"role": "marketing", "access": "read"}],
                     "schema": [{"properties": [
                       {"name": "email"},
                       {"name": "name", "customProperties": [{"property": "pii", "value": true},
                                                             {"property": "masking", "value": "hash"}]}]}]}}}}
                """);
    }

    @Test
    void everyFieldThatIsPiiInAnyContractOfTheProductIsWithheldUnlessTheProductMasksIt() throws Exception {
        ObjectNode value = (ObjectNode) JSON.readTree(
                "{\"email\": \"jane@example.com\", \"name\": \"a1b2c3\", \"address\": {\"street\": \"Main St 1\","
                        + " \"city\": \"Berlin\"}}");

        ClusterView.withhold(value, Products.piiAcrossContracts(product()));

        assertThat(value.path("email").asText()).isEqualTo("‹withheld: PII›");
        assertThat(value.path("address").path("street").asText()).isEqualTo("‹withheld: PII›");
        assertThat(value.path("address").path("city").asText()).isEqualTo("Berlin");
        assertThat(value.path("name").asText()).as("hashed by the product").isEqualTo("a1b2c3");
    }

    @Test
    void aSampleIsForTheProductsReadersAndAdminOnlyWhenTheCatalogRequiresALogin() throws Exception {
        JsonNode p = product();
        assertThat(Viewer.readers(p)).containsExactlyInAnyOrder("fulfilment", "marketing");
        assertThat(new Viewer("fulfilment").mayRead(p)).isTrue();
        assertThat(new Viewer("marketing").mayRead(p)).isTrue();
        assertThat(new Viewer("admin").mayRead(p)).isTrue();
        assertThat(new Viewer("finance-reporting").mayRead(p)).isFalse();
        assertThat(Viewer.OPEN.mayRead(p)).isTrue();
    }

    @Test
    void aBearerTokenIsCheckedByTheInstalledVerifiersAndBasicLoginsByTheBasicOne() {
        Authenticator basic = new Authenticator() {
            @Override
            public String principal(String authorization) {
                return "Basic ZnVsZmlsbWVudDpwdw==".equals(authorization) ? "fulfilment" : null;
            }

            @Override
            public String challenge() {
                return "Basic realm=\"backbone catalog\"";
            }
        };
        TokenVerifier idp = token -> token.equals("valid-token-of-marketing") ? "marketing" : null;
        Logins logins = new Logins(basic, List.of(idp));

        assertThat(logins.principal("Bearer valid-token-of-marketing")).isEqualTo("marketing");
        assertThat(logins.principal("Bearer expired")).isNull();
        assertThat(logins.principal("Basic ZnVsZmlsbWVudDpwdw==")).isEqualTo("fulfilment");
        assertThat(logins.principal(null)).isNull();
        assertThat(logins.challenge()).contains("Basic").contains("Bearer");
        assertThat(new Logins(basic, List.of()).challenge()).doesNotContain("Bearer");
    }
}
