package io.usersync.billing.internal.contracts;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.usersync.common.error.DomainException;
import io.usersync.common.error.ProblemType;
import io.usersync.common.time.AppClock;
import io.usersync.directory.ClientAccounts;
import io.usersync.directory.UserService;
import io.usersync.tenant.Caller;
import io.usersync.tenant.ClientAccount;
import io.usersync.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Keeps the user limit of each client account with a contract in effect equal to the contract's licensed
 * count, through the tenant and directory public services (user management and sync enforce the limit). The
 * limit is {@code max(licensed, currently active)}: it never goes below the users already active (user
 * management refuses that), so with more active users than licensed no one more can be activated, and the limit
 * falls to the licensed count as users are deactivated (at the next run).
 *
 * <p>The scheduled run ({@code usersync.billing.contracts.limit-check-every}) makes contracts that start on a
 * later day take over the limit on that day. Each client account is handled in its own transaction under its
 * row lock, so several replicas running it at once only repeat idempotent work.
 */
@ApplicationScoped
public class ContractLimits {

    private static final Logger LOG = Logger.getLogger(ContractLimits.class);
    private static final int PAGE = 500;
    private static final Caller SYSTEM = Caller.system("billing-contracts");

    @Inject
    TenantService tenants;

    @Inject
    UserService users;

    @Inject
    ClientAccounts clients;

    @Inject
    AppClock clock;

    /** Sets the client account's user limit for {@code licensed} users, in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean apply(Caller caller, UUID clientId, int licensed) {
        ClientAccount client = tenants.lockClient(caller, clientId);
        int limit = (int) Math.max(licensed, users.countActive(caller, clientId));
        if (Objects.equals(client.userLimit, limit)) {
            return false;
        }
        clients.update(caller, clientId, null, limit, false);
        return true;
    }

    @Scheduled(identity = "billing-contract-limits", every = "${usersync.billing.contracts.limit-check-every:5m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        int changed = applyAll();
        if (changed > 0) {
            LOG.infof("applied contract user limits to %d client accounts", changed);
        }
    }

    /** Applies the contracts in effect today to their client accounts; returns how many limits changed. */
    public int applyAll() {
        LocalDate today = LocalDate.ofInstant(clock.now(), ZoneOffset.UTC);
        int changed = 0;
        UUID after = null;
        while (true) {
            UUID from = after;
            List<AnnualContract> page = QuarkusTransaction.requiringNew().call(() -> (from == null
                    ? AnnualContract.<AnnualContract>find("startDate <= ?1 and endDate > ?1 order by id", today)
                    : AnnualContract.<AnnualContract>find("startDate <= ?1 and endDate > ?1 and id > ?2 order by id",
                            today, from)).page(0, PAGE).list());
            for (AnnualContract contract : page) {
                try {
                    if (QuarkusTransaction.requiringNew().call(() -> applyOne(contract))) {
                        changed++;
                    }
                } catch (RuntimeException e) {
                    // one client account must not stop the others; the next run retries it
                    LOG.warnf("could not apply contract %s to client account %s: %s", contract.id, contract.clientId,
                            e.getMessage());
                }
            }
            if (page.size() < PAGE) {
                return changed;
            }
            after = page.get(page.size() - 1).id;
        }
    }

    private boolean applyOne(AnnualContract contract) {
        ClientAccount client;
        try {
            client = tenants.lockClient(SYSTEM, contract.clientId);
        } catch (DomainException e) {
            if (e.type() == ProblemType.NOT_FOUND) {
                return false; // deleted client account: nothing to limit
            }
            throw e;
        }
        // a contract in effect makes the account ANNUAL (BillingModelFollower), so its limit is the contract's
        return apply(SYSTEM, client.id, contract.licensedUsers());
    }
}
