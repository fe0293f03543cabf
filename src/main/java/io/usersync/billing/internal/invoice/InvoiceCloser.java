package io.usersync.billing.internal.invoice;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.usersync.billing.api.BillingPeriod;
import io.usersync.billing.api.ClientBreakdown;
import io.usersync.billing.api.PriceBook;
import io.usersync.billing.internal.Account;
import io.usersync.billing.internal.AccountStore;
import io.usersync.billing.internal.BillingConfig;
import io.usersync.billing.internal.BillingMetrics;
import io.usersync.billing.internal.Sql;
import io.usersync.billing.internal.ledger.UsageReader;
import io.usersync.billing.internal.payment.Charger;
import io.usersync.billing.internal.pricing.PriceBookService;
import io.usersync.billing.internal.pricing.Pricing;
import io.usersync.common.Ids;
import io.usersync.common.time.AppClock;
import io.usersync.events.WebhookEvent;
import io.usersync.events.WebhookEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Issues invoices: exactly one per MSP and period, in period order, once the period is final. A period is final
 * when (1) its end is more than the close grace ago, so every transaction that could still commit an event dated
 * before the end has committed or timed out, and (2) no outbox row of the MSP dated before the end is still
 * unconsumed (the watermark). Several replicas may run this at once: each MSP is closed under its
 * {@code billing_account} row lock and the {@code (msp_id, period_index)} unique key is the final guard.
 * Issuing reads only the hourly buckets of the period, so it does not depend on the number of events.
 */
@ApplicationScoped
public class InvoiceCloser {

    private static final Logger LOG = Logger.getLogger(InvoiceCloser.class);
    private static final int PAGE = 200;

    @Inject
    DataSource dataSource;

    @Inject
    WebhookEvents webhooks;

    @Inject
    BillingConfig config;

    @Inject
    AppClock clock;

    @Inject
    PriceBookService priceBooks;

    @Inject
    BillingMetrics metrics;

    @Inject
    Charger charger;

    /** Closes every due period of every MSP; returns the invoices issued. */
    public int closeDue() {
        Instant cutoff = clock.now().minus(config.close().grace());
        int issued = 0;
        Object[] after = null;
        while (true) {
            List<Object[]> due = dueAccounts(cutoff, after);
            for (Object[] row : due) {
                UUID msp = (UUID) row[1];
                try {
                    int n = closeMsp(msp, cutoff);
                    issued += n;
                    if (n > 0) {
                        charger.chargeOutstanding(msp, true);
                    }
                } catch (RuntimeException e) {
                    LOG.warnf("closing the billing periods of MSP %s failed; retried on the next run: %s", msp,
                            e.toString());
                }
            }
            if (due.size() < PAGE) {
                return issued;
            }
            after = due.getLast();
        }
    }

    private List<Object[]> dueAccounts(Instant cutoff, Object[] after) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                String sql = "SELECT next_close_at, msp_id FROM billing_account WHERE next_close_at <= ?"
                        + (after == null ? "" : " AND (next_close_at > ? OR (next_close_at = ? AND msp_id > ?))")
                        + " ORDER BY next_close_at, msp_id LIMIT " + PAGE;
                Object[] params = after == null ? new Object[] { cutoff }
                        : new Object[] { cutoff, after[0], after[0], after[1] };
                return Sql.query(c, sql, rs -> new Object[] { Sql.instant(rs, "next_close_at"),
                        Sql.uuid(rs, "msp_id") }, params);
            }
        });
    }

    /**
     * Issues the MSP's due invoices (those whose period ended at or before {@code cutoff}) in one transaction.
     *
     * @return invoices issued by this call (0 when another closer was first or the watermark holds it back)
     */
    public int closeMsp(UUID mspId, Instant cutoff) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                Account account = AccountStore.lock(c, mspId);
                if (account == null) {
                    return 0;
                }
                int issued = 0;
                int index = account.nextPeriodIndex();
                while (!account.periods().end(index).isAfter(cutoff)) {
                    BillingPeriod period = account.periods().period(index);
                    if (unconsumedBefore(c, mspId, period.end())) {
                        LOG.debugf("invoice of MSP %s period %d waits for unconsumed events", mspId, index);
                        break;
                    }
                    issue(c, mspId, period);
                    AccountStore.advance(c, account, index);
                    issued++;
                    index++;
                }
                return issued;
            }
        });
    }

    /** The watermark: an outbox row of the MSP dated before the instant has not been applied yet. */
    private static boolean unconsumedBefore(Connection c, UUID mspId, Instant end) {
        return Sql.one(c, "SELECT 1 AS x FROM outbox WHERE msp_id = ? AND occurred_at < ? LIMIT 1",
                rs -> rs.getInt("x"), mspId, end) != null;
    }

    private void issue(Connection c, UUID mspId, BillingPeriod period) {
        UsageReader.Figures figures = UsageReader.figures(c, mspId, period.start(), period.end());
        List<ClientBreakdown> clients = UsageReader.breakdown(c, mspId, period.start(), period.end(),
                figures.peak().at());
        PriceBook book = priceBooks.inForce(c, mspId, period.end(), false);
        List<Pricing.Line> lines = Pricing.price(book, figures.peak().users());
        long total = Pricing.total(lines);
        UUID invoiceId = Ids.newId();
        Instant now = clock.now();
        Sql.update(c, "INSERT INTO billing_invoice (id, msp_id, period_index, period_start, period_end, issued_at,"
                + " currency, pricing_mode, price_book_version, peak_users, peak_at, users_at_start, distinct_users,"
                + " total_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", invoiceId, mspId,
                period.index(), period.start(), period.end(), now, book.currency(), book.mode(), book.version(),
                figures.peak().users(), figures.peak().at(), figures.usersAtStart(), figures.distinctUsers(), total);
        List<Object[]> lineRows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Pricing.Line line = lines.get(i);
            lineRows.add(new Object[] { mspId, invoiceId, i + 1, line.bandFrom(), line.bandTo(), line.quantity(),
                    line.unitPrice(), line.amountMinor() });
        }
        Sql.batch(c, "INSERT INTO billing_invoice_line (msp_id, invoice_id, line_no, band_from, band_to, quantity,"
                + " unit_price, amount_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", lineRows);
        List<Object[]> clientRows = new ArrayList<>();
        for (ClientBreakdown client : clients) {
            clientRows.add(new Object[] { mspId, invoiceId, client.clientId(), client.usersAtPeak(), client.ownPeak(),
                    client.distinctUsers() });
        }
        Sql.batch(c, "INSERT INTO billing_invoice_client (msp_id, invoice_id, client_id, users_at_peak, own_peak,"
                + " distinct_users) VALUES (?, ?, ?, ?, ?, ?)", clientRows);
        Charger.recordIssued(c, mspId, invoiceId, Charger.SOURCE_MONTHLY, total, book.currency(), now);
        webhooks.publish(WebhookEvent.invoiceIssued(mspId, invoiceId, Charger.SOURCE_MONTHLY, total, book.currency(),
                now, java.util.Map.of("periodIndex", period.index(), "periodStart", period.start().toString(),
                        "periodEnd", period.end().toString(), "peakUsers", figures.peak().users())));
        metrics.invoiceIssued();
        LOG.infof("issued invoice %s for MSP %s period %d: peak %d, total %d %s", invoiceId, mspId, period.index(),
                figures.peak().users(), total, book.currency());
    }
}
