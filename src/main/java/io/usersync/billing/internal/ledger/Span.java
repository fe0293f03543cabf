package io.usersync.billing.internal.ledger;

import java.time.Instant;
import java.util.Objects;

/** A half-open time span {@code [from, to)}; {@code to} is {@link Timeline#OPEN_END} while it has no end. */
public record Span(Instant from, Instant to) {

    public Span {
        Objects.requireNonNull(from);
        Objects.requireNonNull(to);
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("empty span " + from + " .. " + to);
        }
    }

    public boolean open() {
        return to.equals(Timeline.OPEN_END);
    }
}
