package io.usersync.billing.internal.contracts;

import io.quarkus.panache.common.Sort;
import io.usersync.tenant.ContractCoverage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.util.UUID;

/** Tells the tenant's billing-model rule which contract covers a client account (see {@link ContractCoverage}). */
@ApplicationScoped
public class ContractCoverageProvider implements ContractCoverage {

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public Coverage on(UUID mspId, UUID clientId, LocalDate day) {
        AnnualContract covering = AnnualContract.<AnnualContract>find(
                "mspId = ?1 and clientId = ?2 and startDate <= ?3 and endDate > ?3", mspId, clientId, day)
                .firstResult();
        AnnualContract ended = AnnualContract.<AnnualContract>find("mspId = ?1 and clientId = ?2 and endDate <= ?3",
                Sort.descending("endDate"), mspId, clientId, day).firstResult();
        LocalDate lastEnded = ended == null ? null : ended.endDate;
        return covering == null ? new Coverage(null, null, null, null, lastEnded)
                : new Coverage(covering.id, covering.startDate, covering.endDate, covering.createdAt, lastEnded);
    }
}
