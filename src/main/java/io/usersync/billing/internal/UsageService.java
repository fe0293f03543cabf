package io.usersync.billing.internal;

import io.usersync.billing.api.BillingPeriod;
import io.usersync.billing.api.BillingUsage;
import io.usersync.billing.api.ClientBreakdown;
import io.usersync.billing.api.ClientUsage;
import io.usersync.billing.api.Invoice;
import io.usersync.billing.api.InvoiceLine;
import io.usersync.billing.api.InvoiceSummary;
import io.usersync.billing.api.LiveUsage;
import io.usersync.billing.api.Money;
import io.usersync.billing.api.Notice;
import io.usersync.billing.api.Outstanding;
import io.usersync.billing.api.Payment;
import io.usersync.billing.api.PaymentStatus;
import io.usersync.billing.api.Peak;
import io.usersync.billing.api.PeriodReport;
import io.usersync.billing.api.PeriodStatus;
import io.usersync.billing.api.PeriodSummary;
import io.usersync.billing.api.PricingMode;
import io.usersync.billing.internal.ledger.UsageReader;
import io.usersync.billing.internal.period.Periods;
import io.usersync.billing.internal.pricing.Pricing;
import io.usersync.common.Cursor;
import io.usersync.common.Page;
import io.usersync.common.error.DomainException;
import io.usersync.common.time.AppClock;
import io.usersync.tenant.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/** The read side of billing (see {@link BillingUsage}); every figure comes from the buckets and the invoices. */
@ApplicationScoped
public class UsageService implements BillingUsage {

    private static final String INVOICE_COLUMNS = "i.id, i.msp_id, i.period_index, i.period_start, i.period_end,"
            + " i.issued_at, i.currency, i.pricing_mode, i.price_book_version, i.peak_users, i.peak_at,"
            + " i.users_at_start, i.distinct_users, i.total_minor, p.status, p.attempts, p.last_attempt_at,"
            + " p.last_failure, p.paid_at, p.reference";

    @Inject
    DataSource dataSource;

    @Inject
    AppClock clock;

    /** The live usage of an MSP as computed for a ledger version and period (per replica). */
    private record CachedLive(long version, int period, LiveUsage usage) {
    }

    private static final int LIVE_CACHE_LIMIT = 10_000;
    private final Map<UUID, CachedLive> liveCache = new ConcurrentHashMap<>();

    /**
     * Live usage. The figures are recomputed only when the MSP's ledger version or the current period changed
     * since this replica last computed them (the version moves in the transaction of every change they show),
     * so a polling dashboard costs two indexed lookups per request.
     */
    @Override
    @Transactional
    public LiveUsage live(Caller caller, UUID mspId) {
        BillingAccess.requireRead(caller, mspId);
        try (Connection c = dataSource.getConnection()) {
            Account account = BillingAccess.account(c, mspId);
            Instant now = clock.now();
            Periods periods = account.periods();
            BillingPeriod current = periods.period(Math.max(0, periods.indexOf(now)));
            CachedLive cached = liveCache.get(mspId);
            LiveUsage usage;
            if (cached != null && cached.version() == account.version() && cached.period() == current.index()) {
                usage = cached.usage();
            } else {
                usage = computeLive(c, account, current);
                if (liveCache.size() >= LIVE_CACHE_LIMIT) {
                    liveCache.clear();
                }
                liveCache.put(mspId, new CachedLive(account.version(), current.index(), usage));
            }
            Long pending = Sql.one(c, "SELECT COUNT(*) AS n FROM (SELECT 1 FROM outbox WHERE msp_id = ? LIMIT 10000) x",
                    rs -> rs.getLong("n"), mspId);
            return new LiveUsage(usage.mspId(), usage.anchorDate(), usage.cycleDay(), usage.currentPeriod(),
                    usage.runningPeak(), usage.currentBillableUsers(), usage.distinctUsersSoFar(), usage.clients(),
                    usage.paymentMethodOnFile(), usage.outstanding(), usage.suspensionRecommended(),
                    pending == null ? 0 : pending, now);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static LiveUsage computeLive(Connection c, Account account, BillingPeriod current) {
        UUID mspId = account.mspId();
        UsageReader.Figures figures = UsageReader.figures(c, mspId, current.start(), current.end());
        Map<UUID, UsageReader.ClientFigures> figuresByClient = new HashMap<>();
        for (UsageReader.ClientFigures f : UsageReader.clients(c, mspId, current.start(), current.end(), null)) {
            figuresByClient.put(f.clientId(), f);
        }
        List<ClientUsage> clients = new ArrayList<>();
        Sql.query(c, "SELECT client_id, status, billing_model, deleted, billable FROM billing_client"
                + " WHERE msp_id = ?", rs -> {
                    UsageReader.ClientFigures f = figuresByClient.get(Sql.uuid(rs, "client_id"));
                    long count = f == null ? 0 : f.current();
                    long peak = f == null ? 0 : f.ownPeak();
                    if (!rs.getBoolean("deleted") || count > 0 || peak > 0) {
                        clients.add(new ClientUsage(Sql.uuid(rs, "client_id"), rs.getString("status"),
                                rs.getString("billing_model"), rs.getBoolean("deleted"), rs.getBoolean("billable"),
                                count, peak));
                    }
                    return null;
                }, mspId);
        clients.sort(Comparator.comparingLong(ClientUsage::currentUsers).reversed()
                .thenComparing(ClientUsage::clientId));
        return new LiveUsage(mspId, account.anchorDate(), account.periods().cycleDay(), current, figures.peak(),
                UsageReader.current(c, mspId), figures.distinctUsers(), List.copyOf(clients),
                account.paymentMethodOnFile(), outstanding(c, mspId), openNotice(c, mspId), 0, null);
    }

    @Override
    @Transactional
    public Page<PeriodSummary> periods(Caller caller, UUID mspId, String cursor, int limit) {
        BillingAccess.requireRead(caller, mspId);
        try (Connection c = dataSource.getConnection()) {
            Account account = BillingAccess.account(c, mspId);
            Periods periods = account.periods();
            int current = Math.max(0, periods.indexOf(clock.now()));
            int first = cursor == null || cursor.isEmpty() ? current : decodePeriodCursor(cursor, current);
            int last = Math.max(0, first - limit + 1);
            Map<Integer, PeriodSummary> invoiced = new HashMap<>();
            Sql.query(c, "SELECT i.id, i.period_index, i.peak_users, i.peak_at, i.users_at_start, i.distinct_users,"
                    + " i.total_minor, i.currency FROM billing_invoice i WHERE i.msp_id = ? AND i.period_index BETWEEN ?"
                    + " AND ?", rs -> invoiced.put(rs.getInt("period_index"), new PeriodSummary(
                            periods.period(rs.getInt("period_index")), PeriodStatus.INVOICED,
                            new Peak(rs.getLong("peak_users"), Sql.instant(rs, "peak_at")), rs.getLong("users_at_start"),
                            rs.getLong("distinct_users"), Sql.uuid(rs, "id"),
                            new Money(rs.getString("currency"), rs.getLong("total_minor")))), mspId, last, first);
            List<PeriodSummary> items = new ArrayList<>();
            for (int index = first; index >= last; index--) {
                PeriodSummary summary = invoiced.get(index);
                items.add(summary != null ? summary : liveSummary(c, mspId, periods.period(index), current));
            }
            return new Page<>(items, last > 0 ? encodePeriodCursor(last - 1) : null);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    @Transactional
    public PeriodReport period(Caller caller, UUID mspId, int index) {
        BillingAccess.requireRead(caller, mspId);
        try (Connection c = dataSource.getConnection()) {
            Account account = BillingAccess.account(c, mspId);
            Periods periods = account.periods();
            int current = Math.max(0, periods.indexOf(clock.now()));
            if (index < 0 || index > current) {
                throw DomainException.notFound("Billing period");
            }
            Invoice invoice = findInvoice(c, mspId, "i.period_index = ?", index);
            if (invoice != null) {
                return new PeriodReport(new PeriodSummary(invoice.period(), PeriodStatus.INVOICED, invoice.peak(),
                        invoice.usersAtStart(), invoice.distinctUsers(), invoice.id(), invoice.total()),
                        invoice.clients());
            }
            BillingPeriod period = periods.period(index);
            PeriodSummary summary = liveSummary(c, mspId, period, current);
            return new PeriodReport(summary, UsageReader.breakdown(c, mspId, period.start(), period.end(),
                    summary.peak().at()));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    @Transactional
    public Page<InvoiceSummary> invoices(Caller caller, UUID mspId, UUID after, int limit) {
        BillingAccess.requireRead(caller, mspId);
        try (Connection c = dataSource.getConnection()) {
            Account account = BillingAccess.account(c, mspId);
            Periods periods = account.periods();
            List<InvoiceSummary> rows = Sql.query(c, "SELECT i.id, i.period_index, i.issued_at, i.peak_users,"
                    + " i.total_minor, i.currency, p.status FROM billing_invoice i JOIN billing_payment p"
                    + " ON p.msp_id = i.msp_id AND p.invoice_id = i.id WHERE i.msp_id = ?"
                    + (after == null ? "" : " AND i.id < ?") + " ORDER BY i.id DESC LIMIT " + (limit + 1),
                    rs -> new InvoiceSummary(Sql.uuid(rs, "id"), periods.period(rs.getInt("period_index")),
                            Sql.instant(rs, "issued_at"), rs.getLong("peak_users"),
                            new Money(rs.getString("currency"), rs.getLong("total_minor")),
                            PaymentStatus.valueOf(rs.getString("status"))),
                    after == null ? new Object[] { mspId } : new Object[] { mspId, after });
            return Page.of(rows, limit, InvoiceSummary::id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    @Transactional
    public Invoice invoice(Caller caller, UUID mspId, UUID invoiceId) {
        BillingAccess.requireRead(caller, mspId);
        try (Connection c = dataSource.getConnection()) {
            BillingAccess.account(c, mspId);
            Invoice invoice = findInvoice(c, mspId, "i.id = ?", invoiceId);
            if (invoice == null) {
                throw DomainException.notFound("Invoice");
            }
            return invoice;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every notice, read page by page in one transaction (one consistent snapshot). */
    @Override
    @Transactional
    public List<Notice> notices(Caller caller, UUID mspId) {
        return BillingUsage.super.notices(caller, mspId);
    }

    @Override
    @Transactional
    public Page<Notice> notices(Caller caller, UUID mspId, UUID after, int limit) {
        BillingAccess.requireRead(caller, mspId);
        if (limit < 1 || limit > Cursor.MAX_LIMIT) {
            throw DomainException.invalidField("limit", "must be from 1 to " + Cursor.MAX_LIMIT);
        }
        try (Connection c = dataSource.getConnection()) {
            BillingAccess.account(c, mspId);
            List<Notice> rows;
            if (after == null) {
                rows = Sql.query(c, "SELECT * FROM billing_notice WHERE msp_id = ?"
                        + " ORDER BY raised_at DESC, id DESC LIMIT " + (limit + 1), UsageService::notice, mspId);
            } else {
                Instant raisedAt = Sql.one(c, "SELECT raised_at FROM billing_notice WHERE msp_id = ? AND id = ?",
                        rs -> Sql.instant(rs, "raised_at"), mspId, after);
                if (raisedAt == null) {
                    throw DomainException.invalidField("cursor", "is not a cursor returned by this API");
                }
                rows = Sql.query(c, "SELECT * FROM billing_notice WHERE msp_id = ?"
                        + " AND (raised_at < ? OR (raised_at = ? AND id < ?))"
                        + " ORDER BY raised_at DESC, id DESC LIMIT " + (limit + 1), UsageService::notice, mspId,
                        raisedAt, raisedAt, after);
            }
            Page<Notice> page = Page.of(rows, limit, Notice::id);
            return new Page<>(withAmounts(c, mspId, page.items()), page.nextCursor());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PeriodSummary liveSummary(Connection c, UUID mspId, BillingPeriod period, int current) {
        UsageReader.Figures figures = UsageReader.figures(c, mspId, period.start(), period.end());
        return new PeriodSummary(period, period.index() == current ? PeriodStatus.OPEN : PeriodStatus.CLOSING,
                figures.peak(), figures.usersAtStart(), figures.distinctUsers(), null, null);
    }

    private static Invoice findInvoice(Connection c, UUID mspId, String condition, Object value) {
        Invoice head = Sql.one(c, "SELECT " + INVOICE_COLUMNS + " FROM billing_invoice i JOIN billing_payment p"
                + " ON p.msp_id = i.msp_id AND p.invoice_id = i.id WHERE i.msp_id = ? AND " + condition,
                UsageService::invoiceHead, mspId, value);
        if (head == null) {
            return null;
        }
        List<InvoiceLine> lines = Sql.query(c, "SELECT band_from, band_to, quantity, unit_price, amount_minor"
                + " FROM billing_invoice_line WHERE msp_id = ? AND invoice_id = ? ORDER BY line_no",
                rs -> new InvoiceLine(rs.getInt("band_from"), (Integer) rs.getObject("band_to", Integer.class),
                        rs.getLong("quantity"), Pricing.normalize(rs.getBigDecimal("unit_price"), head.currency()),
                        new Money(head.currency(), rs.getLong("amount_minor"))), mspId, head.id());
        List<ClientBreakdown> clients = Sql.query(c, "SELECT client_id, users_at_peak, own_peak, distinct_users"
                + " FROM billing_invoice_client WHERE msp_id = ? AND invoice_id = ?"
                + " ORDER BY users_at_peak DESC, own_peak DESC, client_id", rs -> new ClientBreakdown(
                        Sql.uuid(rs, "client_id"), rs.getLong("users_at_peak"), rs.getLong("own_peak"),
                        rs.getLong("distinct_users")), mspId, head.id());
        return new Invoice(head.id(), head.mspId(), head.period(), head.issuedAt(), head.currency(), head.mode(),
                head.priceBookVersion(), head.peak(), head.usersAtStart(), head.distinctUsers(), lines, head.total(),
                clients, head.payment());
    }

    private static Invoice invoiceHead(ResultSet rs) throws SQLException {
        String currency = rs.getString("currency");
        Payment payment = new Payment(PaymentStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
                Sql.instant(rs, "last_attempt_at"), rs.getString("last_failure"), Sql.instant(rs, "paid_at"),
                rs.getString("reference"));
        return new Invoice(Sql.uuid(rs, "id"), Sql.uuid(rs, "msp_id"), new BillingPeriod(rs.getInt("period_index"),
                Sql.instant(rs, "period_start"), Sql.instant(rs, "period_end")), Sql.instant(rs, "issued_at"),
                currency, PricingMode.valueOf(rs.getString("pricing_mode")), rs.getInt("price_book_version"),
                new Peak(rs.getLong("peak_users"), Sql.instant(rs, "peak_at")), rs.getLong("users_at_start"),
                rs.getLong("distinct_users"), List.of(), new Money(currency, rs.getLong("total_minor")), List.of(),
                payment);
    }

    private static Outstanding outstanding(Connection c, UUID mspId) {
        List<Object[]> rows = Sql.query(c, "SELECT amount_minor, currency, issued_at FROM billing_payment"
                + " WHERE msp_id = ? AND status = 'OUTSTANDING' ORDER BY issued_at",
                rs -> new Object[] { rs.getLong("amount_minor"), rs.getString("currency"), Sql.instant(rs, "issued_at") },
                mspId);
        if (rows.isEmpty()) {
            return new Outstanding(0, null, null, List.of());
        }
        Map<String, Long> totals = new TreeMap<>();
        for (Object[] row : rows) {
            totals.merge((String) row[1], (Long) row[0], Math::addExact);
        }
        String currency = (String) rows.getFirst()[1];
        List<Money> byCurrency = totals.entrySet().stream().map(e -> new Money(e.getKey(), e.getValue())).toList();
        return new Outstanding(rows.size(), new Money(currency, totals.get(currency)), (Instant) rows.getFirst()[2],
                byCurrency);
    }

    private static Notice openNotice(Connection c, UUID mspId) {
        Notice open = Sql.one(c, "SELECT * FROM billing_notice WHERE msp_id = ? AND kind = ? AND open_marker = TRUE",
                UsageService::notice, mspId, Notice.SUSPENSION_RECOMMENDED);
        return open == null ? null : withAmounts(c, mspId, List.of(open)).getFirst();
    }

    /** The notice without its per-currency amounts ({@link #withAmounts} adds them). */
    private static Notice notice(ResultSet rs) throws SQLException {
        String currency = rs.getString("currency");
        return new Notice(Sql.uuid(rs, "id"), rs.getString("kind"), Sql.instant(rs, "raised_at"),
                Sql.instant(rs, "cleared_at"), Sql.uuid(rs, "oldest_invoice_id"), Sql.instant(rs, "outstanding_since"),
                currency == null ? null : new Money(currency, rs.getLong("outstanding_minor")), List.of(),
                Sql.uuid(rs, "client_id"), Sql.instant(rs, "trial_ended_at"), rs.getString("detail"));
    }

    /** Adds the per-currency outstanding amounts ({@code billing_notice_amount}) to notices of one MSP. */
    private static List<Notice> withAmounts(Connection c, UUID mspId, List<Notice> notices) {
        if (notices.isEmpty()) {
            return notices;
        }
        List<Object> params = new ArrayList<>();
        params.add(mspId);
        notices.forEach(n -> params.add(n.id()));
        Map<UUID, List<Money>> amounts = new HashMap<>();
        Sql.query(c, "SELECT notice_id, currency, outstanding_minor FROM billing_notice_amount WHERE msp_id = ?"
                + " AND notice_id IN (" + String.join(", ", java.util.Collections.nCopies(notices.size(), "?"))
                + ") ORDER BY notice_id, currency", rs -> amounts.computeIfAbsent(Sql.uuid(rs, "notice_id"),
                        id -> new ArrayList<>()).add(new Money(rs.getString("currency"),
                                rs.getLong("outstanding_minor"))), params.toArray());
        return notices.stream().map(n -> new Notice(n.id(), n.kind(), n.raisedAt(), n.clearedAt(),
                n.oldestInvoiceId(), n.outstandingSince(), n.outstanding(),
                List.copyOf(amounts.getOrDefault(n.id(), n.outstanding() == null ? List.of()
                        : List.of(n.outstanding()))), n.clientId(), n.trialEndedAt(), n.detail())).toList();
    }

    static String encodePeriodCursor(int index) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("p1:" + index).getBytes(StandardCharsets.UTF_8));
    }

    static int decodePeriodCursor(String cursor, int current) {
        try {
            if (cursor.length() > 40) {
                throw new IllegalArgumentException();
            }
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith("p1:")) {
                throw new IllegalArgumentException();
            }
            int index = Integer.parseInt(text.substring(3));
            if (index < 0 || index > current) {
                throw new IllegalArgumentException();
            }
            return index;
        } catch (IllegalArgumentException e) {
            throw DomainException.invalidField("cursor", "is not a cursor returned by this API");
        }
    }
}
