package io.usersync.billing.internal.period;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeriodsTest {

    static List<LocalDate> starts(String anchor, int count) {
        Periods periods = Periods.anchoredOn(LocalDate.parse(anchor));
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> LocalDate.ofInstant(periods.start(i), java.time.ZoneOffset.UTC)).toList();
    }

    @Test
    void anchorOn31stClampsToMonthEndsAcrossALeapYearAndNeverDrifts() {
        assertEquals(List.of("2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30",
                "2024-07-31", "2024-08-31", "2024-09-30", "2024-10-31", "2024-11-30", "2024-12-31", "2025-01-31",
                "2025-02-28", "2025-03-31").stream().map(LocalDate::parse).toList(), starts("2024-01-31", 15));
    }

    @Test
    void anchorOn30thAnd29thAnd28th() {
        assertEquals(List.of("2023-12-30", "2024-01-30", "2024-02-29", "2024-03-30", "2024-04-30", "2024-05-30")
                .stream().map(LocalDate::parse).toList(), starts("2023-12-30", 6));
        assertEquals(List.of("2024-01-29", "2024-02-29", "2024-03-29", "2025-01-29", "2025-02-28", "2025-03-29")
                .stream().map(LocalDate::parse).toList(), List.of(starts("2024-01-29", 3), starts("2025-01-29", 3))
                        .stream().flatMap(List::stream).toList());
        assertEquals(List.of("2023-02-28", "2023-03-28", "2024-02-28", "2024-03-28").stream().map(LocalDate::parse)
                .toList(), List.of(starts("2023-02-28", 2), starts("2024-02-28", 2)).stream().flatMap(List::stream)
                        .toList());
        // created on leap day: Feb 28 in common years, back to the 29th in the next leap year
        List<LocalDate> leapDay = starts("2024-02-29", 49);
        assertEquals(LocalDate.parse("2025-02-28"), leapDay.get(12));
        assertEquals(LocalDate.parse("2025-03-29"), leapDay.get(13));
        assertEquals(LocalDate.parse("2028-02-29"), leapDay.get(48));
    }

    @Test
    void periodsAreUtcMidnightsAndTheCycleDayIsTheAnchorDay() {
        Periods periods = Periods.ofCreation(Instant.parse("2024-01-31T23:59:59.999999Z"));
        assertEquals(LocalDate.parse("2024-01-31"), periods.anchor());
        assertEquals(31, periods.cycleDay());
        assertEquals(Instant.parse("2024-01-31T00:00:00Z"), periods.start(0));
        assertEquals(Instant.parse("2024-02-29T00:00:00Z"), periods.end(0));
    }

    @ParameterizedTest
    @CsvSource({
            "2024-01-31T00:00:00Z, 0",
            "2024-02-28T23:59:59.999999Z, 0",
            "2024-02-29T00:00:00Z, 1",
            "2024-03-30T23:59:59Z, 1",
            "2024-03-31T00:00:00Z, 2",
            "2024-01-30T23:59:59Z, -1",
            "2025-02-28T00:00:00Z, 13" })
    void indexOfFindsTheContainingPeriod(String instant, int expected) {
        Periods periods = Periods.anchoredOn(LocalDate.parse("2024-01-31"));
        assertEquals(expected, periods.indexOf(Instant.parse(instant)));
    }
}
