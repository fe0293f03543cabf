package io.usersync.billing.internal.contracts;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.usersync.common.error.DomainException;
import io.usersync.common.error.ProblemType;
import io.usersync.common.time.AppClock;
import io.usersync.tenant.BillingModel;
import io.usersync.tenant.Caller;
import io.usersync.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Keeps every client account's billing model equal to what its contracts give today (the rule is
 * {@code BillingModelRules} in tenant): ANNUAL accounts no contract covers any more go back to MONTHLY, and
 * MONTHLY accounts a contract covers (one that started after it was made) become ANNUAL. Each change is made by
 * {@link TenantService#followContracts} under the account's row lock in its own transaction, recorded in the
 * account's history with the actor {@code system:billing-contracts} and dated at the contract boundary, so the
 * monthly billing of an account whose contract ended resumes at the exact end instant even when the job runs
 * late. Idempotent: several replicas running it at once only repeat the reads.
 *
 * <p>Runs every {@code usersync.billing.contracts.model-check-every} (1 min; it cannot be switched off).
 */
@ApplicationScoped
public class BillingModelFollower {

    private static final Logger LOG = Logger.getLogger(BillingModelFollower.class);
    private static final int PAGE = 500;
    private static final Caller SYSTEM = Caller.system("billing-contracts");

    @Inject
    TenantService tenants;

    @Inject
    AppClock clock;

    @Scheduled(identity = "billing-model-follow", every = "${usersync.billing.contracts.model-check-every:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        int changed = followAll();
        if (changed > 0) {
            LOG.infof("billing model follows the contracts: %d client accounts changed", changed);
        }
    }

    /** Brings every client account in line with its contracts today; returns how many changed. */
    public int followAll() {
        LocalDate today = LocalDate.ofInstant(clock.now(), ZoneOffset.UTC);
        Set<UUID> candidates = new LinkedHashSet<>();
        // ANNUAL accounts that no contract covers today
        UUID after = null;
        while (true) {
            List<UUID> annual = tenants.clientsOnBillingModel(SYSTEM, BillingModel.ANNUAL, after, PAGE);
            if (annual.isEmpty()) {
                break;
            }
            Set<UUID> covered = new HashSet<>(QuarkusTransaction.requiringNew().call(() -> AnnualContract
                    .<AnnualContract>list("clientId in ?1 and startDate <= ?2 and endDate > ?2", annual, today)
                    .stream().map(c -> c.clientId).toList()));
            annual.stream().filter(id -> !covered.contains(id)).forEach(candidates::add);
            if (annual.size() < PAGE) {
                break;
            }
            after = annual.getLast();
        }
        // accounts covered today that are not ANNUAL yet
        UUID afterContract = null;
        while (true) {
            UUID from = afterContract;
            List<AnnualContract> page = QuarkusTransaction.requiringNew().call(() -> (from == null
                    ? AnnualContract.<AnnualContract>find("startDate <= ?1 and endDate > ?1 order by id", today)
                    : AnnualContract.<AnnualContract>find("startDate <= ?1 and endDate > ?1 and id > ?2 order by id",
                            today, from)).page(0, PAGE).list());
            Map<UUID, BillingModel> models = tenants.billingModels(SYSTEM, page.stream().map(c -> c.clientId)
                    .toList());
            models.forEach((client, model) -> {
                if (model != BillingModel.ANNUAL) {
                    candidates.add(client);
                }
            });
            if (page.size() < PAGE) {
                break;
            }
            afterContract = page.getLast().id;
        }
        int changed = 0;
        for (UUID client : candidates) {
            try {
                if (QuarkusTransaction.requiringNew().call(() -> tenants.followContracts(SYSTEM, client))) {
                    changed++;
                }
            } catch (DomainException e) {
                if (e.type() != ProblemType.NOT_FOUND) { // a deleted account keeps its last model
                    LOG.warnf("could not apply the contracts' billing model to client account %s: %s", client,
                            e.getMessage());
                }
            } catch (RuntimeException e) {
                // one account must not stop the others; the next run retries it
                LOG.warnf("could not apply the contracts' billing model to client account %s: %s", client,
                        e.toString());
            }
        }
        return changed;
    }
}
