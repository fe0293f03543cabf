package io.usersync.billing.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A recorded billing notice about an MSP.
 * <ul>
 * <li>{@code SUSPENSION_RECOMMENDED} is raised when an invoice has been outstanding longer than the configured
 * threshold and cleared when nothing is overdue any more; it is advice to an operator, never an automatic
 * suspension.</li>
 * <li>{@code TRIAL_ENDED} is raised when a client account's trial reaches its end ({@code clientId},
 * {@code trialEndedAt}); {@code detail} says what happened. It stays open while the account is still in that
 * trial, unbilled, and is cleared when the account leaves TRIAL (or its trial end is moved).</li>
 * </ul>
 *
 * @param outstanding              SUSPENSION_RECOMMENDED: what was outstanding when it was raised in the currency
 *                                 of the oldest outstanding invoice (kept for compatibility; see the next); null
 *                                 for other kinds
 * @param outstandingByCurrency    SUSPENSION_RECOMMENDED: everything outstanding when it was raised, one amount
 *                                 per currency, ordered by currency code; amounts of different currencies are
 *                                 never added up (empty for other kinds)
 * @param clientId                 the client account the notice is about (null for MSP-wide notices)
 * @param trialEndedAt             TRIAL_ENDED: the end of the trial
 * @param detail                   a sentence for people, or null
 */
public record Notice(UUID id, String kind, Instant raisedAt, Instant clearedAt, UUID oldestInvoiceId,
        Instant outstandingSince, Money outstanding, List<Money> outstandingByCurrency, UUID clientId,
        Instant trialEndedAt, String detail) {

    public static final String SUSPENSION_RECOMMENDED = "SUSPENSION_RECOMMENDED";
    public static final String TRIAL_ENDED = "TRIAL_ENDED";

    public boolean open() {
        return clearedAt == null;
    }
}
