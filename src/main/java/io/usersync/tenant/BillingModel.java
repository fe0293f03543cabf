package io.usersync.tenant;

/** How a client account is billed: through its MSP's monthly peak-user invoice, or by an annual contract. */
public enum BillingModel {
    MONTHLY, ANNUAL
}
