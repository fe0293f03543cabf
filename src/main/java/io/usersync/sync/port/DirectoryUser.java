package io.usersync.sync.port;

import java.util.List;

/**
 * One user as the provider reports it, normalised but not yet judged: the engine decides who is in the pool
 * (enabled, not a guest unless allowed, with a usable email).
 *
 * @param externalId   the provider's immutable id (M365 object id, Google user id)
 * @param primaryEmail M365: {@code mail}, else {@code userPrincipalName}; Google: {@code primaryEmail}; null
 *                     when the provider has none
 * @param aliases      other addresses of the user (M365 {@code proxyAddresses} without the {@code smtp:}
 *                     prefix and {@code otherMails}; Google {@code aliases}), used by the deny list
 * @param enabled      false when disabled ({@code accountEnabled=false}), suspended or archived
 * @param guest        M365 guest ({@code userType=Guest} or a {@code #EXT#} UPN); always false for Google
 * @param removed      a delta entry saying the user left the directory ({@code @removed})
 */
public record DirectoryUser(String externalId, String primaryEmail, List<String> aliases, String firstName,
        String lastName, boolean enabled, boolean guest, boolean removed) {

    public DirectoryUser {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }
}
