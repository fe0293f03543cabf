package io.usersync.billing.internal.ledger;

import io.usersync.billing.internal.period.Periods;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Pure functions over spans of time, the heart of the ledger. Everything is computed from the full set of facts
 * (sorted by instant, then outbox order), never from the order events arrived in, so applying the same events in
 * any order gives the same spans.
 */
public final class Timeline {

    /** The end of a span that has not ended; the largest value a DATETIME(6) column stores comfortably. */
    public static final Instant OPEN_END = Instant.parse("9999-12-31T00:00:00Z");

    private static final Comparator<Transition> ORDER = Comparator.comparing(Transition::at)
            .thenComparingLong(Transition::seq);

    private Timeline() {
    }

    /**
     * The maximal spans during which the state is on. The state is off before the first transition; at an
     * instant with several transitions only the last one counts (events at the same instant apply together).
     */
    public static List<Span> spans(List<Transition> transitions) {
        List<Transition> sorted = new ArrayList<>(transitions);
        sorted.sort(ORDER);
        List<Span> spans = new ArrayList<>();
        boolean on = false;
        Instant openedAt = null;
        for (int i = 0; i < sorted.size(); i++) {
            Transition t = sorted.get(i);
            if (i + 1 < sorted.size() && sorted.get(i + 1).at().equals(t.at())) {
                continue; // a later transition at the same instant decides
            }
            if (t.on() && !on) {
                openedAt = t.at();
                on = true;
            } else if (!t.on() && on) {
                spans.add(new Span(openedAt, t.at()));
                on = false;
            }
        }
        if (on) {
            spans.add(new Span(openedAt, OPEN_END));
        }
        return spans;
    }

    /**
     * A client account's billable windows from its CLIENT_STATE facts: billable while not TRIAL, MONTHLY and not
     * deleted. Deletion is final: nothing after it makes the client billable again.
     */
    public static List<Span> billableWindows(List<ClientFact> facts) {
        List<ClientFact> sorted = new ArrayList<>(facts);
        sorted.sort(Comparator.comparing(ClientFact::at).thenComparingLong(ClientFact::seq));
        List<Transition> transitions = new ArrayList<>(sorted.size());
        boolean deleted = false;
        for (ClientFact fact : sorted) {
            deleted |= fact.deleted();
            transitions.add(new Transition(fact.at(), fact.seq(), !deleted && fact.billable()));
        }
        return spans(transitions);
    }

    /** Parts of the spans at or after {@code from}. */
    public static List<Span> clip(List<Span> spans, Instant from) {
        List<Span> clipped = new ArrayList<>(spans.size());
        for (Span s : spans) {
            if (s.to().isAfter(from)) {
                clipped.add(s.from().isBefore(from) ? new Span(from, s.to()) : s);
            }
        }
        return clipped;
    }

    /** Intersection of two sorted lists of disjoint spans. */
    public static List<Span> intersect(List<Span> a, List<Span> b) {
        List<Span> result = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            Span x = a.get(i);
            Span y = b.get(j);
            Instant from = max(x.from(), y.from());
            Instant to = min(x.to(), y.to());
            if (to.isAfter(from)) {
                result.add(new Span(from, to));
            }
            if (x.to().isBefore(y.to())) {
                i++;
            } else {
                j++;
            }
        }
        return result;
    }

    /** Sorts spans and joins those that touch or overlap. */
    public static List<Span> merge(List<Span> spans) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparing(Span::from));
        List<Span> merged = new ArrayList<>(sorted.size());
        for (Span s : sorted) {
            if (!merged.isEmpty() && !merged.getLast().to().isBefore(s.from())) {
                Span last = merged.removeLast();
                merged.add(new Span(last.from(), max(last.to(), s.to())));
            } else {
                merged.add(s);
            }
        }
        return merged;
    }

    /**
     * The earliest instant at which two span lists differ, or null when they are equal. Before it the two
     * step functions coincide, so nothing earlier needs recomputing.
     */
    public static Instant firstDifference(List<Span> a, List<Span> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            Span x = a.get(i);
            Span y = b.get(i);
            if (!x.from().equals(y.from())) {
                return min(x.from(), y.from());
            }
            if (!x.to().equals(y.to())) {
                return min(x.to(), y.to());
            }
        }
        if (a.size() != b.size()) {
            return (a.size() > n ? a : b).get(n).from();
        }
        return null;
    }

    /**
     * A user's billable intervals from {@code windowStart} on: activity ∩ client windows, joined to the part of
     * the interval that straddles {@code windowStart} (whose earlier part is unchanged), with newcomer flags.
     * {@code windowStart} must be a period start, so every fact the flags depend on lies in the window.
     *
     * @param straddler the stored interval with {@code from < windowStart <= to}, if any
     */
    public static List<Interval> billable(Instant windowStart, List<Span> activity, List<Span> windows,
            Interval straddler, Periods periods) {
        List<Span> pieces = new ArrayList<>(intersect(clip(activity, windowStart), clip(windows, windowStart)));
        if (straddler != null) {
            pieces.add(new Span(straddler.from(), windowStart));
        }
        List<Span> merged = merge(pieces);
        List<Interval> intervals = new ArrayList<>(merged.size());
        for (int i = 0; i < merged.size(); i++) {
            Span s = merged.get(i);
            boolean newcomer;
            if (s.from().isBefore(windowStart)) {
                newcomer = straddler.newcomer();
            } else {
                Instant periodStart = periods.startOfPeriodContaining(s.from());
                boolean billableEarlierInPeriod = i > 0 && merged.get(i - 1).to().isAfter(periodStart);
                newcomer = s.from().isAfter(periodStart) && !billableEarlierInPeriod;
            }
            intervals.add(new Interval(s.from(), s.to(), newcomer));
        }
        return intervals;
    }

    static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
