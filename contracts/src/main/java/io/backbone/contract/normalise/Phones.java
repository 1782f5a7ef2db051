package io.backbone.contract.normalise;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

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
        return v -> {
            if (e164Shaped(v)) {
                return v; // a valid number in E.164 formats to itself, an invalid one is left as it is: no parse
            }
            try {
                Phonenumber.PhoneNumber n = UTIL.parse(v, defaultRegion);
                if (!UTIL.isValidNumber(n)) {
                    return v;
                }
                String e164 = UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164);
                return e164.equals(v) ? v : e164;
            } catch (NumberParseException e) {
                return v;
            }
        };
    }
}
