package io.usersync.billing.internal.period;

import io.usersync.billing.api.BillingPeriod;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The billing periods of one MSP. The anchor is the UTC date the MSP was created; period {@code n} is
 * {@code [anchor + n months, anchor + (n+1) months)} at 00:00 UTC. Every start is computed from the original
 * anchor with {@link LocalDate#plusMonths}, which clamps to the end of shorter months, so an MSP created on
 * 31 January has periods starting Jan 31, Feb 28 (29 in a leap year), Mar 31, Apr 30, … and never drifts to the
 * 28th. Periods are contiguous: the end of one is the start of the next.
 */
public final class Periods {

    private final LocalDate anchor;

    private Periods(LocalDate anchor) {
        this.anchor = Objects.requireNonNull(anchor);
    }

    public static Periods anchoredOn(LocalDate anchor) {
        return new Periods(anchor);
    }

    /** The periods of an MSP created at the given instant. */
    public static Periods ofCreation(Instant createdAt) {
        return new Periods(LocalDate.ofInstant(createdAt, ZoneOffset.UTC));
    }

    public LocalDate anchor() {
        return anchor;
    }

    /** The day of month periods start on (in months that have it). */
    public int cycleDay() {
        return anchor.getDayOfMonth();
    }

    public Instant start(int index) {
        return anchor.plusMonths(index).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public Instant end(int index) {
        return start(index + 1);
    }

    public BillingPeriod period(int index) {
        return new BillingPeriod(index, start(index), end(index));
    }

    /** The index of the period containing the instant (negative before the anchor). */
    public int indexOf(Instant instant) {
        LocalDate date = LocalDate.ofInstant(instant, ZoneOffset.UTC);
        int index = (int) ChronoUnit.MONTHS.between(anchor.withDayOfMonth(1), date.withDayOfMonth(1));
        while (start(index).isAfter(instant)) {
            index--;
        }
        while (!end(index).isAfter(instant)) {
            index++;
        }
        return index;
    }

    /** The start of the period containing the instant. */
    public Instant startOfPeriodContaining(Instant instant) {
        return start(indexOf(instant));
    }
}
