package io.usersync.billing.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The prices an MSP's invoices are computed with.
 *
 * @param version       1, 2, … for the MSP's own versions; 0 for the configured default price book
 * @param effectiveFrom when this version took effect (null for the default)
 * @param bands         ascending by {@code fromUsers}, the first starting at 1
 */
public record PriceBook(UUID mspId, int version, Instant effectiveFrom, String currency, PricingMode mode,
        List<PriceBand> bands) {

    public boolean isDefault() {
        return version == 0;
    }
}
