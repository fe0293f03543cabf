package io.usersync.billing.api;

import io.usersync.tenant.Caller;
import java.util.UUID;

/**
 * Price books per MSP. Operators manage them; an MSP's administrators may read their own.
 *
 * <p><b>A new version reprices the whole open period.</b> A period's invoice uses the version in force at the
 * period's end, so a version set mid-period applies to that entire period (from its first day), not only from
 * the day it was set; there is no pro-rating between versions. Issued invoices keep the prices they were issued
 * with. To change prices from a given day, set the new version after the period containing that day has ended.
 *
 * <p>Unit prices are in <b>major</b> currency units as decimals (e.g. {@code 1.80} EUR per user-month), unlike
 * the annual contract price list, whose prices are integer <b>minor</b> units per user-year (e.g. {@code 1200}
 * = 12.00 GBP); invoice amounts are always exact integer minor units.
 */
public interface PriceBooks {

    /** The version in force now (the configured default when the MSP has none of its own). */
    PriceBook current(Caller caller, UUID mspId);

    /** Stores a new version effective now (operators only). */
    PriceBook replace(Caller caller, UUID mspId, PriceBookChange change);
}
