package io.usersync.billing.api;

import java.util.UUID;

/**
 * One client account's share of a period, so an MSP can reconcile its invoice.
 *
 * @param usersAtPeak   the client's billable users at the instant of the MSP-wide peak (these sum to the peak)
 * @param ownPeak       the client's own peak within the period (these do not sum to the MSP peak in general)
 * @param distinctUsers distinct users of the client that were billable at some time in the period
 */
public record ClientBreakdown(UUID clientId, long usersAtPeak, long ownPeak, long distinctUsers) {
}
