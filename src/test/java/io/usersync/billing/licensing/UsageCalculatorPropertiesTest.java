package io.usersync.billing.licensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usersync.billing.api.LicencePlanType;
import io.usersync.billing.api.LicenceUsage;
import io.usersync.billing.internal.licensing.UsageCalculator;
import io.usersync.billing.internal.licensing.UsageCalculator.Change;
import io.usersync.billing.internal.licensing.UsageCalculator.Result;
import io.usersync.billing.internal.licensing.UtcMonths;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The usage rules against a brute-force model that works from the raw login list and evaluates "does this user
 * hold a seat at instant t" directly, instead of the per-month first logins and seeks production uses.
 */
class UsageCalculatorPropertiesTest {

    static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");
    static final long MICROS_PER_MINUTE = 60_000_000L;

    record UserData(List<Instant> logins, List<Change> changes) {
    }

    record Scenario(LicencePlanType type, long amount, Instant start, Instant end, Instant now,
            Map<UUID, UserData> users) {

        Instant countEnd() {
            return UsageCalculator.countEnd(end, now);
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Arbitraries.randomValue(UsageCalculatorPropertiesTest::scenario);
    }

    static Scenario scenario(Random random) {
        LicencePlanType type = LicencePlanType.values()[random.nextInt(3)];
        long amount = 1 + random.nextInt(6);
        Instant start = BASE.plus(random.nextLong(2L * 365 * 24 * 60) * MICROS_PER_MINUTE, ChronoUnit.MICROS);
        Instant end = random.nextInt(3) == 0 ? start.atZone(ZoneOffset.UTC).plusYears(1).toInstant()
                : start.plus(1 + random.nextLong(365L * 24 * 60) * MICROS_PER_MINUTE, ChronoUnit.MICROS);
        Instant now = pick(random, start, end);
        Map<UUID, UserData> users = new LinkedHashMap<>();
        int count = 1 + random.nextInt(6);
        for (int u = 0; u < count; u++) {
            List<Instant> logins = new ArrayList<>();
            for (int i = random.nextInt(13); i > 0; i--) {
                logins.add(pick(random, start, end));
            }
            List<Change> changes = new ArrayList<>();
            for (int i = random.nextInt(6); i > 0; i--) {
                changes.add(new Change(random.nextInt(3) > 0 ? !(i % 2 == 0) : random.nextBoolean(),
                        pick(random, start, end)));
            }
            changes.sort(Comparator.comparing(Change::at));
            users.put(new UUID(0, u + 1), new UserData(logins, changes));
        }
        return new Scenario(type, amount, start, end, now, users);
    }

    /** An instant around the window: anywhere (minute precision), or right at a month boundary or plan edge. */
    static Instant pick(Random random, Instant start, Instant end) {
        Instant from = start.minus(40, ChronoUnit.DAYS);
        long span = ChronoUnit.MINUTES.between(from, end.plus(40, ChronoUnit.DAYS));
        Instant anywhere = from.plus(random.nextLong(span), ChronoUnit.MINUTES);
        Instant edge = switch (random.nextInt(4)) {
            case 0 -> start;
            case 1 -> end;
            default -> UtcMonths.startOf(UtcMonths.monthOf(anywhere));
        };
        return switch (random.nextInt(5)) {
            case 0 -> edge.plus(random.nextInt(3) - 1, ChronoUnit.MICROS);
            default -> anywhere;
        };
    }

    static Result compute(Scenario s) {
        Instant countEnd = s.countEnd();
        Map<UUID, NavigableMap<YearMonth, Instant>> firstByMonth = new HashMap<>();
        Map<UUID, List<Change>> history = new HashMap<>();
        s.users().forEach((user, data) -> {
            for (Instant login : data.logins()) {
                if (!login.isBefore(s.start()) && login.isBefore(countEnd)) {
                    firstByMonth.computeIfAbsent(user, u -> new TreeMap<>()).merge(UtcMonths.monthOf(login), login,
                            (a, b) -> a.isBefore(b) ? a : b);
                }
            }
            history.put(user, data.changes().stream().filter(c -> c.at().isBefore(countEnd)).toList());
        });
        return UsageCalculator.compute(new UsageCalculator.Input(s.type(), s.amount(), s.start(), s.end(), s.now(),
                firstByMonth, history, (user, from, before) -> {
                    assertTrue(!from.isBefore(s.start()) && !before.isAfter(countEnd), "seeks stay in the window");
                    return s.users().get(user).logins().stream()
                            .filter(l -> !l.isBefore(from) && l.isBefore(before)).min(Comparator.naturalOrder())
                            .orElse(null);
                }));
    }

    // ---------------------------------------------------------------- the brute-force model

    static boolean active(UserData user, Instant t) {
        boolean active = false;
        for (Change change : user.changes()) {
            if (!change.at().isAfter(t)) {
                active = change.active();
            }
        }
        return active;
    }

    /** Holds a seat at t: some login at or before t, while active, and active without interruption since. */
    static boolean held(Scenario s, UserData user, Instant t) {
        if (t.isBefore(s.start()) || !t.isBefore(s.countEnd())) {
            return false;
        }
        for (Instant login : user.logins()) {
            if (login.isBefore(s.start()) || login.isAfter(t) || !active(user, login)) {
                continue;
            }
            boolean interrupted = user.changes().stream()
                    .anyMatch(c -> !c.active() && c.at().isAfter(login) && !c.at().isAfter(t));
            if (!interrupted) {
                return true;
            }
        }
        return false;
    }

    static long heldCount(Scenario s, Instant t) {
        return s.users().values().stream().filter(u -> held(s, u, t)).count();
    }

    static Instant minusMicro(Instant t) {
        return t.minus(1, ChronoUnit.MICROS);
    }

    // ---------------------------------------------------------------- properties

    @Property(tries = 600)
    void seatsFollowLoginsDeactivationsAndReactivations(@ForAll("scenarios") Scenario generated) {
        Scenario s = new Scenario(LicencePlanType.SEATS, generated.amount(), generated.start(), generated.end(),
                generated.now(), generated.users());
        Result result = compute(s);
        Instant countEnd = s.countEnd();
        long peakOfPlan = 0;
        Instant peakOfPlanAt = null;
        for (LicenceUsage.Month month : result.months()) {
            Instant monthEnd = month.to().isBefore(countEnd) ? month.to() : countEnd;
            long taken = 0;
            long freed = 0;
            Set<Instant> candidates = new HashSet<>(List.of(month.from()));
            for (UserData user : s.users().values()) {
                for (Instant login : new HashSet<>(user.logins())) {
                    if (!login.isBefore(month.from()) && login.isBefore(monthEnd)) {
                        candidates.add(login);
                        boolean heldBefore = login.isAfter(s.start()) && held(s, user, minusMicro(login));
                        if (held(s, user, login) && !heldBefore) {
                            taken++;
                        }
                    }
                }
                Set<Instant> counted = new HashSet<>();
                for (Change change : user.changes()) {
                    if (change.at().isBefore(month.from()) || !change.at().isBefore(monthEnd)) {
                        continue;
                    }
                    candidates.add(change.at());
                    if (!change.active() && change.at().isAfter(s.start()) && counted.add(change.at())
                            && held(s, user, minusMicro(change.at()))) {
                        freed++;
                    }
                }
            }
            long peak = candidates.stream().mapToLong(t -> heldCount(s, t)).max().orElse(0);
            // the first instant of the month holding that many seats (the held count only rises at logins)
            Instant peakAt = peak == 0 ? null : candidates.stream().filter(t -> heldCount(s, t) == peak)
                    .min(Comparator.naturalOrder()).orElseThrow();
            if (peak > peakOfPlan) {
                peakOfPlan = peak;
                peakOfPlanAt = peakAt;
            }
            String where = " in " + month.month() + " of " + s;
            assertEquals(taken, month.seatsTaken(), "seats taken" + where);
            assertEquals(freed, month.seatsFreed(), "seats freed" + where);
            assertEquals(heldCount(s, minusMicro(monthEnd)), month.seatsHeld(), "seats held at the end" + where);
            assertEquals(peak, month.peakSeats(), "peak seats" + where);
            assertEquals(peakAt, month.peakSeatsAt(), "when the month's peak was first reached" + where);
            assertEquals(Math.max(0, peak - s.amount()), month.overage(), "overage" + where);
        }
        long used = countEnd.isAfter(s.start()) ? heldCount(s, minusMicro(countEnd)) : 0;
        assertEquals(used, result.totals().consumed(), "seats used of " + s);
        assertEquals(Math.max(0, s.amount() - used), result.totals().remaining());
        assertEquals(Math.max(0, used - s.amount()), result.totals().overage());
        assertEquals(peakOfPlan, result.totals().peakSeats());
        assertEquals(peakOfPlanAt, result.totals().peakSeatsAt(), "when the plan's peak was first reached in " + s);
        if (peakOfPlanAt != null) { // nothing earlier in the plan held that many
            Instant first = peakOfPlanAt;
            long peak = result.totals().peakSeats();
            assertEquals(peak, heldCount(s, first));
            assertTrue(s.users().values().stream().flatMap(u -> u.logins().stream())
                    .filter(t -> !t.isBefore(s.start()) && t.isBefore(first)).allMatch(t -> heldCount(s, t) < peak),
                    "peak first reached at " + first + " in " + s);
        }
        s.users().forEach((id, user) -> {
            if (result.users().containsKey(id)) {
                assertEquals(countEnd.isAfter(s.start()) && held(s, user, minusMicro(countEnd)),
                        result.users().get(id).seatHeld(), "seat held by " + id + " in " + s);
            }
        });
    }

    @Property(tries = 400)
    void everyMonthCountsTheUniqueUsersWithALoginInThatUtcMonth(@ForAll("scenarios") Scenario s) {
        Result result = compute(s);
        Instant countEnd = s.countEnd();
        List<UtcMonths.MonthWindow> started = UtcMonths.partition(s.start(), s.end()).stream()
                .filter(m -> m.from().isBefore(countEnd)).toList();
        assertEquals(started.size(), result.months().size(), "one row per month that has started");
        for (int i = 0; i < started.size(); i++) {
            UtcMonths.MonthWindow window = started.get(i);
            long expected = s.users().values().stream().filter(u -> u.logins().stream()
                    .anyMatch(l -> window.contains(l) && l.isBefore(countEnd))).count();
            assertEquals(expected, result.months().get(i).activeUsers(), window.month() + " of " + s);
            assertEquals(window.from(), result.months().get(i).from());
            assertEquals(window.to(), result.months().get(i).to());
        }
        s.users().forEach((id, user) -> {
            List<Instant> counted = user.logins().stream()
                    .filter(l -> !l.isBefore(s.start()) && l.isBefore(countEnd)).sorted().toList();
            if (counted.isEmpty()) {
                assertTrue(!result.users().containsKey(id), "a user without logins in the plan is not reported");
            } else {
                assertEquals(counted.get(0), result.users().get(id).firstLogin());
                assertEquals(counted.stream().map(UtcMonths::monthOf).distinct().count(),
                        result.users().get(id).monthsActive());
            }
        });
    }

    @Property(tries = 400)
    void mauCountsResetEveryMonthAndOverageIsPerMonth(@ForAll("scenarios") Scenario generated) {
        Scenario s = new Scenario(LicencePlanType.MAU, generated.amount(), generated.start(), generated.end(),
                generated.now(), generated.users());
        Result result = compute(s);
        long total = 0;
        for (LicenceUsage.Month month : result.months()) {
            assertEquals(Math.max(0, month.activeUsers() - s.amount()), month.overage());
            total += month.overage();
        }
        assertEquals(total, result.totals().totalOverage());
        long latest = result.months().isEmpty() ? 0 : result.months().get(result.months().size() - 1).activeUsers();
        assertEquals(latest, result.totals().consumed());
        assertEquals(Math.max(0, s.amount() - latest), result.totals().remaining());
    }

    @Property(tries = 400)
    void maucCreditsRollOverAndAddUpToThePool(@ForAll("scenarios") Scenario generated) {
        Scenario s = new Scenario(LicencePlanType.MAUC, generated.amount(), generated.start(), generated.end(),
                generated.now(), generated.users());
        Result result = compute(s);
        LicenceUsage.Totals totals = result.totals();
        long pool = s.amount();
        long consumed = 0;
        long overage = 0;
        Long previousClosing = null;
        for (LicenceUsage.Month month : result.months()) {
            assertEquals(month.activeUsers(), month.creditsConsumed(), "one credit per user active in the month");
            assertEquals(previousClosing == null ? pool : previousClosing, month.creditsOpening(),
                    "what a month leaves rolls over to the next");
            consumed += month.creditsConsumed();
            overage += month.overage();
            assertEquals(Math.max(0, pool - consumed), month.creditsClosing());
            previousClosing = month.creditsClosing();
        }
        assertEquals(consumed, totals.consumed());
        assertEquals(overage, totals.overage(), "monthly overages add up to the plan overage");
        assertEquals(Math.max(0, consumed - pool), totals.overage());
        if (consumed <= pool) {
            assertEquals(pool, totals.consumed() + totals.remaining(), "consumed + remaining = pool while not over");
        } else {
            assertEquals(0, totals.remaining());
        }
        boolean ended = !s.now().isBefore(s.end());
        assertEquals(ended ? totals.remaining() : 0, totals.expired(), "credits expire at plan end, not before");
    }
}
