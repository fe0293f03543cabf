package io.usersync.billing.internal.contracts;

import io.usersync.billing.api.ContractFeature;
import io.usersync.billing.api.Contracts.Discount;
import io.usersync.billing.api.Contracts.DiscountKind;
import io.usersync.billing.api.Contracts.InvoiceLine;
import io.usersync.billing.api.Contracts.LineKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The money of annual contracts, exact: integer minor units, {@link BigDecimal} in between, never floating
 * point. Discounts are exact percentages (at most four decimals, {@link ContractDiscounts}).
 *
 * <p><b>Up-front invoice of a term</b> (users = 50 × blocks):
 * <ol>
 * <li>BASE = users × base price × years;</li>
 * <li>one FEATURE line per selected feature = users × feature price × years;</li>
 * <li>one discount line per discount of the contract, in its order (MULTI_YEAR_DISCOUNT, SECTOR_DISCOUNT,
 * SPECIAL_DISCOUNT): the discounts compound, each applies to the amount the previous ones left; see the rounding
 * rule below;</li>
 * <li>total = the subtotal × Π (1 − discount), exact, rounded half up once; the lines add up to it.</li>
 * </ol>
 *
 * <p><b>Upgrade invoice</b> (added users from the effective day): with the exact net per-user-year price
 * {@code net = (base + Σ features) × Π (1 − discount)},
 * <ol>
 * <li>PRORATA_CURRENT_YEAR = added users × net × remaining days / days in the current contract year, rounded
 * once; remaining days count from the effective day (inclusive) to the end of the contract year (exclusive);
 * a contract year is {@code [start + k years, start + k+1 years)} and has 365 or 366 days;</li>
 * <li>LATER_YEARS = added users × net × the contract years after the current one (the term is invoiced up
 * front, so the added users' later years are invoiced with the upgrade);</li>
 * <li>total = the exact sum of both, rounded half up once; PRORATA_CURRENT_YEAR is its own exact amount rounded
 * half up, LATER_YEARS is the rounded total minus that line.</li>
 * </ol>
 *
 * <p><b>Rounding:</b> a total is rounded once, half up, from its exact value (never a sum of separately rounded
 * parts), and its lines always add up to it: a discount line is the rounded net after it minus the rounded net
 * before it ({@link #discountLines}), so 50 × 10.03 less 1 % = 496.485 → 496.49, not 496.48.
 */
public final class ContractPricing {

    static final int BP_PER_WHOLE = 10_000;

    private ContractPricing() {
    }

    /**
     * The prices a contract is made with.
     *
     * @param featurePrices the selected features only, in feature order
     * @param discounts     the contract's discounts, in the order they compound (validated: {@link
     *                      ContractDiscounts})
     */
    public record Terms(String currency, long basePrice, Map<ContractFeature, Long> featurePrices,
            List<Discount> discounts) {

        public Terms {
            discounts = List.copyOf(discounts);
        }
    }

    /** The lines of the up-front invoice of {@code years} contract years for {@code users} users. */
    public static List<InvoiceLine> termInvoice(Terms terms, long users, int years) {
        List<InvoiceLine> lines = new ArrayList<>();
        long base = Math.multiplyExact(Math.multiplyExact(users, terms.basePrice()), years);
        lines.add(new InvoiceLine(1, LineKind.BASE, null, "Base licence: " + users + " users × "
                + money(terms.basePrice(), terms.currency()) + " per user-year × " + years + " year"
                + (years == 1 ? "" : "s"), users, BigDecimal.valueOf(terms.basePrice()), years, null, null, null,
                base));
        long subtotal = base;
        for (Map.Entry<ContractFeature, Long> feature : terms.featurePrices().entrySet()) {
            long amount = Math.multiplyExact(Math.multiplyExact(users, feature.getValue()), years);
            subtotal = Math.addExact(subtotal, amount);
            lines.add(new InvoiceLine(lines.size() + 1, LineKind.FEATURE, feature.getKey(), featureName(feature
                    .getKey()) + ": " + users + " users × " + money(feature.getValue(), terms.currency())
                    + " per user-year × " + years + " year" + (years == 1 ? "" : "s"), users,
                    BigDecimal.valueOf(feature.getValue()), years, null, null, null, amount));
        }
        List<Long> amounts = discountLines(subtotal, terms.discounts().stream().map(Discount::percent).toList());
        long running = subtotal;
        for (int i = 0; i < amounts.size(); i++) {
            Discount discount = terms.discounts().get(i);
            long amount = amounts.get(i);
            BigDecimal percent = ContractDiscounts.display(discount.percent());
            lines.add(new InvoiceLine(lines.size() + 1, lineKind(discount.kind()), null, label(discount) + ": "
                    + percent.toPlainString() + " % of " + money(running, terms.currency()), null, null, null, null,
                    null, percent, amount));
            running += amount;
        }
        return lines;
    }

    private static LineKind lineKind(DiscountKind kind) {
        return switch (kind) {
            case MULTI_YEAR -> LineKind.MULTI_YEAR_DISCOUNT;
            case SECTOR -> LineKind.SECTOR_DISCOUNT;
            case SPECIAL -> LineKind.SPECIAL_DISCOUNT;
        };
    }

    private static String label(Discount discount) {
        return switch (discount.kind()) {
            case MULTI_YEAR -> "Multi-year discount (" + discount.name() + ")";
            case SECTOR -> "Sector discount (" + discount.name() + ")";
            case SPECIAL -> "Discount (" + discount.name() + ")";
        };
    }

    /** The net price per user and contract year after every discount, exact. */
    public static BigDecimal netPerUserYear(Terms terms) {
        long gross = terms.basePrice();
        for (long price : terms.featurePrices().values()) {
            gross = Math.addExact(gross, price);
        }
        BigDecimal net = BigDecimal.valueOf(gross);
        for (Discount discount : terms.discounts()) {
            net = net.multiply(remaining(discount.percent()));
        }
        return plain(net);
    }

    /** {@code 1 − percent / 100}, exact. */
    static BigDecimal remaining(BigDecimal percent) {
        return BigDecimal.ONE.subtract(percent.movePointLeft(2));
    }

    /** Without trailing zeros but never in exponent form (3400, not 3.4E+3). */
    public static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** Where an effective day falls in a contract: its contract year and what is left of the term. */
    public record YearPosition(int yearIndex, LocalDate yearStart, LocalDate yearEnd, int remainingDays,
            int daysInYear, int laterYears) {
    }

    /** The contract year of {@code day} (which must be inside the contract). */
    public static YearPosition position(LocalDate start, int termYears, LocalDate day) {
        int k = 0;
        while (k + 1 < termYears && !start.plusYears(k + 1).isAfter(day)) {
            k++;
        }
        LocalDate yearStart = start.plusYears(k);
        LocalDate yearEnd = start.plusYears(k + 1);
        return new YearPosition(k, yearStart, yearEnd, (int) ChronoUnit.DAYS.between(day, yearEnd),
                (int) ChronoUnit.DAYS.between(yearStart, yearEnd), termYears - k - 1);
    }

    /** The lines of the invoice for {@code addedUsers} more users from the day described by {@code at}. */
    public static List<InvoiceLine> upgradeInvoice(Terms terms, long addedUsers, YearPosition at) {
        BigDecimal net = netPerUserYear(terms);
        BigDecimal perYear = net.multiply(BigDecimal.valueOf(addedUsers));
        List<InvoiceLine> lines = new ArrayList<>();
        long prorata = perYear.multiply(BigDecimal.valueOf(at.remainingDays()))
                .divide(BigDecimal.valueOf(at.daysInYear()), 0, RoundingMode.HALF_UP).longValueExact();
        lines.add(new InvoiceLine(1, LineKind.PRORATA_CURRENT_YEAR, null, "Upgrade: " + addedUsers
                + " added users × " + net.toPlainString() + " minor units per user-year (after discounts) × "
                + at.remainingDays() + "/" + at.daysInYear() + " days left in contract year " + (at.yearIndex() + 1)
                + " (" + at.yearStart() + " to " + at.yearEnd() + ")", addedUsers, net, null, at.remainingDays(),
                at.daysInYear(), null, prorata));
        if (at.laterYears() > 0) {
            // the total is rounded once, on the exact total; this line is what is left of it
            long total = perYear.multiply(BigDecimal.valueOf(at.laterYears()))
                    .multiply(BigDecimal.valueOf(at.daysInYear())).add(perYear.multiply(BigDecimal.valueOf(
                            at.remainingDays()))).divide(BigDecimal.valueOf(at.daysInYear()), 0, RoundingMode.HALF_UP)
                    .longValueExact();
            long later = total - prorata;
            lines.add(new InvoiceLine(2, LineKind.LATER_YEARS, null, "Upgrade: " + addedUsers + " added users × "
                    + net.toPlainString() + " minor units per user-year (after discounts) × " + at.laterYears()
                    + " later contract year" + (at.laterYears() == 1 ? "" : "s"), addedUsers, net, at.laterYears(),
                    null, null, null, later));
        }
        return lines;
    }

    public static long total(List<InvoiceLine> lines) {
        long total = 0;
        for (InvoiceLine line : lines) {
            total = Math.addExact(total, line.amountMinor());
        }
        return total;
    }

    /**
     * The discount lines (negative, whole minor units) of compounded discounts applied in order to
     * {@code subtotal}: the exact net after the first k discounts is rounded half up once, and line k is that
     * rounded net minus the previous one. So the lines telescope: subtotal + Σ lines = the exact total
     * {@code subtotal × Π (1 − rate)} rounded half up once, never a sum of separately rounded parts.
     */
    static List<Long> discountLines(long subtotal, List<BigDecimal> percents) {
        List<Long> amounts = new ArrayList<>(percents.size());
        BigDecimal exact = BigDecimal.valueOf(subtotal);
        long previous = subtotal;
        for (BigDecimal percent : percents) {
            exact = exact.multiply(remaining(percent));
            long rounded = exact.setScale(0, RoundingMode.HALF_UP).longValueExact();
            amounts.add(rounded - previous);
            previous = rounded;
        }
        return amounts;
    }

    /** Basis points as a percentage with two decimals, e.g. 1250 → 12.50. */
    public static BigDecimal percent(int bp) {
        return BigDecimal.valueOf(bp, 2);
    }

    /** A percentage (at most two decimals, 0–100) as basis points, or -1 when it is not one. */
    public static int basisPoints(BigDecimal percent) {
        if (percent == null || percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0
                || percent.stripTrailingZeros().scale() > 2) {
            return -1;
        }
        return percent.movePointRight(2).intValueExact();
    }

    /** Minor units as a human amount in the currency, e.g. 1234 GBP → "12.34 GBP". */
    static String money(long minor, String currency) {
        int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        return BigDecimal.valueOf(minor, digits).toPlainString() + " " + currency;
    }

    private static String featureName(ContractFeature feature) {
        String name = feature.name().toLowerCase(Locale.ROOT);
        return "u" + Character.toUpperCase(name.charAt(1)) + name.substring(2);
    }
}
