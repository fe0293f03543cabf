package io.usersync.tenant;

import io.usersync.common.error.DomainException;
import io.usersync.common.error.ProblemType;
import io.usersync.tenant.ContractCoverage.Coverage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The billing-model rule, written once: <b>a client account is {@code ANNUAL} exactly while an annual contract
 * covers it</b> (start date ≤ today &lt; end date, UTC). The party being billed can therefore never switch its
 * monthly billing off: without a contract the model stays {@code MONTHLY}, and when the last contract ends it
 * goes back to {@code MONTHLY} by itself. Pure functions; {@link TenantService} applies them.
 *
 * <p>Who may ask for a change ({@code PUT /api/clients/{id}/billing-model}), the explicit permission:
 * <table>
 * <caption>requested model × contract coverage</caption>
 * <tr><th>caller</th><th>ANNUAL, covered</th><th>ANNUAL, not covered</th><th>MONTHLY, covered</th>
 * <th>MONTHLY, not covered</th></tr>
 * <tr><td>operator</td><td>yes</td><td>409 contract-required</td><td>409 contract-in-effect</td><td>yes</td></tr>
 * <tr><td>MSP admin</td><td>yes</td><td>409 contract-required</td><td>409 contract-in-effect</td><td>yes</td></tr>
 * <tr><td>client admin</td><td colspan="4">403</td></tr>
 * </table>
 * So an MSP admin can only ever put a client account on ANNUAL when a contract exists for it, and nobody can
 * take a covered account off ANNUAL (the contract is paid up front for its term). A new client account is
 * {@code MONTHLY}: it has no contract yet.
 */
public final class BillingModelRules {

    private BillingModelRules() {
    }

    /** The model the contracts give a client account. */
    public static BillingModel required(Coverage coverage) {
        return coverage.covered() ? BillingModel.ANNUAL : BillingModel.MONTHLY;
    }

    /**
     * Refuses (403 / 409) a change the caller may not make; returns normally when the requested model is the one
     * the rule allows.
     */
    public static void checkRequest(Role role, BillingModel requested, Coverage coverage) {
        if (role == Role.CLIENT_ADMIN) {
            throw new DomainException(ProblemType.FORBIDDEN, "The billing model is set by the MSP and the provider,"
                    + " not by the client account's administrators");
        }
        if (requested == BillingModel.ANNUAL && !coverage.covered()) {
            throw new DomainException(ProblemType.CONTRACT_REQUIRED, "A client account is billed ANNUAL only while"
                    + " an annual contract covers it; make the contract first (it switches the account to ANNUAL"
                    + " for its term)", List.of(new DomainException.FieldProblem("billingModel",
                            "ANNUAL needs an annual contract covering today")));
        }
        if (requested == BillingModel.MONTHLY && coverage.covered()) {
            throw new DomainException(ProblemType.CONTRACT_IN_EFFECT, "Contract " + coverage.contractId()
                    + " covers this client account until " + coverage.endDate() + "; it is billed ANNUAL by that"
                    + " contract and goes back to MONTHLY when the contract ends",
                    List.of(new DomainException.FieldProblem("billingModel", "a contract covers today")));
        }
    }

    /** The billing model a new client account may start with: MONTHLY (it has no contract yet). */
    public static BillingModel initial(BillingModel requested) {
        if (requested == BillingModel.ANNUAL) {
            throw new DomainException(ProblemType.CONTRACT_REQUIRED, "A new client account has no annual contract;"
                    + " create it MONTHLY and make its contract, which switches it to ANNUAL",
                    List.of(new DomainException.FieldProblem("billingModel", "ANNUAL needs an annual contract")));
        }
        return BillingModel.MONTHLY;
    }

    /**
     * When the model the contracts give takes effect, as the automatic follow-up records it: at the contract
     * boundary itself (00:00 UTC of the start date, or of the end date of the last contract that ended), so a
     * late run bills exactly as an on-time one; never before the contract was made nor before the account's last
     * recorded change, and never after {@code now}.
     */
    public static Instant effectiveAt(BillingModel target, Coverage coverage, Instant lastChange, Instant now) {
        Instant at;
        if (target == BillingModel.ANNUAL) {
            at = latest(coverage.startDate().atStartOfDay(ZoneOffset.UTC).toInstant(), coverage.createdAt());
        } else {
            at = coverage.lastEnded() == null ? now
                    : coverage.lastEnded().atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        at = latest(at, lastChange);
        return at.isAfter(now) ? now : at;
    }

    private static Instant latest(Instant a, Instant b) {
        return b == null || a.isAfter(b) ? a : b;
    }
}
