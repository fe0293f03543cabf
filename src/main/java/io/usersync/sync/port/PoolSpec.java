package io.usersync.sync.port;

import java.util.List;

/**
 * Which users of the directory form the pool: all users, or the union of the members of {@code groups}
 * (transitively, nested groups included) and of the users in {@code orgUnits} (Google only, sub-units
 * included).
 *
 * @param allUsers      every user of the tenant / customer
 * @param groups        provider group ids (M365 object ids, Google group ids or emails)
 * @param orgUnits      Google org unit paths such as {@code /Sales}
 * @param includeGuests whether guest accounts (M365 {@code userType=Guest} or {@code #EXT#} UPNs) are in the pool
 */
public record PoolSpec(boolean allUsers, List<String> groups, List<String> orgUnits, boolean includeGuests) {

    public PoolSpec {
        groups = groups == null ? List.of() : List.copyOf(groups);
        orgUnits = orgUnits == null ? List.of() : List.copyOf(orgUnits);
    }

    public static PoolSpec everyone() {
        return new PoolSpec(true, List.of(), List.of(), false);
    }
}
