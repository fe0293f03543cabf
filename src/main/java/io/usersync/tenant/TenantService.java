package io.usersync.tenant;

import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.usersync.common.Ids;
import io.usersync.common.Page;
import io.usersync.common.Text;
import io.usersync.common.error.DomainException;
import io.usersync.common.error.ProblemType;
import io.usersync.common.time.AppClock;
import io.usersync.events.Outbox;
import io.usersync.events.OutboxEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * MSPs and client accounts. Every read and write is scoped by the {@link Caller}; an id outside the caller's
 * tenancy is reported as not found. Every status or billing-model change is recorded with time and actor and
 * published to billing through the outbox in the same transaction.
 */
@ApplicationScoped
@Transactional
public class TenantService {

    @Inject
    AppClock clock;

    @Inject
    Outbox outbox;

    @Inject
    ContractCoverage contracts;

    @Inject
    TrialConfig trialConfig;

    /** A client account's trial, as billing shows and ends it. */
    public record TrialState(UUID clientId, UUID mspId, String name, ClientStatus status, Instant trialStartedAt,
            Instant trialEndsAt) {

        static TrialState of(ClientAccount c) {
            return new TrialState(c.id, c.mspId, c.name, c.status, c.trialStartedAt, c.trialEndsAt);
        }
    }

    // ---------------------------------------------------------------- MSPs

    public Msp createMsp(Caller caller, String name, boolean paymentMethodOnFile) {
        caller.requireAtLeast(Role.OPERATOR);
        Msp msp = new Msp();
        msp.id = Ids.newId();
        msp.name = requireName(name, "name");
        msp.createdAt = clock.now();
        msp.paymentMethodOnFile = paymentMethodOnFile;
        msp.persist();
        outbox.append(OutboxEvent.mspCreated(Ids.newId(), msp.id, msp.createdAt, paymentMethodOnFile));
        return msp;
    }

    public Page<Msp> listMsps(Caller caller, UUID after, int limit) {
        caller.requireAtLeast(Role.OPERATOR);
        List<Msp> rows = after == null
                ? Msp.<Msp>findAll(Sort.by("id")).page(0, limit + 1).list()
                : Msp.<Msp>find("id > ?1", Sort.by("id"), after).page(0, limit + 1).list();
        return Page.of(rows, limit, m -> m.id);
    }

    /** An MSP visible to the caller: operators see all, MSP admins their own. */
    public Msp getMsp(Caller caller, UUID mspId) {
        caller.requireAtLeast(Role.MSP_ADMIN);
        Msp msp = Msp.findById(mspId);
        if (msp == null || !caller.canSeeMsp(mspId)) {
            throw DomainException.notFound("MSP");
        }
        return msp;
    }

    /**
     * Renames an MSP (operators) or records whether a payment method is on file. The row is locked first, so
     * concurrent changes are applied one after the other and each flag change publishes exactly one event.
     */
    public Msp updateMsp(Caller caller, UUID mspId, String name, Boolean paymentMethodOnFile) {
        caller.requireAtLeast(Role.MSP_ADMIN);
        if (!caller.canSeeMsp(mspId) || lockRow("msp", mspId, null)) {
            throw DomainException.notFound("MSP");
        }
        Msp msp = getMsp(caller, mspId);
        Msp.getEntityManager().refresh(msp);
        if (name != null) {
            caller.requireAtLeast(Role.OPERATOR);
            msp.name = requireName(name, "name");
        }
        if (paymentMethodOnFile != null && paymentMethodOnFile != msp.paymentMethodOnFile) {
            msp.paymentMethodOnFile = paymentMethodOnFile;
            outbox.append(OutboxEvent.mspPaymentMethod(Ids.newId(), msp.id, clock.now(), paymentMethodOnFile));
        }
        return msp;
    }

    // ---------------------------------------------------------------- client accounts

    /**
     * Creates a client account (its first administrator is created by the caller of this method in the same
     * transaction, see {@code ClientOnboarding}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public ClientAccount createClient(Caller caller, UUID mspId, String name, ClientStatus status,
            BillingModel billingModel, Integer userLimit) {
        caller.requireAtLeast(Role.MSP_ADMIN);
        if (Msp.findById(mspId) == null || !caller.canSeeMsp(mspId)) {
            throw DomainException.notFound("MSP");
        }
        ClientAccount client = new ClientAccount();
        client.id = Ids.newId();
        client.mspId = mspId;
        client.name = requireName(name, "name");
        client.status = status == null ? ClientStatus.TRIAL : status;
        client.billingModel = BillingModelRules.initial(billingModel);
        client.userLimit = validLimit(userLimit);
        client.createdAt = clock.now();
        if (client.status == ClientStatus.TRIAL) {
            startTrial(client, client.createdAt);
        }
        client.persist();
        recordChange(caller, client, ClientStatusChange.Kind.CREATED, null, null, client.createdAt);
        return client;
    }

    public Page<ClientAccount> listClients(Caller caller, UUID mspId, ClientStatus status, UUID after, int limit) {
        caller.requireAtLeast(Role.MSP_ADMIN);
        if (!caller.canSeeMsp(mspId) || Msp.findById(mspId) == null) {
            throw DomainException.notFound("MSP");
        }
        StringBuilder query = new StringBuilder("mspId = :msp and deletedAt is null");
        Parameters params = Parameters.with("msp", mspId);
        if (status != null) {
            query.append(" and status = :status");
            params.and("status", status);
        }
        if (after != null) {
            query.append(" and id > :after");
            params.and("after", after);
        }
        List<ClientAccount> rows = ClientAccount.<ClientAccount>find(query.toString(), Sort.by("id"), params)
                .page(0, limit + 1).list();
        return Page.of(rows, limit, c -> c.id);
    }

    /** A live client account visible to the caller, or 404. */
    public ClientAccount getClient(Caller caller, UUID clientId) {
        ClientAccount client = ClientAccount.findById(clientId);
        return visible(caller, client);
    }

    /**
     * Like {@link #getClient} but takes the row lock that serialises every change to the client's users, so the
     * administrator and user-limit invariants hold under concurrency.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public ClientAccount lockClient(Caller caller, UUID clientId) {
        // a tenant-scoped caller never gets to lock (and so delay) another tenant's row
        if (lockRow("client_account", clientId, caller.isOperator() ? null : caller.mspId())) {
            throw DomainException.notFound("Client account");
        }
        ClientAccount client = ClientAccount.findById(clientId);
        ClientAccount.getEntityManager().refresh(client);
        return visible(caller, client);
    }

    /**
     * Locks one row until the transaction ends; true when there is no such row (of that MSP, when given). The
     * lock is the first statement of the transaction's work, so the reads after it see every change committed
     * before it was granted (InnoDB takes the REPEATABLE READ snapshot at the first plain read).
     */
    private static boolean lockRow(String table, UUID id, UUID mspId) {
        // Plain FOR UPDATE: Hibernate's MySQL dialect would emit "FOR UPDATE OF", which MariaDB rejects.
        EntityManager em = ClientAccount.getEntityManager();
        var query = em.createNativeQuery("SELECT id FROM " + table + " WHERE id = ?1"
                + (mspId == null ? "" : " AND msp_id = ?2") + " FOR UPDATE").setParameter(1, id);
        if (mspId != null) {
            query.setParameter(2, mspId);
        }
        return query.getResultList().isEmpty();
    }

    public ClientAccount updateClient(Caller caller, UUID clientId, String name, Integer userLimit,
            boolean clearUserLimit, long activeUsers) {
        caller.requireAtLeast(Role.MSP_ADMIN);
        ClientAccount client = lockClient(caller, clientId);
        if (name != null) {
            client.name = requireName(name, "name");
        }
        if (clearUserLimit && userLimit != null) {
            throw DomainException.invalidField("removeUserLimit", "cannot be combined with userLimit");
        }
        if (clearUserLimit) {
            client.userLimit = null;
        } else if (userLimit != null) {
            int limit = validLimit(userLimit);
            if (limit < activeUsers) {
                throw new DomainException(ProblemType.CONFLICT, "userLimit " + limit + " is below the "
                        + activeUsers + " users already active; deactivate users first",
                        List.of(new DomainException.FieldProblem("userLimit", "below the current active users")));
            }
            client.userLimit = limit;
        }
        return client;
    }

    /**
     * Changes the status. Entering {@code TRIAL} from another status needs an operator and starts a new trial
     * ({@link TrialRules}); leaving it ends the trial.
     */
    public ClientAccount changeStatus(Caller caller, UUID clientId, ClientStatus status) {
        caller.requireAtLeast(Role.MSP_ADMIN);
        ClientAccount client = lockClient(caller, clientId);
        if (client.status != status) {
            if (status == ClientStatus.TRIAL) {
                TrialRules.checkEnteringTrial(caller.role(), client.status);
            }
            applyStatus(caller, client, status, clock.now());
        }
        return client;
    }

    /**
     * Moves the end of a running trial (MSP admins and operators): earlier, even to now, or later up to the
     * longest trial ({@link TrialRules#checkNewEnd}). Recorded in the history as {@code TRIAL_END}.
     */
    public ClientAccount setTrialEnd(Caller caller, UUID clientId, Instant trialEndsAt) {
        caller.requireAtLeast(Role.MSP_ADMIN);
        ClientAccount client = lockClient(caller, clientId);
        if (client.status != ClientStatus.TRIAL) {
            throw new DomainException(ProblemType.CONFLICT, "Client account " + client.id + " is " + client.status
                    + ", not in a trial", List.of(new DomainException.FieldProblem("trialEndsAt",
                            "the account is not in TRIAL")));
        }
        Instant now = clock.now();
        Instant end = TrialRules.checkNewEnd(trialEndsAt, client.trialStartedAt, now, trialConfig.maxDays());
        if (!end.equals(client.trialEndsAt)) {
            client.trialEndsAt = end;
            recordChange(caller, client, ClientStatusChange.Kind.TRIAL_END, client.status, client.billingModel, now);
        }
        return client;
    }

    /** The MSP's client accounts in TRIAL, soonest end first (operators and the MSP's admins). */
    public List<TrialState> trials(Caller caller, UUID mspId) {
        caller.requireAtLeast(Role.MSP_ADMIN);
        if (!caller.canSeeMsp(mspId)) {
            throw DomainException.notFound("MSP");
        }
        return ClientAccount.<ClientAccount>list("mspId = ?1 and status = ?2 and deletedAt is null",
                Sort.by("trialEndsAt").and("id"), mspId, ClientStatus.TRIAL).stream().map(TrialState::of).toList();
    }

    /** Live client accounts (of every MSP) whose trial has ended at {@code now}, by id. Operators only. */
    public List<TrialState> endedTrials(Caller caller, Instant now, UUID after, int limit) {
        caller.requireAtLeast(Role.OPERATOR);
        return (after == null
                ? ClientAccount.<ClientAccount>find("status = ?1 and trialEndsAt <= ?2 and deletedAt is null",
                        Sort.by("id"), ClientStatus.TRIAL, now)
                : ClientAccount.<ClientAccount>find("status = ?1 and trialEndsAt <= ?2 and deletedAt is null"
                        + " and id > ?3", Sort.by("id"), ClientStatus.TRIAL, now, after))
                .page(0, limit).list().stream().map(TrialState::of).toList();
    }

    /** The current trial state of the given live client accounts (deleted or unknown ids are absent). Operators. */
    public Map<UUID, TrialState> trialStates(Caller caller, Collection<UUID> clientIds) {
        caller.requireAtLeast(Role.OPERATOR);
        Map<UUID, TrialState> states = new HashMap<>();
        if (!clientIds.isEmpty()) {
            ClientAccount.<ClientAccount>list("id in ?1 and deletedAt is null", clientIds)
                    .forEach(c -> states.put(c.id, TrialState.of(c)));
        }
        return states;
    }

    /**
     * Locks the client account and tells whether it is still in the trial that ended at {@code expectedEnd}
     * (false when converted, deleted or its end moved since it was listed).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean stillInEndedTrial(Caller caller, UUID clientId, Instant expectedEnd) {
        ClientAccount client;
        try {
            client = lockClient(caller, clientId);
        } catch (DomainException e) {
            if (e.type() == ProblemType.NOT_FOUND) {
                return false;
            }
            throw e;
        }
        return client.status == ClientStatus.TRIAL && expectedEnd.equals(client.trialEndsAt)
                && TrialRules.ended(client.trialEndsAt, clock.now());
    }

    /**
     * Ends the trial that ended at {@code expectedEnd} by making the account ACTIVE, dated at that end (never
     * before the account's last change), so it is billed from the trial's end even when this runs late. False,
     * changing nothing, when the account is no longer in that trial (converted, deleted, or its end moved).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean activateEndedTrial(Caller caller, UUID clientId, Instant expectedEnd) {
        ClientAccount client;
        try {
            client = lockClient(caller, clientId);
        } catch (DomainException e) {
            if (e.type() == ProblemType.NOT_FOUND) {
                return false;
            }
            throw e;
        }
        Instant now = clock.now();
        if (client.status != ClientStatus.TRIAL || !expectedEnd.equals(client.trialEndsAt)
                || !TrialRules.ended(client.trialEndsAt, now)) {
            return false;
        }
        Instant last = lastChange(client);
        Instant at = last != null && last.isAfter(expectedEnd) ? last : expectedEnd;
        applyStatus(caller, client, ClientStatus.ACTIVE, at.isAfter(now) ? now : at);
        return true;
    }

    private void applyStatus(Caller caller, ClientAccount client, ClientStatus status, Instant at) {
        ClientStatus old = client.status;
        client.status = status;
        if (status == ClientStatus.TRIAL) {
            startTrial(client, at);
        } else {
            client.trialStartedAt = null;
            client.trialEndsAt = null;
        }
        recordChange(caller, client, ClientStatusChange.Kind.STATUS, old, client.billingModel, at);
    }

    private void startTrial(ClientAccount client, Instant at) {
        client.trialStartedAt = at;
        client.trialEndsAt = TrialRules.latestEnd(at, trialConfig.maxDays());
    }

    /**
     * A change of the billing model asked for through the API: allowed only as {@link BillingModelRules} says
     * (ANNUAL only while a contract covers the account, never off ANNUAL while one does, never by client admins).
     * Applied at once, recorded with time and actor.
     */
    public ClientAccount changeBillingModel(Caller caller, UUID clientId, BillingModel model) {
        caller.requireAtLeast(Role.MSP_ADMIN);
        ClientAccount client = lockClient(caller, clientId);
        BillingModelRules.checkRequest(caller.role(), model, coverageToday(client));
        if (client.billingModel != model) {
            applyBillingModel(caller, client, model, clock.now());
        }
        return client;
    }

    /**
     * Makes the client account's billing model the one its contracts give today ({@link BillingModelRules}):
     * called when a contract is made and by billing's contract job on the days contracts start and end. The
     * change is recorded with the caller as actor, dated at the contract boundary
     * ({@link BillingModelRules#effectiveAt}). Returns whether the model changed; a deleted account is left alone.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean followContracts(Caller caller, UUID clientId) {
        ClientAccount client = lockClient(caller, clientId);
        ContractCoverage.Coverage coverage = coverageToday(client);
        BillingModel required = BillingModelRules.required(coverage);
        if (client.billingModel == required) {
            return false;
        }
        Instant now = clock.now();
        applyBillingModel(caller, client, required, BillingModelRules.effectiveAt(required, coverage,
                lastChange(client), now));
        return true;
    }

    /**
     * Live client accounts (of every MSP) on the given billing model, by id after {@code after}: the contract job
     * checks the ANNUAL ones against their contracts. Operators only.
     */
    public List<UUID> clientsOnBillingModel(Caller caller, BillingModel model, UUID after, int limit) {
        caller.requireAtLeast(Role.OPERATOR);
        var query = ClientAccount.getEntityManager().createQuery("select c.id from ClientAccount c where"
                + " c.billingModel = :model and c.deletedAt is null" + (after == null ? "" : " and c.id > :after")
                + " order by c.id", UUID.class).setParameter("model", model);
        if (after != null) {
            query.setParameter("after", after);
        }
        return query.setMaxResults(limit).getResultList();
    }

    /** The billing models of the given live client accounts (deleted or unknown ids are absent). Operators only. */
    public Map<UUID, BillingModel> billingModels(Caller caller, Collection<UUID> clientIds) {
        caller.requireAtLeast(Role.OPERATOR);
        Map<UUID, BillingModel> models = new HashMap<>();
        if (!clientIds.isEmpty()) {
            ClientAccount.<ClientAccount>list("id in ?1 and deletedAt is null", clientIds)
                    .forEach(c -> models.put(c.id, c.billingModel));
        }
        return models;
    }

    private ContractCoverage.Coverage coverageToday(ClientAccount client) {
        return contracts.on(client.mspId, client.id, java.time.LocalDate.ofInstant(clock.now(),
                java.time.ZoneOffset.UTC));
    }

    private Instant lastChange(ClientAccount client) {
        return ClientAccount.getEntityManager().createQuery("select max(c.occurredAt) from ClientStatusChange c"
                + " where c.mspId = ?1 and c.clientId = ?2", Instant.class).setParameter(1, client.mspId)
                .setParameter(2, client.id).getSingleResult();
    }

    private void applyBillingModel(Caller caller, ClientAccount client, BillingModel model, Instant at) {
        BillingModel old = client.billingModel;
        client.billingModel = model;
        recordChange(caller, client, ClientStatusChange.Kind.BILLING_MODEL, client.status, old, at);
    }

    /** Soft-deletes a client account: it disappears from the API and stops being billed from now on. */
    public void deleteClient(Caller caller, UUID clientId) {
        caller.requireAtLeast(Role.MSP_ADMIN);
        ClientAccount client = lockClient(caller, clientId);
        client.deletedAt = clock.now();
        recordChange(caller, client, ClientStatusChange.Kind.DELETED, client.status, client.billingModel,
                client.deletedAt);
    }

    public Page<ClientStatusChange> statusHistory(Caller caller, UUID clientId, UUID after, int limit) {
        ClientAccount client = getClient(caller, clientId);
        List<ClientStatusChange> rows = (after == null
                ? ClientStatusChange.<ClientStatusChange>find("mspId = ?1 and clientId = ?2", Sort.by("id"),
                        client.mspId, client.id)
                : ClientStatusChange.<ClientStatusChange>find("mspId = ?1 and clientId = ?2 and id > ?3",
                        Sort.by("id"), client.mspId, client.id, after)).page(0, limit + 1).list();
        return Page.of(rows, limit, c -> c.id);
    }

    private void recordChange(Caller caller, ClientAccount client, ClientStatusChange.Kind kind,
            ClientStatus oldStatus, BillingModel oldModel, Instant at) {
        ClientStatusChange change = new ClientStatusChange();
        change.id = Ids.newId();
        change.mspId = client.mspId;
        change.clientId = client.id;
        change.kind = kind;
        change.oldStatus = oldStatus;
        change.newStatus = client.status;
        change.oldBillingModel = oldModel;
        change.newBillingModel = client.billingModel;
        change.trialEndsAt = client.trialEndsAt;
        change.actor = caller.subject();
        change.occurredAt = at;
        change.persist();
        if (kind == ClientStatusChange.Kind.TRIAL_END) {
            return; // no billable state changed: billing learns nothing new
        }
        outbox.append(OutboxEvent.clientState(change.id, client.mspId, client.id, at, client.status,
                client.billingModel, client.isDeleted()));
    }

    private static ClientAccount visible(Caller caller, ClientAccount client) {
        if (client == null || client.isDeleted() || !caller.canSeeClient(client.mspId, client.id)) {
            throw DomainException.notFound("Client account");
        }
        return client;
    }

    static String requireName(String name, String field) {
        return Text.requireName(name, field, 200);
    }

    private static Integer validLimit(Integer limit) {
        if (limit != null && (limit < 1 || limit > 10_000_000)) {
            throw DomainException.invalidField("userLimit", "must be from 1 to 10000000");
        }
        return limit;
    }
}
