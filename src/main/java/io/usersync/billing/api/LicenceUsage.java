package io.usersync.billing.api;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

/**
 * Consumption of one licence plan, computed from the ingested logins and the users' billable-state history at
 * the moment it is asked for (real time). Only logins up to {@code asOf} count.
 *
 * @param asOf   the instant the figures describe: now, or the plan end once the plan is over
 * @param totals the plan-level figures
 * @param months the plan's UTC calendar months that have started, the first and last clipped to the plan
 */
public record LicenceUsage(Licensing.Plan plan, Instant asOf, Totals totals, List<Month> months) {

    /**
     * Plan-level figures. Their meaning depends on the plan type:
     * <ul>
     * <li>SEATS: {@code consumed} = seats held at {@code asOf}, {@code remaining} = seats available,
     * {@code overage} = seats held beyond the amount; {@code peakSeats} = the most seats held at once and
     * {@code peakSeatsAt} the instant that peak was first reached (null while no seat was ever held).</li>
     * <li>MAU: figures of the latest month ({@code month}): its active users, the amount left, its overage;
     * {@code totalOverage} = the overage of all months added up.</li>
     * <li>MAUC: {@code consumed} = credits consumed so far, {@code remaining} = credits left in the pool,
     * {@code overage} = consumption beyond the pool; {@code expired} = credits left unused when the plan ended
     * (0 while it runs).</li>
     * </ul>
     * Type-specific members are null for the other types.
     */
    public record Totals(long amount, long consumed, long remaining, long overage, Long peakSeats,
            Instant peakSeatsAt, YearMonth month, Long totalOverage, Long expired) {
    }

    /**
     * One UTC calendar month of the plan, {@code [from, to)}.
     *
     * @param complete    whether the month is over (false for the running month)
     * @param activeUsers unique users with at least one login in the month (every type)
     * @param seatsTaken  SEATS: seats taken by a login in the month
     * @param seatsFreed  SEATS: seats freed by a deactivation in the month
     * @param seatsHeld   SEATS: seats held at the end of the month (at {@code asOf} for the running month)
     * @param peakSeats   SEATS: the most seats held at once during the month
     * @param peakSeatsAt SEATS: when the month first reached it ({@code from} when seats held since before the
     *                    month are the peak; null when no seat was held)
     * @param creditsOpening  MAUC: credits available when the month began (rolled over from earlier months)
     * @param creditsConsumed MAUC: credits the month consumed (= its active users)
     * @param creditsClosing  MAUC: credits left at the end of the month, rolled over to the next one
     * @param overage     SEATS: peak beyond the amount; MAU: active users beyond the amount; MAUC: the part of
     *                    the month's consumption beyond the pool
     */
    public record Month(YearMonth month, Instant from, Instant to, boolean complete, long activeUsers,
            Long seatsTaken, Long seatsFreed, Long seatsHeld, Long peakSeats, Instant peakSeatsAt,
            Long creditsOpening, Long creditsConsumed, Long creditsClosing, long overage) {
    }

    /**
     * One line of the users report: a summary of one user's consumption in the plan, for every user the client
     * account had during the plan up to {@code asOf} (with a login or not; {@code firstLogin} null and 0 months
     * without).
     *
     * @param status          the user's current directory status: ACTIVE, INACTIVE or DELETED
     * @param monthsActive    months of the plan with at least one login of the user
     * @param creditsConsumed MAUC only: credits the user consumed (one per active month)
     * @param seatHeld        SEATS only: whether the user holds a seat at {@code asOf}
     */
    public record UserRow(UUID userId, String email, String name, String status, Instant firstLogin,
            int monthsActive, Long creditsConsumed, Boolean seatHeld) {
    }
}
