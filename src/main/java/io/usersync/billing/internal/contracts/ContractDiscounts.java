package io.usersync.billing.internal.contracts;

import io.usersync.billing.api.Contracts;
import io.usersync.billing.api.Contracts.Discount;
import io.usersync.billing.api.Contracts.DiscountKind;
import io.usersync.common.error.DomainException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The discounts of a contract as data: which lists are valid, the list a price list gives, and how a rate is
 * shown. Pure functions; {@link ContractPricing} applies the discounts.
 *
 * <p>Rules: each percent is exact, more than 0 and at most 100, with at most {@value #MAX_DECIMALS} decimals;
 * at most one MULTI_YEAR and one SECTOR discount, at most {@value Contracts#MAX_DISCOUNTS} in all; a SECTOR
 * discount is named by a sector code (2–32 letters, digits or _, upper-cased), the others by a text of 1–
 * {@value #MAX_NAME} characters. Nothing is dropped or merged: the list is the contract's, in its order.
 */
public final class ContractDiscounts {

    static final int MAX_DECIMALS = 4;
    static final int MAX_NAME = 60;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private ContractDiscounts() {
    }

    /** The granted list, checked and normalised (names stripped, sector codes upper-case, exact percents). */
    public static List<Discount> validate(List<Discount> discounts) {
        if (discounts.size() > Contracts.MAX_DISCOUNTS) {
            throw DomainException.invalidField("discounts", "at most " + Contracts.MAX_DISCOUNTS + " discounts");
        }
        Set<DiscountKind> once = EnumSet.noneOf(DiscountKind.class);
        List<Discount> valid = new ArrayList<>(discounts.size());
        for (int i = 0; i < discounts.size(); i++) {
            String field = "discounts[" + i + "]";
            Discount d = discounts.get(i);
            if (d == null) {
                throw DomainException.invalidField(field, "must be a discount: kind, name and percent");
            }
            if (d.kind() == null) {
                throw DomainException.invalidField(field + ".kind", "is required: MULTI_YEAR, SECTOR or SPECIAL");
            }
            if (d.kind() != DiscountKind.SPECIAL && !once.add(d.kind())) {
                throw DomainException.invalidField(field + ".kind", "a contract has at most one " + d.kind()
                        + " discount");
            }
            String name = name(d.kind(), d.name(), field + ".name");
            valid.add(new Discount(d.kind(), name, percent(d.percent(), field + ".percent")));
        }
        return List.copyOf(valid);
    }

    /** The price list's discounts for a contract: the multi-year discount of its term, then its sector's. */
    static List<Discount> fromPriceList(int termYears, int multiYearBp, String sector, int sectorBp) {
        List<Discount> discounts = new ArrayList<>();
        if (multiYearBp > 0) {
            discounts.add(new Discount(DiscountKind.MULTI_YEAR, termYears + "-year term", BigDecimal.valueOf(
                    multiYearBp, 2).stripTrailingZeros()));
        }
        if (sector != null && sectorBp > 0) {
            discounts.add(new Discount(DiscountKind.SECTOR, sector, BigDecimal.valueOf(sectorBp, 2)
                    .stripTrailingZeros()));
        }
        return List.copyOf(discounts);
    }

    /** A rate as shown: exact, with at least two decimals (10 → 10.00, 12.125 → 12.125). */
    public static BigDecimal display(BigDecimal percent) {
        BigDecimal stripped = percent.stripTrailingZeros();
        return stripped.setScale(Math.max(2, stripped.scale()));
    }

    /** The percent of the first discount of that kind, 0 without one. */
    static BigDecimal percentOf(List<Discount> discounts, DiscountKind kind) {
        return display(discounts.stream().filter(d -> d.kind() == kind).map(Discount::percent).findFirst()
                .orElse(BigDecimal.ZERO));
    }

    private static String name(DiscountKind kind, String name, String field) {
        if (kind == DiscountKind.SECTOR) {
            String code = PriceListService.sectorCode(name);
            if (code == null) {
                throw DomainException.invalidField(field, "a SECTOR discount is named by its sector code: 2 to 32"
                        + " letters, digits or _, starting with a letter (e.g. CHARITY)");
            }
            return code;
        }
        String text = name == null ? "" : name.strip();
        if (text.isEmpty() || text.length() > MAX_NAME || text.codePoints().anyMatch(Character::isISOControl)) {
            throw DomainException.invalidField(field, "is required: 1 to " + MAX_NAME
                    + " characters without control characters");
        }
        return text;
    }

    private static BigDecimal percent(BigDecimal percent, String field) {
        if (percent == null || percent.signum() <= 0 || percent.compareTo(HUNDRED) > 0
                || percent.stripTrailingZeros().scale() > MAX_DECIMALS) {
            throw DomainException.invalidField(field, "must be a percentage more than 0 and at most 100, with at"
                    + " most " + MAX_DECIMALS + " decimals");
        }
        BigDecimal stripped = percent.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
