package io.usersync.billing.api;

/** Where a billing period is in its life. */
public enum PeriodStatus {
    /** The period is running; its figures are live. */
    OPEN,
    /** The period has ended; its invoice is issued once the close grace has passed and every event is in. */
    CLOSING,
    /** The invoice is issued; the figures are the invoice's. */
    INVOICED
}
