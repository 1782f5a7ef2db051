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

    /** A run of two or more whitespace characters, or one that is not a plain space. */
    Pattern SPACES = Pattern.compile("\\s{2,}|[\\t\\n\\x0B\\f\\r]");

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

    /**
     * The kinds a producer's serializer can apply in CEL before a rule (see {@link #portableCel}): the rest (Unicode
     * case mapping, NFC, e-mail, phone, time zones) have no CEL form that gives the same value.
     */
    List<String> PORTABLE_KINDS = List.of("trim", "country", "currency");

    /**
     * The CEL expression for what {@code kinds} make of the string {@code v} (a CEL expression), using CEL's string
     * extension, which Confluent's executors register; null when a kind has no such form.
     */
    static String portableCel(List<String> kinds, String v) {
        if (!PORTABLE_KINDS.containsAll(kinds)) {
            return null;
        }
        String cel = v + ".trim()";
        return kinds.contains("country") || kinds.contains("currency") ? cel + ".upperAscii()" : cel;
    }

    /**
     * Unicode's White_Space characters, the ones CEL's {@code trim()} removes (Java's {@code strip()} knows a
     * different set: no no-break spaces, but the information separators U+001C to U+001F).
     */
    static boolean isSpace(char c) {
        return c == ' '
                || c >= '\t' && c <= '\r'
                || c == '\u0085'
                || c == '\u00a0'
                || c == '\u1680'
                || c >= '\u2000' && c <= '\u200a'
                || c == '\u2028'
                || c == '\u2029'
                || c == '\u202f'
                || c == '\u205f'
                || c == '\u3000';
    }

    /** {@code v} without leading and trailing {@link #isSpace white space}; {@code v} itself when there is none. */
    static String strip(String v) {
        int start = 0;
        int end = v.length();
        while (start < end && isSpace(v.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(v.charAt(end - 1))) {
            end--;
        }
        return start == 0 && end == v.length() ? v : v.substring(start, end);
    }

    /** ASCII letters upper-cased, every other character kept: codes (ISO 3166, ISO 4217) are ASCII. */
    static String upperAscii(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c >= 'a' && c <= 'z') {
                char[] chars = v.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (chars[j] >= 'a' && chars[j] <= 'z') {
                        chars[j] -= 'a' - 'A';
                    }
                }
                return new String(chars);
            }
        }
        return v;
    }

    private static Normaliser of(String kind, Map<String, String> options) {
        return switch (kind) {
            case "trim" -> Normaliser::strip;
            case "collapse-whitespace" -> Normaliser::collapse;
            case "nfc" -> Normaliser::nfc;
            case "lower" -> v -> same(v, v.toLowerCase(Locale.ROOT));
            case "upper" -> v -> same(v, v.toUpperCase(Locale.ROOT));
            // ASCII only, as CEL's upperAscii(): a non-ASCII letter is no code, and stays for the rules to refuse
            case "country", "currency" -> v -> same(v, upperAscii(strip(v)));
            case "email" -> email("lower".equals(options.get("emailLocalPart")));
            case "phone-e164" -> Phones.e164(options.get("phoneRegion"));
            case "utc" -> Normaliser::utc;
            default -> throw new IllegalStateException(kind);
        };
    }

    /** Runs of whitespace to one space; a value with single spaces only is returned without a regex. */
    private static String collapse(String v) {
        int n = v.length();
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (Character.isWhitespace(c) && (c != ' ' || i + 1 < n && Character.isWhitespace(v.charAt(i + 1)))) {
                return same(v, SPACES.matcher(v).replaceAll(" "));
            }
        }
        return v;
    }

    /** Unicode NFC; characters below U+0300 are NFC whatever follows none, so such a value is returned at once. */
    private static String nfc(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) >= '\u0300') {
                return Normalizer.isNormalized(v, Normalizer.Form.NFC)
                        ? v
                        : Normalizer.normalize(v, Normalizer.Form.NFC);
            }
        }
        return v;
    }

    private static String same(String before, String after) {
        return after.equals(before) ? before : after;
    }

    private static Normaliser email(boolean lowerLocalPart) {
        return v -> {
            int at = v.lastIndexOf('@');
            if (at <= 0 || canonical(v, lowerLocalPart ? 0 : at)) {
                return v;
            }
            String s = strip(v);
            at = s.lastIndexOf('@');
            if (at <= 0) {
                return v;
            }
            String local = lowerLocalPart ? s.substring(0, at).toLowerCase(Locale.ROOT) : s.substring(0, at);
            return same(v, local + "@" + s.substring(at + 1).toLowerCase(Locale.ROOT));
        };
    }

    /** Whether {@code v} has no surrounding whitespace and no upper-case letter from {@code from} on. */
    private static boolean canonical(String v, int from) {
        int n = v.length();
        if (n == 0 || isSpace(v.charAt(0)) || isSpace(v.charAt(n - 1))) {
            return false;
        }
        for (int i = from; i < n; i++) {
            char c = v.charAt(i);
            if (c >= 'A' && c <= 'Z' || c > 0x7f && Character.isUpperCase(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * An ISO-8601 timestamp with an offset, rewritten in UTC ({@code Z}); one already in UTC stays as written, anything
     * else is left to the rules.
     */
    private static String utc(String v) {
        int n = v.length();
        if (n > 0 && (v.charAt(n - 1) == 'Z' || v.charAt(n - 1) == 'z') && !isSpace(v.charAt(0))) {
            return v;
        }
        try {
            String z = OffsetDateTime.parse(strip(v)).toInstant().toString();
            return same(v, z);
        } catch (DateTimeParseException e) {
            try {
                return same(v, Instant.parse(strip(v)).toString());
            } catch (DateTimeParseException notATimestamp) {
                return v;
            }
        }
    }
}
