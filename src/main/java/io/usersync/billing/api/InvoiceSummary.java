package io.usersync.billing.api;

import java.time.Instant;
import java.util.UUID;

/** An invoice in a listing. */
public record InvoiceSummary(UUID id, BillingPeriod period, Instant issuedAt, long peakUsers, Money total,
        PaymentStatus status) {
}
