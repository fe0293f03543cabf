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

    /** Queues a manual run (or returns the identical one already queued). */
    public SyncRun trigger(Caller caller, UUID clientId, UUID connectionId, boolean dryRun) {
        DirectoryConnection connection = connections.find(caller, clientId, connectionId);
        if (!connection.enabled) {
            throw new DomainException(ProblemType.CONFLICT, "The connection is disabled; enable it to run a sync");
        }
        SyncRun queued = SyncRun.find("mspId = ?1 and connectionId = ?2 and status = ?3 and trigger = ?4"
                + " and dryRun = ?5 and decidedBy is null", connection.mspId, connection.id, RunStatus.QUEUED,
                RunTrigger.MANUAL, dryRun).firstResult();
        if (queued != null) {
            return queued;
        }
        SyncRun run = newRun(connection, RunTrigger.MANUAL, dryRun, caller.subject(), clock.now());
        run.persist();
        return run;
    }

    /** Queues a deny-list re-evaluation (coalesced with one already queued). */
    public SyncRun queueDenyListRun(Caller caller, UUID clientId, UUID connectionId) {
        DirectoryConnection connection = connections.find(caller, clientId, connectionId);
        SyncRun queued = SyncRun.find("mspId = ?1 and connectionId = ?2 and status = ?3 and trigger = ?4",
                connection.mspId, connection.id, RunStatus.QUEUED, RunTrigger.DENY_LIST).firstResult();
        if (queued != null) {
            return queued;
        }
        SyncRun run = newRun(connection, RunTrigger.DENY_LIST, false, caller.subject(), clock.now());
        run.persist();
        return run;
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

    /** Approves a held run: its plan, exactly, will be applied (re-checked against the current state). */
    public SyncRun approve(Caller caller, UUID clientId, UUID runId) {
        SyncRun run = get(caller, clientId, runId);
        requireHeld(run);
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
