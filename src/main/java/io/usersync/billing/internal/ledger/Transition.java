package io.usersync.billing.internal.ledger;

import java.time.Instant;

/**
 * A change of a boolean state at an instant; {@code seq} (the outbox order) orders changes of the same subject
 * that share an instant, so the last one at an instant is the state from then on.
 */
public record Transition(Instant at, long seq, boolean on) {
}
