package io.usersync.billing.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usersync.billing.api.ContractFeature;
import io.usersync.billing.api.Contracts.Discount;
import io.usersync.billing.api.Contracts.DiscountKind;
import io.usersync.billing.api.Contracts.InvoiceLine;
import io.usersync.billing.api.Contracts.LineKind;
import io.usersync.billing.internal.contracts.ContractPricing;
import io.usersync.billing.internal.contracts.ContractPricing.Terms;
import io.usersync.billing.internal.contracts.ContractPricing.YearPosition;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ContractPricingTest {

    static Terms terms(long base, Map<ContractFeature, Long> features, int multiYearBp, int sectorBp) {
        List<Discount> discounts = new ArrayList<>();
        if (multiYearBp > 0) {
            discounts.add(new Discount(DiscountKind.MULTI_YEAR, "3-year term", BigDecimal.valueOf(multiYearBp, 2)));
        }
        if (sectorBp > 0) {
            discounts.add(new Discount(DiscountKind.SECTOR, "CHARITY", BigDecimal.valueOf(sectorBp, 2)));
        }
        return terms(base, features, discounts);
    }

    static Terms terms(long base, Map<ContractFeature, Long> features, List<Discount> discounts) {
        Map<ContractFeature, Long> selected = new EnumMap<>(ContractFeature.class);
        selected.putAll(features);
        return new Terms("GBP", base, selected, discounts);
    }

    @Test
    void termInvoiceHasBaseFeaturesAndCompoundedDiscounts() {
        Terms terms = terms(3000, Map.of(ContractFeature.UPHISH, 1000L, ContractFeature.ULEARN, 500L), 1000, 1500);
        List<InvoiceLine> lines = ContractPricing.termInvoice(terms, 100, 3);

        assertEquals(List.of(LineKind.BASE, LineKind.FEATURE, LineKind.FEATURE, LineKind.MULTI_YEAR_DISCOUNT,
                LineKind.SECTOR_DISCOUNT), lines.stream().map(InvoiceLine::kind).toList());
        assertEquals(List.of(900_000L, 150_000L, 300_000L, -135_000L, -182_250L),
                lines.stream().map(InvoiceLine::amountMinor).toList());
        assertEquals(ContractFeature.ULEARN, lines.get(1).feature(), "features in a stable order");
        assertEquals(List.of(1, 2, 3, 4, 5), lines.stream().map(InvoiceLine::lineNo).toList());
        assertEquals(1_032_750L, ContractPricing.total(lines));
        assertEquals(new BigDecimal("3442.5"), ContractPricing.netPerUserYear(terms));
    }

    @Test
    void discountsRoundHalfUpToTheMinorUnit() {
        // 50 users × 1 minor unit × 1 year = 50; less 1 % = 49.5 exactly → 50 (half up, once, on the total); the
        // discount line is what is left of it: 50 − 50 = 0 (it was −1 / 49 when the line itself was rounded)
        List<InvoiceLine> lines = ContractPricing.termInvoice(terms(1, Map.of(), 0, 100), 50, 1);
        assertEquals(0L, lines.get(1).amountMinor());
        assertEquals(50L, ContractPricing.total(lines));
        // 12.5 % of 16 650 = 2 081.25: net 14 568.75 → 14 569, line 14 569 − 16 650 = −2 081
        assertEquals(-2081L, ContractPricing.termInvoice(terms(333, Map.of(), 0, 1250), 50, 1).get(1).amountMinor());
        // a one-year term has no multi-year discount line, and no sector means no sector line
        assertEquals(1, ContractPricing.termInvoice(terms(333, Map.of(), 0, 0), 50, 1).size());
    }

    @Test
    void theTotalIsTheExactTotalRoundedHalfUpOnce() {
        // 50 × 1 003 × (1 − 1 %) = 49 648.5 → 49 649; rounding the discount line (−501.5) as a positive 502 and
        // negating it gave 49 648
        List<InvoiceLine> one = ContractPricing.termInvoice(terms(1003, Map.of(), 0, 100), 50, 1);
        assertEquals(List.of(50_150L, -501L), one.stream().map(InvoiceLine::amountMinor).toList());
        assertEquals(49_649L, ContractPricing.total(one));

        // 12.5 % multi-year plus 7 % charity on a one-year term: 166 650 × 0.875 × 0.93 = 135 611.4375 → 135 611
        // (rounding each line gave −20 831 and −8 208: 135 612)
        List<InvoiceLine> two = ContractPricing.termInvoice(terms(3333, Map.of(), 1250, 700), 50, 1);
        assertEquals(List.of(LineKind.BASE, LineKind.MULTI_YEAR_DISCOUNT, LineKind.SECTOR_DISCOUNT),
                two.stream().map(InvoiceLine::kind).toList());
        assertEquals(135_611L, ContractPricing.total(two));
        // the multi-year line: 145 818.75 → 145 819, less 166 650; the sector line: the rest
        assertEquals(List.of(166_650L, -20_831L, -10_208L), two.stream().map(InvoiceLine::amountMinor).toList());
    }

    @Property(tries = 1000)
    void linesAlwaysSumToTheExactTotalRoundedHalfUpOnce(@ForAll @LongRange(min = 0, max = 1_000_000) long base,
            @ForAll @LongRange(min = 0, max = 1_000_000) long feature, @ForAll @IntRange(max = 10_000) int multiYearBp,
            @ForAll @IntRange(max = 10_000) int sectorBp, @ForAll @IntRange(min = 1, max = 4000) int blocks,
            @ForAll @IntRange(min = 1, max = 3) int years) {
        Terms terms = terms(base, Map.of(ContractFeature.UBREACH, feature), multiYearBp, sectorBp);
        long users = blocks * 50L;
        List<InvoiceLine> lines = ContractPricing.termInvoice(terms, users, years);
        long subtotal = users * (base + feature) * years;
        BigDecimal exact = BigDecimal.valueOf(subtotal)
                .multiply(BigDecimal.ONE.subtract(BigDecimal.valueOf(multiYearBp, 4)))
                .multiply(BigDecimal.ONE.subtract(BigDecimal.valueOf(sectorBp, 4)));
        assertEquals(exact.setScale(0, RoundingMode.HALF_UP).longValueExact(), ContractPricing.total(lines));
        for (InvoiceLine line : lines) {
            boolean discount = line.kind() == LineKind.MULTI_YEAR_DISCOUNT || line.kind() == LineKind.SECTOR_DISCOUNT;
            assertTrue(discount ? line.amountMinor() <= 0 : line.amountMinor() >= 0, line.toString());
        }
    }

    @Test
    void aMultiYearAndASectorDiscountTogetherOnAOneYearTermAndASpecialOne() {
        // 12.5 % multi-year (granted on a 1-year term) plus 7 % charity plus a 2.125 % special discount
        Terms terms = terms(3333, Map.of(), List.of(new Discount(DiscountKind.MULTI_YEAR, "sales terms",
                new BigDecimal("12.5")), new Discount(DiscountKind.SECTOR, "CHARITY", new BigDecimal("7")),
                new Discount(DiscountKind.SPECIAL, "launch", new BigDecimal("2.125"))));
        List<InvoiceLine> lines = ContractPricing.termInvoice(terms, 50, 1);
        assertEquals(List.of(LineKind.BASE, LineKind.MULTI_YEAR_DISCOUNT, LineKind.SECTOR_DISCOUNT,
                LineKind.SPECIAL_DISCOUNT), lines.stream().map(InvoiceLine::kind).toList());
        assertEquals(List.of(new BigDecimal("12.50"), new BigDecimal("7.00"), new BigDecimal("2.125")),
                lines.subList(1, 4).stream().map(InvoiceLine::percent).toList());
        // 166 650 × 0.875 × 0.93 × 0.97875 = 132 729.694453125 → 132 730
        assertEquals(132_730L, ContractPricing.total(lines));
        assertEquals("Discount (launch): 2.125 % of 1356.11 GBP", lines.get(3).description());
        // 3 333 × 0.875 × 0.93 × 0.97875, exact
        assertEquals(new BigDecimal("2654.5938890625"), ContractPricing.netPerUserYear(terms));
    }

    @Property(tries = 1000)
    void anyDiscountListTotalsTheExactTotalRoundedHalfUpOnce(@ForAll @LongRange(min = 0, max = 10_000_000) long price,
            @ForAll @IntRange(min = 1, max = 2000) int blocks, @ForAll @IntRange(min = 1, max = 3) int years,
            @ForAll @Size(max = 5) List<@IntRange(min = 1, max = 1_000_000) Integer> ratesInTenThousandths) {
        List<Discount> discounts = new ArrayList<>();
        BigDecimal factor = BigDecimal.ONE;
        for (int rate : ratesInTenThousandths) {
            BigDecimal percent = BigDecimal.valueOf(rate, 4); // 0.0001 % … 100 %
            discounts.add(new Discount(DiscountKind.SPECIAL, "d" + discounts.size(), percent));
            factor = factor.multiply(BigDecimal.ONE.subtract(percent.movePointLeft(2)));
        }
        long users = blocks * 50L;
        List<InvoiceLine> lines = ContractPricing.termInvoice(terms(price, Map.of(), discounts), users, years);
        long subtotal = users * price * years;
        assertEquals(BigDecimal.valueOf(subtotal).multiply(factor).setScale(0, RoundingMode.HALF_UP).longValueExact(),
                ContractPricing.total(lines));
        assertEquals(1 + discounts.size(), lines.size());
        long running = subtotal;
        for (InvoiceLine line : lines.subList(1, lines.size())) {
            assertTrue(line.amountMinor() <= 0 && running + line.amountMinor() >= 0, line.toString());
            running += line.amountMinor();
        }
    }

    @Test
    void upgradeIsProRataForTheRemainingDaysOfTheContractYear() {
        Terms terms = terms(4000, Map.of(), 0, 1500); // net 3 400 per user-year
        YearPosition at = ContractPricing.position(LocalDate.of(2025, 1, 1), 1, LocalDate.of(2025, 7, 2));
        assertEquals(183, at.remainingDays());
        assertEquals(365, at.daysInYear());
        assertEquals(0, at.laterYears());
        List<InvoiceLine> lines = ContractPricing.upgradeInvoice(terms, 50, at);
        // 50 × 3 400 × 183 / 365 = 85 232.876… → 85 233
        assertEquals(1, lines.size());
        assertEquals(85_233L, lines.get(0).amountMinor());
        assertEquals(new BigDecimal("3400"), lines.get(0).unitPriceMinor());
    }

    @Test
    void upgradeInALeapContractYearAndWithLaterYears() {
        YearPosition leap = ContractPricing.position(LocalDate.of(2024, 1, 1), 1, LocalDate.of(2024, 3, 1));
        assertEquals(306, leap.remainingDays());
        assertEquals(366, leap.daysInYear());

        Terms terms = terms(3000, Map.of(ContractFeature.UBREACH, 1000L), 1000, 0); // net 3 600
        YearPosition second = ContractPricing.position(LocalDate.of(2025, 1, 1), 3, LocalDate.of(2026, 6, 15));
        assertEquals(1, second.yearIndex());
        assertEquals(LocalDate.of(2026, 1, 1), second.yearStart());
        assertEquals(200, second.remainingDays());
        assertEquals(1, second.laterYears());
        List<InvoiceLine> lines = ContractPricing.upgradeInvoice(terms, 100, second);
        // 100 × 3 600 × 200 / 365 = 197 260.27… → 197 260; later year 100 × 3 600 = 360 000
        assertEquals(List.of(197_260L, 360_000L), lines.stream().map(InvoiceLine::amountMinor).toList());
        assertEquals(List.of(LineKind.PRORATA_CURRENT_YEAR, LineKind.LATER_YEARS),
                lines.stream().map(InvoiceLine::kind).toList());
    }

    @Test
    void contractYearsOfALeapDayStartAreClampedNeverDrifting() {
        LocalDate start = LocalDate.of(2024, 2, 29);
        YearPosition year2 = ContractPricing.position(start, 2, LocalDate.of(2025, 2, 28));
        assertEquals(1, year2.yearIndex());
        assertEquals(LocalDate.of(2026, 2, 28), year2.yearEnd());
        YearPosition lastDayOfYear1 = ContractPricing.position(start, 2, LocalDate.of(2025, 2, 27));
        assertEquals(0, lastDayOfYear1.yearIndex());
        assertEquals(1, lastDayOfYear1.remainingDays());
    }

    @Test
    void percentagesHaveAtMostTwoDecimals() {
        assertEquals(1250, ContractPricing.basisPoints(new BigDecimal("12.5")));
        assertEquals(10_000, ContractPricing.basisPoints(new BigDecimal("100")));
        assertEquals(-1, ContractPricing.basisPoints(new BigDecimal("12.345")));
        assertEquals(-1, ContractPricing.basisPoints(new BigDecimal("100.01")));
        assertEquals(-1, ContractPricing.basisPoints(new BigDecimal("-1")));
    }

    @Property(tries = 500)
    void upgradeAmountsFollowTheDocumentedFormula(@ForAll @LongRange(min = 0, max = 100_000) long base,
            @ForAll @LongRange(min = 0, max = 100_000) long feature, @ForAll @IntRange(max = 10_000) int multiYearBp,
            @ForAll @IntRange(max = 10_000) int sectorBp, @ForAll @IntRange(min = 1, max = 4000) int addedBlocks,
            @ForAll @IntRange(min = 1, max = 3) int term, @ForAll @IntRange(min = 0, max = 1200) int dayOffset) {
        Terms terms = terms(base, Map.of(ContractFeature.UPOLICY, feature), multiYearBp, sectorBp);
        LocalDate start = LocalDate.of(2024, 2, 29);
        LocalDate day = start.plusDays(dayOffset % (start.plusYears(term).toEpochDay() - start.toEpochDay()));
        YearPosition at = ContractPricing.position(start, term, day);
        assertTrue(at.remainingDays() >= 1 && at.remainingDays() <= at.daysInYear());
        assertTrue(at.daysInYear() == 365 || at.daysInYear() == 366);
        long users = addedBlocks * 50L;
        List<InvoiceLine> lines = ContractPricing.upgradeInvoice(terms, users, at);

        BigDecimal net = BigDecimal.valueOf(base + feature)
                .multiply(BigDecimal.ONE.subtract(BigDecimal.valueOf(multiYearBp, 4)))
                .multiply(BigDecimal.ONE.subtract(BigDecimal.valueOf(sectorBp, 4)));
        long prorata = net.multiply(BigDecimal.valueOf(users * at.remainingDays()))
                .divide(BigDecimal.valueOf(at.daysInYear()), 0, RoundingMode.HALF_UP).longValueExact();
        assertEquals(prorata, lines.get(0).amountMinor());
        // the total is the exact total rounded half up once (not prorata and later years rounded apart)
        long total = net.multiply(BigDecimal.valueOf(users)).multiply(BigDecimal.valueOf(at.remainingDays())
                .divide(BigDecimal.valueOf(at.daysInYear()), 40, RoundingMode.DOWN)
                .add(BigDecimal.valueOf(at.laterYears()))).setScale(0, RoundingMode.HALF_UP).longValueExact();
        assertEquals(at.laterYears() > 0 ? 2 : 1, lines.size());
        assertEquals(total, ContractPricing.total(lines));
        assertEquals(term - 1 - at.yearIndex(), at.laterYears());
    }
}
