package io.usersync.billing.api;

import java.util.List;

/**
 * A new price book version as an operator submits it; it takes effect immediately, and so prices the whole period
 * that is open now (see {@link PriceBooks}). Unit prices are in major currency units ({@link PriceBand}).
 */
public record PriceBookChange(String currency, PricingMode mode, List<PriceBand> bands) {
}
