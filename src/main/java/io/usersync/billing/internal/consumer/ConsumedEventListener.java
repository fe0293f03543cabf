package io.usersync.billing.internal.consumer;

import io.usersync.events.OutboxEvent;
import java.sql.Connection;
import java.util.List;

/**
 * Extension point for other parts of billing that need the outbox facts too (the outbox is consumed once, by
 * billing, and its rows are deleted). Beans implementing this are called inside the consumer's transaction with
 * every event applied for the first time (never a duplicate), in outbox order, one MSP at a time; an exception
 * rolls the whole batch back and it is retried.
 */
public interface ConsumedEventListener {

    void onEvents(Connection connection, List<OutboxEvent> events);
}
