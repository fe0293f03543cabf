package io.usersync.billing.api;

/** Payment state of an invoice. */
public enum PaymentStatus {
    /** Not paid yet: no payment method, or the last charge failed. */
    OUTSTANDING,
    /** Charged successfully. */
    PAID,
    /** The total is zero; nothing is charged. */
    NOTHING_DUE
}
