package io.usersync.billing.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A recorded billing notice about an MSP. {@code SUSPENSION_RECOMMENDED} is raised when an invoice has been
 * outstanding longer than the configured threshold and cleared when nothing is overdue any more; it is advice to
 * an operator, never an automatic suspension.
 *
 * @param outstanding              what was outstanding when it was raised in the currency of the oldest
 *                                 outstanding invoice (kept for compatibility; see the next)
 * @param outstandingByCurrency    everything outstanding when it was raised, one amount per currency, ordered by
 *                                 currency code; amounts of different currencies are never added up
 */
public record Notice(UUID id, String kind, Instant raisedAt, Instant clearedAt, UUID oldestInvoiceId,
        Instant outstandingSince, Money outstanding, List<Money> outstandingByCurrency) {

    public static final String SUSPENSION_RECOMMENDED = "SUSPENSION_RECOMMENDED";

    public boolean open() {
        return clearedAt == null;
    }
}
