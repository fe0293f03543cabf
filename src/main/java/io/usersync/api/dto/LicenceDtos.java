package io.usersync.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.usersync.billing.api.LicencePlanType;
import io.usersync.billing.api.LicenceUsage;
import io.usersync.billing.api.Licensing;
import io.usersync.billing.api.Licensing.LineOutcome;
import io.usersync.billing.api.Licensing.PlanStatus;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of licence plans, login ingestion and licence usage. */
public final class LicenceDtos {

    private LicenceDtos() {
    }

    /**
     * A new plan. {@code startsAt} and {@code endsAt} are ISO-8601 instants with offset ({@code Z} or
     * {@code ±hh:mm}). A regular plan lasts exactly one year (omit {@code endsAt}); a pilot
     * ({@code pilot: true}) needs an {@code endsAt} less than a year after the start.
     */
    public record CreatePlan(LicencePlanType type, Long amount, String startsAt, String endsAt, Boolean pilot) {
    }

    public record PlanView(UUID id, UUID clientId, LicencePlanType type, long amount, Instant startsAt,
            Instant endsAt, boolean pilot, PlanStatus status, String createdBy, Instant createdAt) {

        public static PlanView of(Licensing.Plan p) {
            return new PlanView(p.id(), p.clientId(), p.type(), p.amount(), p.startsAt(), p.endsAt(), p.pilot(),
                    p.status(), p.createdBy(), p.createdAt());
        }
    }

    public record PlanList(List<PlanView> items) {
    }

    /**
     * A batch of login events. Each line is checked on its own (strings, so that a malformed line is rejected
     * alone rather than failing the batch): {@code eventId} 1–128 characters, unique per client account;
     * {@code userId} a user of this client account; {@code occurredAt} an ISO-8601 instant with offset.
     */
    public record LoginBatch(List<LoginEvent> events) {
    }

    public record LoginEvent(String eventId, String userId, String occurredAt) {
    }

    /** Counts of the batch, and one entry per line that was not accepted. */
    public record IngestView(int accepted, int duplicate, int rejected, List<LineView> lines) {

        public static IngestView of(Licensing.IngestReport r) {
            return new IngestView(r.accepted(), r.duplicate(), r.rejected(),
                    r.lines().stream().map(LineView::of).toList());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LineView(int index, String eventId, LineOutcome outcome, String reason, String detail) {

        static LineView of(Licensing.LineResult l) {
            return new LineView(l.index(), l.eventId(), l.outcome(), l.reason(), l.detail());
        }
    }

    /** Usage of one plan at {@code asOf}; see the members of {@link LicenceUsage} for their meaning per type. */
    public record UsageView(PlanView plan, Instant asOf, TotalsView totals, List<MonthView> months) {

        public static UsageView of(LicenceUsage u) {
            return new UsageView(PlanView.of(u.plan()), u.asOf(), TotalsView.of(u.totals()),
                    u.months().stream().map(MonthView::of).toList());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TotalsView(long amount, long consumed, long remaining, long overage, Long peakSeats,
            Instant peakSeatsAt, YearMonth month, Long totalOverage, Long expired) {

        static TotalsView of(LicenceUsage.Totals t) {
            return new TotalsView(t.amount(), t.consumed(), t.remaining(), t.overage(), t.peakSeats(),
                    t.peakSeatsAt(), t.month(), t.totalOverage(), t.expired());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MonthView(YearMonth month, Instant from, Instant to, boolean complete, long activeUsers,
            Long seatsTaken, Long seatsFreed, Long seatsHeld, Long peakSeats, Instant peakSeatsAt,
            Long creditsOpening, Long creditsConsumed, Long creditsClosing, long overage) {

        static MonthView of(LicenceUsage.Month m) {
            return new MonthView(m.month(), m.from(), m.to(), m.complete(), m.activeUsers(), m.seatsTaken(),
                    m.seatsFreed(), m.seatsHeld(), m.peakSeats(), m.peakSeatsAt(), m.creditsOpening(),
                    m.creditsConsumed(), m.creditsClosing(), m.overage());
        }
    }
}
