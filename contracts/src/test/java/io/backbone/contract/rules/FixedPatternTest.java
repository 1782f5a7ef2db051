package io.backbone.contract.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FixedPatternTest {
    static final List<String> FIXED = List.of(
            "^[A-Z]{3}$",
            "^[A-Z]{3}-[0-9]{4}$", "^\\d{2}[a-f-]x$", "^ab_c:@$", "^[A-Z-]{2}\\.$", "^[-a]Z$", "^$", "^Z{0}a$");

    static final List<String> OTHER =
            List.of("^[A-Z]+$", "[A-Z]{3}", "^(a|b)$", "^[^a]$", "^a{1,3}$", "^\\w$", "^a b$", "^[a&&b]$", "^a$|^b$");

    @Test
    void answersExactlyAsJavaRegexFind() {
        Random random = new Random(5);
        String alphabet = "AZQaxz09-._:@\n\r\u2028\u0085é ";
        int matched = 0;
        for (String regex : FIXED) {
            FixedPattern fixed = FixedPattern.compile(regex);
            assertThat(fixed).as(regex).isNotNull();
            Pattern pattern = Pattern.compile(regex);
            for (int n = 0; n < 20_000; n++) {
                StringBuilder s = new StringBuilder();
                int length = random.nextInt(10);
                for (int i = 0; i < length; i++) {
                    s.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                String text = n % 4 == 0 ? sample(regex, random) + (n % 8 == 0 ? "\n" : "") : s.toString();
                boolean expected = pattern.matcher(text).find();
                assertThat(fixed.matches(text)).as("%s on '%s'", regex, text).isEqualTo(expected);
                matched += expected ? 1 : 0;
            }
        }
        assertThat(matched).as("the samples exercise matches too").isGreaterThan(10_000);
    }

    @Test
    void leavesEveryOtherShapeToJavaRegex() {
        for (String regex : OTHER) {
            assertThat(FixedPattern.compile(regex)).as(regex).isNull();
        }
    }

    /** A string the pattern matches, for the fixed patterns above (built by picking one member per position). */
    private static String sample(String regex, Random random) {
        return switch (regex) {
            case "^[A-Z]{3}$" -> "" + up(random) + up(random) + up(random);
            case "^[A-Z]{3}-[0-9]{4}$" ->
                "" + up(random) + up(random) + up(random) + "-" + (1000 + random.nextInt(9000));
            case "^\\d{2}[a-f-]x$" ->
                "" + random.nextInt(10) + random.nextInt(10) + "abcdef-".charAt(random.nextInt(7)) + "x";
            case "^ab_c:@$" -> "ab_c:@";
            case "^[A-Z-]{2}\\.$" -> "" + up(random) + "-" + ".";
            case "^[-a]Z$" -> (random.nextBoolean() ? "-" : "a") + "Z";
            case "^Z{0}a$" -> "a";
            default -> "";
        };
    }

    private static char up(Random random) {
        return (char) ('A' + random.nextInt(26));
    }
}
