package io.backbone.contract.rules;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * An anchored, fixed-length regular expression ({@code ^[A-Z]{3}-[0-9]{4}$}: literals, escaped literals, {@code \d},
 * {@code .}-free character classes with ranges, each optionally repeated {@code {n}} times) matched by checking each
 * character against its class: no matcher allocated, no backtracking. Most contract patterns (codes, SKUs,
 * currencies) have this shape; {@link #compile} returns null for any other, which keeps {@link java.util.regex}.
 *
 * <p>It answers exactly as {@code Pattern.compile(regex).matcher(s).find()} does, including Java's {@code $}, which
 * also matches before one final line terminator.
 */
final class FixedPattern {
    private final BitSet[] positions;

    private FixedPattern(BitSet[] positions) {
        this.positions = positions;
    }

    /** The fixed-length matcher of {@code regex}, or null when it has another shape. */
    static FixedPattern compile(String regex) {
        if (!regex.startsWith("^") || !regex.endsWith("$") || regex.endsWith("\\$") || regex.length() < 2) {
            return null;
        }
        String body = regex.substring(1, regex.length() - 1);
        List<BitSet> positions = new ArrayList<>();
        int i = 0;
        while (i < body.length()) {
            BitSet atom = new BitSet(128);
            char c = body.charAt(i);
            if (c == '[') {
                int close = body.indexOf(']', i + 1);
                if (close < 0 || !characterClass(body.substring(i + 1, close), atom)) {
                    return null;
                }
                i = close + 1;
            } else if (c == '\\') {
                if (i + 1 >= body.length()) {
                    return null;
                }
                char e = body.charAt(i + 1);
                if (e == 'd') {
                    atom.set('0', '9' + 1);
                } else if ("-.^$|?*+()[]{}\\/".indexOf(e) >= 0) {
                    atom.set(e);
                } else {
                    return null;
                }
                i += 2;
            } else if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == ':' || c == '@') {
                atom.set(c);
                i++;
            } else {
                return null;
            }
            int repeat = 1;
            if (i < body.length() && body.charAt(i) == '{') {
                int close = body.indexOf('}', i);
                if (close < 0) {
                    return null;
                }
                String count = body.substring(i + 1, close);
                if (!count.matches("[0-9]{1,3}")) {
                    return null; // ranges {n,m} need backtracking: left to java.util.regex
                }
                repeat = Integer.parseInt(count);
                i = close + 1;
            }
            if (i < body.length() && "?*+{".indexOf(body.charAt(i)) >= 0) {
                return null;
            }
            for (int r = 0; r < repeat; r++) {
                positions.add(atom);
            }
        }
        return new FixedPattern(positions.toArray(BitSet[]::new));
    }

    /** Ranges and single ASCII characters; negation, escapes and nested classes are left to java.util.regex. */
    private static boolean characterClass(String spec, BitSet into) {
        if (spec.isEmpty() || spec.startsWith("^")) {
            return false;
        }
        for (int i = 0; i < spec.length(); i++) {
            char from = spec.charAt(i);
            if (from == '\\' || from == '[' || from == '&' || from < 0x20 || from >= 128) {
                return false;
            }
            if (i + 2 < spec.length() && spec.charAt(i + 1) == '-') {
                char to = spec.charAt(i + 2);
                if (to == '\\' || to == '[' || to == '&' || to >= 128 || to < from) {
                    return false;
                }
                into.set(from, to + 1);
                i += 2;
            } else {
                into.set(from);
            }
        }
        return true;
    }

    boolean matches(String s) {
        int n = positions.length;
        if (s.length() == n) {
            return matchesPrefix(s);
        }
        // Java's $ also matches before a line terminator that ends the input
        if (s.length() == n + 1 && isLineTerminator(s.charAt(n))
                || s.length() == n + 2 && s.charAt(n) == '\r' && s.charAt(n + 1) == '\n') {
            return matchesPrefix(s);
        }
        return false;
    }

    private boolean matchesPrefix(String s) {
        for (int i = 0; i < positions.length; i++) {
            char c = s.charAt(i);
            if (c >= 128 || !positions[i].get(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLineTerminator(char c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }
}
