package io.usersync.common;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import io.usersync.common.error.DomainException;
import java.text.Normalizer;

/**
 * The one rule for human-readable names (MSPs, client accounts, users' first and last names): trimmed, NFC
 * normalised, not blank, at most a number of characters (code points, as MySQL's {@code VARCHAR(n)} counts
 * them), and free of characters that cannot be stored or displayed faithfully: controls (NUL included), lone
 * surrogates, unassigned code points, non-characters, and the bidirectional overrides and isolates that make
 * text render differently from how it is stored (U+202A–U+202E, U+2066–U+2069). Joiners (U+200C/U+200D) and
 * combining marks stay allowed because real names in several scripts need them, but a name must show something:
 * one made only of {@linkplain #invisible invisible} characters, combining marks and spaces is refused.
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
        if (stripped.codePoints().allMatch(cp -> invisible(cp) || isMark(cp) || Character.isWhitespace(cp)
                || Character.isSpaceChar(cp))) {
            throw DomainException.invalidField(field, "must contain a visible character (not only invisible "
                    + "characters or combining marks)");
        }
        String normalized = Normalizer.normalize(stripped, Normalizer.Form.NFC);
        if (normalized.codePointCount(0, normalized.length()) > maxLength) {
            throw DomainException.invalidField(field, "must be at most " + maxLength + " characters");
        }
        return normalized;
    }

    /**
     * Whether a code point shows nothing by itself: Unicode default-ignorable code points (zero-width space,
     * joiners, soft hyphen, variation selectors, Hangul fillers, …), other format characters (Cf) and the blank
     * Braille pattern U+2800. The one definition for names and email addresses.
     */
    public static boolean invisible(int cp) {
        return UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT)
                || UCharacter.getType(cp) == UCharacter.FORMAT || cp == 0x2800;
    }

    /** Whether a code point is a combining mark (Mn, Mc, Me), which needs a base character to show. */
    public static boolean isMark(int cp) {
        int type = UCharacter.getType(cp);
        return type == UCharacter.NON_SPACING_MARK || type == UCharacter.COMBINING_SPACING_MARK
                || type == UCharacter.ENCLOSING_MARK;
    }

    static boolean unacceptable(int cp) {
        int type = Character.getType(cp);
        return Character.isISOControl(cp) || type == Character.SURROGATE || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)
                || (cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF) || cp == 0x2028 || cp == 0x2029;
    }
}
