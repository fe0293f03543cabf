package io.usersync.events;

import java.util.Collection;
import java.util.List;

/**
 * The port through which the domain tells tenants what happened: each event is queued for every webhook
 * endpoint of its tenant that subscribes to its type (the MSP's endpoints, and for a client account's event also
 * that client account's endpoints), in the caller's transaction, which is mandatory. So an event is delivered
 * (at least once) exactly when its change commits, and never for a change that rolled back. With no subscribed
 * endpoint nothing is written. Delivery happens later, outside the transaction.
 */
public interface WebhookEvents {

    /** Queues the events for delivery in the caller's transaction. */
    void publishAll(Collection<WebhookEvent> events);

    default void publish(WebhookEvent event) {
        publishAll(List.of(event));
    }
}
