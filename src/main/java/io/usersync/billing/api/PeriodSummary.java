package io.usersync.billing.api;

import java.util.UUID;

/**
 * The billing figures of one period.
 *
 * @param usersAtStart billable users at the period's first instant
 * @param invoiceId    null until the invoice is issued
 * @param total        the invoice total, null until issued
 */
public record PeriodSummary(BillingPeriod period, PeriodStatus status, Peak peak, long usersAtStart,
        long distinctUsers, UUID invoiceId, Money total) {
}
