package io.usersync.billing.api;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * An exact amount in integer minor units of an ISO 4217 currency (cents for EUR, yen for JPY).
 *
 * @param currency ISO 4217 code
 * @param minor    amount in minor units
 */
public record Money(String currency, long minor) {

    public Money {
        Objects.requireNonNull(currency);
    }

    /** The same amount in major units with the currency's scale, e.g. {@code 181.80}. */
    public BigDecimal amount() {
        return BigDecimal.valueOf(minor, Currency.getInstance(currency).getDefaultFractionDigits());
    }
}
