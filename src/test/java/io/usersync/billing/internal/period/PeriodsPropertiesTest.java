package io.usersync.billing.internal.period;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Period arithmetic over random anchors (the 28th–31st weighted heavily) and long horizons. */
class PeriodsPropertiesTest {

    @Provide
    Arbitrary<LocalDate> anchors() {
        Arbitrary<LocalDate> monthEnds = Arbitraries.integers().between(1990, 2100)
                .flatMap(year -> Arbitraries.integers().between(1, 12).flatMap(month -> Arbitraries.integers()
                        .between(28, LocalDate.of(year, month, 1).lengthOfMonth())
                        .map(day -> LocalDate.of(year, month, day))));
        Arbitrary<LocalDate> any = Arbitraries.longs().between(LocalDate.of(1990, 1, 1).toEpochDay(),
                LocalDate.of(2100, 12, 31).toEpochDay()).map(LocalDate::ofEpochDay);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, monthEnds), net.jqwik.api.Tuple.of(1, any));
    }

    @Property
    void periodsAreContiguousAndNonEmpty(@ForAll("anchors") LocalDate anchor,
            @ForAll @IntRange(min = -24, max = 1200) int index) {
        Periods periods = Periods.anchoredOn(anchor);
        assertTrue(periods.end(index).equals(periods.start(index + 1)));
        assertTrue(periods.start(index).isBefore(periods.end(index)));
    }

    @Property
    void startsNeverDriftFromTheAnchorDay(@ForAll("anchors") LocalDate anchor,
            @ForAll @IntRange(min = 0, max = 1200) int index) {
        LocalDate start = LocalDate.ofInstant(Periods.anchoredOn(anchor).start(index), ZoneOffset.UTC);
        int expectedDay = Math.min(anchor.getDayOfMonth(), start.lengthOfMonth());
        assertTrue(start.getDayOfMonth() == expectedDay, anchor + " #" + index + " -> " + start);
        assertTrue(start.withDayOfMonth(1).equals(anchor.withDayOfMonth(1).plusMonths(index)));
    }

    @Property
    void everyInstantIsInExactlyThePeriodIndexOfReturns(@ForAll("anchors") LocalDate anchor,
            @ForAll @LongRange(min = -100_000_000L, max = 3_000_000_000L) long secondsFromAnchor) {
        Periods periods = Periods.anchoredOn(anchor);
        Instant instant = anchor.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(secondsFromAnchor);
        int index = periods.indexOf(instant);
        assertTrue(!periods.start(index).isAfter(instant) && periods.end(index).isAfter(instant));
    }

    @Property
    void theLastMicrosecondOfAPeriodBelongsToIt(@ForAll("anchors") LocalDate anchor,
            @ForAll @IntRange(min = 0, max = 600) int index) {
        Periods periods = Periods.anchoredOn(anchor);
        assertTrue(periods.indexOf(periods.start(index)) == index);
        assertTrue(periods.indexOf(periods.end(index).minusNanos(1000)) == index);
    }
}
