package io.usersync.billing.internal.payment;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.usersync.billing.api.Money;
import io.usersync.billing.api.PaymentGateway;
import io.usersync.billing.api.PaymentGateway.ChargeRequest;
import io.usersync.billing.api.PaymentGateway.ChargeResult;
import io.usersync.billing.internal.Account;
import io.usersync.billing.internal.AccountStore;
import io.usersync.billing.internal.BillingConfig;
import io.usersync.billing.internal.BillingMetrics;
import io.usersync.billing.internal.Sql;
import io.usersync.common.Ids;
import io.usersync.common.time.AppClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Charges outstanding invoices — monthly and contract invoices alike, both have a {@code billing_payment} row
 * ({@link #recordIssued}) — through the {@link PaymentGateway}. An invoice stays outstanding while its MSP has
 * no payment method; arrears accumulate. When a method is added, every outstanding invoice is charged at once,
 * oldest first. Each request carries the invoice's current idempotency key:
 * <ul>
 * <li>success → PAID (a retry with the same key returns the same charge, so a crash after the gateway call but
 * before the result is stored cannot charge twice);</li>
 * <li>an exception (outcome unknown) → the next attempt reuses the same key;</li>
 * <li>a decline (nothing charged) → the key generation moves on so the next attempt is a new charge.</li>
 * </ul>
 * The gateway is called outside any transaction; results are stored in their own short transaction. With no
 * payment processor configured ({@code usersync.billing.payment.gateway=none}, see {@link PaymentGateways})
 * nothing is attempted at all: invoices stay outstanding with no attempt recorded, and count as arrears.
 */
@ApplicationScoped
public class Charger {

    private static final Logger LOG = Logger.getLogger(Charger.class);

    @Inject
    DataSource dataSource;

    @Inject
    PaymentGateways gateways;

    @Inject
    AppClock clock;

    @Inject
    BillingConfig config;

    @Inject
    BillingMetrics metrics;

    private record Due(UUID invoiceId, String source, Money amount, String idempotencyKey) {
    }

    /** {@code billing_payment.invoice_source} of a monthly invoice ({@code billing_invoice}). */
    public static final String SOURCE_MONTHLY = "MONTHLY";

    /** {@code billing_payment.invoice_source} of a contract invoice ({@code billing_contract_invoice}). */
    public static final String SOURCE_CONTRACT = "CONTRACT";

    /**
     * Records the payment state of a newly issued invoice, monthly or contract, in the issuing transaction:
     * outstanding when there is something to pay, otherwise nothing due. From then on both kinds are charged,
     * counted in arrears and flagged for suspension alike.
     */
    public static void recordIssued(Connection c, UUID mspId, UUID invoiceId, String source, long totalMinor,
            String currency, Instant issuedAt) {
        Sql.update(c, "INSERT INTO billing_payment (msp_id, invoice_id, invoice_source, status, amount_minor,"
                + " currency, issued_at, key_generation, idempotency_key, attempts)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, 0)", mspId, invoiceId, source,
                totalMinor > 0 ? "OUTSTANDING" : "NOTHING_DUE", totalMinor, currency, issuedAt,
                idempotencyKey(invoiceId, 0));
        AccountStore.touch(c, mspId); // the live usage shows the arrears
    }

    /** The idempotency key of an invoice's charge for a key generation. */
    public static String idempotencyKey(UUID invoiceId, int generation) {
        return "usersync-inv-" + invoiceId + "-" + generation;
    }

    /**
     * Charges the MSP's outstanding invoices if it has a payment method on file.
     *
     * @param immediately ignore the retry interval (a payment method was just added, or an invoice just issued)
     * @return invoices paid by this call
     */
    public int chargeOutstanding(UUID mspId, boolean immediately) {
        PaymentGateway gateway = gateways.active().orElse(null);
        if (gateway == null) {
            return 0; // no payment processor: nothing is charged, the invoices stay outstanding
        }
        Instant retryBefore = clock.now().minus(config.payment().retryInterval());
        List<Due> due = QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                Account account = AccountStore.find(c, mspId);
                if (account == null || !account.paymentMethodOnFile()) {
                    return List.<Due>of();
                }
                return Sql.query(c, "SELECT invoice_id, invoice_source, amount_minor, currency, idempotency_key"
                        + " FROM billing_payment"
                        + " WHERE msp_id = ? AND status = 'OUTSTANDING'"
                        + (immediately ? "" : " AND (last_attempt_at IS NULL OR last_attempt_at <= ?)")
                        + " ORDER BY issued_at", rs -> new Due(Sql.uuid(rs, "invoice_id"),
                                rs.getString("invoice_source"), new Money(rs.getString("currency"), rs.getLong("amount_minor")),
                                rs.getString("idempotency_key")),
                        immediately ? new Object[] { mspId } : new Object[] { mspId, retryBefore });
            }
        });
        int paid = 0;
        for (Due invoice : due) {
            ChargeResult result;
            String error = null;
            try {
                result = gateway.charge(new ChargeRequest(invoice.idempotencyKey(), mspId, invoice.invoiceId(),
                        invoice.amount(), (SOURCE_CONTRACT.equals(invoice.source()) ? "usersync contract invoice "
                                : "usersync invoice ") + invoice.invoiceId()));
            } catch (RuntimeException e) {
                result = null;
                error = "payment gateway error (" + e.getClass().getSimpleName() + "); will retry";
                LOG.warnf("charging invoice %s failed with an unknown outcome: %s", invoice.invoiceId(), e.toString());
            }
            record(mspId, invoice, result, error);
            if (result != null && result.succeeded()) {
                paid++;
            }
        }
        return paid;
    }

    /** Retries outstanding invoices of MSPs with a payment method whose last attempt is older than the interval. */
    public int retryDue() {
        if (gateways.active().isEmpty()) {
            return 0;
        }
        Instant retryBefore = clock.now().minus(config.payment().retryInterval());
        List<UUID> msps = QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return Sql.query(c, "SELECT DISTINCT p.msp_id FROM billing_payment p"
                        + " JOIN billing_account a ON a.msp_id = p.msp_id"
                        + " WHERE p.status = 'OUTSTANDING' AND a.payment_method_on_file = TRUE"
                        + " AND (p.last_attempt_at IS NULL OR p.last_attempt_at <= ?)",
                        rs -> Sql.uuid(rs, "msp_id"), retryBefore);
            }
        });
        int paid = 0;
        for (UUID msp : msps) {
            paid += chargeOutstanding(msp, false);
        }
        return paid;
    }

    private void record(UUID mspId, Due invoice, ChargeResult result, String error) {
        Instant now = clock.now();
        String outcome = result == null ? "ERROR" : result.succeeded() ? "SUCCEEDED" : "DECLINED";
        String failure = result == null ? error : result.succeeded() ? null : truncate(result.failureReason());
        String reference = result == null ? null : truncate(result.reference());
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                AccountStore.touch(c, mspId);
                Sql.update(c, "INSERT INTO billing_charge_attempt (id, msp_id, invoice_id, attempted_at, outcome,"
                        + " reference, failure) VALUES (?, ?, ?, ?, ?, ?, ?)", Ids.newId(), mspId,
                        invoice.invoiceId(), now, outcome, reference, failure);
                if ("SUCCEEDED".equals(outcome)) {
                    Sql.update(c, "UPDATE billing_payment SET attempts = attempts + 1, last_attempt_at = ?,"
                            + " last_failure = NULL, status = 'PAID', paid_at = COALESCE(paid_at, ?),"
                            + " reference = COALESCE(reference, ?) WHERE msp_id = ? AND invoice_id = ?",
                            now, now, reference, mspId, invoice.invoiceId());
                } else if ("DECLINED".equals(outcome)) {
                    // Nothing was charged: the next attempt (e.g. with a new card) must be a new request. Only the
                    // attempt that still holds the current key moves it on, so racing replicas move it once.
                    Sql.update(c, "UPDATE billing_payment SET attempts = attempts + 1, last_attempt_at = ?,"
                            + " last_failure = ?,"
                            + " idempotency_key = CONCAT('usersync-inv-', ?, '-', key_generation + 1),"
                            + " key_generation = key_generation + 1"
                            + " WHERE msp_id = ? AND invoice_id = ? AND status = 'OUTSTANDING'"
                            + " AND idempotency_key = ?", now, failure, invoice.invoiceId().toString(), mspId,
                            invoice.invoiceId(), invoice.idempotencyKey());
                } else {
                    Sql.update(c, "UPDATE billing_payment SET attempts = attempts + 1, last_attempt_at = ?,"
                            + " last_failure = ? WHERE msp_id = ? AND invoice_id = ? AND status = 'OUTSTANDING'",
                            now, failure, mspId, invoice.invoiceId());
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        metrics.charge(outcome.toLowerCase(java.util.Locale.ROOT));
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 200 ? text : text.substring(0, 200);
    }
}
