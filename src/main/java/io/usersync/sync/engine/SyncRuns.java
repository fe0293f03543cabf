package io.usersync.sync.engine;

import io.usersync.common.Ids;
import io.usersync.common.Page;
import io.usersync.common.error.DomainException;
import io.usersync.common.error.ProblemType;
import io.usersync.common.time.AppClock;
import io.usersync.tenant.Caller;
import io.usersync.tenant.ClientAccount;
import io.usersync.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Sync runs as tenant admins see them: trigger, follow, inspect, approve or reject, cancel. */
@ApplicationScoped
@Transactional
public class SyncRuns {

    @Inject
    ConnectionService connections;

    @Inject
    TenantService tenants;

    @Inject
    PlanStore plans;

    @Inject
    AppClock clock;

    static SyncRun newRun(DirectoryConnection connection, RunTrigger trigger, boolean dryRun, String requestedBy,
            Instant now) {
        SyncRun run = new SyncRun();
        run.id = Ids.newId();
        run.mspId = connection.mspId;
        run.clientId = connection.clientId;
        run.connectionId = connection.id;
        run.provider = connection.provider;
        run.trigger = trigger;
        run.dryRun = dryRun;
        run.status = RunStatus.QUEUED;
        run.requestedBy = requestedBy;
        run.requestedAt = now;
        return run;
    }

    /**
     * Queues a manual run (or returns the identical one already queued). A real (not dry) run supersedes the
     * connection's held runs: it reads the directory again, so their plans would be out of date once it is applied;
     * a new plan that trips a guard is held again, for the admin to decide on current data.
     */
    public SyncRun trigger(Caller caller, UUID clientId, UUID connectionId, boolean dryRun) {
        DirectoryConnection connection = connections.find(caller, clientId, connectionId);
        if (!connection.enabled) {
            throw new DomainException(ProblemType.CONFLICT, "The connection is disabled; enable it to run a sync");
        }
        SyncRun queued = SyncRun.find("mspId = ?1 and connectionId = ?2 and status = ?3 and trigger = ?4"
                + " and dryRun = ?5 and decidedBy is null", connection.mspId, connection.id, RunStatus.QUEUED,
                RunTrigger.MANUAL, dryRun).firstResult();
        SyncRun run = queued;
        if (run == null) {
            run = newRun(connection, RunTrigger.MANUAL, dryRun, caller.subject(), clock.now());
            run.persist();
        }
        if (!dryRun) {
            supersedeHeld(connection, "superseded by run " + run.id + " (requested by " + caller.subject()
                    + "), which reads the directory again; review and approve its plan if it is held");
        }
        return run;
    }

    /**
     * Queues a deny-list re-evaluation (coalesced with one already queued). Held runs of the connection are
     * superseded: their plans were made with the previous deny list.
     */
    public SyncRun queueDenyListRun(Caller caller, UUID clientId, UUID connectionId) {
        DirectoryConnection connection = connections.find(caller, clientId, connectionId);
        supersedeHeld(connection, "superseded: the deny list changed after this plan was made; the next run"
                + " re-plans with the new deny list");
        SyncRun queued = SyncRun.find("mspId = ?1 and connectionId = ?2 and status = ?3 and trigger = ?4",
                connection.mspId, connection.id, RunStatus.QUEUED, RunTrigger.DENY_LIST).firstResult();
        if (queued != null) {
            return queued;
        }
        SyncRun run = newRun(connection, RunTrigger.DENY_LIST, false, caller.subject(), clock.now());
        run.persist();
        return run;
    }

    /**
     * For the scheduler, on a due connection: while a run is held for an admin's decision, no new scheduled run
     * is planned (it would re-plan from the same position and be held again, and held runs would pile up); the
     * due time moves one interval on. Held runs whose plan is no longer current (see {@link #planCurrent}) are
     * superseded instead, and then do not hold the schedule.
     *
     * @return whether the connection waits for a held run
     */
    public boolean scheduleWaitsForHeldRun(DirectoryConnection connection) {
        Instant now = clock.now();
        boolean waiting = false;
        for (SyncRun held : SyncRun.<SyncRun>list("mspId = ?1 and connectionId = ?2 and status = ?3",
                connection.mspId, connection.id, RunStatus.HELD)) {
            if (planCurrent(held, connection)) {
                waiting = true;
            } else {
                supersede(held, "superseded: the connection's pool, credentials or sync position changed after this"
                        + " plan was made; the schedule re-plans", now);
            }
        }
        if (waiting) {
            connection.nextDueAt = connections.nextDue(connection, now);
        }
        return waiting;
    }

    /**
     * Whether a held (or approved) run's plan still fits the connection: neither its settings (pool, guests,
     * credentials) nor its sync position (delta token, last full read) moved since the run started reading.
     * Runs older than this bookkeeping are never current.
     */
    static boolean planCurrent(SyncRun run, DirectoryConnection connection) {
        return connection != null && run.basisSettingsRevision != null && run.basisPositionRevision != null
                && run.basisSettingsRevision.longValue() == connection.settingsRevision
                && run.basisPositionRevision.longValue() == connection.positionRevision;
    }

    private void supersedeHeld(DirectoryConnection connection, String reason) {
        Instant now = clock.now();
        for (SyncRun held : SyncRun.<SyncRun>list("mspId = ?1 and connectionId = ?2 and status = ?3",
                connection.mspId, connection.id, RunStatus.HELD)) {
            supersede(held, reason, now);
        }
    }

    /** Ends a run that will not run (any more) because a newer read or a change made its plan out of date. */
    static void supersede(SyncRun run, String reason, Instant now) {
        run.status = RunStatus.CANCELLED;
        run.phase = null;
        run.finishedAt = now;
        run.errorKind = "SUPERSEDED";
        run.errorMessage = reason.length() > 1000 ? reason.substring(0, 1000) : reason;
    }

    public SyncRun get(Caller caller, UUID clientId, UUID runId) {
        ClientAccount client = tenants.getClient(caller, clientId);
        SyncRun run = SyncRun.findById(runId);
        if (run == null || !run.clientId.equals(client.id) || !run.mspId.equals(client.mspId)) {
            throw DomainException.notFound("Sync run");
        }
        return run;
    }

    public Page<SyncRun> list(Caller caller, UUID clientId, UUID connectionId, UUID after, int limit) {
        DirectoryConnection connection = connections.find(caller, clientId, connectionId);
        // Newest first: ids are time-ordered, so "before the cursor" walks back in time.
        List<SyncRun> rows = after == null
                ? SyncRun.<SyncRun>find("mspId = ?1 and connectionId = ?2 order by id desc", connection.mspId,
                        connection.id).page(0, limit + 1).list()
                : SyncRun.<SyncRun>find("mspId = ?1 and connectionId = ?2 and id < ?3 order by id desc",
                        connection.mspId, connection.id, after).page(0, limit + 1).list();
        return Page.of(rows, limit, r -> r.id);
    }

    /** The run's per-user change list, in plan order; SNAPSHOT rows are internal and listed only on request. */
    public Page<PlannedChange> changes(Caller caller, UUID clientId, UUID runId, ChangeKind kind, String cursor,
            int limit) {
        SyncRun run = get(caller, clientId, runId);
        int after = 0;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                after = Integer.parseInt(new String(java.util.Base64.getUrlDecoder().decode(cursor),
                        java.nio.charset.StandardCharsets.UTF_8).substring(2));
            } catch (RuntimeException e) {
                throw DomainException.invalidField("cursor", "is not a cursor returned by this API");
            }
        }
        List<PlannedChange> rows = plans.page(run.mspId, run.id, kind, after, limit + 1);
        if (rows.size() > limit) {
            List<PlannedChange> items = rows.subList(0, limit);
            String next = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(("c:"
                    + items.get(limit - 1).seq()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return new Page<>(List.copyOf(items), next);
        }
        return new Page<>(rows, null);
    }

    /**
     * Approves a held run: its plan, exactly, will be applied (re-checked against the current state). Refused
     * (409) when the plan is no longer current: the connection's pool, credentials or sync position moved since
     * the run read the directory, so the admin must run a sync again and review the new plan.
     */
    public SyncRun approve(Caller caller, UUID clientId, UUID runId) {
        SyncRun run = get(caller, clientId, runId);
        requireHeld(run);
        if (!planCurrent(run, DirectoryConnection.findById(run.connectionId))) {
            throw new DomainException(ProblemType.CONFLICT, "This run's plan is out of date: the connection's pool,"
                    + " credentials or sync position changed after it was made. Run a sync again (POST /api/clients/"
                    + run.clientId + "/connections/" + run.connectionId + "/runs) and review the new plan");
        }
        run.status = RunStatus.QUEUED;
        run.decidedBy = caller.subject();
        run.decidedAt = clock.now();
        return run;
    }

    public SyncRun reject(Caller caller, UUID clientId, UUID runId) {
        SyncRun run = get(caller, clientId, runId);
        requireHeld(run);
        run.status = RunStatus.REJECTED;
        run.decidedBy = caller.subject();
        run.decidedAt = clock.now();
        run.finishedAt = run.decidedAt;
        return run;
    }

    /** Cancels a queued or held run at once, or asks a running one to stop while it is still reading. */
    public SyncRun cancel(Caller caller, UUID clientId, UUID runId) {
        SyncRun run = get(caller, clientId, runId);
        switch (run.status) {
            case QUEUED, HELD -> {
                run.status = RunStatus.CANCELLED;
                run.finishedAt = clock.now();
                run.errorKind = "CANCELLED";
                run.errorMessage = "cancelled by " + caller.subject();
            }
            case RUNNING -> {
                if (run.phase == SyncRun.Phase.APPLYING) {
                    throw new DomainException(ProblemType.CONFLICT,
                            "The run is applying its plan and will finish shortly; it can no longer be cancelled");
                }
                run.cancelRequested = true;
            }
            default -> throw new DomainException(ProblemType.CONFLICT, "The run has already ended (" + run.status + ")");
        }
        return run;
    }

    private static void requireHeld(SyncRun run) {
        if (run.status != RunStatus.HELD) {
            throw new DomainException(ProblemType.CONFLICT, "Only a HELD run can be approved or rejected; this one is "
                    + run.status);
        }
    }
}
