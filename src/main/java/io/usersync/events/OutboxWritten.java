package io.usersync.events;

/**
 * Fired (as a CDI event) by {@link Outbox} inside the transaction that wrote events; consumers in this replica
 * observe it {@code during = TransactionPhase.AFTER_SUCCESS} to pick the events up as soon as they are committed
 * instead of at their next poll. Other replicas still poll.
 */
public record OutboxWritten(int events) {
}
