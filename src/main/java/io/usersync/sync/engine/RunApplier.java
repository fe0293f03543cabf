package io.usersync.sync.engine;

import io.usersync.common.error.DomainException;
import io.usersync.common.time.AppClock;
import io.usersync.directory.EmailAddress;
import io.usersync.directory.SyncedUserStore;
import io.usersync.directory.SyncedUserStore.Existing;
import io.usersync.directory.UserSource;
import io.usersync.tenant.Caller;
import io.usersync.tenant.ClientAccount;
import io.usersync.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Applies a run's plan in chunks, one transaction each. Within a chunk every user change is written together
 * with its history/outbox event and the row's outcome, so a crash leaves whole chunks applied or not at all,
 * never a user changed without its event. Each chunk re-checks the plan against the current state under the
 * client account's lock (user limit, last administrator, email still free), which also makes re-applying a
 * chunk harmless, and checks that this replica still holds the connection's lease (fencing).
 */
@ApplicationScoped
public class RunApplier {

    static final Caller SYSTEM = Caller.system("sync");

    @Inject
    SyncedUserStore users;

    @Inject
    PlanStore plans;

    @Inject
    TenantService tenants;

    @Inject
    AppClock clock;

    @Inject
    EntityManager em;

    /** What applying needs to know about the run. */
    public record Target(UUID mspId, UUID clientId, UUID connectionId, UUID runId, UserSource source,
            String leaseOwner, String actor) {
    }

    /** Thrown when the lease moved to another replica: this one must stop touching the connection. */
    public static class LeaseLostException extends RuntimeException {
        LeaseLostException(String message) {
            super(message);
        }
    }

    /**
     * Applies the pending rows with {@code fromSeq <= seq < toSeq}.
     *
     * @return the number of rows that changed a user
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int applyChunk(Target target, int fromSeq, int toSeq) {
        checkLease(target);
        ClientAccount client;
        try {
            client = tenants.lockClient(SYSTEM, target.clientId());
        } catch (DomainException e) {
            throw new IllegalStateException("the client account no longer exists");
        }
        List<PlannedChange> rows = plans.pending(target.mspId(), target.runId(), fromSeq, toSeq);
        if (rows.isEmpty()) {
            return 0;
        }
        Instant now = clock.now();
        Map<UUID, Existing> locked = new HashMap<>(users.lock(target.mspId(), target.clientId(),
                rows.stream().filter(r -> r.kind() != ChangeKind.CREATE).map(PlannedChange::userId)
                        .filter(Objects::nonNull).distinct().toList()));
        Map<String, Existing> emailHolders = users.findByEmailKeys(target.mspId(), target.clientId(),
                rows.stream().filter(r -> r.kind() == ChangeKind.CREATE || r.kind() == ChangeKind.UPDATE)
                        .map(PlannedChange::emailKey).filter(Objects::nonNull).distinct().toList());
        long active = users.countActive(target.mspId(), target.clientId());
        long activeAdmins = users.countActiveAdmins(target.mspId(), target.clientId());
        Integer limit = client.userLimit;

        Map<UUID, String> adoptions = new LinkedHashMap<>();
        List<SyncedUserStore.Identity> identities = new ArrayList<>();
        List<SyncedUserStore.NewSynced> inserts = new ArrayList<>();
        List<UUID> activations = new ArrayList<>();
        List<UUID> deactivations = new ArrayList<>();
        Map<String, PlanStore.Member> members = new LinkedHashMap<>();
        Map<Integer, ChangeOutcome> outcomes = new LinkedHashMap<>();
        int changed = 0;

        for (PlannedChange row : rows) {
            Existing user = row.userId() == null ? null : locked.get(row.userId());
            ChangeOutcome outcome;
            switch (row.kind()) {
                case CREATE -> {
                    Existing holder = emailHolders.get(row.emailKey());
                    if (holder != null) {
                        outcome = ChangeOutcome.SKIPPED;
                    } else if (limit != null && active + 1 > limit) {
                        outcome = ChangeOutcome.OVER_LIMIT;
                    } else {
                        EmailAddress email = EmailAddress.parse(row.email()).orElseThrow();
                        inserts.add(new SyncedUserStore.NewSynced(row.userId(), target.source(), row.externalId(),
                                email, row.firstName(), row.lastName()));
                        Existing created = new Existing(row.userId(), target.source(), row.externalId(),
                                email.key(), true, false, 0L);
                        locked.put(row.userId(), created);
                        emailHolders.put(email.key(), created);
                        active++;
                        outcome = ChangeOutcome.APPLIED;
                    }
                }
                case ADOPT -> {
                    if (user == null || user.source() != UserSource.MANUAL) {
                        outcome = ChangeOutcome.SKIPPED;
                    } else {
                        adoptions.put(user.id(), row.externalId());
                        locked.put(user.id(), new Existing(user.id(), target.source(), row.externalId(),
                                user.emailKey(), user.active(), user.admin(), user.identityHash()));
                        outcome = ChangeOutcome.APPLIED;
                    }
                }
                case RELINK -> {
                    if (user == null || user.source() != target.source()) {
                        outcome = ChangeOutcome.SKIPPED;
                    } else if (row.externalId().equals(user.externalKey())) {
                        outcome = ChangeOutcome.NOOP;
                    } else {
                        adoptions.put(user.id(), row.externalId());
                        locked.put(user.id(), new Existing(user.id(), user.source(), row.externalId(),
                                user.emailKey(), user.active(), user.admin(), user.identityHash()));
                        outcome = ChangeOutcome.APPLIED;
                    }
                }
                case UPDATE -> {
                    Existing holder = emailHolders.get(row.emailKey());
                    if (user == null || (holder != null && !holder.id().equals(user.id()))) {
                        outcome = ChangeOutcome.SKIPPED;
                    } else {
                        EmailAddress email = EmailAddress.parse(row.email()).orElseThrow();
                        identities.add(new SyncedUserStore.Identity(user.id(), email, row.firstName(),
                                row.lastName()));
                        if (user.emailKey() != null) {
                            emailHolders.remove(user.emailKey());
                        }
                        emailHolders.put(email.key(), user);
                        outcome = ChangeOutcome.APPLIED;
                    }
                }
                case ACTIVATE -> {
                    if (user == null) {
                        outcome = ChangeOutcome.SKIPPED;
                    } else if (user.active() || activations.contains(user.id())) {
                        outcome = ChangeOutcome.NOOP;
                    } else if (limit != null && active + 1 > limit) {
                        outcome = ChangeOutcome.OVER_LIMIT;
                    } else {
                        activations.add(user.id());
                        active++;
                        outcome = ChangeOutcome.APPLIED;
                    }
                }
                case DEACTIVATE -> {
                    if (user == null) {
                        outcome = ChangeOutcome.SKIPPED;
                    } else if (!user.active() || deactivations.contains(user.id())) {
                        outcome = ChangeOutcome.NOOP;
                    } else if (user.admin() && activeAdmins <= 1) {
                        outcome = ChangeOutcome.CONFLICT;
                    } else {
                        deactivations.add(user.id());
                        active--;
                        if (user.admin()) {
                            activeAdmins--;
                        }
                        outcome = ChangeOutcome.APPLIED;
                    }
                }
                default -> outcome = ChangeOutcome.RECORDED;
            }
            if (outcome == ChangeOutcome.APPLIED) {
                changed++;
            }
            outcomes.put(row.seq(), outcome);
            if (row.hasSnapshot()) {
                UUID memberUser = row.userId() != null && locked.containsKey(row.userId()) ? row.userId() : null;
                members.put(row.externalId(), new PlanStore.Member(row.externalId(), memberUser, row.inPool(),
                        row.emailKey(), row.aliases(), row.fingerprint()));
            }
        }
        users.adopt(target.mspId(), target.source(), adoptions, now);
        users.updateIdentities(target.mspId(), identities, now);
        users.insertActive(target.mspId(), target.clientId(), inserts, target.actor(), target.runId(), now);
        users.setActive(target.mspId(), target.clientId(), activations, true, target.actor(), target.runId(), now);
        users.setActive(target.mspId(), target.clientId(), deactivations, false, target.actor(), target.runId(),
                now);
        plans.upsertMembers(target.mspId(), target.connectionId(), members.values());
        plans.recordOutcomes(target.mspId(), target.runId(), outcomes);
        em.createNativeQuery("UPDATE sync_run SET applied_changes = applied_changes + ?1 WHERE id = ?2")
                .setParameter(1, changed).setParameter(2, target.runId()).executeUpdate();
        return changed;
    }

    /** Fencing: refuse to write when another replica has taken the connection over. */
    private void checkLease(Target target) {
        if (target.leaseOwner() == null) {
            return;
        }
        List<?> owner = em.createNativeQuery("SELECT lease_owner FROM directory_connection WHERE id = ?1 FOR UPDATE")
                .setParameter(1, target.connectionId()).getResultList();
        if (owner.isEmpty() || !target.leaseOwner().equals(owner.get(0))) {
            throw new LeaseLostException("the connection's lease was taken over by another instance");
        }
    }
}
