package io.usersync.sync.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Multi;
import io.usersync.common.time.AppClock;
import io.usersync.directory.SyncedUserStore;
import io.usersync.directory.UserSource;
import io.usersync.sync.port.Credentials;
import io.usersync.sync.port.DirectoryConnector;
import io.usersync.sync.port.DirectoryException;
import io.usersync.sync.port.DirectoryPage;
import io.usersync.sync.port.PoolSpec;
import io.usersync.sync.port.Provider;
import io.usersync.sync.port.ReadMode;
import io.usersync.tenant.ClientAccount;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Executes one sync run from start to end: read the whole pool (pages stream from the provider on one thread
 * while the previous page is planned on another, with a bounded buffer in between), plan, apply the guards,
 * then apply the plan — or, if anything prevented a complete read, apply nothing and end {@code FAILED}.
 * The caller holds the connection's lease.
 */
@ApplicationScoped
public class SyncRunner {

    private static final Logger LOG = Logger.getLogger(SyncRunner.class);
    private static final DirectoryPage END = new DirectoryPage(0, List.of());

    @Inject
    ConnectionService connections;

    @Inject
    RunEvents runEvents;

    @Inject
    DenyListService denyLists;

    @Inject
    PlanStore plans;

    @Inject
    SyncedUserStore users;

    @Inject
    RunApplier applier;

    @Inject
    SyncConfig config;

    @Inject
    AppClock clock;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry metrics;

    @Inject
    @Any
    Instance<DirectoryConnector> connectors;

    /** Blocking SDK calls and JDBC run on virtual threads, never on the event loop. */
    private final ExecutorService fetchThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("usersync-sync-fetch-", 0).factory());
    private final ExecutorService planThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("usersync-sync-plan-", 0).factory());

    /** Stops the run before it applies anything (shutdown, lost lease). */
    public interface Abort extends BooleanSupplier {
    }

    /** Thrown inside a read when the run must stop; nothing is applied. */
    static final class RunStopped extends CancellationException {
        RunStopped(String message) {
            super(message);
        }
    }

    /** How a run ended, kept in memory while the database cannot take it. */
    private record Outcome(RunStatus status, String errorKind, String message) {
    }

    private final java.util.Map<UUID, Outcome> unrecorded = new java.util.concurrent.ConcurrentHashMap<>();

    /** Whether the run ended while its outcome could not be written (the database was unreachable). */
    public boolean hasUnrecordedOutcome(UUID runId) {
        return unrecorded.containsKey(runId);
    }

    /**
     * Writes an outcome kept in memory, unless the run has ended otherwise meanwhile.
     *
     * @return whether it is recorded now (false: the database is still unreachable)
     */
    public boolean recordOutcome(UUID runId) {
        Outcome outcome = unrecorded.get(runId);
        if (outcome == null) {
            return true;
        }
        try {
            finish(runId, outcome.status(), outcome.errorKind(), outcome.message());
            unrecorded.remove(runId);
            LOG.infof("recorded the outcome of run %s now that the database is back: %s %s", runId,
                    outcome.status(), outcome.errorKind());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Ends the run; when the database cannot take it, keeps the outcome for {@link #recordOutcome}. */
    private void end(UUID runId, RunStatus status, String errorKind, String message) {
        try {
            finish(runId, status, errorKind, message);
        } catch (RuntimeException e) {
            LOG.warnf("could not record the end of run %s (%s %s): %s", runId, status, errorKind, safeMessage(e));
            unrecorded.put(runId, new Outcome(status, errorKind, message));
        }
    }

    /** Whether the failure comes from the database connection rather than from the run's logic. */
    static boolean databaseUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLRecoverableException
                    || t instanceof java.sql.SQLNonTransientConnectionException
                    || t instanceof org.hibernate.exception.JDBCConnectionException
                    || t.getClass().getName().endsWith("CommunicationsException")
                    || (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                            && sql.getSQLState().startsWith("08"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Everything the run needs from the connection, read once at the start. */
    private record Snapshot(UUID mspId, UUID clientId, UUID connectionId, Provider provider, PoolSpec pool,
            String deltaToken, Instant lastFullSyncAt, int massPercent, int massMinimum) {
    }

    /** Executes a run this replica has claimed. Never throws: every outcome is recorded on the run. */
    public void execute(UUID runId, String leaseOwner, Abort abort) {
        Timer.Sample sample = Timer.start(metrics);
        SyncRun run = QuarkusTransaction.requiringNew().call(() -> start(runId, leaseOwner));
        if (run == null) {
            return;
        }
        MDC.put("runId", runId.toString());
        MDC.put("tenantId", run.mspId.toString());
        MDC.put("clientId", run.clientId.toString());
        RunStatus finalStatus = RunStatus.FAILED;
        boolean[] applying = { false };
        try {
            finalStatus = run.status == RunStatus.QUEUED && run.decidedBy != null
                    ? applyApproved(run, leaseOwner, applying)
                    : readPlanApply(run, leaseOwner, abort, applying);
        } catch (RunStopped e) {
            finalStatus = RunStatus.CANCELLED;
            end(runId, RunStatus.CANCELLED, "CANCELLED", e.getMessage());
        } catch (RunApplier.LeaseLostException e) {
            end(runId, RunStatus.FAILED, "LEASE_LOST", e.getMessage() + "; the changes applied so far are "
                    + "complete with their events and the next run converges");
        } catch (DirectoryException e) {
            end(runId, RunStatus.FAILED, e.kind().name(), e.getMessage());
        } catch (RuntimeException e) {
            if (databaseUnreachable(e)) {
                LOG.warnf("sync run %s failed: the database became unreachable: %s", runId, safeMessage(e));
                end(runId, RunStatus.FAILED, "DATABASE_UNAVAILABLE", "the database became unreachable during the run"
                        + (applying[0] ? " while applying; the changes applied so far are complete with their events"
                                + " and the next run converges" : " while reading; nothing was applied")
                        + " (" + safeMessage(rootCause(e)) + ")");
            } else {
                LOG.errorf(e, "sync run %s failed", runId);
                end(runId, RunStatus.FAILED, "INTERNAL", "internal error: " + safeMessage(e));
            }
        } finally {
            metrics.counter("usersync.sync.runs", "status", finalStatus.name()).increment();
            sample.stop(metrics.timer("usersync.sync.run.duration"));
            MDC.remove("runId");
            MDC.remove("tenantId");
            MDC.remove("clientId");
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private SyncRun start(UUID runId, String owner) {
        SyncRun run = SyncRun.findById(runId);
        if (run == null || run.status != RunStatus.QUEUED) {
            return null;
        }
        boolean approvedPlan = run.decidedBy != null;
        DirectoryConnection connection = DirectoryConnection.findById(run.connectionId);
        if (approvedPlan && !SyncRuns.planCurrent(run, connection)) {
            SyncRuns.supersede(run, "not applied: the connection's pool, credentials or sync position changed after"
                    + " the plan was approved; run a sync again", clock.now());
            return null;
        }
        if (!approvedPlan) {
            run.status = RunStatus.RUNNING;
            run.phase = SyncRun.Phase.READING;
            run.startedAt = clock.now();
            if (connection != null) {
                run.basisSettingsRevision = connection.settingsRevision;
                run.basisPositionRevision = connection.positionRevision;
            }
        }
        run.owner = owner;
        SyncRun copy = new SyncRun();
        copy.id = run.id;
        copy.mspId = run.mspId;
        copy.clientId = run.clientId;
        copy.connectionId = run.connectionId;
        copy.provider = run.provider;
        copy.trigger = run.trigger;
        copy.dryRun = run.dryRun;
        copy.status = approvedPlan ? RunStatus.QUEUED : RunStatus.RUNNING;
        copy.decidedBy = run.decidedBy;
        copy.requestedBy = run.requestedBy;
        copy.deltaToken = run.deltaToken;
        copy.mode = run.mode;
        copy.basisSettingsRevision = run.basisSettingsRevision;
        copy.basisPositionRevision = run.basisPositionRevision;
        return copy;
    }

    private RunStatus readPlanApply(SyncRun run, String leaseOwner, Abort abort, boolean[] applying)
            throws DirectoryException {
        Snapshot snapshot = QuarkusTransaction.requiringNew().call(() -> snapshot(run.connectionId));
        if (snapshot == null) {
            finish(run.id, RunStatus.CANCELLED, "CANCELLED", "the connection was deleted");
            return RunStatus.CANCELLED;
        }
        DenyMatcher deny = QuarkusTransaction.requiringNew().call(() -> denyLists.matcher(
                DirectoryConnection.findById(run.connectionId)));
        UserSource source = UserSource.valueOf(snapshot.provider().name());
        RunPlanner planner;
        ReadMode mode = null;
        String deltaToken = null;
        if (run.trigger == RunTrigger.DENY_LIST) {
            planner = newPlanner(run, snapshot, deny, source);
            planner.planFromSnapshot();
        } else {
            DirectoryConnector connector = connector(snapshot.provider());
            Credentials credentials = QuarkusTransaction.requiringNew().call(() -> connections.credentials(
                    DirectoryConnection.findById(run.connectionId)));
            Instant deadline = clock.now().plus(config.run().timeBudget());
            mode = chooseMode(connector, snapshot);
            planner = newPlanner(run, snapshot, deny, source);
            ReadResult read;
            try {
                read = read(run, connector, credentials, snapshot, mode, planner, deadline, abort);
            } catch (DirectoryException e) {
                if (e.kind() != DirectoryException.Kind.DELTA_EXPIRED || mode != ReadMode.DELTA) {
                    throw e;
                }
                LOG.infof("delta token of connection %s expired; reading the whole pool", snapshot.connectionId());
                QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "DELETE FROM sync_run_change WHERE msp_id = ?1 AND run_id = ?2")
                        .setParameter(1, run.mspId).setParameter(2, run.id).executeUpdate());
                mode = ReadMode.FULL;
                planner = newPlanner(run, snapshot, deny, source);
                read = read(run, connector, credentials, snapshot, mode, planner, deadline, abort);
            }
            deltaToken = read.deltaToken();
            if (mode == ReadMode.FULL) {
                planner.finishFullRead();
            } else {
                planner.finishDeltaRead();
            }
            recordProviderStats(run.id, read);
        }
        if (abort.getAsBoolean()) {
            throw new RunStopped("stopped before applying (the service is shutting down)");
        }
        String heldReason = settlePlan(run, snapshot, planner, mode);
        ReadMode finalMode = mode;
        String token = deltaToken;
        RunPlanner finalPlanner = planner;
        QuarkusTransaction.requiringNew().run(() -> {
            SyncRun row = SyncRun.findById(run.id);
            row.mode = finalMode;
            row.deltaToken = token;
            writeCounts(row, finalPlanner, plans.tally(run.mspId, run.id));
        });
        if (run.dryRun) {
            QuarkusTransaction.requiringNew().run(() -> {
                SyncRun row = SyncRun.findById(run.id);
                row.heldReason = heldReason == null ? null : "a real run would be held: " + heldReason;
            });
            finish(run.id, RunStatus.SUCCEEDED, null, null);
            return RunStatus.SUCCEEDED;
        }
        if (heldReason != null) {
            QuarkusTransaction.requiringNew().run(() -> {
                SyncRun row = SyncRun.findById(run.id);
                row.status = RunStatus.HELD;
                row.phase = null;
                row.heldReason = heldReason;
                runEvents.ended(row); // webhook sync.run.held
                DirectoryConnection connection = DirectoryConnection.findById(run.connectionId);
                if (connection != null && run.trigger != RunTrigger.DENY_LIST) {
                    connection.nextDueAt = connections.nextDue(connection, clock.now());
                }
            });
            LOG.warnf("sync run %s held: %s", run.id, heldReason);
            return RunStatus.HELD;
        }
        applying[0] = true;
        apply(run, leaseOwner, source);
        completeConnection(run, finalMode, token);
        return finishApplied(run);
    }

    /** Applies the plan of a held run an admin approved: exactly those rows, re-checked against the state. */
    private RunStatus applyApproved(SyncRun run, String leaseOwner, boolean[] applying) {
        UserSource source = UserSource.valueOf(run.provider.name());
        QuarkusTransaction.requiringNew().run(() -> {
            SyncRun row = SyncRun.findById(run.id);
            row.status = RunStatus.RUNNING;
        });
        applying[0] = true;
        apply(run, leaseOwner, source);
        completeConnection(run, run.mode, run.deltaToken);
        return finishApplied(run);
    }

    private RunStatus finishApplied(SyncRun run) {
        QuarkusTransaction.requiringNew().run(() -> {
            SyncRun row = SyncRun.findById(run.id);
            PlanStore.Tally tally = plans.tally(run.mspId, run.id);
            row.created = tally.outcome(ChangeKind.CREATE, ChangeOutcome.APPLIED);
            row.activated = tally.outcome(ChangeKind.ACTIVATE, ChangeOutcome.APPLIED);
            row.deactivated = tally.outcome(ChangeKind.DEACTIVATE, ChangeOutcome.APPLIED);
            row.updated = tally.outcome(ChangeKind.UPDATE, ChangeOutcome.APPLIED);
            row.overLimit = tally.kind(ChangeKind.OVER_LIMIT) + outcomeAcross(tally, ChangeOutcome.OVER_LIMIT);
            row.conflicts = tally.kind(ChangeKind.CONFLICT) + outcomeAcross(tally, ChangeOutcome.CONFLICT);
            row.skipped = tally.kind(ChangeKind.SKIPPED) + outcomeAcross(tally, ChangeOutcome.SKIPPED);
            for (ChangeKind kind : ChangeKind.values()) {
                int applied = tally.outcome(kind, ChangeOutcome.APPLIED);
                if (applied > 0 && kind.changesUser()) {
                    metrics.counter("usersync.sync.user.changes", "kind", kind.name()).increment(applied);
                }
            }
        });
        finish(run.id, RunStatus.SUCCEEDED, null, null);
        return RunStatus.SUCCEEDED;
    }

    private static int outcomeAcross(PlanStore.Tally tally, ChangeOutcome outcome) {
        int total = 0;
        for (ChangeKind kind : ChangeKind.values()) {
            if (kind.changesUser()) {
                total += tally.outcome(kind, outcome);
            }
        }
        return total;
    }

    private void apply(SyncRun run, String leaseOwner, UserSource source) {
        QuarkusTransaction.requiringNew().run(() -> {
            SyncRun row = SyncRun.findById(run.id);
            row.phase = SyncRun.Phase.APPLYING;
        });
        int last = plans.maxSeq(run.mspId, run.id);
        int chunk = Math.max(1, config.run().applyChunkSize());
        RunApplier.Target target = new RunApplier.Target(run.mspId, run.clientId, run.connectionId, run.id, source,
                leaseOwner, "sync:" + run.provider.name().toLowerCase(java.util.Locale.ROOT));
        for (int from = 1; from <= last; from += chunk) {
            applier.applyChunk(target, from, from + chunk);
        }
    }

    private void completeConnection(SyncRun run, ReadMode mode, String deltaToken) {
        QuarkusTransaction.requiringNew().run(() -> {
            DirectoryConnection connection = DirectoryConnection.findById(run.connectionId);
            if (connection == null || run.trigger == RunTrigger.DENY_LIST) {
                return;
            }
            Instant now = clock.now();
            if (settingsMovedDuring(run, connection)) {
                // The read used the old pool or credentials: its delta position (and full-read time) must not be
                // kept, so the next run reads the new pool in full. ConnectionService.update cleared the token.
                LOG.infof("the pool or credentials of connection %s changed during run %s; its sync position is"
                        + " not stored and the next run reads in full", run.connectionId, run.id);
            } else if (mode == ReadMode.FULL) {
                connection.lastFullSyncAt = now;
                connection.deltaToken = deltaToken;
                connection.positionRevision++;
            } else if (mode == ReadMode.DELTA && deltaToken != null) {
                connection.deltaToken = deltaToken;
                connection.positionRevision++;
            }
            connection.nextDueAt = connections.nextDue(connection, now);
        });
    }

    /** Whether the connection's pool, guests or credentials changed after the run started reading. */
    private static boolean settingsMovedDuring(SyncRun run, DirectoryConnection connection) {
        return run.basisSettingsRevision == null
                || run.basisSettingsRevision.longValue() != connection.settingsRevision;
    }

    /**
     * After planning: marks activations beyond the user limit (deterministically by email) and the deactivation
     * that would remove the last administrator, then checks the guards.
     *
     * @return why the run must be held, or null
     */
    private String settlePlan(SyncRun run, Snapshot snapshot, RunPlanner planner, ReadMode mode) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ClientAccount client = ClientAccount.findById(snapshot.clientId());
            long active = users.countActive(snapshot.mspId(), snapshot.clientId());
            if (client != null && client.userLimit != null) {
                long after = active - planner.deactivations + planner.activations;
                long over = Math.min(planner.activations, after - client.userLimit);
                if (over > 0) {
                    plans.markOverLimit(run.mspId, run.id, over, "the client account's user limit ("
                            + client.userLimit + ") is reached; activations are granted in email order");
                }
            }
            long admins = users.countActiveAdmins(snapshot.mspId(), snapshot.clientId());
            List<RunPlanner.AdminDeactivation> adminDeactivations = planner.adminDeactivations();
            if (!adminDeactivations.isEmpty() && admins - adminDeactivations.size() < 1) {
                RunPlanner.AdminDeactivation keep = adminDeactivations.stream()
                        .min(java.util.Comparator.comparing(a -> a.emailKey() == null ? "" : a.emailKey()))
                        .orElseThrow();
                plans.markConflict(run.mspId, run.id, keep.seq(),
                        "kept active: the client account's last active administrator");
            }
            if (run.trigger == RunTrigger.DENY_LIST) {
                return null;
            }
            PlanStore.Tally tally = plans.tally(run.mspId, run.id);
            int deactivations = tally.kind(ChangeKind.DEACTIVATE);
            long connectionActive = users.countActiveOfSource(snapshot.mspId(), snapshot.clientId(),
                    UserSource.valueOf(snapshot.provider().name()));
            if (mode == ReadMode.FULL && planner.inPool == 0 && connectionActive > 0) {
                return "the provider returned an empty pool while " + connectionActive
                        + " users of this connection are active";
            }
            long threshold = Math.max((connectionActive * snapshot.massPercent() + 99) / 100,
                    snapshot.massMinimum());
            if (deactivations > threshold) {
                return "the run would deactivate " + deactivations + " of " + connectionActive
                        + " active users, more than the threshold of " + threshold + " ("
                        + snapshot.massPercent() + " %, minimum " + snapshot.massMinimum() + ")";
            }
            return null;
        });
    }

    /** Result of a complete read. */
    private record ReadResult(String deltaToken, long requests, long throttled) {
    }

    /**
     * Streams the pool: {@code Multi} pulls pages from the provider on a fetch thread, on demand, with a bounded
     * prefetch buffer; pages are planned on another thread, so fetching page k+1 overlaps planning page k.
     */
    private ReadResult read(SyncRun run, DirectoryConnector connector, Credentials credentials, Snapshot snapshot,
            ReadMode mode, RunPlanner planner, Instant deadline, Abort abort) throws DirectoryException {
        QuarkusTransaction.requiringNew().run(() -> {
            SyncRun row = SyncRun.findById(run.id);
            row.mode = mode;
        });
        run.mode = mode;
        DirectoryConnector.PoolReader opened = connector.open(credentials, snapshot.pool(), mode,
                mode == ReadMode.DELTA ? snapshot.deltaToken() : null, deadline);
        try (DirectoryConnector.PoolReader reader = opened) {
            try {
                Multi.createBy().repeating().supplier(() -> nextPage(reader))
                        .until(page -> page == END)
                        .runSubscriptionOn(fetchThreads)
                        .emitOn(planThreads, Math.max(1, config.run().prefetchPages()))
                        .onItem().invoke(page -> {
                            if (abort.getAsBoolean() || cancelRequested(run.id)) {
                                throw new RunStopped(abort.getAsBoolean()
                                        ? "stopped while reading (the service is shutting down); nothing was applied"
                                        : "cancelled by an administrator while reading; nothing was applied");
                            }
                            planner.accept(page.users());
                            recordProgress(run.id, planner);
                        })
                        .collect().last()
                        .await().atMost(Duration.between(clock.now(), deadline).plusMinutes(1));
            } finally {
                countProviderCalls(snapshot.provider(), reader);
            }
            return new ReadResult(reader.deltaToken(), reader.requests(), reader.throttled());
        } catch (ReadFailure e) {
            throw e.failure;
        } catch (io.smallrye.mutiny.TimeoutException e) {
            throw new DirectoryException(DirectoryException.Kind.TIMEOUT, "the run's time budget of "
                    + config.run().timeBudget() + " was used up before the pool was read");
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof ReadFailure failure) {
                throw failure.failure;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** Provider requests and throttled responses of a read, successful or not, by provider. */
    private void countProviderCalls(Provider provider, DirectoryConnector.PoolReader reader) {
        String tag = provider.name();
        metrics.counter("usersync.sync.provider.requests", "provider", tag).increment(reader.requests());
        metrics.counter("usersync.sync.provider.throttled", "provider", tag).increment(reader.throttled());
    }

    /** Carries a checked read failure through the stream. */
    private static final class ReadFailure extends RuntimeException {
        final DirectoryException failure;

        ReadFailure(DirectoryException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }

    private static DirectoryPage nextPage(DirectoryConnector.PoolReader reader) {
        try {
            DirectoryPage page = reader.next();
            return page == null ? END : page;
        } catch (DirectoryException e) {
            throw new ReadFailure(e);
        }
    }

    private boolean cancelRequested(UUID runId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object flag = em.createNativeQuery("SELECT cancel_requested FROM sync_run WHERE id = ?1")
                    .setParameter(1, runId).getSingleResult();
            return flag instanceof Boolean b ? b : flag instanceof Number n && n.intValue() != 0;
        });
    }

    private void recordProgress(UUID runId, RunPlanner planner) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE sync_run SET pages = ?1, users_processed = ?2, fetched = ?3, in_pool = ?4 WHERE id = ?5")
                .setParameter(1, planner.pages).setParameter(2, planner.fetched).setParameter(3, planner.fetched)
                .setParameter(4, planner.inPool).setParameter(5, runId).executeUpdate());
    }

    private void recordProviderStats(UUID runId, ReadResult read) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE sync_run SET provider_requests = ?1, throttled = ?2 WHERE id = ?3")
                .setParameter(1, (int) Math.min(Integer.MAX_VALUE, read.requests()))
                .setParameter(2, (int) Math.min(Integer.MAX_VALUE, read.throttled())).setParameter(3, runId)
                .executeUpdate());
    }

    private static void writeCounts(SyncRun row, RunPlanner planner, PlanStore.Tally tally) {
        row.pages = planner.pages;
        row.usersProcessed = planner.fetched;
        row.fetched = planner.fetched;
        row.inPool = planner.inPool;
        row.denied = planner.denied;
        row.unchanged = planner.unchanged;
        row.created = tally.kind(ChangeKind.CREATE);
        row.activated = tally.kind(ChangeKind.ACTIVATE);
        row.deactivated = tally.kind(ChangeKind.DEACTIVATE);
        row.updated = tally.kind(ChangeKind.UPDATE);
        row.overLimit = tally.kind(ChangeKind.OVER_LIMIT);
        row.skipped = tally.kind(ChangeKind.SKIPPED);
        row.conflicts = tally.kind(ChangeKind.CONFLICT);
        row.plannedChanges = tally.kind(ChangeKind.CREATE) + tally.kind(ChangeKind.ADOPT)
                + tally.kind(ChangeKind.RELINK)
                + tally.kind(ChangeKind.UPDATE) + tally.kind(ChangeKind.ACTIVATE) + tally.kind(ChangeKind.DEACTIVATE);
    }

    private ReadMode chooseMode(DirectoryConnector connector, Snapshot snapshot) {
        boolean fullDue = snapshot.lastFullSyncAt() == null || snapshot.lastFullSyncAt()
                .plus(config.schedule().fullReconcileInterval()).isBefore(clock.now());
        return connector.supportsDelta(snapshot.pool()) && snapshot.deltaToken() != null && !fullDue
                ? ReadMode.DELTA : ReadMode.FULL;
    }

    /**
     * Checks a connection's stored credentials: a token and one user.
     *
     * @return what was read
     * @throws DirectoryException with a secret-free message
     */
    public String testConnection(UUID connectionId) throws DirectoryException {
        DirectoryConnection connection = QuarkusTransaction.requiringNew().call(() -> DirectoryConnection
                .findById(connectionId));
        Credentials credentials = QuarkusTransaction.requiringNew().call(() -> connections.credentials(
                DirectoryConnection.findById(connectionId)));
        return connector(connection.provider).testConnection(credentials, clock.now().plusSeconds(30));
    }

    private DirectoryConnector connector(Provider provider) throws DirectoryException {
        for (DirectoryConnector connector : connectors) {
            if (connector.provider() == provider) {
                return connector;
            }
        }
        throw new DirectoryException(DirectoryException.Kind.CONFIGURATION, "no connector for " + provider);
    }

    private RunPlanner newPlanner(SyncRun run, Snapshot snapshot, DenyMatcher deny, UserSource source) {
        return new RunPlanner(users, plans, deny, snapshot.mspId(), snapshot.clientId(), snapshot.connectionId(),
                run.id, source, snapshot.pool().includeGuests());
    }

    private Snapshot snapshot(UUID connectionId) {
        DirectoryConnection c = DirectoryConnection.findById(connectionId);
        if (c == null) {
            return null;
        }
        return new Snapshot(c.mspId, c.clientId, c.id, c.provider, connections.pool(c), c.deltaToken,
                c.lastFullSyncAt, c.massDeactivationPercent, c.massDeactivationMinimum);
    }

    void finish(UUID runId, RunStatus status, String errorKind, String message) {
        QuarkusTransaction.requiringNew().run(() -> {
            SyncRun row = SyncRun.findById(runId);
            if (row == null || row.status.isTerminal()) {
                return; // ended meanwhile (e.g. another replica took the connection over): keep that outcome
            }
            if (row.phase == SyncRun.Phase.READING && status != RunStatus.SUCCEEDED) {
                // Nothing was applied: a partial plan would only mislead whoever reads the change list.
                em.createNativeQuery("DELETE FROM sync_run_change WHERE msp_id = ?1 AND run_id = ?2")
                        .setParameter(1, row.mspId).setParameter(2, row.id).executeUpdate();
            }
            row.status = status;
            row.phase = null;
            row.finishedAt = clock.now();
            if (errorKind != null) {
                row.errorKind = errorKind;
                row.errorMessage = message == null ? null : message.length() > 1000 ? message.substring(0, 1000)
                        : message;
            }
            runEvents.ended(row); // webhooks sync.run.succeeded / sync.run.failed
            if (status == RunStatus.FAILED || status == RunStatus.CANCELLED) {
                DirectoryConnection connection = DirectoryConnection.findById(row.connectionId);
                if (connection != null && row.trigger != RunTrigger.DENY_LIST
                        && !connection.nextDueAt.isAfter(clock.now())) {
                    connection.nextDueAt = connections.nextDue(connection, clock.now());
                }
                if (connection != null && status == RunStatus.FAILED) {
                    retrySooner(row, connection);
                }
            }
        });
    }

    /**
     * After a failed real run, the connection's next run comes after a backoff instead of a whole interval later
     * ({@link SyncConfig.Schedule#failureRetry()}).
     */
    private void retrySooner(SyncRun failed, DirectoryConnection connection) {
        if (failed.trigger == RunTrigger.DENY_LIST || failed.dryRun || !connection.enabled) {
            return;
        }
        List<SyncRun> earlier = SyncRun.<SyncRun>find("mspId = ?1 and connectionId = ?2 and trigger <> ?3"
                + " and dryRun = false and status in ?4 and id <> ?5 and requestedAt <= ?6 order by requestedAt desc",
                failed.mspId, failed.connectionId, RunTrigger.DENY_LIST,
                List.of(RunStatus.SUCCEEDED, RunStatus.FAILED), failed.id, failed.requestedAt).page(0, 30).list();
        int failures = 1;
        for (SyncRun run : earlier) {
            if (run.status != RunStatus.FAILED) {
                break;
            }
            failures++;
        }
        Instant retry = connections.retryAfterFailure(connection, failed.finishedAt, failures);
        // Within a streak the due time is the previous failure's retry: the longer delay replaces it.
        if (failures > 1 || retry.isBefore(connection.nextDueAt)) {
            connection.nextDueAt = retry;
        }
    }

    private static String safeMessage(Throwable e) {
        String message = e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        return message.length() > 300 ? message.substring(0, 300) : message;
    }

    @PreDestroy
    void stop() {
        fetchThreads.shutdownNow();
        planThreads.shutdownNow();
    }
}
