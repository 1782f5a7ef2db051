package io.backbone.contract.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PatternRuleTest {
    @Test
    void theHandWrittenUuidCheckAgreesWithTheRegex() {
        Random random = new Random(7);
        String alphabet = "0123456789abcdefABCDEFgG-xz \n";
        int valid = 0;
        for (int n = 0; n < 50_000; n++) {
            String s;
            if (n % 3 == 0) {
                s = UUID.randomUUID().toString();
            } else {
                char[] chars =
                        (n % 2 == 0 ? UUID.randomUUID().toString() : "x".repeat(30 + random.nextInt(10))).toCharArray();
                chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
                s = new String(chars) + (random.nextInt(20) == 0 ? "\n" : "");
            }
            boolean regex = PatternRule.UUID.matcher(s).find();
            assertThat(PatternRule.isUuid(s)).as("'%s'", s).isEqualTo(regex);
            valid += regex ? 1 : 0;
        }
        assertThat(valid).isBetween(16_000, 40_000);
    }
}
