package io.usersync.common;

import io.usersync.common.error.DomainException;
import java.text.Normalizer;

/**
 * The one rule for human-readable names (MSPs, client accounts, users' first and last names): trimmed, NFC
 * normalised, not blank, at most a number of characters (code points, as MySQL's {@code VARCHAR(n)} counts
 * them), and free of characters that cannot be stored or displayed faithfully: controls (NUL included), lone
 * surrogates, unassigned code points, non-characters, and the bidirectional overrides and isolates that make
 * text render differently from how it is stored (U+202A–U+202E, U+2066–U+2069). Joiners (U+200C/U+200D) and
 * combining marks stay allowed because real names in several scripts need them.
 */
public final class Text {

    private Text() {
    }

    /** The name as stored, or a refusal naming {@code field}. */
    public static String requireName(String value, String field, int maxLength) {
        if (value == null || value.isBlank()) {
            throw DomainException.invalidField(field, "must not be blank");
        }
        if (value.length() > maxLength * 4) {
            // cheap guard before normalising megabytes of text
            throw DomainException.invalidField(field, "must be at most " + maxLength + " characters");
        }
        String stripped = value.strip();
        int bad = stripped.codePoints().filter(Text::unacceptable).findFirst().orElse(-1);
        if (bad >= 0) {
            throw DomainException.invalidField(field, String.format(
                    "must not contain control, unassigned or bidirectional-override characters (U+%04X)", bad));
        }
        String normalized = Normalizer.normalize(stripped, Normalizer.Form.NFC);
        if (normalized.codePointCount(0, normalized.length()) > maxLength) {
            throw DomainException.invalidField(field, "must be at most " + maxLength + " characters");
        }
        return normalized;
    }

    static boolean unacceptable(int cp) {
        int type = Character.getType(cp);
        return Character.isISOControl(cp) || type == Character.SURROGATE || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)
                || (cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF) || cp == 0x2028 || cp == 0x2029;
    }
}
