package io.usersync.billing.api;

import java.time.Instant;

/** Unpaid invoices of an MSP: how many, how much, since when (null when none). */
public record Outstanding(int invoices, Money amount, Instant oldestIssuedAt) {
}
