package io.usersync.sync.m365;

import com.microsoft.graph.models.User;
import io.usersync.sync.port.DirectoryUser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Graph users as the engine sees them: normalised facts, not yet judged. */
final class GraphUsers {

    private GraphUsers() {
    }

    static List<DirectoryUser> toDirectoryUsers(List<User> users) {
        if (users == null || users.isEmpty()) {
            return List.of();
        }
        List<DirectoryUser> result = new ArrayList<>(users.size());
        for (User user : users) {
            if (user != null && user.getId() != null && !user.getId().isBlank()) {
                result.add(toDirectoryUser(user));
            }
        }
        return result;
    }

    /**
     * Maps one user. A delta entry with {@code @removed} (soft or hard deletion) becomes a removed user. An absent
     * {@code accountEnabled} counts as enabled: Graph always returns it when selected, and reading a missing value
     * as "disabled" would deactivate users on a partial answer.
     */
    static DirectoryUser toDirectoryUser(User user) {
        Map<String, Object> extra = user.getAdditionalData();
        if (extra != null && extra.containsKey("@removed")) {
            return new DirectoryUser(user.getId(), null, List.of(), null, null, false, false, true);
        }
        String upn = user.getUserPrincipalName();
        boolean guest = "guest".equalsIgnoreCase(user.getUserType())
                || (upn != null && upn.toUpperCase(Locale.ROOT).contains("#EXT#"));
        boolean enabled = user.getAccountEnabled() == null || user.getAccountEnabled();
        return new DirectoryUser(user.getId(), email(user), aliases(user), user.getGivenName(), user.getSurname(),
                enabled, guest, false);
    }

    /** {@code mail}, else {@code userPrincipalName}; null when neither is set. */
    static String email(User user) {
        if (user.getMail() != null && !user.getMail().isBlank()) {
            return user.getMail().strip();
        }
        String upn = user.getUserPrincipalName();
        return upn == null || upn.isBlank() ? null : upn.strip();
    }

    /** SMTP proxy addresses without their {@code smtp:}/{@code SMTP:} prefix (other types ignored), then otherMails. */
    static List<String> aliases(User user) {
        Set<String> aliases = new LinkedHashSet<>();
        if (user.getProxyAddresses() != null) {
            for (String address : user.getProxyAddresses()) {
                if (address != null && address.length() > 5 && address.regionMatches(true, 0, "smtp:", 0, 5)) {
                    aliases.add(address.substring(5).strip());
                }
            }
        }
        if (user.getOtherMails() != null) {
            for (String address : user.getOtherMails()) {
                if (address != null && !address.isBlank()) {
                    aliases.add(address.strip());
                }
            }
        }
        return List.copyOf(aliases);
    }
}
