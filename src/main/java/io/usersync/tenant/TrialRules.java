package io.usersync.tenant;

import io.usersync.common.error.DomainException;
import io.usersync.common.error.ProblemType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The trial rules, written once. Pure functions; {@link TenantService} applies them.
 * <ul>
 * <li>A trial starts when the client account is created in (or an operator puts it back into) {@code TRIAL} and
 * ends {@code max-days} later ({@code usersync.billing.trial.max-days}, 30).</li>
 * <li>Its end may be moved (earlier, or later again) by the MSP's admins and operators, to any instant from now
 * up to {@code start + max-days}: never longer than the longest trial.</li>
 * <li>Only an operator may put an account that has left its trial back into {@code TRIAL} (a new trial from
 * then): the MSP being billed cannot switch its own billing off that way.</li>
 * </ul>
 */
public final class TrialRules {

    private TrialRules() {
    }

    /** The latest end of a trial that started at {@code start}: also the end a new trial gets. */
    public static Instant latestEnd(Instant start, int maxDays) {
        return start.plus(Duration.ofDays(maxDays));
    }

    /** A requested end of a running trial, checked: from now up to {@link #latestEnd}. */
    public static Instant checkNewEnd(Instant requested, Instant start, Instant now, int maxDays) {
        if (requested == null) {
            throw DomainException.invalidField("trialEndsAt", "is required: an ISO-8601 instant with offset");
        }
        Instant end = requested.truncatedTo(ChronoUnit.MICROS);
        if (end.isBefore(now.truncatedTo(ChronoUnit.SECONDS))) {
            throw DomainException.invalidField("trialEndsAt", "must not be in the past (now is " + now
                    + "); give the current instant to end the trial now");
        }
        Instant latest = latestEnd(start, maxDays);
        if (end.isAfter(latest)) {
            throw DomainException.invalidField("trialEndsAt", "must be at most " + latest + ": a trial lasts at most "
                    + maxDays + " days from its start (" + start + ")");
        }
        return end;
    }

    /** Refuses a status change into {@code TRIAL} the caller may not make. */
    public static void checkEnteringTrial(Role role, ClientStatus from) {
        if (from != ClientStatus.TRIAL && role != Role.OPERATOR) {
            throw new DomainException(ProblemType.FORBIDDEN, "Only an operator can put a client account back into"
                    + " TRIAL (a new trial, which is not billed); it is " + from,
                    List.of(new DomainException.FieldProblem("status", "TRIAL needs an operator")));
        }
    }

    /** Whether a trial ending at {@code end} has ended at {@code now}. */
    public static boolean ended(Instant end, Instant now) {
        return end != null && !end.isAfter(now);
    }
}
