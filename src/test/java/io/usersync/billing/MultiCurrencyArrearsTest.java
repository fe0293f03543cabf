package io.usersync.billing;

import static io.usersync.billing.BillingTestSupport.OPERATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.test.junit.QuarkusTest;
import io.usersync.billing.api.BillingOperations;
import io.usersync.billing.api.BillingUsage;
import io.usersync.billing.api.InvoiceSummary;
import io.usersync.billing.api.LiveUsage;
import io.usersync.billing.api.Money;
import io.usersync.billing.api.Notice;
import io.usersync.billing.api.PriceBand;
import io.usersync.billing.api.PriceBookChange;
import io.usersync.billing.api.PriceBooks;
import io.usersync.billing.api.PricingMode;
import io.usersync.billing.internal.invoice.InvoiceCloser;
import io.usersync.testing.Api;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Arrears in several currencies are reported per currency: never added up, nothing left out. */
@QuarkusTest
class MultiCurrencyArrearsTest {

    @Inject
    BillingTestSupport billing;

    @Inject
    BillingOperations operations;

    @Inject
    BillingUsage usage;

    @Inject
    PriceBooks priceBooks;

    @Inject
    InvoiceCloser closer;

    @AfterEach
    void restore() {
        billing.restoreClock();
    }

    @Test
    void theSuspensionNoticeReportsTheOutstandingAmountOfEveryCurrency() {
        TestClock clock = billing.useClock("2024-01-12T09:00:00Z");
        UUID msp = Api.createMsp("Two currency MSP");
        Api.createClient(msp, "One admin", Map.of());
        billing.drain();
        clock.set("2024-02-12T00:11:00Z");
        // only this MSP: other tests' MSPs in the shared database may be due as well
        assertEquals(1, closer.closeMsp(msp, clock.instant().minusSeconds(600))); // 1 user × 2.00 EUR (default)
        clock.set("2024-02-20T10:00:00Z");
        priceBooks.replace(OPERATOR, msp, new PriceBookChange("GBP", PricingMode.VOLUME,
                List.of(new PriceBand(1, new BigDecimal("1.50")))));
        clock.set("2024-03-12T00:11:00Z");
        assertEquals(1, closer.closeMsp(msp, clock.instant().minusSeconds(600))); // 1 user × 1.50 GBP
        List<InvoiceSummary> invoices = usage.invoices(OPERATOR, msp, null, 10).items();
        assertEquals(List.of(new Money("GBP", 150), new Money("EUR", 200)),
                invoices.stream().map(InvoiceSummary::total).toList());

        LiveUsage live = usage.live(OPERATOR, msp);
        assertEquals(2, live.outstanding().invoices());
        assertEquals(List.of(new Money("EUR", 200), new Money("GBP", 150)), live.outstanding().byCurrency());
        assertEquals(new Money("EUR", 200), live.outstanding().amount(), "the oldest invoice's currency");

        clock.set(invoices.getLast().issuedAt().plusSeconds(720 * 3600 + 60));
        operations.evaluateSuspensions();
        Notice notice = usage.live(OPERATOR, msp).suspensionRecommended();
        assertNotNull(notice);
        assertEquals(invoices.getLast().id(), notice.oldestInvoiceId());
        assertEquals(List.of(new Money("EUR", 200), new Money("GBP", 150)), notice.outstandingByCurrency(),
                "every currency, none added to another");
        assertEquals(new Money("EUR", 200), notice.outstanding());
        assertEquals(notice, usage.notices(OPERATOR, msp).getFirst());
    }
}
