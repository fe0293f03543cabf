package io.usersync.billing.internal;

import io.usersync.common.error.DomainException;
import io.usersync.tenant.Caller;
import io.usersync.tenant.Role;
import java.sql.Connection;
import java.util.UUID;

/**
 * Who may see an MSP's billing: operators, and the administrators of that MSP. Client administrators are refused
 * with 403 whatever the MSP (billing is the MSP's business, and the role check reveals nothing about other
 * tenants); an MSP administrator asking about another MSP gets 404, as for every foreign id.
 */
public final class BillingAccess {

    private BillingAccess() {
    }

    public static void requireRead(Caller caller, UUID mspId) {
        caller.requireAtLeast(Role.MSP_ADMIN);
        if (!caller.canSeeMsp(mspId)) {
            throw DomainException.notFound("MSP");
        }
    }

    /** The MSP's billing account, or 404 (billing learns of a new MSP within a second of its creation). */
    public static Account account(Connection c, UUID mspId) {
        Account account = AccountStore.find(c, mspId);
        if (account == null) {
            throw DomainException.notFound("MSP");
        }
        return account;
    }
}
