package io.usersync.billing.api;

/** How a price book turns a peak user count into an amount. */
public enum PricingMode {
    /** Every user is priced at the unit price of the band the peak reaches ("automatic volume discount"). */
    VOLUME,
    /** Each band prices only the users that fall into it (tiered). */
    GRADUATED
}
