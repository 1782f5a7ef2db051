package io.backbone.contract.normalise;

import java.text.Normalizer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A correction a contract declares for one string property, compiled once when the catalog loads and applied to each
 * record before its rules are checked: decode → normalise → check rules → dedup → mask → encode. A normaliser returns
 * the value unchanged (the same instance) when there is nothing to correct, so the caller can tell a correction by
 * identity, without comparing strings. It never throws on a value it cannot correct: it leaves it for the rules.
 *
 * <p>Declared in ODCS as a custom property of the property: {@code customProperties: [{property: normalise, value:
 * [trim, lower]}]}; the phone normaliser takes its default region from {@code {property: phoneRegion, value: DE}},
 * the e-mail normaliser lowers the local part only with {@code {property: emailLocalPart, value: lower}}.
 */
@FunctionalInterface
public interface Normaliser {
    String apply(String value);

    /** The normalisers a contract may name, in the order they are always applied (whatever order is written). */
    List<String> KINDS = List.of(
            "trim",
            "collapse-whitespace",
            "nfc",
            "lower",
            "upper",
            "email",
            "country",
            "currency",
            "phone-e164",
            "utc");

    Pattern SPACES = Pattern.compile("\\s{2,}");

    /** {@code a} then {@code b}, keeping "unchanged" as identity. */
    default Normaliser then(Normaliser b) {
        return v -> b.apply(apply(v));
    }

    /**
     * Compiles the declared {@code kinds} (any order; applied in {@link #KINDS} order) with their {@code options}
     * ({@code phoneRegion}, {@code emailLocalPart}). Throws {@link IllegalArgumentException} naming an unknown kind or
     * option value and the fix.
     */
    static Normaliser compile(List<String> kinds, Map<String, String> options) {
        for (String k : kinds) {
            if (!KINDS.contains(k)) {
                throw new IllegalArgumentException("unknown normaliser '" + k + "'; use one of " + KINDS);
            }
        }
        List<Normaliser> steps = new ArrayList<>();
        for (String k : KINDS) {
            if (kinds.contains(k)) {
                steps.add(of(k, options));
            }
        }
        Normaliser all = v -> v;
        for (Normaliser step : steps) {
            all = all.then(step);
        }
        return all;
    }

    private static Normaliser of(String kind, Map<String, String> options) {
        return switch (kind) {
            case "trim" -> String::strip;
            case "collapse-whitespace" ->
                v -> {
                    String once = SPACES.matcher(v).replaceAll(" ");
                    return once.equals(v) ? v : once;
                };
            case "nfc" ->
                v -> Normalizer.isNormalized(v, Normalizer.Form.NFC) ? v : Normalizer.normalize(v, Normalizer.Form.NFC);
            case "lower" -> v -> same(v, v.toLowerCase(Locale.ROOT));
            case "upper" -> v -> same(v, v.toUpperCase(Locale.ROOT));
            case "country", "currency" -> v -> same(v, v.strip().toUpperCase(Locale.ROOT));
            case "email" -> email("lower".equals(options.get("emailLocalPart")));
            case "phone-e164" -> Phones.e164(options.get("phoneRegion"));
            case "utc" -> Normaliser::utc;
            default -> throw new IllegalStateException(kind);
        };
    }

    private static String same(String before, String after) {
        return after.equals(before) ? before : after;
    }

    private static Normaliser email(boolean lowerLocalPart) {
        return v -> {
            String s = v.strip();
            int at = s.lastIndexOf('@');
            if (at <= 0) {
                return v;
            }
            String local = lowerLocalPart ? s.substring(0, at).toLowerCase(Locale.ROOT) : s.substring(0, at);
            return same(v, local + "@" + s.substring(at + 1).toLowerCase(Locale.ROOT));
        };
    }

    /** An ISO-8601 timestamp with an offset, rewritten in UTC ({@code Z}); anything else is left to the rules. */
    private static String utc(String v) {
        try {
            String z = OffsetDateTime.parse(v.strip()).toInstant().toString();
            return same(v, z);
        } catch (DateTimeParseException e) {
            try {
                return same(v, Instant.parse(v.strip()).toString());
            } catch (DateTimeParseException notATimestamp) {
                return v;
            }
        }
    }
}
