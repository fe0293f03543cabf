package io.usersync.api.dto;

import io.usersync.billing.api.BillingPeriod;
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
import io.usersync.billing.api.Peak;
import io.usersync.billing.api.PeriodReport;
import io.usersync.billing.api.PeriodSummary;
import io.usersync.billing.api.PriceBand;
import io.usersync.billing.api.PriceBook;
import io.usersync.billing.api.Trials;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * Request and response bodies of {@code /api/msps/{mspId}/billing}. Money is exact: integer minor units plus
 * the same amount as a decimal string in major units; unit prices are decimal strings.
 */
public final class BillingDtos {

    private BillingDtos() {
    }

    public record MoneyView(String currency, long minor, String amount) {
        public static MoneyView of(Money money) {
            return money == null ? null
                    : new MoneyView(money.currency(), money.minor(), money.amount().toPlainString());
        }
    }

    public record PeriodView(int index, Instant start, Instant end) {
        public static PeriodView of(BillingPeriod period) {
            return new PeriodView(period.index(), period.start(), period.end());
        }
    }

    public record PeakView(long users, Instant at) {
        public static PeakView of(Peak peak) {
            return new PeakView(peak.users(), peak.at());
        }
    }

    public record ClientUsageView(UUID clientId, String status, String billingModel, boolean deleted,
            boolean billable, long currentUsers, long peakInPeriod) {
        public static ClientUsageView of(ClientUsage c) {
            return new ClientUsageView(c.clientId(), c.status(), c.billingModel(), c.deleted(), c.billable(),
                    c.currentUsers(), c.peakInPeriod());
        }
    }

    /** {@code amount} is in the oldest invoice's currency; {@code byCurrency} holds every currency, never summed. */
    public record OutstandingView(int invoices, MoneyView amount, Instant oldestIssuedAt, List<MoneyView> byCurrency) {
        public static OutstandingView of(Outstanding o) {
            return new OutstandingView(o.invoices(), MoneyView.of(o.amount()), o.oldestIssuedAt(),
                    o.byCurrency().stream().map(MoneyView::of).toList());
        }
    }

    /**
     * A billing notice: {@code SUSPENSION_RECOMMENDED} (invoice and amounts members) or {@code TRIAL_ENDED}
     * ({@code clientId}, {@code trialEndedAt}, {@code detail}); members of the other kind are null.
     */
    public record NoticeView(UUID id, String kind, boolean open, Instant raisedAt, Instant clearedAt,
            UUID oldestInvoiceId, Instant outstandingSince, MoneyView outstanding,
            List<MoneyView> outstandingByCurrency, UUID clientId, Instant trialEndedAt, String detail) {
        public static NoticeView of(Notice n) {
            return n == null ? null
                    : new NoticeView(n.id(), n.kind(), n.open(), n.raisedAt(), n.clearedAt(), n.oldestInvoiceId(),
                            n.outstandingSince(), MoneyView.of(n.outstanding()),
                            n.outstandingByCurrency().stream().map(MoneyView::of).toList(), n.clientId(),
                            n.trialEndedAt(), n.detail());
        }
    }

    /**
     * A client account in TRIAL (not billed): when its trial ends, whether it has ended, and what happens then
     * ({@code NOTICE}: a TRIAL_ENDED notice, the account stays unbilled until converted; {@code ACTIVATE}: the
     * notice, and the account becomes ACTIVE, billed from the end).
     */
    public record TrialView(UUID clientId, String name, Instant trialStartedAt, Instant trialEndsAt, boolean ended,
            String onEnd) {
        public static TrialView of(Trials.Trial t) {
            return new TrialView(t.clientId(), t.name(), t.trialStartedAt(), t.trialEndsAt(), t.ended(),
                    t.onEnd());
        }
    }

    /** The live usage of an MSP; {@code trials} lists its client accounts in TRIAL with their end dates. */
    public record UsageView(UUID mspId, LocalDate anchorDate, int cycleDay, PeriodView currentPeriod,
            PeakView runningPeak, long currentBillableUsers, long distinctUsersSoFar, List<ClientUsageView> clients,
            List<TrialView> trials, boolean paymentMethodOnFile, OutstandingView outstanding,
            boolean suspensionRecommended, NoticeView suspensionNotice, long pendingEvents, Instant asOf) {
        public static UsageView of(LiveUsage u, List<Trials.Trial> trials) {
            return new UsageView(u.mspId(), u.anchorDate(), u.cycleDay(), PeriodView.of(u.currentPeriod()),
                    PeakView.of(u.runningPeak()), u.currentBillableUsers(), u.distinctUsersSoFar(),
                    u.clients().stream().map(ClientUsageView::of).toList(),
                    trials.stream().map(TrialView::of).toList(), u.paymentMethodOnFile(),
                    OutstandingView.of(u.outstanding()), u.suspensionRecommended() != null,
                    NoticeView.of(u.suspensionRecommended()), u.pendingEvents(), u.asOf());
        }
    }

    public record PeriodSummaryView(PeriodView period, String status, PeakView peak, long usersAtStart,
            long distinctUsers, UUID invoiceId, MoneyView total) {
        public static PeriodSummaryView of(PeriodSummary s) {
            return new PeriodSummaryView(PeriodView.of(s.period()), s.status().name(), PeakView.of(s.peak()),
                    s.usersAtStart(), s.distinctUsers(), s.invoiceId(), MoneyView.of(s.total()));
        }
    }

    public record ClientBreakdownView(UUID clientId, long usersAtPeak, long ownPeak, long distinctUsers) {
        public static ClientBreakdownView of(ClientBreakdown b) {
            return new ClientBreakdownView(b.clientId(), b.usersAtPeak(), b.ownPeak(), b.distinctUsers());
        }
    }

    /** A period's figures and its per-client breakdown. */
    public record PeriodReportView(PeriodView period, String status, PeakView peak, long usersAtStart,
            long distinctUsers, UUID invoiceId, MoneyView total, List<ClientBreakdownView> clients) {
        public static PeriodReportView of(PeriodReport r) {
            PeriodSummary s = r.summary();
            return new PeriodReportView(PeriodView.of(s.period()), s.status().name(), PeakView.of(s.peak()),
                    s.usersAtStart(), s.distinctUsers(), s.invoiceId(), MoneyView.of(s.total()),
                    r.clients().stream().map(ClientBreakdownView::of).toList());
        }
    }

    public record InvoiceLineView(int bandFrom, Integer bandTo, long quantity, String unitPrice, MoneyView amount) {
        public static InvoiceLineView of(InvoiceLine l) {
            return new InvoiceLineView(l.bandFrom(), l.bandTo(), l.quantity(), l.unitPrice().toPlainString(),
                    MoneyView.of(l.amount()));
        }
    }

    public record PaymentView(String status, int attempts, Instant lastAttemptAt, String lastFailure, Instant paidAt,
            String reference) {
        public static PaymentView of(Payment p) {
            return new PaymentView(p.status().name(), p.attempts(), p.lastAttemptAt(), p.lastFailure(), p.paidAt(),
                    p.reference());
        }
    }

    public record InvoiceView(UUID id, UUID mspId, PeriodView period, Instant issuedAt, String currency,
            String pricingMode, int priceBookVersion, PeakView peak, long usersAtStart, long distinctUsers,
            List<InvoiceLineView> lines, MoneyView total, List<ClientBreakdownView> clients, PaymentView payment) {
        public static InvoiceView of(Invoice i) {
            return new InvoiceView(i.id(), i.mspId(), PeriodView.of(i.period()), i.issuedAt(), i.currency(),
                    i.mode().name(), i.priceBookVersion(), PeakView.of(i.peak()), i.usersAtStart(), i.distinctUsers(),
                    i.lines().stream().map(InvoiceLineView::of).toList(), MoneyView.of(i.total()),
                    i.clients().stream().map(ClientBreakdownView::of).toList(), PaymentView.of(i.payment()));
        }
    }

    public record InvoiceSummaryView(UUID id, PeriodView period, Instant issuedAt, long peakUsers, MoneyView total,
            String paymentStatus) {
        public static InvoiceSummaryView of(InvoiceSummary s) {
            return new InvoiceSummaryView(s.id(), PeriodView.of(s.period()), s.issuedAt(), s.peakUsers(),
                    MoneyView.of(s.total()), s.status().name());
        }
    }

    public record PriceBandView(int fromUsers, String unitPrice) {
        public static PriceBandView of(PriceBand b) {
            return new PriceBandView(b.fromUsers(), b.unitPrice().toPlainString());
        }
    }

    /** @param version 0 for the configured default price book */
    public record PriceBookView(UUID mspId, int version, boolean isDefault, Instant effectiveFrom, String currency,
            String mode, List<PriceBandView> bands) {
        public static PriceBookView of(UUID mspId, PriceBook b) {
            return new PriceBookView(mspId, b.version(), b.isDefault(), b.effectiveFrom(), b.currency(),
                    b.mode().name(), b.bands().stream().map(PriceBandView::of).toList());
        }
    }

    /**
     * A new price book version. {@code mode} defaults to VOLUME; {@code unitPrice} is a JSON number or decimal
     * string in major units (parsed exactly, at most 6 decimals).
     */
    public record PriceBookRequest(String currency, String mode, List<BandRequest> bands) {
    }

    public record BandRequest(Integer fromUsers, BigDecimal unitPrice) {
    }
}
