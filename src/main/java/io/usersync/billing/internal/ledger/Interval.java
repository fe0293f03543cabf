package io.usersync.billing.internal.ledger;

import java.time.Instant;

/**
 * A stored billable interval of one user.
 *
 * @param newcomer the interval starts strictly after the start of its billing period and the user had no
 *                 billable time earlier in that period (so it adds one distinct user to the period)
 */
public record Interval(Instant from, Instant to, boolean newcomer) {

    public Span span() {
        return new Span(from, to);
    }
}
