package io.usersync.directory;

import java.net.IDN;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A validated email address. Accepts internationalised addresses (RFC 6531): a UTF-8 local part and an IDN
 * domain in Unicode or punycode form. {@link #key()} is the comparison key: the local part lower-cased, the
 * domain in lower-case ASCII (punycode), so {@code Anna@BÜCHER.de} and {@code anna@xn--bcher-kva.de} are the
 * same user.
 */
public record EmailAddress(String value, String key) {

    public static final int MAX_LENGTH = 254;
    private static final int MAX_LOCAL_LENGTH = 64;
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    /** Parses and validates; the empty optional means "not an email address". */
    public static Optional<EmailAddress> parse(String raw) {
        return Optional.ofNullable(raw).map(String::strip).flatMap(EmailAddress::parseStripped);
    }

    /** Like {@link #parse} but explains the refusal, for error messages. */
    public static String whyInvalid(String raw) {
        if (raw == null || raw.isBlank()) {
            return "must not be blank";
        }
        return parse(raw).isPresent() ? null : "must be a valid email address";
    }

    private static Optional<EmailAddress> parseStripped(String text) {
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String normalized = Normalizer.normalize(text, Normalizer.Form.NFC);
        int at = normalized.lastIndexOf('@');
        if (at <= 0 || at == normalized.length() - 1) {
            return Optional.empty();
        }
        String local = normalized.substring(0, at);
        String domain = normalized.substring(at + 1);
        if (!validLocalPart(local)) {
            return Optional.empty();
        }
        String asciiDomain = asciiDomain(domain);
        if (asciiDomain == null) {
            return Optional.empty();
        }
        String key = local.toLowerCase(Locale.ROOT) + "@" + asciiDomain;
        if (key.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        return Optional.of(new EmailAddress(normalized, key));
    }

    /** Dot-atom local part; non-ASCII letters allowed, controls, spaces and quoted forms refused. */
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
        if (domain.endsWith(".") || domain.startsWith(".") || domain.contains("..")) {
            return null;
        }
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (ascii.isEmpty() || ascii.length() > 253) {
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
        if (tld.chars().allMatch(Character::isDigit)) {
            return null;
        }
        if (ascii.startsWith("xn--") || ascii.contains(".xn--")) {
            // Round-trip punycode labels so that an invalid encoding is refused here, not by a mail server.
            try {
                IDN.toUnicode(ascii, IDN.USE_STD3_ASCII_RULES);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return ascii;
    }

    /** The lower-case ASCII domain of this address. */
    public String domainKey() {
        return key.substring(key.lastIndexOf('@') + 1);
    }
}
