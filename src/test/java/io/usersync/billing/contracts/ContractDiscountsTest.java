package io.usersync.billing.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.usersync.billing.api.Contracts.Discount;
import io.usersync.billing.api.Contracts.DiscountKind;
import io.usersync.billing.internal.contracts.ContractDiscounts;
import io.usersync.common.error.DomainException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContractDiscountsTest {

    static Discount d(DiscountKind kind, String name, String percent) {
        return new Discount(kind, name, percent == null ? null : new BigDecimal(percent));
    }

    static String refusedField(List<Discount> discounts) {
        return assertThrows(DomainException.class, () -> ContractDiscounts.validate(discounts)).fields().get(0)
                .field();
    }

    @Test
    void aMultiYearAndASectorDiscountTogetherAreValidAndNormalised() {
        List<Discount> valid = ContractDiscounts.validate(List.of(d(DiscountKind.MULTI_YEAR, " 1-year term ",
                "12.50"), d(DiscountKind.SECTOR, "charity", "7"), d(DiscountKind.SPECIAL, "launch", "0.0001")));
        assertEquals(List.of(d(DiscountKind.MULTI_YEAR, "1-year term", "12.5"), d(DiscountKind.SECTOR, "CHARITY",
                "7"), d(DiscountKind.SPECIAL, "launch", "0.0001")), valid);
        assertEquals(List.of(), ContractDiscounts.validate(List.of()));
        assertEquals(new BigDecimal("100"), ContractDiscounts.validate(List.of(d(DiscountKind.SPECIAL, "free",
                "1E+2"))).get(0).percent());
    }

    @Test
    void badDiscountsAreRefusedNamingTheField() {
        assertEquals("discounts[0].percent", refusedField(List.of(d(DiscountKind.SPECIAL, "x", "0"))));
        assertEquals("discounts[0].percent", refusedField(List.of(d(DiscountKind.SPECIAL, "x", "-1"))));
        assertEquals("discounts[0].percent", refusedField(List.of(d(DiscountKind.SPECIAL, "x", "100.0001"))));
        assertEquals("discounts[0].percent", refusedField(List.of(d(DiscountKind.SPECIAL, "x", "1.00001"))));
        assertEquals("discounts[0].percent", refusedField(List.of(d(DiscountKind.SPECIAL, "x", null))));
        assertEquals("discounts[0].kind", refusedField(List.of(d(null, "x", "1"))));
        assertEquals("discounts[0].name", refusedField(List.of(d(DiscountKind.SPECIAL, " ", "1"))));
        assertEquals("discounts[0].name", refusedField(List.of(d(DiscountKind.SPECIAL, "x".repeat(61), "1"))));
        assertEquals("discounts[0].name", refusedField(List.of(d(DiscountKind.SECTOR, "not a code", "1"))));
        assertEquals("discounts[1].kind", refusedField(List.of(d(DiscountKind.MULTI_YEAR, "a", "1"),
                d(DiscountKind.MULTI_YEAR, "b", "1"))));
        assertEquals("discounts[1].kind", refusedField(List.of(d(DiscountKind.SECTOR, "CHARITY", "1"),
                d(DiscountKind.SECTOR, "EDUCATION", "1"))));
        assertEquals("discounts[1]", refusedField(Arrays.asList(d(DiscountKind.SPECIAL, "a", "1"), null)));
        assertEquals("discounts", refusedField(List.of(d(DiscountKind.SPECIAL, "a", "1"), d(DiscountKind.SPECIAL,
                "b", "1"), d(DiscountKind.SPECIAL, "c", "1"), d(DiscountKind.SPECIAL, "d", "1"),
                d(DiscountKind.SPECIAL, "e", "1"), d(DiscountKind.SPECIAL, "f", "1"))));
    }

    @Test
    void ratesAreShownExactlyWithAtLeastTwoDecimals() {
        assertEquals(new BigDecimal("10.00"), ContractDiscounts.display(new BigDecimal("10.0000")));
        assertEquals(new BigDecimal("10.00"), ContractDiscounts.display(new BigDecimal("1E+1")));
        assertEquals(new BigDecimal("12.125"), ContractDiscounts.display(new BigDecimal("12.1250")));
    }
}
