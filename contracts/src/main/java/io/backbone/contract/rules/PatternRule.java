package io.backbone.contract.rules;

import io.backbone.contract.FieldPath;
import io.backbone.contract.Severity;
import io.backbone.contract.Stage;
import java.util.regex.Pattern;

/** A string value matches a regular expression (JSON Schema semantics: found anywhere unless anchored). */
public final class PatternRule extends ValueRule {
    private final Pattern pattern;
    private final FixedPattern fixed;
    private final String what;

    public PatternRule(
            String check, FieldPath field, Pattern pattern, String what, Stage stage, Severity severity, boolean pii) {
        super(check, field, stage, severity, pii);
        this.pattern = pattern;
        this.fixed = pattern.flags() == 0 ? FixedPattern.compile(pattern.pattern()) : null;
        this.what = what;
    }

    /** Java regex constructs RE2 (CEL's matches()) lacks: look-around, back-references, possessive quantifiers. */
    private static final java.util.regex.Pattern NOT_RE2 =
            java.util.regex.Pattern.compile("\\(\\?<?[=!]|\\\\[1-9]|\\\\k<|[*+?}]\\+");

    @Override
    protected Object parameters() {
        return pattern.pattern() + "/" + pattern.flags();
    }

    @Override
    protected String celTest(String v) {
        if (pattern.flags() != 0 || NOT_RE2.matcher(pattern.pattern()).find()) {
            return null;
        }
        // RE2 has no \z: at the very end of the pattern it means the same as $ without a trailing newline
        String regex = pattern.pattern().endsWith("\\z")
                ? pattern.pattern().substring(0, pattern.pattern().length() - 2) + "$"
                : pattern.pattern();
        return v + ".matches(" + quote(regex) + ")";
    }

    @Override
    public String notPortable() {
        return "its pattern /" + pattern.pattern() + "/ uses Java regex features RE2 (CEL's matches()) lacks";
    }

    @Override
    protected String test(Object value) {
        String s = value.toString();
        boolean ok = pattern == UUID
                ? isUuid(s)
                : fixed != null ? fixed.matches(s) : pattern.matcher(s).find();
        return ok ? null : show(value) + " is not " + what;
    }

    /** The {@code format: uuid} pattern, checked by hand: it is on every event id and a regex costs ~10x more. */
    public static final Pattern UUID =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\z");

    private static final boolean[] HEX_DIGIT = new boolean[128];

    static {
        for (char c : "0123456789abcdefABCDEF".toCharArray()) {
            HEX_DIGIT[c] = true;
        }
    }

    static boolean isUuid(String s) {
        if (s.length() != 36
                || s.charAt(8) != '-'
                || s.charAt(13) != '-'
                || s.charAt(18) != '-'
                || s.charAt(23) != '-') {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i != 8 && i != 13 && i != 18 && i != 23 && (c >= 128 || !HEX_DIGIT[c])) {
                return false;
            }
        }
        return true;
    }
}
