package io.usersync.billing.internal.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usersync.billing.api.PriceBand;
import io.usersync.billing.api.PriceBook;
import io.usersync.billing.api.PriceBookChange;
import io.usersync.billing.api.PricingMode;
import io.usersync.common.error.DomainException;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PricingTest {

    static PriceBook book(PricingMode mode) {
        return new PriceBook(null, 1, null, "EUR", mode, List.of(new PriceBand(1, new BigDecimal("2.00")),
                new PriceBand(100, new BigDecimal("1.80")), new PriceBand(250, new BigDecimal("1.60"))));
    }

    @ParameterizedTest
    @CsvSource({
            "VOLUME, 0, 0",
            "VOLUME, 1, 200",
            "VOLUME, 99, 19800",
            "VOLUME, 100, 18000",
            "VOLUME, 101, 18180",
            "VOLUME, 250, 40000",
            "GRADUATED, 99, 19800",
            "GRADUATED, 100, 19980",
            "GRADUATED, 101, 20160",
            "GRADUATED, 251, 19800+27000+320" })
    void bandEdges(PricingMode mode, long peak, String expectedMinor) {
        long expected = java.util.Arrays.stream(expectedMinor.split("\\+")).mapToLong(Long::parseLong).sum();
        assertEquals(expected, Pricing.total(Pricing.price(book(mode), peak)));
    }

    @Test
    void linesShowBandsQuantitiesAndUnitPrices() {
        List<Pricing.Line> graduated = Pricing.price(book(PricingMode.GRADUATED), 101);
        assertEquals(List.of(new Pricing.Line(1, 99, 99, new BigDecimal("2.00"), 19800),
                new Pricing.Line(100, 249, 2, new BigDecimal("1.80"), 360)), graduated);
        assertEquals(List.of(new Pricing.Line(100, 249, 101, new BigDecimal("1.80"), 18180)),
                Pricing.price(book(PricingMode.VOLUME), 101));
        assertTrue(Pricing.price(book(PricingMode.VOLUME), 0).isEmpty());
    }

    @Test
    void eachLineIsRoundedHalfUpToTheMinorUnitOnce() {
        Currency eur = Currency.getInstance("EUR");
        assertEquals(1, Pricing.amountMinor(1, new BigDecimal("0.005"), eur)); // 0.005 -> 0.01
        assertEquals(0, Pricing.amountMinor(1, new BigDecimal("0.004999"), eur));
        assertEquals(1, Pricing.amountMinor(3, new BigDecimal("0.0049"), eur)); // exact 0.0147 -> 0.01
        assertEquals(1234, Pricing.amountMinor(1000, new BigDecimal("1.2344"), Currency.getInstance("JPY")));
        assertEquals(1235, Pricing.amountMinor(1, new BigDecimal("1234.5"), Currency.getInstance("JPY")));
        assertEquals(12346, Pricing.amountMinor(1, new BigDecimal("12.3455"), Currency.getInstance("KWD")));
    }

    @Test
    void priceBooksAreValidatedFieldByField() {
        assertField("currency", new PriceBookChange("EURO", null, List.of(new PriceBand(1, BigDecimal.ONE))));
        assertField("currency", new PriceBookChange("ZZZ", null, List.of(new PriceBand(1, BigDecimal.ONE))));
        assertField("currency", new PriceBookChange("XXX", null, List.of(new PriceBand(1, BigDecimal.ONE))));
        assertField("bands", new PriceBookChange("EUR", null, List.of()));
        assertField("bands[0].fromUsers", new PriceBookChange("EUR", null, List.of(new PriceBand(2, BigDecimal.ONE))));
        assertField("bands[1].fromUsers", new PriceBookChange("EUR", null, List.of(new PriceBand(1, BigDecimal.ONE),
                new PriceBand(1, BigDecimal.ONE))));
        assertField("bands[0].unitPrice", new PriceBookChange("EUR", null, List.of(new PriceBand(1, null))));
        assertField("bands[0].unitPrice", new PriceBookChange("EUR", null,
                List.of(new PriceBand(1, new BigDecimal("-0.01")))));
        assertField("bands[0].unitPrice", new PriceBookChange("EUR", null,
                List.of(new PriceBand(1, new BigDecimal("0.0000001")))));
        PriceBookChange ok = PriceBookService.validate(new PriceBookChange("usd", null,
                List.of(new PriceBand(1, new BigDecimal("2.500")), new PriceBand(100, new BigDecimal("1E+1")))));
        assertEquals("USD", ok.currency());
        assertEquals(PricingMode.VOLUME, ok.mode(), "volume pricing is the default");
        assertEquals("2.50", ok.bands().get(0).unitPrice().toPlainString());
        assertEquals("10.00", ok.bands().get(1).unitPrice().toPlainString());
    }

    private static void assertField(String field, PriceBookChange change) {
        DomainException e = assertThrows(DomainException.class, () -> PriceBookService.validate(change));
        assertEquals(field, e.fields().getFirst().field(), e.getMessage());
    }
}
