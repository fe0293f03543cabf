package io.usersync.billing.contracts;

import static io.usersync.billing.BillingFixtures.contractClient;
import static io.usersync.billing.BillingTestSupport.OPERATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.usersync.billing.BillingTestSupport;
import io.usersync.billing.TestClock;
import io.usersync.billing.api.BillingOperations;
import io.usersync.billing.api.BillingUsage;
import io.usersync.billing.api.Contracts;
import io.usersync.billing.api.LiveUsage;
import io.usersync.billing.api.Money;
import io.usersync.billing.api.Notice;
import io.usersync.billing.api.PaymentStatus;
import io.usersync.billing.internal.payment.Charger;
import io.usersync.billing.internal.payment.RecordingPaymentGateway;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Contract invoices are collected through the same payment path as monthly invoices. */
@QuarkusTest
class ContractCollectionTest {

    @Inject
    BillingTestSupport billing;

    @Inject
    BillingOperations operations;

    @Inject
    BillingUsage usage;

    @Inject
    Contracts contracts;

    @Inject
    Charger charger;

    @Inject
    RecordingPaymentGateway gateway;

    @AfterEach
    void restore() {
        billing.restoreClock();
    }

    @Test
    void contractInvoicesStayOutstandingUntilChargedAndCountInArrears() {
        TestClock clock = billing.useClock("2025-01-10T09:00:00Z");
        UUID msp = Api.createMsp("contract collection msp");
        UUID client = contractClient(msp, "annual client");
        billing.drain();
        UUID contractId = ContractApiTest.createContract(msp, client, Map.of("termYears", 1, "blocks", 1));
        Contracts.Invoice initial = contracts.get(OPERATOR, client, contractId).invoices().getFirst();
        assertTrue(initial.totalMinor() > 0);
        assertEquals(PaymentStatus.OUTSTANDING, initial.payment().status(), "no payment method: outstanding");
        operations.chargeOutstanding(msp);
        assertTrue(gateway.chargesOf(msp).isEmpty(), "nothing to charge without a payment method");

        LiveUsage live = usage.live(OPERATOR, msp);
        assertEquals(1, live.outstanding().invoices(), "the contract invoice is in the arrears");
        assertEquals(new Money(initial.currency(), initial.totalMinor()), live.outstanding().amount());

        clock.set(initial.issuedAt().plusSeconds(720 * 3600 + 60));
        operations.evaluateSuspensions();
        Notice notice = usage.live(OPERATOR, msp).suspensionRecommended();
        assertNotNull(notice, "an overdue contract invoice recommends suspension");
        assertEquals(initial.id(), notice.oldestInvoiceId());
        assertEquals(new Money(initial.currency(), initial.totalMinor()), notice.outstanding());

        // a payment method is added: the contract invoice is charged at once, exactly once
        Api.as(Tokens.operator()).body(Map.of("paymentMethodOnFile", true)).patch("/api/msps/" + msp).then()
                .statusCode(200);
        billing.drain();
        List<RecordingPaymentGateway.Charge> charges = gateway.chargesOf(msp);
        assertEquals(1, charges.size());
        assertEquals(initial.id(), charges.getFirst().invoiceId());
        assertEquals(new Money(initial.currency(), initial.totalMinor()), charges.getFirst().amount());
        Contracts.Invoice paid = contracts.get(OPERATOR, client, contractId).invoices().getFirst();
        assertEquals(PaymentStatus.PAID, paid.payment().status());
        assertEquals(charges.getFirst().reference(), paid.payment().reference());
        assertEquals(0, usage.live(OPERATOR, msp).outstanding().invoices());
        operations.evaluateSuspensions();
        assertNull(usage.live(OPERATOR, msp).suspensionRecommended(), "cleared once paid");

        // an upgrade with the card on file: outstanding after the request, charged by the billing round
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("blocks", 2))
                .post(ContractApiTest.contractsPath(client) + "/" + contractId + "/upgrade").then().statusCode(200);
        Contracts.Invoice upgrade = contracts.get(OPERATOR, client, contractId).invoices().getLast();
        assertEquals(Contracts.InvoiceKind.UPGRADE, upgrade.kind());
        assertEquals(PaymentStatus.OUTSTANDING, upgrade.payment().status());
        charger.chargeOutstanding(msp, false); // what the billing round does for this MSP
        assertEquals(PaymentStatus.PAID, contracts.get(OPERATOR, client, contractId).invoices().getLast().payment()
                .status());
        assertEquals(2, gateway.chargesOf(msp).size());
        charger.chargeOutstanding(msp, true);
        assertEquals(2, gateway.chargesOf(msp).size(), "never charged twice");
    }
}
