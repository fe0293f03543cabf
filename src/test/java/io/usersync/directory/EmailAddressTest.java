package io.usersync.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usersync.common.Text;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Email address rules: UTS #46 domains, no invisible characters, a visible start, confusable skeletons. */
class EmailAddressTest {

    private static EmailAddress valid(String raw) {
        Optional<EmailAddress> parsed = EmailAddress.parse(raw);
        assertTrue(parsed.isPresent(), raw + ": " + EmailAddress.whyInvalid(raw));
        return parsed.get();
    }

    @Test
    void domainsFollowUts46NotIdna2003() {
        assertEquals("anna@xn--fae-6ka.example", valid("anna@faße.example").key(),
                "ß is a letter of its own under UTS #46 (IDNA2003 turned faße into fasse)");
        assertNotEquals(valid("anna@fasse.example").key(), valid("anna@faße.example").key());
        assertEquals("x@xn--bcher-kva.de", valid("X@BÜCHER.de").key());
        assertEquals(valid("anna@xn--bcher-kva.de").key(), valid("Anna@bücher.de").key());
        assertEquals("anna@xn--r8jz45g.xn--zckzah", valid("anna@例え.テスト").key());
        assertEquals("anna@example.com", valid("anna@ＥＸＡＭＰＬＥ。com").key(), "width and full stops are mapped");
        assertEquals("anna@faße.example", valid(" anna@faße.example ").value(), "the address is kept as entered");
        assertEquals("xn--fae-6ka.example", valid("anna@faße.example").domainKey());
    }

    @Test
    void invalidDomainsAreRefused() {
        for (String raw : List.of("a@xn--zz.example", "a@a_b.example", "a@-a.example", "a@example", "a@1.2",
                "a@example..com", "a@.example.com", "a@example.com.", "a@exa mple.com")) {
            assertTrue(EmailAddress.parse(raw).isEmpty(), raw);
            assertEquals("must be a valid email address", EmailAddress.whyInvalid(raw), raw);
        }
    }

    @Test
    void invisibleCharactersAreRefusedAnywhereNotDropped() {
        for (String raw : List.of("a@ex\u200Dample.com", "a@ex\u200Cample.com", "a@ex\u00ADample.com",
                "a@ex\u200Bample.com", "an\u200Dna@example.com", "an\u2060na@example.com", "\u3164@example.com",
                "anna\uFE0F@example.com", "\u2800@example.com", "an\u202Ena@example.com", "anna@exa\uFEFFmple.com")) {
            assertTrue(EmailAddress.parse(raw).isEmpty(), raw);
            assertTrue(EmailAddress.whyInvalid(raw).startsWith("must not contain invisible characters (U+"), raw);
        }
        assertEquals("must not contain invisible characters (U+200D)", EmailAddress.whyInvalid("a@ex\u200Dample.com"));
    }

    @Test
    void aLocalPartNeedsAVisibleStart() {
        assertEquals("must not start with a combining mark", EmailAddress.whyInvalid("\u0301@example.com"));
        assertEquals("must not start with a combining mark", EmailAddress.whyInvalid("\u0301\u0308@example.com"));
        assertEquals("\u00E9@example.com", valid("e\u0301@example.com").value(), "NFC: a mark after its base is fine");
        assertEquals("नमस्ते@example.com", valid("नमस्ते@example.com").value(), "marks inside words are fine");
    }

    @Test
    void lookAlikesShareASkeleton() {
        EmailAddress latin = valid("paypal@example.com");
        EmailAddress cyrillic = valid("p\u0430ypal@example.com");
        assertNotEquals(latin.key(), cyrillic.key());
        assertTrue(latin.confusableWith(cyrillic));
        assertTrue(valid("anna1@contoso.example").confusableWith(valid("annal@contoso.example")));
        assertTrue(valid("modern@contoso.example").confusableWith(valid("rnodern@contoso.example")));
        assertTrue(valid("anna@contoso.example").confusableWith(valid("anna@c\u043Entoso.example")),
                "a look-alike domain (Cyrillic о)");
        assertFalse(valid("bob@contoso.example").confusableWith(valid("rob@contoso.example")));
        assertFalse(latin.confusableWith(valid("PayPal@example.com")), "the same address is not a look-alike");
        assertEquals(latin.skeleton(), EmailAddress.skeletonOfKey(latin.key()));
        assertEquals(valid("anna@bücher.de").skeleton(), valid("anna@xn--bcher-kva.de").skeleton());
    }

    @Test
    void namesMustShowSomething() {
        for (String name : List.of("\u200B", "\u200D\u200C", "\u0301", "\u3164", "\u2800", "\u0301 \u200B")) {
            io.usersync.common.error.DomainException e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.usersync.common.error.DomainException.class, () -> Text.requireName(name, "firstName", 100),
                    name);
            assertTrue(e.getMessage().contains("visible"), e.getMessage());
        }
        assertEquals("Ana", Text.requireName("Ana", "firstName", 100));
        assertEquals("क्\u200Dष", Text.requireName("क्\u200Dष", "firstName", 100), "joiners inside real names stay");
    }

    // ---------------------------------------------------------------- properties

    /** Characters that make up addresses here: letters, atext, marks, invisibles, dots and a few scripts. */
    static Arbitrary<String> part(int max) {
        return Arbitraries.strings().withChars("abcXYZ019+-_=.ßςéàеоаİı").withChars('\u0301', '\u200D', '\u200C',
                '\u00AD', '\u200B', '\u3164', '\u2800', '\uFE0F', '\u202E', '\u2060', '\u4E00').ofMinLength(1)
                .ofMaxLength(max);
    }

    @Provide
    Arbitrary<String> addresses() {
        return Combinators.combine(part(10), part(8), Arbitraries.of("com", "example", "de", "xn--zckzah", "c0m"))
                .as((local, label, tld) -> local + "@" + label + "." + tld);
    }

    @Provide
    Arbitrary<Integer> invisibles() {
        return Arbitraries.of(0x200B, 0x200C, 0x200D, 0x00AD, 0x2060, 0xFEFF, 0x3164, 0x115F, 0xFE0F, 0x2800,
                0x202E, 0x2066, 0xE0001, 0x180E);
    }

    @Property(tries = 2000)
    void aValidAddressHoldsNoInvisibleCharacterAndNoLeadingMark(@ForAll("addresses") String raw) {
        EmailAddress.parse(raw).ifPresent(a -> {
            assertEquals(-1, EmailAddress.firstInvisible(a.value()), a.value());
            assertEquals(-1, EmailAddress.firstInvisible(a.key()), a.key());
            assertFalse(Text.isMark(a.value().codePointAt(0)), a.value());
        });
        assertEquals(EmailAddress.parse(raw).isPresent(), EmailAddress.whyInvalid(raw) == null, raw);
    }

    @Property(tries = 2000)
    void theKeyIsAFixedPointAndTheSkeletonFollowsTheKey(@ForAll("addresses") String raw) {
        EmailAddress.parse(raw).ifPresent(a -> {
            EmailAddress again = valid(a.key());
            assertEquals(a.key(), again.key(), "parsing a key gives the key back");
            assertEquals(a.skeleton(), again.skeleton());
            assertFalse(a.confusableWith(again), "an address is never a look-alike of itself");
        });
    }

    @Property(tries = 1000)
    void anInvisibleCharacterAnywhereRefusesTheAddress(@ForAll("addresses") String raw,
            @ForAll("invisibles") int invisible, @ForAll int position) {
        Optional<EmailAddress> parsed = EmailAddress.parse(raw);
        if (parsed.isEmpty()) {
            return;
        }
        String value = parsed.get().value();
        int at = Math.floorMod(position, value.length() + 1);
        String spoiled = value.substring(0, at) + Character.toString(invisible) + value.substring(at);
        assertTrue(EmailAddress.parse(spoiled).isEmpty(), spoiled);
        assertTrue(Text.invisible(invisible));
    }

    @Property(tries = 1000)
    void confusabilityIsSymmetric(@ForAll("addresses") String a, @ForAll("addresses") String b) {
        Optional<EmailAddress> x = EmailAddress.parse(a);
        Optional<EmailAddress> y = EmailAddress.parse(b);
        if (x.isPresent() && y.isPresent()) {
            assertEquals(x.get().confusableWith(y.get()), y.get().confusableWith(x.get()));
        }
    }

    @Test
    void theInvisibleDefinitionCoversTheUsualSuspects() {
        for (int cp : new int[] { 0x200B, 0x200C, 0x200D, 0x00AD, 0x2060, 0xFEFF, 0x3164, 0x115F, 0x1160, 0xFFA0,
                0xFE0F, 0x2800, 0x202E, 0x2066, 0x180E }) {
            assertTrue(Text.invisible(cp), Integer.toHexString(cp));
        }
        for (int cp : new int[] { 'a', 0x00E9, 0x4E00, 0x0301, ' ' }) {
            assertFalse(Text.invisible(cp), Integer.toHexString(cp));
        }
        assertNull(EmailAddress.whyInvalid("ada@contoso.example"));
    }
}
