package io.usersync.billing;

import static io.usersync.billing.BillingTestSupport.OPERATOR;
import static io.usersync.billing.BillingTestSupport.client;
import static io.usersync.billing.BillingTestSupport.mspCreated;
import static io.usersync.billing.BillingTestSupport.user;
import static io.usersync.tenant.BillingModel.MONTHLY;
import static io.usersync.tenant.ClientStatus.ACTIVE;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.quarkus.test.junit.QuarkusTest;
import io.usersync.billing.api.BillingOperations;
import io.usersync.billing.api.BillingUsage;
import io.usersync.billing.api.Invoice;
import io.usersync.billing.api.InvoiceSummary;
import io.usersync.billing.api.LiveUsage;
import io.usersync.billing.api.Money;
import io.usersync.billing.api.Notice;
import io.usersync.billing.api.PaymentGateway;
import io.usersync.billing.api.PaymentStatus;
import io.usersync.billing.api.PriceBand;
import io.usersync.billing.api.PriceBookChange;
import io.usersync.billing.api.PriceBooks;
import io.usersync.billing.api.PricingMode;
import io.usersync.billing.internal.invoice.InvoiceCloser;
import io.usersync.billing.internal.payment.RecordingPaymentGateway;
import io.usersync.common.Ids;
import io.usersync.common.Jdbc;
import io.usersync.events.OutboxEvent;
import io.usersync.testing.Api;
import io.usersync.testing.Management;
import io.usersync.testing.Tokens;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Closing periods into invoices, and getting them paid. */
@QuarkusTest
class InvoicingTest {

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

    @Inject
    RecordingPaymentGateway gateway;

    @Inject
    DataSource dataSource;

    @AfterEach
    void restore() {
        billing.restoreClock();
    }

    /** An MSP (events only) with {@code users} billable users from 2 July 2024, period 0 = July. */
    UUID mspWithUsers(int users) {
        UUID msp = Ids.newId();
        UUID c = Ids.newId();
        List<OutboxEvent> events = new ArrayList<>(List.of(mspCreated(msp, "2024-07-01T08:00:00Z"),
                client(msp, c, "2024-07-01T09:00:00Z", ACTIVE, MONTHLY)));
        for (int i = 0; i < users; i++) {
            events.add(user(msp, c, Ids.newId(), "2024-07-02T10:00:00Z", true));
        }
        billing.write(events);
        billing.drain();
        return msp;
    }

    Invoice onlyInvoice(UUID msp) {
        List<InvoiceSummary> items = usage.invoices(OPERATOR, msp, null, 10).items();
        assertEquals(1, items.size(), "invoices of " + msp);
        return usage.invoice(OPERATOR, msp, items.getFirst().id());
    }

    @Test
    void volumeAndGraduatedPricingAtTheBandEdges() {
        TestClock clock = billing.useClock("2024-07-01T08:00:00Z");
        Map<String, Long> expected = Map.of("VOLUME 99", 19800L, "VOLUME 100", 18000L, "VOLUME 101", 18180L,
                "GRADUATED 99", 19800L, "GRADUATED 100", 19980L, "GRADUATED 101", 20160L);
        Map<String, UUID> msps = new java.util.TreeMap<>();
        for (String key : expected.keySet()) {
            String[] parts = key.split(" ");
            UUID msp = mspWithUsers(Integer.parseInt(parts[1]));
            priceBooks.replace(OPERATOR, msp, new PriceBookChange("EUR", PricingMode.valueOf(parts[0]),
                    List.of(new PriceBand(1, new BigDecimal("2.00")), new PriceBand(100, new BigDecimal("1.80")))));
            msps.put(key, msp);
        }
        clock.set("2024-08-01T00:10:01Z");
        for (Map.Entry<String, UUID> e : msps.entrySet()) {
            assertEquals(1, closer.closeMsp(e.getValue(), clock.instant().minusSeconds(600)));
            Invoice invoice = onlyInvoice(e.getValue());
            assertEquals(new Money("EUR", expected.get(e.getKey())), invoice.total(), e.getKey());
            assertEquals(invoice.total().minor(), invoice.lines().stream().mapToLong(l -> l.amount().minor()).sum());
            assertEquals(1, invoice.priceBookVersion());
        }
        Invoice graduated = onlyInvoice(msps.get("GRADUATED 101"));
        assertEquals(List.of(99L, 2L), graduated.lines().stream().map(l -> l.quantity()).toList());
        assertEquals(List.of("2.00", "1.80"), graduated.lines().stream().map(l -> l.unitPrice().toPlainString())
                .toList());
        assertEquals(java.util.Arrays.asList(99, null), graduated.lines().stream().map(l -> l.bandTo()).toList());
        Invoice volume = onlyInvoice(msps.get("VOLUME 100"));
        assertEquals(1, volume.lines().size());
        assertEquals(100, volume.lines().getFirst().bandFrom());
        assertEquals(100, volume.lines().getFirst().quantity());
    }

    @Test
    void twoClosersRacingIssueExactlyOneInvoicePerPeriod() throws Exception {
        TestClock clock = billing.useClock("2024-07-01T08:00:00Z");
        UUID msp = mspWithUsers(3);
        clock.set("2024-09-01T01:00:00Z"); // July and August are both due
        Instant cutoff = clock.instant().minusSeconds(600);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return closer.closeMsp(msp, cutoff);
                }));
                results.add(pool.submit(() -> {
                    start.await();
                    operations.closeDuePeriods();
                    return 0;
                }));
            }
            start.countDown();
            for (Future<Integer> result : results) {
                result.get();
            }
        } finally {
            pool.shutdown();
        }
        List<InvoiceSummary> invoices = usage.invoices(OPERATOR, msp, null, 10).items();
        assertEquals(List.of(1, 0), invoices.stream().map(i -> i.period().index()).toList());
        assertEquals(0, closer.closeMsp(msp, cutoff), "nothing is left to issue");
        assertEquals(2, count("SELECT COUNT(*) FROM billing_invoice WHERE msp_id = ?", msp));
    }

    @Test
    void noInvoiceBeforeTheGraceOrWhileAnEarlierEventIsUnconsumed() {
        TestClock clock = billing.useClock("2024-07-01T08:00:00Z");
        UUID msp = mspWithUsers(2);
        UUID c = usage.period(OPERATOR, msp, 0).clients().getFirst().clientId();
        // a change dated just before the period end, still in the outbox (its consumer is late)
        billing.write(user(msp, c, Ids.newId(), "2024-07-31T23:59:00Z", true));
        clock.set("2024-08-01T00:05:00Z");
        operations.closeDuePeriods();
        assertEquals(0, invoiceCount(msp), "within the close grace");
        clock.set("2024-08-01T00:30:00Z");
        assertEquals(0, closer.closeMsp(msp, clock.instant().minusSeconds(600)), "held back by the watermark");
        assertEquals(0, invoiceCount(msp));

        billing.drain();
        // an unconsumed change dated after the period end does not hold the invoice back
        billing.write(user(msp, c, Ids.newId(), "2024-08-01T00:20:00Z", true));
        assertEquals(1, closer.closeMsp(msp, clock.instant().minusSeconds(600)));
        Invoice invoice = onlyInvoice(msp);
        assertEquals(3, invoice.peak().users(), "the late change is included");
        assertEquals(Instant.parse("2024-07-31T23:59:00Z"), invoice.peak().at());
        billing.drain();
    }

    @Test
    void anIssuedInvoiceNeverChanges() throws Exception {
        TestClock clock = billing.useClock("2024-07-01T08:00:00Z");
        UUID msp = mspWithUsers(2);
        UUID c = usage.period(OPERATOR, msp, 0).clients().getFirst().clientId();
        clock.set("2024-08-01T00:30:00Z");
        assertEquals(1, closer.closeMsp(msp, clock.instant().minusSeconds(600)));
        Invoice issued = onlyInvoice(msp);
        double lateBefore = lateEvents();

        // a change dated inside the invoiced period arrives after all (e.g. a transaction beyond the timeout)
        billing.write(user(msp, c, Ids.newId(), "2024-07-20T00:00:00Z", true));
        billing.drain();
        assertEquals(issued, onlyInvoice(msp));
        assertEquals(2, usage.period(OPERATOR, msp, 0).summary().peak().users(), "the period shows its invoice");
        assertEquals(3, usage.live(OPERATOR, msp).currentBillableUsers(), "the ledger itself has the change");
        assertTrue(lateEvents() > lateBefore, "the late change is counted in the metric");
    }

    @Test
    void arrearsAreChargedAtOnceWhenACardIsAddedAndNeverTwice() throws Exception {
        TestClock clock = billing.useClock("2024-01-10T09:00:00Z");
        UUID msp = Api.createMsp("Arrears MSP");
        Api.createClient(msp, "One admin", Map.of());
        billing.drain();
        for (String at : List.of("2024-02-10T00:11:00Z", "2024-03-10T00:11:00Z", "2024-04-10T00:11:00Z")) {
            clock.set(at);
            operations.closeDuePeriods();
        }
        List<InvoiceSummary> invoices = usage.invoices(OPERATOR, msp, null, 10).items();
        assertEquals(3, invoices.size());
        assertTrue(invoices.stream().allMatch(i -> i.status() == PaymentStatus.OUTSTANDING && i.total().minor() == 200));
        assertEquals(0, gateway.chargesOf(msp).size(), "no payment method: nothing is charged");
        LiveUsage live = usage.live(OPERATOR, msp);
        assertEquals(3, live.outstanding().invoices());
        assertEquals(new Money("EUR", 600), live.outstanding().amount());

        clock.set("2024-04-12T10:00:00Z");
        Api.as(Tokens.operator()).body(Map.of("paymentMethodOnFile", true)).patch("/api/msps/" + msp).then()
                .statusCode(200);
        billing.drain();
        assertEquals(3, gateway.chargesOf(msp).size(), "every outstanding invoice is charged at once");
        assertTrue(usage.invoices(OPERATOR, msp, null, 10).items().stream()
                .allMatch(i -> i.status() == PaymentStatus.PAID));
        assertEquals(0, usage.live(OPERATOR, msp).outstanding().invoices());

        // retries and a re-added card charge nothing more
        operations.chargeOutstanding(msp);
        Api.as(Tokens.operator()).body(Map.of("paymentMethodOnFile", false)).patch("/api/msps/" + msp);
        Api.as(Tokens.operator()).body(Map.of("paymentMethodOnFile", true)).patch("/api/msps/" + msp);
        billing.drain();
        assertEquals(3, gateway.chargesOf(msp).size());
        assertEquals(3, gateway.chargesOf(msp).stream().map(RecordingPaymentGateway.Charge::idempotencyKey)
                .distinct().count());

        // a declined charge stays outstanding; the next attempt is a new request, and a lost answer is not
        // charged again
        gateway.declineFor(msp, true);
        clock.set("2024-05-10T00:11:00Z");
        operations.closeDuePeriods();
        Invoice may = usage.invoice(OPERATOR, msp, usage.invoices(OPERATOR, msp, null, 1).items().getFirst().id());
        assertEquals(PaymentStatus.OUTSTANDING, may.payment().status());
        assertEquals(1, may.payment().attempts());
        assertNotNull(may.payment().lastFailure());
        gateway.declineFor(msp, false);
        String key = currentKey(msp, may.id());
        PaymentGateway.ChargeResult lost = gateway.charge(new PaymentGateway.ChargeRequest(key, msp, may.id(),
                may.total(), "charged, but the answer never arrived"));
        assertEquals(4, gateway.chargesOf(msp).size());
        operations.chargeOutstanding(msp);
        assertEquals(4, gateway.chargesOf(msp).size(), "the retry with the same key is not a second charge");
        Invoice paid = usage.invoice(OPERATOR, msp, may.id());
        assertEquals(PaymentStatus.PAID, paid.payment().status());
        assertEquals(lost.reference(), paid.payment().reference());
        assertEquals(may.total(), paid.total());
    }

    @Test
    void invoicesOutstandingTooLongRecommendSuspension() {
        TestClock clock = billing.useClock("2024-01-12T09:00:00Z");
        UUID msp = Api.createMsp("Overdue MSP");
        Api.createClient(msp, "One admin", Map.of());
        billing.drain();
        clock.set("2024-02-12T00:11:00Z");
        operations.closeDuePeriods();
        Instant issued = usage.invoices(OPERATOR, msp, null, 1).items().getFirst().issuedAt();

        clock.set(issued.plusSeconds(720 * 3600 - 60));
        operations.evaluateSuspensions();
        assertNull(usage.live(OPERATOR, msp).suspensionRecommended(), "not yet beyond the threshold");

        clock.set(issued.plusSeconds(720 * 3600 + 60));
        operations.evaluateSuspensions();
        operations.evaluateSuspensions(); // idempotent
        Notice notice = usage.live(OPERATOR, msp).suspensionRecommended();
        assertNotNull(notice);
        assertEquals(Notice.SUSPENSION_RECOMMENDED, notice.kind());
        assertEquals(issued, notice.outstandingSince());
        assertEquals(new Money("EUR", 200), notice.outstanding());
        Api.as(Tokens.mspAdmin(msp)).get("/api/msps/" + msp + "/billing/usage").then().statusCode(200)
                .body("suspensionRecommended", org.hamcrest.Matchers.equalTo(true))
                .body("outstanding.byCurrency.currency", org.hamcrest.Matchers.equalTo(List.of("EUR")))
                .body("outstanding.byCurrency.minor", org.hamcrest.Matchers.equalTo(List.of(200)));
        Api.as(Tokens.mspAdmin(msp)).get("/api/msps/" + msp + "/billing/notices").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(1)).body("[0].open", org.hamcrest.Matchers.equalTo(true))
                .body("[0].outstandingByCurrency.minor", org.hamcrest.Matchers.equalTo(List.of(200)));
        Management.given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.not(containsString("usersync_billing_suspension_recommended 0.0")));

        Api.as(Tokens.operator()).body(Map.of("paymentMethodOnFile", true)).patch("/api/msps/" + msp).then()
                .statusCode(200);
        billing.drain();
        operations.evaluateSuspensions();
        assertNull(usage.live(OPERATOR, msp).suspensionRecommended(), "cleared once paid");
        List<Notice> notices = usage.notices(OPERATOR, msp);
        assertEquals(1, notices.size());
        assertNotNull(notices.getFirst().clearedAt(), "the notice stays on record");
    }

    private String currentKey(UUID msp, UUID invoice) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT idempotency_key FROM billing_payment WHERE msp_id = ? AND invoice_id = ?")) {
            s.setBytes(1, Jdbc.bytes(msp));
            s.setBytes(2, Jdbc.bytes(invoice));
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    private long invoiceCount(UUID msp) {
        try {
            return count("SELECT COUNT(*) FROM billing_invoice WHERE msp_id = ?", msp);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql, UUID msp) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setBytes(1, Jdbc.bytes(msp));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static double lateEvents() {
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("usersync_billing_events_late_total")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
