package io.usersync.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usersync.common.error.DomainException;
import io.usersync.common.error.ProblemType;
import io.usersync.tenant.ContractCoverage.Coverage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The billing-model rule and its permission table, as pure functions. */
class BillingModelRulesTest {

    static final Coverage COVERED = new Coverage(UUID.randomUUID(), LocalDate.parse("2025-03-01"),
            LocalDate.parse("2026-03-01"), Instant.parse("2025-02-20T10:00:00Z"), null);

    static ProblemType refusal(Role role, BillingModel requested, Coverage coverage) {
        return assertThrows(DomainException.class, () -> BillingModelRules.checkRequest(role, requested, coverage))
                .type();
    }

    @Test
    void thePermissionTable() {
        for (Role role : new Role[] { Role.OPERATOR, Role.MSP_ADMIN }) {
            BillingModelRules.checkRequest(role, BillingModel.ANNUAL, COVERED);
            BillingModelRules.checkRequest(role, BillingModel.MONTHLY, Coverage.NONE);
            assertEquals(ProblemType.CONTRACT_REQUIRED, refusal(role, BillingModel.ANNUAL, Coverage.NONE));
            assertEquals(ProblemType.CONTRACT_IN_EFFECT, refusal(role, BillingModel.MONTHLY, COVERED));
        }
        for (BillingModel model : BillingModel.values()) {
            assertEquals(ProblemType.FORBIDDEN, refusal(Role.CLIENT_ADMIN, model, COVERED));
            assertEquals(ProblemType.FORBIDDEN, refusal(Role.CLIENT_ADMIN, model, Coverage.NONE));
        }
        assertEquals(409, ProblemType.CONTRACT_REQUIRED.status());
        assertEquals("contract-required", ProblemType.CONTRACT_REQUIRED.code());
    }

    @Test
    void aNewClientAccountIsMonthly() {
        assertEquals(BillingModel.MONTHLY, BillingModelRules.initial(null));
        assertEquals(BillingModel.MONTHLY, BillingModelRules.initial(BillingModel.MONTHLY));
        assertEquals(ProblemType.CONTRACT_REQUIRED, assertThrows(DomainException.class,
                () -> BillingModelRules.initial(BillingModel.ANNUAL)).type());
    }

    @Test
    void automaticChangesAreDatedAtTheContractBoundary() {
        Instant now = Instant.parse("2026-03-01T00:07:00Z");
        Coverage ended = new Coverage(null, null, null, null, LocalDate.parse("2026-03-01"));
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), BillingModelRules.effectiveAt(BillingModel.MONTHLY,
                ended, Instant.parse("2025-03-01T10:00:00Z"), now));
        // never before the last recorded change of the account
        assertEquals(Instant.parse("2026-03-01T00:05:00Z"), BillingModelRules.effectiveAt(BillingModel.MONTHLY,
                ended, Instant.parse("2026-03-01T00:05:00Z"), now));
        // an account that never had a contract: now
        assertEquals(now, BillingModelRules.effectiveAt(BillingModel.MONTHLY, Coverage.NONE, null, now));
        // a contract starting after it was made: its start; made after its start: when it was made
        assertEquals(Instant.parse("2025-03-01T00:00:00Z"), BillingModelRules.effectiveAt(BillingModel.ANNUAL,
                COVERED, Instant.parse("2025-01-01T00:00:00Z"), now));
        Coverage madeLate = new Coverage(UUID.randomUUID(), LocalDate.parse("2025-03-01"),
                LocalDate.parse("2026-03-01"), Instant.parse("2025-03-04T09:00:00Z"), null);
        assertEquals(Instant.parse("2025-03-04T09:00:00Z"), BillingModelRules.effectiveAt(BillingModel.ANNUAL,
                madeLate, null, now));
    }

    /** Whatever the caller and the coverage, the only change ever allowed is to the model the contracts give. */
    @Property(tries = 300)
    void onlyTheContractsModelIsEverAllowed(@ForAll Role role, @ForAll BillingModel requested,
            @ForAll boolean covered) {
        Coverage coverage = covered ? COVERED : Coverage.NONE;
        boolean allowed;
        try {
            BillingModelRules.checkRequest(role, requested, coverage);
            allowed = true;
        } catch (DomainException e) {
            allowed = false;
        }
        assertEquals(role != Role.CLIENT_ADMIN && requested == BillingModelRules.required(coverage), allowed);
        if (!covered) {
            assertFalse(allowed && requested == BillingModel.ANNUAL, "ANNUAL without a contract");
        }
    }

    @Property(tries = 500)
    void anAutomaticChangeIsNeverInTheFutureNorBeforeTheLastChange(@ForAll("days") int startDay,
            @ForAll @IntRange(min = 1, max = 1100) int termDays, @ForAll("days") int nowDay,
            @ForAll @IntRange(min = 0, max = 86_399) int second, @ForAll("days") int lastChangeDay,
            @ForAll BillingModel target) {
        LocalDate start = LocalDate.ofEpochDay(startDay);
        Instant now = LocalDate.ofEpochDay(nowDay).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                .plusSeconds(second);
        Instant lastChange = LocalDate.ofEpochDay(Math.min(lastChangeDay, nowDay))
                .atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        Coverage coverage = target == BillingModel.ANNUAL
                ? new Coverage(UUID.randomUUID(), start, start.plusDays(termDays), lastChange, null)
                : new Coverage(null, null, null, null, start);
        Instant at = BillingModelRules.effectiveAt(target, coverage, lastChange, now);
        assertFalse(at.isAfter(now), at + " after " + now);
        assertTrue(!at.isBefore(lastChange) || lastChange.isAfter(now), at + " before " + lastChange);
    }

    @Provide
    Arbitrary<Integer> days() {
        return Arbitraries.integers().between(19_000, 21_000);
    }
}
