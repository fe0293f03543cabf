package io.usersync.webhook;

/**
 * Fired (as a CDI event) inside a transaction that queued deliveries; the dispatcher of this replica observes it
 * after the commit to deliver at once instead of at its next poll.
 */
public record WebhooksQueued(int deliveries) {
}
