package io.usersync.directory;

import com.ibm.icu.text.IDNA;
import com.ibm.icu.text.SpoofChecker;
import io.usersync.common.Text;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A validated email address. Accepts internationalised addresses (RFC 6531): a UTF-8 local part and an IDN
 * domain in Unicode or punycode form. {@link #key()} is the comparison key: the local part lower-cased, the
 * domain in lower-case ASCII, so {@code Anna@BÜCHER.de} and {@code anna@xn--bcher-kva.de} are the same user.
 *
 * <p>Domains follow UTS #46 (ICU4J), non-transitional as browsers and registries do today, not the JDK's
 * IDNA2003: {@code faße.example} is {@code xn--fae-6ka.example}, a different domain from {@code fasse.example}.
 *
 * <p>Refused, anywhere in the address: invisible characters — Unicode default-ignorable code points (zero-width
 * space, joiners ZWJ/ZWNJ, soft hyphen, variation selectors, Hangul fillers, bidirectional controls, …), other
 * format characters and blank-looking symbols ({@code U+2800}) — because two addresses that look the same must
 * not be two users, and IDNA would silently drop some of them; and a local part that starts with a combining
 * mark (a mark with no base: a part made only of marks included).
 *
 * <p>{@link #skeleton()} is the UTS #39 confusable skeleton (ICU {@link SpoofChecker}): two addresses with the
 * same skeleton look alike ({@code paypal@x} and {@code pаypal@x} with a Cyrillic а). Callers warn about such
 * pairs; they are not refused, because both may be real.
 */
public record EmailAddress(String value, String key) {

    public static final int MAX_LENGTH = 254;
    private static final int MAX_LOCAL_LENGTH = 64;
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    /** UTS #46 non-transitional processing with the STD3 host-name rules and the bidi and joiner checks. */
    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.USE_STD3_RULES | IDNA.CHECK_BIDI
            | IDNA.CHECK_CONTEXTJ | IDNA.CHECK_CONTEXTO | IDNA.NONTRANSITIONAL_TO_ASCII
            | IDNA.NONTRANSITIONAL_TO_UNICODE);

    private static final SpoofChecker CONFUSABLES = new SpoofChecker.Builder().setChecks(SpoofChecker.CONFUSABLE)
            .build();

    /** Parses and validates; the empty optional means "not an email address". */
    public static Optional<EmailAddress> parse(String raw) {
        return raw == null ? Optional.empty() : Optional.ofNullable(check(raw.strip()).address());
    }

    /** Like {@link #parse} but explains the refusal, for error messages; null when the address is valid. */
    public static String whyInvalid(String raw) {
        if (raw == null || raw.isBlank()) {
            return "must not be blank";
        }
        return check(raw.strip()).refusal();
    }

    /** An address, or why the text is none. */
    private record Checked(EmailAddress address, String refusal) {
        static Checked no(String refusal) {
            return new Checked(null, refusal);
        }
    }

    private static Checked check(String text) {
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            return Checked.no("must be a valid email address of at most " + MAX_LENGTH + " characters");
        }
        int invisible = firstInvisible(text);
        if (invisible >= 0) {
            return Checked.no(String.format("must not contain invisible characters (U+%04X)", invisible));
        }
        String normalized = Normalizer.normalize(text, Normalizer.Form.NFC);
        int at = normalized.lastIndexOf('@');
        if (at <= 0 || at == normalized.length() - 1) {
            return Checked.no("must be a valid email address");
        }
        String local = normalized.substring(0, at);
        if (startsWithMark(local)) {
            return Checked.no("must not start with a combining mark");
        }
        String domain = validLocalPart(local) ? asciiDomain(normalized.substring(at + 1)) : null;
        if (domain == null) {
            return Checked.no("must be a valid email address");
        }
        String key = local.toLowerCase(Locale.ROOT) + "@" + domain;
        if (key.length() > MAX_LENGTH) {
            return Checked.no("must be a valid email address of at most " + MAX_LENGTH + " characters");
        }
        return new Checked(new EmailAddress(normalized, key), null);
    }

    /** The first {@linkplain Text#invisible invisible} code point of {@code text}, or -1. */
    public static int firstInvisible(CharSequence text) {
        for (int i = 0; i < text.length(); ) {
            int cp = Character.codePointAt(text, i);
            if (cp >= 0x80 && Text.invisible(cp)) {
                return cp;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }

    private static boolean startsWithMark(String local) {
        return Text.isMark(local.codePointAt(0));
    }

    /** Dot-atom local part; non-ASCII letters, digits and marks allowed, controls, spaces and quoted forms refused. */
    private static boolean validLocalPart(String local) {
        if (local.isEmpty() || local.length() > MAX_LOCAL_LENGTH || local.startsWith(".") || local.endsWith(".")
                || local.contains("..")) {
            return false;
        }
        for (int i = 0; i < local.length(); ) {
            int cp = local.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                boolean ok = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')
                        || cp == '.' || ATEXT_SPECIALS.indexOf(cp) >= 0;
                if (!ok) {
                    return false;
                }
            } else if (!Character.isLetterOrDigit(cp) && Character.getType(cp) != Character.NON_SPACING_MARK
                    && Character.getType(cp) != Character.COMBINING_SPACING_MARK) {
                return false;
            }
        }
        return true;
    }

    /** Results of {@link #computeAsciiDomain} ("" for invalid); a sync sees the same few domains 100,000 times. */
    private static final Map<String, String> DOMAINS = new ConcurrentHashMap<>();
    private static final int DOMAINS_KEPT = 10_000;

    /** The domain in lower-case ASCII, or null when it is not a valid host name with at least two labels. */
    static String asciiDomain(String domain) {
        String known = DOMAINS.get(domain);
        if (known == null) {
            String computed = computeAsciiDomain(domain);
            known = computed == null ? "" : computed;
            if (DOMAINS.size() >= DOMAINS_KEPT) {
                DOMAINS.clear();
            }
            DOMAINS.put(domain, known);
        }
        return known.isEmpty() ? null : known;
    }

    private static String computeAsciiDomain(String domain) {
        if (domain.endsWith(".") || domain.startsWith(".") || domain.contains("..") || firstInvisible(domain) >= 0) {
            return null;
        }
        IDNA.Info info = new IDNA.Info();
        // UTS #46 maps case, width and ideographic full stops, validates punycode labels, and checks bidi/joiners
        String ascii = UTS46.nameToASCII(domain, new StringBuilder(), info).toString().toLowerCase(Locale.ROOT);
        if (info.hasErrors() || ascii.isEmpty() || ascii.length() > 253) {
            return null;
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            return null;
        }
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return null;
            }
        }
        String tld = labels[labels.length - 1];
        return tld.chars().allMatch(Character::isDigit) ? null : ascii;
    }

    /** The lower-case ASCII domain of this address. */
    public String domainKey() {
        return key.substring(key.lastIndexOf('@') + 1);
    }

    /**
     * The UTS #39 confusable skeleton of the address as people read it (local part lower-cased, domain in Unicode
     * form): equal skeletons mean the two addresses can be mistaken for each other.
     */
    public String skeleton() {
        return skeletonOfKey(key);
    }

    /** {@link #skeleton()} of a stored comparison key (local part lower-cased, ASCII domain). */
    public static String skeletonOfKey(String key) {
        int at = key.lastIndexOf('@');
        return localSkeleton(key.substring(0, at)) + domainSkeleton(key.substring(at + 1));
    }

    /** The skeleton of a (lower-cased) local part. */
    static String localSkeleton(String local) {
        return CONFUSABLES.getSkeleton(local);
    }

    /** The skeleton of {@code "@"} and an ASCII domain read in its Unicode form. */
    static String domainSkeleton(String asciiDomain) {
        StringBuilder unicode = UTS46.nameToUnicode(asciiDomain, new StringBuilder(), new IDNA.Info());
        return CONFUSABLES.getSkeleton("@" + unicode);
    }

    /** Whether this address and {@code other} are different addresses that look alike. */
    public boolean confusableWith(EmailAddress other) {
        return !key.equals(other.key) && skeleton().equals(other.skeleton());
    }
}
