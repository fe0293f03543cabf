package io.usersync.billing.api;

import io.usersync.tenant.Caller;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Licence plans (SEATS, MAU, MAUC) of client accounts, the login events they are measured by, and their usage
 * reports — the billing module's public entry for everything licence-plan related.
 *
 * <p>Access: operators and the MSP's admins manage plans and send logins; client admins of the account, its MSP's
 * admins and operators read plans and usage. Pilot plans are invisible to client admins (as if they did not
 * exist). A client account outside the caller's tenancy answers 404.
 */
public interface Licensing {

    /** Where a plan is relative to now. */
    enum PlanStatus {
        PAST, CURRENT, FUTURE
    }

    /**
     * A plan to create. A regular plan lasts exactly one year from {@code startsAt} ({@code endsAt} must be null or
     * exactly one year later); a pilot ends at {@code endsAt}, which must be before that.
     */
    record NewPlan(LicencePlanType type, Long amount, Instant startsAt, Instant endsAt, boolean pilot) {
    }

    /** A licence plan over {@code [startsAt, endsAt)}. */
    record Plan(UUID id, UUID clientId, LicencePlanType type, long amount, Instant startsAt, Instant endsAt,
            boolean pilot, PlanStatus status, String createdBy, Instant createdAt) {
    }

    /** One line of a login batch, as sent (parsed and validated line by line). */
    record LoginLine(String eventId, String userId, String occurredAt) {
    }

    /** What happened to a line that was not accepted. */
    enum LineOutcome {
        /** The event id was already ingested with the same user and instant (a replay): nothing changed. */
        DUPLICATE,
        /** The line was refused; {@code reason} says why. Nothing was stored for it. */
        REJECTED
    }

    /**
     * A line that was not accepted.
     *
     * @param index  0-based position in the batch
     * @param reason stable code: {@code duplicate}, {@code invalid-event-id}, {@code invalid-user-id},
     *               {@code invalid-occurred-at}, {@code occurred-in-future}, {@code unknown-user},
     *               {@code user-deleted}, {@code event-id-conflict}
     */
    record LineResult(int index, String eventId, LineOutcome outcome, String reason, String detail) {
    }

    /** The outcome of a login batch: counts, and one entry per line that was not accepted. */
    record IngestReport(int accepted, int duplicate, int rejected, List<LineResult> lines) {
    }

    /** A CSV report: suggested file name and RFC 4180 content. */
    record CsvReport(String fileName, String content) {
    }

    Plan createPlan(Caller caller, UUID clientId, NewPlan plan);

    /** Past, current and future plans, ordered by start; {@code status} null lists all. */
    List<Plan> listPlans(Caller caller, UUID clientId, PlanStatus status);

    Plan getPlan(Caller caller, UUID clientId, UUID planId);

    /** Deletes a plan that has not started yet (409 otherwise). */
    void deletePlan(Caller caller, UUID clientId, UUID planId);

    /** Ingests a batch of login events; idempotent by event id. */
    IngestReport ingestLogins(Caller caller, UUID clientId, List<LoginLine> lines);

    /**
     * Usage of the plan {@code planId}, or else of the plan covering {@code at}, or else of the current plan.
     */
    LicenceUsage usage(Caller caller, UUID clientId, UUID planId, Instant at);

    /** The consumption report: one row per month of the plan (see {@link #usage}). */
    CsvReport consumptionReport(Caller caller, UUID clientId, UUID planId, Instant at);

    /**
     * The users report: one row per user of the client account during the plan, with a login or not (see
     * {@link #usage}), so it reconciles with the users list.
     */
    CsvReport usersReport(Caller caller, UUID clientId, UUID planId, Instant at);
}
