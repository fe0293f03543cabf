package io.usersync.billing.api;

import java.time.Instant;
import java.util.List;

/**
 * Unpaid invoices of an MSP (monthly and contract invoices): how many, how much, since when (null when none).
 *
 * @param amount     the total of the outstanding invoices in the currency of the oldest one (kept for
 *                   compatibility; invoices in other currencies are in {@code byCurrency} only)
 * @param byCurrency the total outstanding per currency, ordered by currency code (empty when none); amounts of
 *                   different currencies are never added up
 */
public record Outstanding(int invoices, Money amount, Instant oldestIssuedAt, List<Money> byCurrency) {
}
