package io.usersync.billing.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An issued, immutable invoice with its lines, breakdown and (mutable) payment state. */
public record Invoice(UUID id, UUID mspId, BillingPeriod period, Instant issuedAt, String currency,
        PricingMode mode, int priceBookVersion, Peak peak, long usersAtStart, long distinctUsers,
        List<InvoiceLine> lines, Money total, List<ClientBreakdown> clients, Payment payment) {
}
