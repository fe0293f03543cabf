package io.usersync.billing.internal.ledger;

import java.time.Instant;

/** One CLIENT_STATE fact: whether the client's state at {@code at} is billable, and whether it was deleted. */
public record ClientFact(Instant at, long seq, boolean billable, boolean deleted) {
}
