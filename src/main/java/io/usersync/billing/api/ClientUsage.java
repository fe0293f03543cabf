package io.usersync.billing.api;

import java.util.UUID;

/**
 * A client account in the live view.
 *
 * @param billable      whether its users count now (not TRIAL, MONTHLY, not deleted)
 * @param currentUsers  its billable users now
 * @param peakInPeriod  its own peak so far in the current period
 */
public record ClientUsage(UUID clientId, String status, String billingModel, boolean deleted, boolean billable,
        long currentUsers, long peakInPeriod) {
}
