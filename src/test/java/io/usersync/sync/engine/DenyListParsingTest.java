package io.usersync.sync.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DenyListParsingTest {

    @Test
    void parsesAddressesAndDomainsCaseInsensitively() {
        assertEquals(new DenyListService.Parsed(DenyEntry.Kind.EMAIL, "bob@example.com"),
                DenyListService.parse("  Bob@EXAMPLE.com "));
        assertEquals(new DenyListService.Parsed(DenyEntry.Kind.DOMAIN, "example.com"),
                DenyListService.parse("*@Example.COM"));
        assertEquals(new DenyListService.Parsed(DenyEntry.Kind.DOMAIN, "xn--bcher-kva.de"),
                DenyListService.parse("*@bücher.de"));
    }

    @Test
    void explainsInvalidEntries() {
        assertNotNull(DenyListService.whyInvalid("not an address"));
        assertNotNull(DenyListService.whyInvalid("*@"));
        assertNotNull(DenyListService.whyInvalid("*@no-dot"));
        assertNotNull(DenyListService.whyInvalid(""));
        assertNull(DenyListService.whyInvalid("a@b.io"));
    }

    @Test
    void matcherCoversAliasesAndDomains() {
        DenyEntry email = entry(DenyEntry.Kind.EMAIL, "blocked@example.com");
        DenyEntry domain = entry(DenyEntry.Kind.DOMAIN, "contractor.io");
        DenyMatcher matcher = new DenyMatcher(List.of(email, domain));
        assertTrue(matcher.denies("blocked@example.com", ""));
        assertTrue(matcher.denies("ok@example.com", "x@foo.com blocked@example.com"));
        assertTrue(matcher.denies("someone@contractor.io", null));
        assertTrue(matcher.denies("someone@example.com", "alias@contractor.io"));
        assertFalse(matcher.denies("someone@example.com", "alias@sub.contractor.io"));
        assertFalse(matcher.denies("free@example.com", "other@example.com"));
    }

    @Test
    void aliasKeysAreNormalisedSortedAndExcludeThePrimary() {
        assertEquals("a@x.com b@x.com", DenyMatcher.aliasKeys(List.of("B@X.com", "a@x.COM", "p@x.com", "junk"),
                "p@x.com"));
    }

    private static DenyEntry entry(DenyEntry.Kind kind, String key) {
        DenyEntry e = new DenyEntry();
        e.kind = kind;
        e.valueKey = key;
        return e;
    }
}
