package io.usersync.billing.api;

import java.time.Instant;

/** Billing period {@code index} of an MSP: {@code [start, end)}, UTC; index 0 starts on the creation date. */
public record BillingPeriod(int index, Instant start, Instant end) {
}
