package io.usersync.billing.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usersync.billing.api.ContractFeature;
import io.usersync.billing.api.Contracts.InvoiceLine;
import io.usersync.billing.api.Contracts.LineKind;
import io.usersync.billing.internal.contracts.ContractPricing;
import io.usersync.billing.internal.contracts.ContractPricing.Terms;
import io.usersync.billing.internal.contracts.ContractPricing.YearPosition;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ContractPricingTest {

    static Terms terms(long base, Map<ContractFeature, Long> features, int multiYearBp, int sectorBp) {
        Map<ContractFeature, Long> selected = new EnumMap<>(ContractFeature.class);
        selected.putAll(features);
        return new Terms("GBP", base, selected, multiYearBp, sectorBp > 0 ? "CHARITY" : null,
                sectorBp);
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
        // 50 users × 1 minor unit × 1 year = 50; 1 % of 50 = 0.5 → 1 (half up; half-even would give 0)
        List<InvoiceLine> lines = ContractPricing.termInvoice(terms(1, Map.of(), 0, 100), 50, 1);
        assertEquals(-1L, lines.get(1).amountMinor());
        assertEquals(49L, ContractPricing.total(lines));
        // 12.5 % of 16 650 = 2 081.25 → 2 081
        assertEquals(-2081L, ContractPricing.termInvoice(terms(333, Map.of(), 0, 1250), 50, 1).get(1).amountMinor());
        // a one-year term has no multi-year discount line, and no sector means no sector line
        assertEquals(1, ContractPricing.termInvoice(terms(333, Map.of(), 0, 0), 50, 1).size());
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
        long later = net.multiply(BigDecimal.valueOf(users * at.laterYears())).setScale(0, RoundingMode.HALF_UP)
                .longValueExact();
        assertEquals(at.laterYears() > 0 ? 2 : 1, lines.size());
        assertEquals(prorata + later, ContractPricing.total(lines));
        assertEquals(term - 1 - at.yearIndex(), at.laterYears());
    }
}
