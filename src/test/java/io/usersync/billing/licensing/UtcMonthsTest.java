package io.usersync.billing.licensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usersync.billing.internal.licensing.UtcMonths;
import io.usersync.billing.internal.licensing.UtcMonths.MonthWindow;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class UtcMonthsTest {

    static final Instant BASE = Instant.parse("2023-01-01T00:00:00Z");

    @Property(tries = 500)
    void monthsPartitionTheWindow(@ForAll @LongRange(min = 0, max = 4L * 365 * 24 * 3600 * 1000) long startMillis,
            @ForAll @LongRange(min = 1, max = 400L * 24 * 3600 * 1000) long lengthMillis,
            @ForAll @LongRange(min = 0, max = 999) long micros) {
        Instant start = BASE.plusMillis(startMillis).plus(micros, ChronoUnit.MICROS);
        Instant end = start.plusMillis(lengthMillis);
        List<MonthWindow> months = UtcMonths.partition(start, end);

        assertEquals(start, months.get(0).from(), "the first month starts at the window start");
        assertEquals(end, months.get(months.size() - 1).to(), "the last month ends at the window end");
        for (int i = 0; i < months.size(); i++) {
            MonthWindow m = months.get(i);
            assertTrue(m.from().isBefore(m.to()), "no empty month");
            assertEquals(m.month(), YearMonth.from(m.from().atZone(ZoneOffset.UTC)), "from is in its month");
            assertEquals(m.month(), YearMonth.from(m.to().minusNanos(1000).atZone(ZoneOffset.UTC)),
                    "the last instant is in its month");
            if (i > 0) {
                assertEquals(months.get(i - 1).to(), m.from(), "no gap and no overlap");
                assertEquals(months.get(i - 1).month().plusMonths(1), m.month(), "consecutive calendar months");
                assertEquals(1, m.from().atZone(ZoneOffset.UTC).getDayOfMonth(), "inner months start on the 1st");
            }
        }
        long expected = YearMonth.from(start.atZone(ZoneOffset.UTC)).until(
                YearMonth.from(end.minusNanos(1000).atZone(ZoneOffset.UTC)), ChronoUnit.MONTHS) + 1;
        assertEquals(expected, months.size());
    }

    @Test
    void aPacificLoginOnTheEveningOfThe28thOfFebruaryIsAMarchLogin() {
        Instant login = java.time.OffsetDateTime.parse("2025-02-28T23:30:00-08:00").toInstant();
        assertEquals(YearMonth.of(2025, 3), UtcMonths.monthOf(login));
    }

    @Test
    void aOneYearPlanStartingMidMonthHasThirteenClippedMonths() {
        List<MonthWindow> months = UtcMonths.partition(Instant.parse("2025-03-15T10:00:00Z"),
                Instant.parse("2026-03-15T10:00:00Z"));
        assertEquals(13, months.size());
        assertEquals(Instant.parse("2025-04-01T00:00:00Z"), months.get(0).to());
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), months.get(12).from());
    }
}
