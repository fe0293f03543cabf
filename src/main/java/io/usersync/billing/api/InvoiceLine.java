package io.usersync.billing.api;

import java.math.BigDecimal;

/**
 * One priced band of an invoice.
 *
 * @param bandTo   last user count of the band, null for the open-ended top band
 * @param quantity users priced on this line
 * @param amount   quantity × unit price, rounded half-up to the currency's minor unit
 */
public record InvoiceLine(int bandFrom, Integer bandTo, long quantity, BigDecimal unitPrice, Money amount) {
}
