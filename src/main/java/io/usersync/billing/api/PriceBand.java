package io.usersync.billing.api;

import java.math.BigDecimal;

/**
 * One volume band: from {@code fromUsers} users (inclusive) up to the next band's start, each user-month costs
 * {@code unitPrice} (major currency units, at most 6 decimals).
 */
public record PriceBand(int fromUsers, BigDecimal unitPrice) {
}
