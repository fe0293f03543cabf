package io.usersync.billing;

import static io.usersync.billing.BillingTestSupport.OPERATOR;
import static io.usersync.billing.BillingTestSupport.client;
import static io.usersync.billing.BillingTestSupport.mspCreated;
import static io.usersync.billing.BillingTestSupport.user;
import static io.usersync.tenant.BillingModel.MONTHLY;
import static io.usersync.tenant.ClientStatus.ACTIVE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.usersync.billing.api.BillingUsage;
import io.usersync.billing.api.Invoice;
import io.usersync.billing.api.InvoiceSummary;
import io.usersync.billing.api.Money;
import io.usersync.billing.api.PriceBand;
import io.usersync.billing.api.PriceBookChange;
import io.usersync.billing.api.PriceBooks;
import io.usersync.billing.api.PricingMode;
import io.usersync.billing.internal.invoice.InvoiceCloser;
import io.usersync.common.Ids;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pins the documented price book rule (see {@link PriceBooks}): a period is priced with the version in force at
 * its end, so a version set mid-period prices the whole period; one set exactly at the end prices the next.
 */
@QuarkusTest
class PriceBookPeriodTest {

    @Inject
    BillingTestSupport billing;

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
    void aVersionSetMidPeriodPricesTheWholePeriod() {
        TestClock clock = billing.useClock("2024-07-01T08:00:00Z");
        UUID msp = Ids.newId();
        UUID c = Ids.newId();
        billing.write(List.of(mspCreated(msp, "2024-07-01T08:00:00Z"),
                client(msp, c, "2024-07-01T09:00:00Z", ACTIVE, MONTHLY),
                user(msp, c, Ids.newId(), "2024-07-02T10:00:00Z", true),
                user(msp, c, Ids.newId(), "2024-07-02T10:00:00Z", true),
                user(msp, c, Ids.newId(), "2024-07-02T10:00:00Z", true)));
        billing.drain();
        clock.set("2024-07-25T12:00:00Z");
        priceBooks.replace(OPERATOR, msp, new PriceBookChange("EUR", PricingMode.VOLUME,
                List.of(new PriceBand(1, new BigDecimal("3.00")))));
        clock.set("2024-08-01T00:00:00Z"); // exactly the end of July
        priceBooks.replace(OPERATOR, msp, new PriceBookChange("EUR", PricingMode.VOLUME,
                List.of(new PriceBand(1, new BigDecimal("5.00")))));

        clock.set("2024-09-01T00:10:01Z");
        assertEquals(2, closer.closeMsp(msp, clock.instant().minusSeconds(600)));
        List<InvoiceSummary> invoices = usage.invoices(OPERATOR, msp, null, 10).items();
        Invoice july = usage.invoice(OPERATOR, msp, invoices.getLast().id());
        Invoice august = usage.invoice(OPERATOR, msp, invoices.getFirst().id());
        assertEquals(0, july.period().index());
        assertEquals(1, july.priceBookVersion(), "set on 25 July: prices all of July, from the 1st");
        assertEquals(new Money("EUR", 900), july.total(), "3 users × 3.00, not pro-rated with the default 2.00");
        assertEquals(2, august.priceBookVersion(), "set at the end of July: prices August");
        assertEquals(new Money("EUR", 1500), august.total());
    }
}
