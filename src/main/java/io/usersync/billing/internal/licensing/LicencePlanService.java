package io.usersync.billing.internal.licensing;

import io.quarkus.panache.common.Sort;
import io.usersync.billing.api.Licensing;
import io.usersync.billing.api.Licensing.NewPlan;
import io.usersync.billing.api.Licensing.Plan;
import io.usersync.billing.api.Licensing.PlanStatus;
import io.usersync.common.Ids;
import io.usersync.common.error.DomainException;
import io.usersync.common.error.DomainException.FieldProblem;
import io.usersync.common.error.ProblemType;
import io.usersync.common.time.AppClock;
import io.usersync.tenant.Caller;
import io.usersync.tenant.ClientAccount;
import io.usersync.tenant.Role;
import io.usersync.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Licence plans of client accounts. A plan lasts exactly one year (UTC: the same instant one calendar year
 * later, 29 February clamped to 28) unless it is a pilot, which is shorter. The windows of one client account
 * never overlap: creation checks that while holding the client account's row lock, so two concurrent creations
 * cannot both pass. Pilots are hidden from client admins everywhere (listing, lookup, usage). Plan boundaries
 * are whole seconds (finer parts are dropped), so they are stored exactly on every supported database.
 */
@ApplicationScoped
@Transactional
public class LicencePlanService {

    /** Upper bound of a plan amount; the same bound as a client account's user limit. */
    static final long MAX_AMOUNT = 10_000_000;

    @Inject
    TenantService tenants;

    @Inject
    AppClock clock;

    public Plan create(Caller caller, UUID clientId, NewPlan request) {
        caller.requireAtLeast(Role.MSP_ADMIN);
        ClientAccount client = tenants.lockClient(caller, clientId);
        if (request.type() == null) {
            throw DomainException.invalidField("type", "is required: SEATS, MAU or MAUC");
        }
        if (request.amount() == null || request.amount() < 1 || request.amount() > MAX_AMOUNT) {
            throw DomainException.invalidField("amount", "must be an integer from 1 to " + MAX_AMOUNT);
        }
        if (request.startsAt() == null) {
            throw DomainException.invalidField("startsAt", "is required");
        }
        Instant start = request.startsAt().truncatedTo(ChronoUnit.SECONDS);
        Instant oneYear = oneYearAfter(start);
        Instant end;
        if (request.pilot()) {
            if (request.endsAt() == null) {
                // both fields make the conflict: name both
                throw new DomainException(io.usersync.common.error.ProblemType.INVALID_REQUEST,
                        "endsAt: is required for a pilot", java.util.List.of(
                                new DomainException.FieldProblem("endsAt", "is required for a pilot"),
                                new DomainException.FieldProblem("pilot", "a pilot needs endsAt")));
            }
            end = request.endsAt().truncatedTo(ChronoUnit.SECONDS);
            if (!end.isAfter(start) || !end.isBefore(oneYear)) {
                throw DomainException.invalidField("endsAt",
                        "a pilot must end after startsAt and before " + oneYear + " (one year after the start)");
            }
        } else {
            end = oneYear;
            if (request.endsAt() != null && !request.endsAt().truncatedTo(ChronoUnit.SECONDS).equals(oneYear)) {
                throw DomainException.invalidField("endsAt", "a plan lasts exactly one year (ends " + oneYear
                        + "); omit endsAt, or create a pilot for a shorter plan");
            }
        }
        LicencePlan overlapping = LicencePlan.<LicencePlan>find(
                "mspId = ?1 and clientId = ?2 and startsAt < ?3 and endsAt > ?4", Sort.by("startsAt"),
                client.mspId, client.id, end, start).firstResult();
        if (overlapping != null) {
            throw new DomainException(ProblemType.LICENCE_PLAN_OVERLAP, "The plan [" + start + ", " + end
                    + ") overlaps " + (overlapping.pilot ? "pilot " : "plan ") + overlapping.id + " ["
                    + overlapping.startsAt + ", " + overlapping.endsAt + "); plan windows of a client account "
                    + "never overlap", List.of(new FieldProblem("startsAt", "overlaps plan " + overlapping.id)));
        }
        LicencePlan plan = new LicencePlan();
        plan.id = Ids.newId();
        plan.mspId = client.mspId;
        plan.clientId = client.id;
        plan.type = request.type();
        plan.amount = request.amount();
        plan.startsAt = start;
        plan.endsAt = end;
        plan.pilot = request.pilot();
        plan.createdBy = caller.subject();
        plan.createdAt = clock.now();
        plan.persist();
        return view(plan);
    }

    public List<Plan> list(Caller caller, UUID clientId, PlanStatus status) {
        ClientAccount client = tenants.getClient(caller, clientId);
        Instant now = clock.now();
        return LicencePlan.<LicencePlan>find("mspId = ?1 and clientId = ?2", Sort.by("startsAt"), client.mspId,
                client.id).stream()
                .filter(p -> visibleTo(caller, p))
                .map(this::view)
                .filter(p -> status == null || status(p.startsAt(), p.endsAt(), now) == status)
                .toList();
    }

    public Plan get(Caller caller, UUID clientId, UUID planId) {
        return view(find(caller, clientId, planId));
    }

    public void delete(Caller caller, UUID clientId, UUID planId) {
        caller.requireAtLeast(Role.MSP_ADMIN);
        tenants.lockClient(caller, clientId);
        LicencePlan plan = find(caller, clientId, planId);
        if (!plan.startsAt.isAfter(clock.now())) {
            throw new DomainException(ProblemType.CONFLICT, "Plan " + plan.id + " started at " + plan.startsAt
                    + "; only plans that have not started can be deleted");
        }
        plan.delete();
    }

    /** The plan visible to the caller with this id, or 404. */
    LicencePlan find(Caller caller, UUID clientId, UUID planId) {
        ClientAccount client = tenants.getClient(caller, clientId);
        LicencePlan plan = LicencePlan.find("mspId = ?1 and clientId = ?2 and id = ?3", client.mspId, client.id,
                planId).firstResult();
        if (plan == null || !visibleTo(caller, plan)) {
            throw DomainException.notFound("Licence plan");
        }
        return plan;
    }

    /** The plan visible to the caller that covers {@code at}, or 404. */
    LicencePlan covering(Caller caller, UUID clientId, Instant at) {
        ClientAccount client = tenants.getClient(caller, clientId);
        LicencePlan plan = LicencePlan.find("mspId = ?1 and clientId = ?2 and startsAt <= ?3 and endsAt > ?3",
                client.mspId, client.id, at).firstResult();
        if (plan == null || !visibleTo(caller, plan)) {
            throw new DomainException(ProblemType.NOT_FOUND, "No licence plan of this client account covers " + at);
        }
        return plan;
    }

    Plan view(LicencePlan p) {
        return new Plan(p.id, p.clientId, p.type, p.amount, p.startsAt, p.endsAt, p.pilot,
                status(p.startsAt, p.endsAt, clock.now()), p.createdBy, p.createdAt);
    }

    static Licensing.PlanStatus status(Instant start, Instant end, Instant now) {
        if (now.isBefore(start)) {
            return PlanStatus.FUTURE;
        }
        return now.isBefore(end) ? PlanStatus.CURRENT : PlanStatus.PAST;
    }

    static Instant oneYearAfter(Instant start) {
        return start.atZone(ZoneOffset.UTC).plusYears(1).toInstant();
    }

    private static boolean visibleTo(Caller caller, LicencePlan plan) {
        return !plan.pilot || caller.role() != Role.CLIENT_ADMIN;
    }
}
