package io.usersync.billing.internal;

import io.usersync.common.error.DomainException;
import io.usersync.common.error.ProblemType;
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

    /**
     * The MSP's billing account for reading, or 404 when there is no such MSP. An MSP whose creation billing has
     * not applied yet (its MSP_CREATED event is still in the outbox, normally for less than a second) reads as the
     * account it will get: period 0, nothing billed, so a new MSP's billing answers 200 with zeros, never 404.
     */
    public static Account account(Connection c, UUID mspId) {
        Account account = AccountStore.find(c, mspId);
        if (account == null) {
            account = AccountStore.pending(c, mspId);
        }
        if (account == null) {
            throw DomainException.notFound("MSP");
        }
        return account;
    }

    /**
     * The MSP's stored billing account, for changes: 404 when there is no such MSP, 503 (retry) while billing has
     * not applied its creation yet.
     */
    public static Account storedAccount(Connection c, UUID mspId) {
        Account account = AccountStore.find(c, mspId);
        if (account == null) {
            if (AccountStore.pending(c, mspId) != null) {
                throw new DomainException(ProblemType.UNAVAILABLE, "Billing is applying the creation of MSP " + mspId
                        + "; retry in a moment");
            }
            throw DomainException.notFound("MSP");
        }
        return account;
    }
}
