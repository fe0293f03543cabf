package io.usersync.billing.internal.licensing;

import io.usersync.billing.api.LicenceUsage;
import io.usersync.billing.api.LicencePlanType;
import io.usersync.billing.internal.licensing.UtcMonths.MonthWindow;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.UUID;

/**
 * The consumption rules of licence plans, as a pure function of the plan, "now", each user's first login per
 * UTC month and (for SEATS) each user's billable-state history. No database: {@link UsageService} gathers the
 * inputs, property tests check the rules against a brute-force model.
 *
 * <p>The counting window is {@code [plan start, min(plan end, now])}: logins after now (possible only when a
 * clock moved) do not count yet. Instants are microsecond-precise (as stored), so "the last instant before
 * {@code t}" is {@code t - 1µs}.
 *
 * <p><b>SEATS.</b> A user holds a seat from their first login inside one of their active periods (from the
 * history) until that period ends (deactivation or deletion frees the seat) or the plan ends. A login while the
 * user is inactive takes no seat. After a reactivation the user takes a seat again at their next login.
 */
public final class UsageCalculator {

    private UsageCalculator() {
    }

    /** Finds a user's first login in {@code [from, before)}, or null; backed by an index seek in production. */
    @FunctionalInterface
    public interface LoginSeek {
        Instant firstLogin(UUID userId, Instant from, Instant before);
    }

    /** A change of a user's active state at an instant. */
    public record Change(boolean active, Instant at) {
    }

    /**
     * Everything the rules need.
     *
     * @param firstLoginByMonth per user with logins in the counting window: month → first login of that month
     *                          inside the window
     * @param history           SEATS only: per user, the state changes before the end of the counting window, in
     *                          order (a user is inactive before its first change)
     */
    public record Input(LicencePlanType type, long amount, Instant start, Instant end, Instant now,
            Map<UUID, NavigableMap<YearMonth, Instant>> firstLoginByMonth, Map<UUID, List<Change>> history,
            LoginSeek seek) {

        public Input {
            Objects.requireNonNull(type);
            Objects.requireNonNull(start);
            Objects.requireNonNull(end);
            Objects.requireNonNull(now);
            Objects.requireNonNull(firstLoginByMonth);
        }

    }

    /** One user's consumption. {@code seatHeld} is null for plans other than SEATS. */
    public record UserUsage(UUID userId, Instant firstLogin, int monthsActive, Boolean seatHeld) {
    }

    /** The computed usage. */
    public record Result(Instant asOf, LicenceUsage.Totals totals, List<LicenceUsage.Month> months,
            Map<UUID, UserUsage> users) {
    }

    /** A seat: held by {@code userId} over {@code [from, to)}; {@code freed} when a deactivation ended it. */
    record Seat(UUID userId, Instant from, Instant to, boolean freed) {
    }

    /** Exclusive end of the counting window: just after now, at most the plan end. */
    public static Instant countEnd(Instant planEnd, Instant now) {
        Instant justAfterNow = now.plus(1, ChronoUnit.MICROS);
        return justAfterNow.isBefore(planEnd) ? justAfterNow : planEnd;
    }

    public static Result compute(Input in) {
        Instant countEnd = countEnd(in.end(), in.now());
        Instant asOf = in.now().isBefore(in.end()) ? in.now() : in.end();
        List<MonthWindow> months = UtcMonths.partition(in.start(), in.end()).stream()
                .filter(m -> m.from().isBefore(countEnd)).toList();
        Map<YearMonth, Long> activePerMonth = new HashMap<>();
        in.firstLoginByMonth().values().forEach(byMonth -> byMonth.keySet()
                .forEach(month -> activePerMonth.merge(month, 1L, Long::sum)));

        List<Seat> seats = in.type() == LicencePlanType.SEATS ? seats(in, countEnd) : List.of();
        Map<UUID, Boolean> seatHeld = new HashMap<>();
        if (in.type() == LicencePlanType.SEATS) {
            for (Seat seat : seats) {
                seatHeld.merge(seat.userId(), !seat.freed(), Boolean::logicalOr);
            }
        }
        Map<UUID, UserUsage> users = new HashMap<>();
        in.firstLoginByMonth().forEach((user, byMonth) -> {
            if (!byMonth.isEmpty()) {
                users.put(user, new UserUsage(user, byMonth.firstEntry().getValue(), byMonth.size(),
                        in.type() == LicencePlanType.SEATS ? seatHeld.getOrDefault(user, false) : null));
            }
        });

        return switch (in.type()) {
            case SEATS -> seatsResult(in, asOf, countEnd, months, activePerMonth, seats, users);
            case MAU -> mauResult(in, asOf, months, activePerMonth, users);
            case MAUC -> maucResult(in, asOf, months, activePerMonth, users);
        };
    }

    // ---------------------------------------------------------------- SEATS

    private static Result seatsResult(Input in, Instant asOf, Instant countEnd, List<MonthWindow> months,
            Map<YearMonth, Long> activePerMonth, List<Seat> seats, Map<UUID, UserUsage> users) {
        List<LicenceUsage.Month> rows = new ArrayList<>();
        long planPeak = 0;
        Instant planPeakAt = null;
        for (MonthWindow month : months) {
            Instant monthEnd = month.to().isBefore(countEnd) ? month.to() : countEnd;
            long taken = 0;
            long freed = 0;
            long heldAtEnd = 0;
            long heldAtStart = 0;
            List<long[]> events = new ArrayList<>(); // [epoch micros, +1 start / -1 end]
            for (Seat seat : seats) {
                if (seat.freed() && !seat.to().isBefore(month.from()) && seat.to().isBefore(monthEnd)) {
                    freed++; // also when freed at the very first instant of the month
                }
                if (!seat.from().isBefore(monthEnd) || !seat.to().isAfter(month.from())) {
                    continue; // not held during this month
                }
                if (seat.from().isAfter(month.from())) {
                    taken++;
                    events.add(new long[] { micros(seat.from()), +1 });
                } else {
                    heldAtStart++;
                    if (seat.from().equals(month.from())) {
                        taken++;
                    }
                }
                if (seat.to().isBefore(monthEnd)) {
                    events.add(new long[] { micros(seat.to()), -1 });
                } else {
                    heldAtEnd++;
                }
            }
            // ends before starts at the same instant: a seat is held on [from, to)
            events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
            long running = heldAtStart;
            long peak = running;
            Instant peakAt = running > 0 ? month.from() : null;
            for (long[] event : events) {
                running += event[1];
                if (running > peak) { // strictly: the first instant the peak is reached
                    peak = running;
                    peakAt = ofMicros(event[0]);
                }
            }
            if (peak > planPeak) { // a later month only reaching the same peak keeps the earlier instant
                planPeak = peak;
                planPeakAt = peakAt;
            }
            rows.add(new LicenceUsage.Month(month.month(), month.from(), month.to(), isComplete(in, month),
                    activePerMonth.getOrDefault(month.month(), 0L), taken, freed, heldAtEnd, peak, peakAt, null, null,
                    null, Math.max(0, peak - in.amount())));
        }
        long used = seats.stream().filter(s -> !s.freed()).count();
        LicenceUsage.Totals totals = new LicenceUsage.Totals(in.amount(), used, Math.max(0, in.amount() - used),
                Math.max(0, used - in.amount()), planPeak, planPeakAt, null, null, null);
        return new Result(asOf, totals, rows, users);
    }

    /** Every seat of the plan up to the end of the counting window. */
    static List<Seat> seats(Input in, Instant countEnd) {
        List<Seat> seats = new ArrayList<>();
        Map<UUID, List<Change>> history = in.history() == null ? Map.of() : in.history();
        in.firstLoginByMonth().forEach((user, byMonth) -> {
            for (Seat period : activePeriods(user, history.getOrDefault(user, List.of()), in.start(), countEnd)) {
                Instant first = firstLoginIn(user, byMonth, period.from(), period.to(), in.seek());
                if (first != null) {
                    seats.add(new Seat(user, first, period.to(), period.freed()));
                }
            }
        });
        return seats;
    }

    /**
     * A user's active periods clipped to {@code [start, end)}, as seats-to-be: {@code freed} when the period ended
     * by a deactivation before {@code end}.
     */
    static List<Seat> activePeriods(UUID user, List<Change> changes, Instant start, Instant end) {
        List<Seat> periods = new ArrayList<>();
        boolean active = false;
        Instant since = null;
        for (Change change : changes) {
            if (change.active() == active) {
                continue;
            }
            if (change.active()) {
                since = change.at();
            } else {
                addClipped(periods, user, since, change.at(), start, end);
            }
            active = change.active();
        }
        if (active) {
            addClipped(periods, user, since, null, start, end);
        }
        return periods;
    }

    private static void addClipped(List<Seat> periods, UUID user, Instant from, Instant until, Instant start,
            Instant end) {
        Instant clippedFrom = from.isBefore(start) ? start : from;
        boolean freed = until != null && until.isBefore(end);
        Instant clippedTo = freed ? until : end;
        if (clippedFrom.isBefore(clippedTo)) {
            periods.add(new Seat(user, clippedFrom, clippedTo, freed));
        }
    }

    /**
     * The first login in {@code [from, before)}, from the per-month first logins; only when a month's first login
     * lies before {@code from} (a reactivation mid-month) does it need to look further, with one index seek.
     */
    static Instant firstLoginIn(UUID user, NavigableMap<YearMonth, Instant> byMonth, Instant from, Instant before,
            LoginSeek seek) {
        for (Map.Entry<YearMonth, Instant> entry : byMonth.tailMap(UtcMonths.monthOf(from), true).entrySet()) {
            Instant first = entry.getValue();
            if (!first.isBefore(before)) {
                return null;
            }
            if (!first.isBefore(from)) {
                return first;
            }
            Instant monthEnd = UtcMonths.startOf(entry.getKey().plusMonths(1));
            Instant found = seek.firstLogin(user, from, monthEnd.isBefore(before) ? monthEnd : before);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- MAU

    private static Result mauResult(Input in, Instant asOf, List<MonthWindow> months,
            Map<YearMonth, Long> activePerMonth, Map<UUID, UserUsage> users) {
        List<LicenceUsage.Month> rows = new ArrayList<>();
        long totalOverage = 0;
        for (MonthWindow month : months) {
            long active = activePerMonth.getOrDefault(month.month(), 0L);
            long overage = Math.max(0, active - in.amount());
            totalOverage += overage;
            rows.add(new LicenceUsage.Month(month.month(), month.from(), month.to(), isComplete(in, month), active,
                    null, null, null, null, null, null, null, null, overage));
        }
        LicenceUsage.Month latest = rows.isEmpty() ? null : rows.get(rows.size() - 1);
        long consumed = latest == null ? 0 : latest.activeUsers();
        LicenceUsage.Totals totals = new LicenceUsage.Totals(in.amount(), consumed,
                Math.max(0, in.amount() - consumed), Math.max(0, consumed - in.amount()), null, null,
                latest == null ? null : latest.month(), totalOverage, null);
        return new Result(asOf, totals, rows, users);
    }

    // ---------------------------------------------------------------- MAUC

    private static Result maucResult(Input in, Instant asOf, List<MonthWindow> months,
            Map<YearMonth, Long> activePerMonth, Map<UUID, UserUsage> users) {
        long pool = in.amount();
        long consumedSoFar = 0;
        List<LicenceUsage.Month> rows = new ArrayList<>();
        for (MonthWindow month : months) {
            long consumed = activePerMonth.getOrDefault(month.month(), 0L);
            long opening = Math.max(0, pool - consumedSoFar);
            long overBefore = Math.max(0, consumedSoFar - pool);
            consumedSoFar += consumed;
            long closing = Math.max(0, pool - consumedSoFar);
            long overage = Math.max(0, consumedSoFar - pool) - overBefore;
            rows.add(new LicenceUsage.Month(month.month(), month.from(), month.to(), isComplete(in, month), consumed,
                    null, null, null, null, null, opening, consumed, closing, overage));
        }
        long remaining = Math.max(0, pool - consumedSoFar);
        boolean ended = !in.now().isBefore(in.end());
        LicenceUsage.Totals totals = new LicenceUsage.Totals(pool, consumedSoFar, remaining,
                Math.max(0, consumedSoFar - pool), null, null, null, null, ended ? remaining : 0L);
        return new Result(asOf, totals, rows, users);
    }

    private static boolean isComplete(Input in, MonthWindow month) {
        return !in.now().isBefore(month.to());
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private static Instant ofMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
