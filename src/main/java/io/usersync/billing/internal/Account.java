package io.usersync.billing.internal;

import io.usersync.billing.internal.period.Periods;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * Billing's view of an MSP ({@code billing_account}).
 *
 * @param nextPeriodIndex the first period without an invoice
 * @param nextCloseAt     the end of that period
 * @param version         grows with every change the live usage shows (see {@link AccountStore#touch})
 */
public record Account(UUID mspId, Instant createdAt, LocalDate anchorDate, boolean paymentMethodOnFile,
        Instant paymentMethodAt, long paymentMethodSeq, int nextPeriodIndex, Instant nextCloseAt, long version) {

    public Periods periods() {
        return Periods.anchoredOn(anchorDate);
    }

    /** Instants before this belong to invoiced periods, whose invoices never change. */
    public Instant invoicedUntil() {
        return periods().start(nextPeriodIndex);
    }
}
