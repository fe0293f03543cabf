package io.usersync.tenant;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * Where the billing model learns about annual contracts: implemented by billing's contracts, so that tenant
 * code (which owns the billing model) depends on no billing code. Called inside the caller's transaction.
 */
public interface ContractCoverage {

    /**
     * What a client account's contracts say on one UTC day.
     *
     * @param contractId the contract covering the day (start ≤ day &lt; end), or null
     * @param startDate  that contract's start date (null without one)
     * @param endDate    that contract's end date, exclusive (null without one)
     * @param createdAt  when that contract was made (null without one)
     * @param lastEnded  the latest end date on or before the day of any contract of the client account (null when
     *                   none has ended)
     */
    record Coverage(UUID contractId, LocalDate startDate, LocalDate endDate, Instant createdAt,
            LocalDate lastEnded) {

        public static final Coverage NONE = new Coverage(null, null, null, null, null);

        public boolean covered() {
            return contractId != null;
        }
    }

    /** The coverage of the client account on {@code day}. */
    Coverage on(UUID mspId, UUID clientId, LocalDate day);
}
