package io.usersync.billing;

import static io.usersync.billing.BillingTestSupport.OPERATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.usersync.billing.api.BillingOperations;
import io.usersync.billing.api.BillingUsage;
import io.usersync.billing.api.Invoice;
import io.usersync.billing.api.LiveUsage;
import io.usersync.billing.api.Money;
import io.usersync.billing.api.PaymentStatus;
import io.usersync.billing.internal.invoice.InvoiceCloser;
import io.usersync.billing.internal.payment.PaymentGateways;
import io.usersync.billing.internal.payment.RecordingPaymentGateway;
import io.usersync.common.Jdbc;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code usersync.billing.payment.gateway=none}, production's default: no charge is attempted even with a payment
 * method on file, invoices stay outstanding, arrears and suspension notices accumulate as usual.
 */
@QuarkusTest
class NoPaymentProcessorTest {

    @Inject
    BillingTestSupport billing;

    @Inject
    BillingOperations operations;

    @Inject
    BillingUsage usage;

    @Inject
    RecordingPaymentGateway fake;

    @Inject
    InvoiceCloser closer;

    @Inject
    DataSource dataSource;

    @Inject
    PaymentGateways gateways;

    @BeforeEach
    void withoutProcessor() {
        // what usersync.billing.payment.gateway=none selects (ProductionProfileIT checks the configured default);
        // a @TestProfile would restart Quarkus mid-suite
        gateways.overrideSelection(Optional.empty());
    }

    @AfterEach
    void restore() {
        gateways.restoreSelection();
        billing.restoreClock();
    }

    @Test
    void withoutAProcessorNothingIsChargedAndInvoicesStayOutstanding() throws Exception {
        TestClock clock = billing.useClock("2024-01-12T09:00:00Z");
        UUID msp = Api.createMsp("No processor MSP");
        Api.createClient(msp, "One admin", Map.of());
        Api.as(Tokens.operator()).body(Map.of("paymentMethodOnFile", true)).patch("/api/msps/" + msp).then()
                .statusCode(200);
        billing.drain();
        clock.set("2024-02-12T00:11:00Z");
        // only this MSP: other MSPs in the shared database may be due as well
        assertEquals(1, closer.closeMsp(msp, clock.instant().minusSeconds(600)));
        operations.chargeOutstanding(msp);

        Invoice invoice = usage.invoice(OPERATOR, msp, usage.invoices(OPERATOR, msp, null, 1).items().getFirst().id());
        assertEquals(PaymentStatus.OUTSTANDING, invoice.payment().status(), "a payment method alone pays nothing");
        assertEquals(0, invoice.payment().attempts(), "no charge is attempted");
        assertNull(invoice.payment().reference());
        assertNull(invoice.payment().paidAt());
        assertEquals(0, chargeAttempts(msp));
        assertTrue(fake.chargesOf(msp).isEmpty(), "the recording fake is not used");
        LiveUsage live = usage.live(OPERATOR, msp);
        assertTrue(live.paymentMethodOnFile());
        assertEquals(1, live.outstanding().invoices());
        assertEquals(new Money("EUR", 200), live.outstanding().amount());

        Instant issued = invoice.issuedAt();
        clock.set(issued.plusSeconds(720 * 3600 + 60));
        operations.evaluateSuspensions();
        assertNotNull(usage.live(OPERATOR, msp).suspensionRecommended(), "arrears lead to the notice as usual");
    }

    private long chargeAttempts(UUID msp) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM billing_charge_attempt WHERE msp_id = ?")) {
            s.setBytes(1, Jdbc.bytes(msp));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
