/**
 * MSP monthly billing (the annual contracts and licence plans live in {@code .contracts} / {@code .licensing}).
 *
 * <h2>Rules</h2>
 * <ul>
 * <li>A user is billable while it is active and its client account is not {@code TRIAL}, is {@code MONTHLY} and
 * not deleted ({@code SUSPENDED} bills). A trial converted to active, or a client switched to monthly, bills its
 * active users from that instant; a switch to annual or a deletion stops them from that instant.</li>
 * <li>Period n of an MSP is [anchor + n months, anchor + n+1 months) at 00:00 UTC, the anchor being the MSP's
 * creation date; month ends clamp (31 Jan → 29 Feb → 31 Mar …), always from the original anchor.</li>
 * <li>The quantity invoiced is the exact peak of simultaneously billable users summed over the whole MSP within
 * the period; changes at the same instant apply together before the maximum is taken. Distinct users and a
 * per-client breakdown (count at the MSP's peak instant, own peak, distinct) are reported alongside. No
 * proration.</li>
 * <li>Pricing and rounding: {@link io.usersync.billing.internal.pricing.Pricing}. Invoicing:
 * {@link io.usersync.billing.internal.invoice.InvoiceCloser}. Payment:
 * {@link io.usersync.billing.internal.payment.Charger}.</li>
 * </ul>
 *
 * <h2>How</h2>
 * The {@link io.usersync.billing.internal.consumer.OutboxConsumer} applies outbox events exactly once (by event
 * id) under a single lock row. The {@link io.usersync.billing.internal.ledger.Ledger} keeps, per user, activity
 * spans and billable intervals recomputed from the complete stored facts (so arrival order never matters), and
 * hourly buckets of the billable count (MSP-wide and per client) holding base, net change and maximum running
 * sum; a period's peak is then a read of at most ~744 buckets, whatever the number of events.
 */
package io.usersync.billing.internal;
