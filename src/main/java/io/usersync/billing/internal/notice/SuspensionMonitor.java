package io.usersync.billing.internal.notice;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.usersync.billing.api.Money;
import io.usersync.billing.api.Notice;
import io.usersync.billing.internal.AccountStore;
import io.usersync.billing.internal.BillingConfig;
import io.usersync.billing.internal.BillingMetrics;
import io.usersync.billing.internal.Sql;
import io.usersync.common.Ids;
import io.usersync.common.time.AppClock;
import io.usersync.events.WebhookEvent;
import io.usersync.events.WebhookEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Flags MSPs whose oldest outstanding invoice was issued longer than the configured threshold ago with a
 * recorded {@code SUSPENSION_RECOMMENDED} notice (visible in the API and as a metric), and clears the notice
 * once nothing is overdue. It recommends; it never suspends anything. Monthly and contract invoices count alike.
 * The notice records everything outstanding when it is raised, one total per currency
 * ({@code billing_notice_amount}); amounts in different currencies are never added up.
 */
@ApplicationScoped
public class SuspensionMonitor {

    private static final Logger LOG = Logger.getLogger(SuspensionMonitor.class);

    @Inject
    DataSource dataSource;

    @Inject
    WebhookEvents webhooks;

    @Inject
    BillingConfig config;

    @Inject
    AppClock clock;

    @Inject
    BillingMetrics metrics;

    void onStart(@Observes StartupEvent event) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                try (Connection c = dataSource.getConnection()) {
                    metrics.suspensionRecommended(countOpen(c));
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (RuntimeException e) {
            LOG.debugf("could not read open suspension notices at startup: %s", e.toString());
        }
    }

    public void evaluate() {
        Instant now = clock.now();
        Instant overdueIfIssuedBefore = now.minus(config.suspension().outstandingThreshold());
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                Map<UUID, Object[]> overdue = new HashMap<>();
                for (Object[] row : Sql.query(c, "SELECT msp_id, invoice_id, issued_at, currency FROM billing_payment p"
                        + " WHERE status = 'OUTSTANDING' AND issued_at <= ? ORDER BY issued_at",
                        rs -> new Object[] { Sql.uuid(rs, "msp_id"), Sql.uuid(rs, "invoice_id"),
                                Sql.instant(rs, "issued_at"), rs.getString("currency") }, overdueIfIssuedBefore)) {
                    overdue.putIfAbsent((UUID) row[0], row);
                }
                Map<UUID, UUID> open = new HashMap<>();
                Sql.query(c, "SELECT id, msp_id FROM billing_notice WHERE kind = ? AND open_marker = TRUE",
                        rs -> open.put(Sql.uuid(rs, "msp_id"), Sql.uuid(rs, "id")), Notice.SUSPENSION_RECOMMENDED);
                for (Map.Entry<UUID, Object[]> e : overdue.entrySet()) {
                    if (open.containsKey(e.getKey())) {
                        continue;
                    }
                    Object[] oldest = e.getValue();
                    String currency = (String) oldest[3];
                    // everything outstanding, one total per currency (never added across currencies)
                    List<Money> byCurrency = Sql.query(c, "SELECT currency, SUM(amount_minor) AS total"
                            + " FROM billing_payment WHERE msp_id = ? AND status = 'OUTSTANDING'"
                            + " GROUP BY currency ORDER BY currency",
                            rs -> new Money(rs.getString("currency"), rs.getLong("total")), e.getKey());
                    long amount = byCurrency.stream().filter(m -> m.currency().equals(currency))
                            .mapToLong(Money::minor).sum();
                    // The open-notice unique key absorbs a replica raising the same notice at the same time.
                    AccountStore.touch(c, e.getKey());
                    UUID noticeId = Ids.newId();
                    Sql.update(c, "INSERT INTO billing_notice (id, msp_id, kind, raised_at,"
                            + " oldest_invoice_id, outstanding_since, outstanding_minor, currency, open_marker)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, TRUE) ON DUPLICATE KEY UPDATE id = id", noticeId,
                            e.getKey(), Notice.SUSPENSION_RECOMMENDED, now, oldest[1], oldest[2], amount, currency);
                    UUID openId = Sql.one(c, "SELECT id FROM billing_notice WHERE msp_id = ? AND kind = ?"
                            + " AND open_marker = TRUE", rs -> Sql.uuid(rs, "id"), e.getKey(),
                            Notice.SUSPENSION_RECOMMENDED);
                    if (!noticeId.equals(openId)) {
                        continue; // another replica raised it first, with its own amounts
                    }
                    List<Object[]> amountRows = new ArrayList<>();
                    for (Money m : byCurrency) {
                        amountRows.add(new Object[] { e.getKey(), noticeId, m.currency(), m.minor() });
                    }
                    Sql.batch(c, "INSERT INTO billing_notice_amount (msp_id, notice_id, currency, outstanding_minor)"
                            + " VALUES (?, ?, ?, ?)", amountRows);
                    webhooks.publish(WebhookEvent.noticeRaised(e.getKey(), noticeId, Notice.SUSPENSION_RECOMMENDED, now,
                            Map.of("oldestInvoiceId", oldest[1].toString(), "outstandingSince", oldest[2].toString(),
                                    "outstandingMinor", amount, "currency", currency)));
                    LOG.warnf("MSP %s: suspension recommended, invoice %s outstanding since %s", e.getKey(),
                            oldest[1], oldest[2]);
                }
                for (Map.Entry<UUID, UUID> e : open.entrySet()) {
                    if (!overdue.containsKey(e.getKey())) {
                        AccountStore.touch(c, e.getKey());
                        Sql.update(c, "UPDATE billing_notice SET cleared_at = ?, open_marker = NULL"
                                + " WHERE msp_id = ? AND id = ?", now, e.getKey(), e.getValue());
                    }
                }
                metrics.suspensionRecommended(countOpen(c));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static long countOpen(Connection c) {
        List<Long> n = Sql.query(c, "SELECT COUNT(*) AS n FROM billing_notice WHERE kind = ? AND open_marker = TRUE",
                rs -> rs.getLong("n"), Notice.SUSPENSION_RECOMMENDED);
        return n.isEmpty() ? 0 : n.getFirst();
    }
}
