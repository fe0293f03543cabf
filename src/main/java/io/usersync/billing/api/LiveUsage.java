package io.usersync.billing.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * An MSP's usage right now, as of the last applied event.
 *
 * @param cycleDay              day of month periods start on (the anchor's day; clamped in shorter months)
 * @param runningPeak           peak so far in the current period
 * @param distinctUsersSoFar    distinct billable users so far in the current period
 * @param pendingEvents         events of this MSP written but not yet applied (normally 0 within a second)
 * @param suspensionRecommended the open suspension notice, or null
 */
public record LiveUsage(UUID mspId, LocalDate anchorDate, int cycleDay, BillingPeriod currentPeriod,
        Peak runningPeak, long currentBillableUsers, long distinctUsersSoFar, List<ClientUsage> clients,
        boolean paymentMethodOnFile, Outstanding outstanding, Notice suspensionRecommended, long pendingEvents,
        Instant asOf) {
}
