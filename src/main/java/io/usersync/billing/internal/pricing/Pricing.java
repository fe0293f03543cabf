package io.usersync.billing.internal.pricing;

import io.usersync.billing.api.PriceBand;
import io.usersync.billing.api.PriceBook;
import io.usersync.billing.api.PricingMode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

/**
 * Turns a peak user count into invoice lines.
 * <p>
 * <b>Rounding rule:</b> unit prices are exact decimals (up to 6 places). Each line's amount is quantity × unit
 * price computed exactly and then rounded once, half-up, to the currency's minor unit (cents for EUR/USD/GBP,
 * whole yen for JPY); the invoice total is the sum of the rounded line amounts. Nothing else is rounded, so the
 * total always equals the sum of the lines the MSP sees.
 * <ul>
 * <li>{@link PricingMode#VOLUME}: one line; every user is priced at the band the peak falls into.</li>
 * <li>{@link PricingMode#GRADUATED}: one line per band reached; each prices only the users inside it.</li>
 * </ul>
 * A peak of zero gives no lines and a zero total.
 */
public final class Pricing {

    /** One priced line; {@code bandTo} is null for the open-ended top band. */
    public record Line(int bandFrom, Integer bandTo, long quantity, BigDecimal unitPrice, long amountMinor) {
    }

    private Pricing() {
    }

    public static List<Line> price(PriceBook book, long peak) {
        List<PriceBand> bands = book.bands();
        Currency currency = Currency.getInstance(book.currency());
        List<Line> lines = new ArrayList<>();
        if (peak <= 0) {
            return lines;
        }
        if (book.mode() == PricingMode.VOLUME) {
            int index = 0;
            for (int i = 0; i < bands.size(); i++) {
                if (bands.get(i).fromUsers() <= peak) {
                    index = i;
                }
            }
            PriceBand band = bands.get(index);
            lines.add(new Line(band.fromUsers(), bandTo(bands, index), peak, band.unitPrice(),
                    amountMinor(peak, band.unitPrice(), currency)));
            return lines;
        }
        for (int i = 0; i < bands.size(); i++) {
            PriceBand band = bands.get(i);
            if (band.fromUsers() > peak) {
                break;
            }
            Integer to = bandTo(bands, i);
            long upper = to == null ? peak : Math.min(peak, to);
            long quantity = upper - band.fromUsers() + 1;
            lines.add(new Line(band.fromUsers(), to, quantity, band.unitPrice(),
                    amountMinor(quantity, band.unitPrice(), currency)));
        }
        return lines;
    }

    public static long total(List<Line> lines) {
        long total = 0;
        for (Line line : lines) {
            total = Math.addExact(total, line.amountMinor());
        }
        return total;
    }

    /** quantity × unit price, rounded half-up to the currency's minor unit, in minor units. */
    public static long amountMinor(long quantity, BigDecimal unitPrice, Currency currency) {
        return unitPrice.multiply(BigDecimal.valueOf(quantity))
                .setScale(currency.getDefaultFractionDigits(), RoundingMode.HALF_UP)
                .unscaledValue().longValueExact();
    }

    /** A unit price without trailing zeros beyond the currency's scale: 2.000000 EUR → 2.00, 1.234500 → 1.2345. */
    public static BigDecimal normalize(BigDecimal unitPrice, String currency) {
        BigDecimal stripped = unitPrice.stripTrailingZeros();
        return stripped.setScale(Math.max(stripped.scale(), Currency.getInstance(currency).getDefaultFractionDigits()));
    }

    private static Integer bandTo(List<PriceBand> bands, int index) {
        return index + 1 < bands.size() ? bands.get(index + 1).fromUsers() - 1 : null;
    }
}
