package io.usersync.billing.api;

import java.time.Instant;
import java.util.UUID;

/**
 * A recorded billing notice about an MSP. {@code SUSPENSION_RECOMMENDED} is raised when an invoice has been
 * outstanding longer than the configured threshold and cleared when nothing is overdue any more; it is advice to
 * an operator, never an automatic suspension.
 */
public record Notice(UUID id, String kind, Instant raisedAt, Instant clearedAt, UUID oldestInvoiceId,
        Instant outstandingSince, Money outstanding) {

    public static final String SUSPENSION_RECOMMENDED = "SUSPENSION_RECOMMENDED";

    public boolean open() {
        return clearedAt == null;
    }
}
