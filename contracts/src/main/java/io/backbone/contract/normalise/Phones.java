package io.backbone.contract.normalise;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Phone numbers to E.164 with Google's libphonenumber, national numbers read in a default region. */
final class Phones {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private Phones() {}

    private static boolean e164Shaped(String v) {
        int n = v.length();
        if (n < 2 || v.charAt(0) != '+') {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** A normaliser to E.164 for numbers of {@code region} (ISO 3166 alpha-2, e.g. DE) or written with their +code. */
    static Normaliser e164(String region) {
        if (region != null && !UTIL.getSupportedRegions().contains(region)) {
            throw new IllegalArgumentException("phoneRegion '" + region
                    + "' is not a region libphonenumber knows; give an ISO 3166 alpha-2 code such as DE or US");
        }
        String defaultRegion = region == null ? "ZZ" : region;
        // parsing a number costs ~7-9 µs (libphonenumber's patterns); a customer's number recurs with every event about
        // them, so recent answers are kept, bounded, per property
        Map<String, String> recent = new ConcurrentHashMap<>();
        return v -> {
            if (e164Shaped(v)) {
                return v; // a valid number in E.164 formats to itself, an invalid one is left as it is: no parse
            }
            String known = recent.get(v);
            if (known != null) {
                return known == UNCHANGED ? v : known;
            }
            String e164 = parse(v, defaultRegion);
            if (recent.size() >= RECENT) {
                recent.clear();
            }
            recent.put(v, e164 == null ? UNCHANGED : e164);
            return e164 == null ? v : e164;
        };
    }

    private static final int RECENT = 10_000;

    /** Stands for "left as it was" in the recent answers (compared by identity). */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String UNCHANGED = new String("(unchanged)");

    /** The E.164 form of a valid number, or null when it is not one or is already written so. */
    private static String parse(String v, String region) {
        try {
            Phonenumber.PhoneNumber n = UTIL.parse(v, region);
            if (!UTIL.isValidNumber(n)) {
                return null;
            }
            String e164 = UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164);
            return e164.equals(v) ? null : e164;
        } catch (NumberParseException e) {
            return null;
        }
    }
}
