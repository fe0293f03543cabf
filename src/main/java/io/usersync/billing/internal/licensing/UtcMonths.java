package io.usersync.billing.internal.licensing;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Calendar months in UTC, clipped to a window. A licence plan's months are the UTC calendar months it touches,
 * the first starting at the plan start and the last ending at the plan end; together they partition the plan
 * window exactly (no gap, no overlap, none empty).
 */
public final class UtcMonths {

    private UtcMonths() {
    }

    /** One month of a window: {@code [from, to)}, both inside {@code month} (UTC). */
    public record MonthWindow(YearMonth month, Instant from, Instant to) {

        public boolean contains(Instant instant) {
            return !instant.isBefore(from) && instant.isBefore(to);
        }
    }

    /** The UTC calendar month an instant falls in. */
    public static YearMonth monthOf(Instant instant) {
        return YearMonth.from(instant.atZone(ZoneOffset.UTC));
    }

    /** The first instant of a UTC calendar month. */
    public static Instant startOf(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The months of {@code [start, end)}, in order; empty when the window is empty. */
    public static List<MonthWindow> partition(Instant start, Instant end) {
        List<MonthWindow> months = new ArrayList<>();
        Instant from = start;
        while (from.isBefore(end)) {
            YearMonth month = monthOf(from);
            Instant next = startOf(month.plusMonths(1));
            Instant to = next.isBefore(end) ? next : end;
            months.add(new MonthWindow(month, from, to));
            from = to;
        }
        return months;
    }
}
