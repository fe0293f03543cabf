package io.usersync.billing.api;

import io.usersync.tenant.Caller;
import java.util.UUID;

/**
 * Price books per MSP. Operators manage them; an MSP's administrators may read their own. A new version applies
 * to every invoice whose period ends after it took effect; issued invoices keep the prices they were issued
 * with.
 */
public interface PriceBooks {

    /** The version in force now (the configured default when the MSP has none of its own). */
    PriceBook current(Caller caller, UUID mspId);

    /** Stores a new version effective now (operators only). */
    PriceBook replace(Caller caller, UUID mspId, PriceBookChange change);
}
