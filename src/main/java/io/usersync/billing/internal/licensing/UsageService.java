package io.usersync.billing.internal.licensing;

import io.usersync.billing.api.LicencePlanType;
import io.usersync.billing.api.LicenceUsage;
import io.usersync.billing.api.Licensing.CsvReport;
import io.usersync.billing.internal.licensing.UsageCalculator.Change;
import io.usersync.billing.internal.licensing.UsageCalculator.Result;
import io.usersync.billing.internal.licensing.UsageCalculator.UserUsage;
import io.usersync.common.csv.Csv;
import io.usersync.common.error.DomainException;
import io.usersync.common.time.AppClock;
import io.usersync.directory.UserLookup;
import io.usersync.directory.UserLookup.ActivityChange;
import io.usersync.directory.UserLookup.UserCard;
import io.usersync.tenant.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;

/**
 * Usage of licence plans, computed at request time from the stored logins (aggregated per user and UTC month
 * by the database) and, for SEATS, the users' billable-state history read through the directory's
 * {@link UserLookup}. One read transaction per request, so all figures come from one consistent snapshot.
 */
@ApplicationScoped
@Transactional
public class UsageService {

    @Inject
    LicencePlanService plans;

    @Inject
    UserLookup userLookup;

    @Inject
    LoginStore store;

    @Inject
    AppClock clock;

    public LicenceUsage usage(Caller caller, UUID clientId, UUID planId, Instant at) {
        LicencePlan plan = select(caller, clientId, planId, at);
        Result result = compute(caller, plan);
        return new LicenceUsage(plans.view(plan), result.asOf(), result.totals(), result.months());
    }

    /**
     * One row per month that has started. Columns: {@code month,from,to,complete,active_users}, then for SEATS
     * {@code seats_taken,seats_freed,seats_held,peak_seats,amount,overage}, for MAU {@code amount,overage}, for
     * MAUC {@code credits_opening,credits_consumed,credits_closing,overage}.
     */
    public CsvReport consumptionReport(Caller caller, UUID clientId, UUID planId, Instant at) {
        LicencePlan plan = select(caller, clientId, planId, at);
        Result result = compute(caller, plan);
        Csv.Table csv = switch (plan.type) {
            case SEATS -> Csv.table("month", "from", "to", "complete", "active_users", "seats_taken",
                    "seats_freed", "seats_held", "peak_seats", "amount", "overage");
            case MAU -> Csv.table("month", "from", "to", "complete", "active_users", "amount", "overage");
            case MAUC -> Csv.table("month", "from", "to", "complete", "active_users", "credits_opening",
                    "credits_consumed", "credits_closing", "overage");
        };
        for (LicenceUsage.Month m : result.months()) {
            switch (plan.type) {
                case SEATS -> csv.row(m.month(), m.from(), m.to(), m.complete(), m.activeUsers(), m.seatsTaken(),
                        m.seatsFreed(), m.seatsHeld(), m.peakSeats(), plan.amount, m.overage());
                case MAU -> csv.row(m.month(), m.from(), m.to(), m.complete(), m.activeUsers(), plan.amount,
                        m.overage());
                case MAUC -> csv.row(m.month(), m.from(), m.to(), m.complete(), m.activeUsers(), m.creditsOpening(),
                        m.creditsConsumed(), m.creditsClosing(), m.overage());
            }
        }
        return new CsvReport("licence-consumption-" + plan.id + ".csv", csv.toString());
    }

    /**
     * One row per user with at least one login in the plan, ordered by email. Columns:
     * {@code email,name,status,first_login_in_plan,months_active,credits_consumed,seat_held}; credits only for
     * MAUC plans and seat_held only for SEATS plans (empty otherwise).
     */
    public CsvReport usersReport(Caller caller, UUID clientId, UUID planId, Instant at) {
        LicencePlan plan = select(caller, clientId, planId, at);
        Csv.Table csv = Csv.table("email", "name", "status", "first_login_in_plan", "months_active",
                "credits_consumed", "seat_held");
        for (LicenceUsage.UserRow row : userRows(caller, plan)) {
            csv.row(row.email(), row.name(), row.status(), row.firstLogin(), row.monthsActive(),
                    row.creditsConsumed(), row.seatHeld());
        }
        return new CsvReport("licence-users-" + plan.id + ".csv", csv.toString());
    }

    List<LicenceUsage.UserRow> userRows(Caller caller, LicencePlan plan) {
        Result result = compute(caller, plan);
        Map<UUID, UserCard> cards = userLookup.usersOf(caller, plan.clientId, result.users().keySet());
        List<LicenceUsage.UserRow> rows = new ArrayList<>();
        for (UserUsage usage : result.users().values()) {
            UserCard card = cards.get(usage.userId());
            if (card == null) {
                continue; // users are never removed, so a validated login always finds its user
            }
            String status = card.deletedAt() != null ? "DELETED" : card.active() ? "ACTIVE" : "INACTIVE";
            rows.add(new LicenceUsage.UserRow(card.id(), card.email(), card.firstName() + " " + card.lastName(),
                    status, usage.firstLogin(), usage.monthsActive(),
                    plan.type == LicencePlanType.MAUC ? (long) usage.monthsActive() : null,
                    usage.seatHeld()));
        }
        rows.sort(Comparator.comparing((LicenceUsage.UserRow r) -> r.email().toLowerCase(Locale.ROOT))
                .thenComparing(LicenceUsage.UserRow::userId));
        return rows;
    }

    private LicencePlan select(Caller caller, UUID clientId, UUID planId, Instant at) {
        if (planId != null && at != null) {
            throw DomainException.invalidField("at", "give either planId or at, not both");
        }
        if (planId != null) {
            return plans.find(caller, clientId, planId);
        }
        return plans.covering(caller, clientId, at == null ? clock.now() : at);
    }

    private Result compute(Caller caller, LicencePlan plan) {
        Instant now = clock.now();
        Instant countEnd = UsageCalculator.countEnd(plan.endsAt, now);
        Map<UUID, NavigableMap<YearMonth, Instant>> firstByMonth = countEnd.isAfter(plan.startsAt)
                ? store.firstLoginPerMonth(plan.mspId, plan.clientId, plan.startsAt, countEnd)
                : Map.of();
        Map<UUID, List<Change>> history = new HashMap<>();
        if (plan.type == LicencePlanType.SEATS && !firstByMonth.isEmpty()) {
            for (ActivityChange change : userLookup.activityHistory(caller, plan.clientId, firstByMonth.keySet(),
                    countEnd)) {
                history.computeIfAbsent(change.userId(), u -> new ArrayList<>())
                        .add(new Change(change.active(), change.occurredAt()));
            }
        }
        return UsageCalculator.compute(new UsageCalculator.Input(plan.type, plan.amount, plan.startsAt, plan.endsAt,
                now, firstByMonth, history,
                (user, from, before) -> store.firstLogin(plan.mspId, plan.clientId, user, from, before)));
    }
}
