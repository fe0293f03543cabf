package io.usersync.billing.api;

import java.time.Instant;

/** How an invoice's payment stands. */
public record Payment(PaymentStatus status, int attempts, Instant lastAttemptAt, String lastFailure,
        Instant paidAt, String reference) {
}
