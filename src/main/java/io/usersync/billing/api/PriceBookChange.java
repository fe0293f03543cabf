package io.usersync.billing.api;

import java.util.List;

/** A new price book version as an operator submits it; it takes effect immediately. */
public record PriceBookChange(String currency, PricingMode mode, List<PriceBand> bands) {
}
