package io.usersync.sync.engine;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.usersync.common.Ids;
import io.usersync.common.Jdbc;
import io.usersync.common.time.AppClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Background workers. Each replica periodically claims due connections with a database lease
 * ({@code SELECT ... FOR UPDATE SKIP LOCKED}, then a lease owner and expiry on the row), so a connection is run
 * by at most one replica at a time; the oldest due connection goes first, which keeps tenants fair, and each
 * replica runs at most {@code max-concurrent-runs} at once. Leases are renewed while a run lasts and released
 * at its end; a dead replica's leases expire and another replica takes over. On shutdown the worker stops
 * claiming, stops runs that are still reading (nothing applied), lets applying runs finish within the drain
 * time, and releases its leases.
 */
@ApplicationScoped
public class SyncWorker {

    private static final Logger LOG = Logger.getLogger(SyncWorker.class);

    @Inject
    SyncConfig config;

    @Inject
    SyncRunner runner;

    @Inject
    AppClock clock;

    @Inject
    EntityManager em;

    @Inject
    SyncRuns runs;

    @Inject
    RunEvents runEvents;

    private final String instanceId;
    private final Map<UUID, UUID> running = new ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean ticking = new AtomicBoolean();
    private ExecutorService runThreads;
    private ExecutorService wakeThread;

    @Inject
    public SyncWorker(SyncConfig config) {
        this.instanceId = config.worker().instanceId().orElseGet(SyncWorker::defaultInstanceId);
    }

    void onStart(@Observes StartupEvent event) {
        SyncConfig.Worker worker = config.worker();
        if (worker.leaseRenewal().multipliedBy(2).compareTo(worker.leaseDuration()) > 0) {
            // renewing later than half the lease lets a healthy replica's leases expire mid-run
            throw new IllegalStateException("usersync.sync.worker.lease-renewal (" + worker.leaseRenewal()
                    + ") must be at most half of usersync.sync.worker.lease-duration (" + worker.leaseDuration() + ")");
        }
        runThreads = Executors.newFixedThreadPool(Math.max(1, config.worker().maxConcurrentRuns()),
                Thread.ofPlatform().name("usersync-sync-run-", 0).daemon().factory());
        wakeThread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("usersync-sync-wake").daemon()
                .factory());
    }

    public String instanceId() {
        return instanceId;
    }

    /** Connections this replica is running now. */
    public Set<UUID> runningConnections() {
        return Set.copyOf(running.keySet());
    }

    /** Looks for work now instead of at the next poll (after a manual trigger). */
    public void wakeUp() {
        if (config.worker().enabled() && !stopping.get() && wakeThread != null) {
            wakeThread.execute(this::tick);
        }
    }

    @Scheduled(every = "${usersync.sync.worker.poll-interval:5s}", concurrentExecution =
            Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        if (config.worker().enabled()) {
            tick();
        }
    }

    /** Claims as many due connections as there are free run slots and starts their runs. */
    void tick() {
        if (stopping.get() || !ticking.compareAndSet(false, true)) {
            return;
        }
        try {
            int free = config.worker().maxConcurrentRuns() - running.size();
            if (free <= 0) {
                return;
            }
            for (UUID connectionId : claim(free)) {
                UUID runId = QuarkusTransaction.requiringNew().call(() -> prepareRun(connectionId));
                if (runId == null) {
                    release(connectionId);
                    continue;
                }
                running.put(connectionId, runId);
                runThreads.execute(() -> runClaimed(connectionId, runId));
            }
        } catch (RuntimeException e) {
            LOG.warnf("sync worker could not claim work: %s", e.getMessage());
        } finally {
            ticking.set(false);
        }
    }

    /**
     * Runs a connection's queued run in the calling thread if its lease is free right now (used so a deny-list
     * change or an approval takes effect at once). Never on a replica whose workers are disabled: the run then
     * waits for an enabled replica.
     *
     * @return whether the run was executed here
     */
    public boolean runNowIfFree(UUID connectionId, UUID runId) {
        if (!config.worker().enabled() || stopping.get() || !acquire(connectionId)) {
            return false;
        }
        running.put(connectionId, runId);
        runClaimed(connectionId, runId);
        return true;
    }

    private void runClaimed(UUID connectionId, UUID runId) {
        boolean recorded = true;
        try {
            runner.execute(runId, instanceId, stopping::get);
            recorded = !runner.hasUnrecordedOutcome(runId);
        } finally {
            if (recorded) {
                running.remove(connectionId);
                release(connectionId);
                if (!stopping.get()) {
                    wakeUp();
                }
            } else {
                LOG.warnf("run %s ended while the database was unreachable; its outcome is recorded, and the lease"
                        + " of connection %s released, when the database is back", runId, connectionId);
            }
        }
    }

    /**
     * Records the outcomes of runs that ended while the database was unreachable, then releases their
     * connections; until then this replica keeps renewing their leases, so nobody else takes them over.
     */
    @Scheduled(every = "${usersync.sync.worker.poll-interval:5s}", concurrentExecution =
            Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void recordPendingOutcomes() {
        for (Map.Entry<UUID, UUID> entry : running.entrySet()) {
            UUID connectionId = entry.getKey();
            UUID runId = entry.getValue();
            if (runner.hasUnrecordedOutcome(runId) && runner.recordOutcome(runId)) {
                running.remove(connectionId, runId);
                release(connectionId);
            }
        }
    }

    /** Picks due connections whose lease is free, oldest due first, and leases them to this replica. */
    List<UUID> claim(int max) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.now();
            @SuppressWarnings("unchecked")
            List<byte[]> ids = em.createNativeQuery("""
                    SELECT c.id FROM directory_connection c
                     WHERE (c.lease_owner IS NULL OR c.lease_expires_at < ?1)
                       AND ((c.enabled = TRUE AND c.next_due_at <= ?1)
                            OR c.lease_owner IS NOT NULL
                            OR EXISTS (SELECT 1 FROM sync_run r WHERE r.msp_id = c.msp_id
                                        AND r.connection_id = c.id AND r.status = 'QUEUED'))
                     ORDER BY c.next_due_at
                     LIMIT ?2
                     FOR UPDATE SKIP LOCKED""").setParameter(1, Jdbc.timestamp(now))
                    .setParameter(2, max + running.size()).getResultList();
            List<UUID> claimed = new ArrayList<>();
            for (byte[] id : ids) {
                UUID connectionId = Jdbc.uuid(id);
                if (running.containsKey(connectionId) || claimed.size() >= max) {
                    continue; // still ours (its lease lapsed while the database was away): not a takeover
                }
                em.createNativeQuery("UPDATE directory_connection SET lease_owner = ?1, lease_expires_at = ?2"
                        + " WHERE id = ?3").setParameter(1, instanceId)
                        .setParameter(2, Jdbc.timestamp(now.plus(config.worker().leaseDuration())))
                        .setParameter(3, connectionId).executeUpdate();
                claimed.add(connectionId);
            }
            return claimed;
        });
    }

    /** Takes the lease of one connection if it is free. */
    boolean acquire(UUID connectionId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.now();
            return em.createNativeQuery("UPDATE directory_connection SET lease_owner = ?1, lease_expires_at = ?2"
                    + " WHERE id = ?3 AND (lease_owner IS NULL OR lease_expires_at < ?4)")
                    .setParameter(1, instanceId)
                    .setParameter(2, Jdbc.timestamp(now.plus(config.worker().leaseDuration())))
                    .setParameter(3, connectionId).setParameter(4, Jdbc.timestamp(now)).executeUpdate() == 1;
        });
    }

    /**
     * For a leased connection: fails runs another replica left RUNNING (its lease expired), then returns the
     * oldest queued run or, when the schedule says so and no run is held for approval, a new scheduled run.
     */
    private UUID prepareRun(UUID connectionId) {
        DirectoryConnection connection = DirectoryConnection.findById(connectionId);
        if (connection == null) {
            return null;
        }
        Instant now = clock.now();
        List<SyncRun> orphans = SyncRun.list("mspId = ?1 and connectionId = ?2 and status = ?3", connection.mspId,
                connectionId, RunStatus.RUNNING);
        for (SyncRun orphan : orphans) {
            boolean reading = orphan.phase == SyncRun.Phase.READING;
            orphan.status = RunStatus.FAILED;
            orphan.errorKind = "INTERRUPTED";
            orphan.errorMessage = "instance " + orphan.owner + " stopped during the run (its lease expired); "
                    + (reading ? "it was still reading, nothing was applied"
                            : orphan.appliedChanges + " changes had been applied, each with its event")
                    + "; instance " + instanceId + " took the connection over and the next run converges";
            orphan.phase = null;
            orphan.finishedAt = now;
            runEvents.ended(orphan); // webhook sync.run.failed
            if (reading) {
                em.createNativeQuery("DELETE FROM sync_run_change WHERE msp_id = ?1 AND run_id = ?2")
                        .setParameter(1, orphan.mspId).setParameter(2, orphan.id).executeUpdate();
            }
        }
        if (!orphans.isEmpty() && connection.enabled) {
            LOG.warnf("took over connection %s from %s: its run %s was interrupted; running it again", connectionId,
                    orphans.getFirst().owner, orphans.getFirst().id);
            connection.nextDueAt = now;
        }
        SyncRun queued = SyncRun.find("mspId = ?1 and connectionId = ?2 and status = ?3 order by requestedAt",
                connection.mspId, connectionId, RunStatus.QUEUED).firstResult();
        if (queued != null) {
            return queued.id;
        }
        if (!connection.enabled || connection.nextDueAt.isAfter(now)) {
            return null;
        }
        if (runs.scheduleWaitsForHeldRun(connection)) {
            return null;
        }
        SyncRun run = SyncRuns.newRun(connection, RunTrigger.SCHEDULE, false, "schedule", now);
        run.persist();
        return run.id;
    }

    private void release(UUID connectionId) {
        try {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE directory_connection"
                    + " SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ?1 AND lease_owner = ?2")
                    .setParameter(1, connectionId).setParameter(2, instanceId).executeUpdate());
        } catch (RuntimeException e) {
            LOG.warnf("could not release the lease of connection %s (it will expire): %s", connectionId,
                    e.getMessage());
        }
    }

    /** Keeps the leases of running connections alive. */
    @Scheduled(every = "${usersync.sync.worker.lease-renewal:20s}", concurrentExecution =
            Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void renewLeases() {
        if (running.isEmpty()) {
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                Instant until = clock.now().plus(config.worker().leaseDuration());
                for (UUID connectionId : running.keySet()) {
                    int renewed = em.createNativeQuery("UPDATE directory_connection SET lease_expires_at = ?1"
                            + " WHERE id = ?2 AND lease_owner = ?3").setParameter(1, Jdbc.timestamp(until))
                            .setParameter(2, connectionId).setParameter(3, instanceId).executeUpdate();
                    if (renewed == 0) {
                        LOG.warnf("lost the lease of connection %s; its run will stop before applying more",
                                connectionId);
                    }
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("lease renewal failed: %s", e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping.set(true);
        if (runThreads == null) {
            return;
        }
        runThreads.shutdown();
        try {
            if (!runThreads.awaitTermination(config.worker().shutdownDrain().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("sync runs still busy after the shutdown drain: %s", running.keySet());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        recordPendingOutcomes();
        for (UUID connectionId : running.keySet()) {
            release(connectionId);
        }
        wakeThread.shutdownNow();
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "usersync";
        }
        String suffix = Ids.newId().toString().substring(24);
        String id = host + "-" + suffix;
        return id.length() > 100 ? id.substring(id.length() - 100) : id;
    }
}
