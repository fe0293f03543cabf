package io.usersync.sync.engine;

import io.usersync.directory.EmailAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * A connection's deny list, ready for matching. An address is denied when its key, or the key of any alias,
 * is listed, or when the domain of any of them is listed ({@code *@example.com}).
 */
public final class DenyMatcher {

    private final Set<String> emails = new HashSet<>();
    private final Set<String> domains = new HashSet<>();

    public DenyMatcher(Collection<DenyEntry> entries) {
        for (DenyEntry entry : entries) {
            (entry.kind == DenyEntry.Kind.DOMAIN ? domains : emails).add(entry.valueKey);
        }
    }

    public boolean isEmpty() {
        return emails.isEmpty() && domains.isEmpty();
    }

    /**
     * @param emailKey     the primary address's key (may be null)
     * @param aliasKeys    space-separated alias keys (may be null or empty)
     */
    public boolean denies(String emailKey, String aliasKeys) {
        if (isEmpty()) {
            return false;
        }
        if (emailKey != null && deniesKey(emailKey)) {
            return true;
        }
        if (aliasKeys != null && !aliasKeys.isEmpty()) {
            for (String alias : aliasKeys.split(" ")) {
                if (!alias.isEmpty() && deniesKey(alias)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean deniesKey(String key) {
        return emails.contains(key) || domains.contains(key.substring(key.lastIndexOf('@') + 1));
    }

    /** Normalises provider aliases to sorted, distinct, space-separated keys; invalid addresses are dropped. */
    public static String aliasKeys(Collection<String> aliases, String primaryKey) {
        if (aliases == null || aliases.isEmpty()) {
            return "";
        }
        java.util.TreeSet<String> keys = new java.util.TreeSet<>();
        for (String alias : aliases) {
            EmailAddress.parse(alias).map(EmailAddress::key).filter(k -> !k.equals(primaryKey)).ifPresent(keys::add);
        }
        return String.join(" ", keys);
    }
}
