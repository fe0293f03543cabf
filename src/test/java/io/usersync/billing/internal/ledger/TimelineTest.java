package io.usersync.billing.internal.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.usersync.billing.internal.period.Periods;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {

    static Instant t(String s) {
        return Instant.parse(s);
    }

    static Span span(String from, String to) {
        return new Span(t(from), to == null ? Timeline.OPEN_END : t(to));
    }

    @Test
    void spansFollowTheLastStateAtEachInstantInInstantOrder() {
        List<Transition> transitions = List.of(
                new Transition(t("2024-01-05T00:00:00Z"), 5, false),
                new Transition(t("2024-01-01T00:00:00Z"), 1, true),
                new Transition(t("2024-01-03T00:00:00Z"), 3, false),
                new Transition(t("2024-01-03T00:00:00Z"), 4, true), // off and on at one instant: still on
                new Transition(t("2024-01-07T00:00:00Z"), 6, true),
                new Transition(t("2024-01-07T00:00:00Z"), 7, false)); // on and off at one instant: nothing
        assertEquals(List.of(span("2024-01-01T00:00:00Z", "2024-01-05T00:00:00Z")), Timeline.spans(transitions));
        assertEquals(List.of(span("2024-01-01T00:00:00Z", null)),
                Timeline.spans(List.of(new Transition(t("2024-01-01T00:00:00Z"), 1, true),
                        new Transition(t("2024-01-02T00:00:00Z"), 2, true))));
    }

    @Test
    void deletionEndsBillabilityForGood() {
        List<ClientFact> facts = List.of(
                new ClientFact(t("2024-01-01T00:00:00Z"), 1, false, false), // trial
                new ClientFact(t("2024-01-10T00:00:00Z"), 2, true, false),  // converted
                new ClientFact(t("2024-01-20T00:00:00Z"), 3, false, true),  // deleted
                new ClientFact(t("2024-01-25T00:00:00Z"), 4, true, false)); // cannot revive
        assertEquals(List.of(span("2024-01-10T00:00:00Z", "2024-01-20T00:00:00Z")), Timeline.billableWindows(facts));
    }

    @Test
    void intersectionClipAndFirstDifference() {
        List<Span> a = List.of(span("2024-01-01T00:00:00Z", "2024-01-10T00:00:00Z"),
                span("2024-01-15T00:00:00Z", null));
        List<Span> b = List.of(span("2024-01-05T00:00:00Z", "2024-01-20T00:00:00Z"));
        assertEquals(List.of(span("2024-01-05T00:00:00Z", "2024-01-10T00:00:00Z"),
                span("2024-01-15T00:00:00Z", "2024-01-20T00:00:00Z")), Timeline.intersect(a, b));
        assertEquals(List.of(span("2024-01-08T00:00:00Z", "2024-01-10T00:00:00Z"), span("2024-01-15T00:00:00Z", null)),
                Timeline.clip(a, t("2024-01-08T00:00:00Z")));
        assertNull(Timeline.firstDifference(a, List.copyOf(a)));
        assertEquals(t("2024-01-10T00:00:00Z"), Timeline.firstDifference(List.of(span("2024-01-01T00:00:00Z", null)),
                List.of(span("2024-01-01T00:00:00Z", "2024-01-10T00:00:00Z"))));
        assertEquals(t("2024-01-15T00:00:00Z"), Timeline.firstDifference(a, a.subList(0, 1)));
    }

    @Test
    void newcomerFlagsCountAUserOncePerPeriod() {
        Periods periods = Periods.anchoredOn(LocalDate.parse("2024-01-01"));
        Instant from = periods.start(0);
        List<Span> activity = List.of(span("2024-01-01T00:00:00Z", "2024-01-03T00:00:00Z"), // billable at start
                span("2024-01-05T00:00:00Z", "2024-01-07T00:00:00Z"),                      // re-entry: not new
                span("2024-02-03T00:00:00Z", "2024-02-04T00:00:00Z"),                      // new in period 1
                span("2024-02-10T00:00:00Z", "2024-03-01T00:00:00Z"));                     // not new; ends at P2
        List<Span> windows = List.of(span("2023-12-01T00:00:00Z", null));
        List<Interval> intervals = Timeline.billable(from, activity, windows, null, periods);
        assertEquals(List.of(false, false, true, false), intervals.stream().map(Interval::newcomer).toList());
        // recomputed from period 1 with the period-0 interval straddling nothing: same flags for period 1
        List<Interval> tail = Timeline.billable(periods.start(1), activity, windows, null, periods);
        assertEquals(List.of(true, false), tail.stream().map(Interval::newcomer).toList());
    }

    @Test
    void aStraddlingIntervalKeepsItsStartAndFlag() {
        Periods periods = Periods.anchoredOn(LocalDate.parse("2024-01-01"));
        Interval straddler = new Interval(t("2024-01-20T00:00:00Z"), Timeline.OPEN_END, true);
        List<Interval> result = Timeline.billable(periods.start(1),
                List.of(span("2024-01-20T00:00:00Z", "2024-02-10T00:00:00Z")),
                List.of(span("2024-01-01T00:00:00Z", null)), straddler, periods);
        assertEquals(List.of(new Interval(t("2024-01-20T00:00:00Z"), t("2024-02-10T00:00:00Z"), true)), result);
    }
}
