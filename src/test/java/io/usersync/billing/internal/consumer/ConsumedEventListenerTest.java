package io.usersync.billing.internal.consumer;

import static io.usersync.billing.BillingTestSupport.client;
import static io.usersync.billing.BillingTestSupport.mspCreated;
import static io.usersync.billing.BillingTestSupport.user;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.usersync.billing.BillingTestSupport;
import io.usersync.common.Ids;
import io.usersync.events.OutboxEvent;
import io.usersync.tenant.BillingModel;
import io.usersync.tenant.ClientStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Other billing parts see every applied event once, in the consumer's transaction, never a duplicate. */
@QuarkusTest
class ConsumedEventListenerTest {

    /** A listener as a licence-plan module would register one. */
    @ApplicationScoped
    public static class Recorder implements ConsumedEventListener {
        private final Map<UUID, AtomicInteger> seen = new ConcurrentHashMap<>();

        /** How often an event was seen (a method: fields of a client proxy are not the bean's). */
        public int timesSeen(UUID eventId) {
            AtomicInteger n = seen.get(eventId);
            return n == null ? 0 : n.get();
        }

        @Override
        public void onEvents(Connection connection, List<OutboxEvent> events) {
            events.forEach(e -> seen.computeIfAbsent(e.eventId(), k -> new AtomicInteger()).incrementAndGet());
        }
    }

    @Inject
    Recorder recorder;

    @Inject
    BillingTestSupport billing;

    @Test
    void listenersSeeEachEventOnce() {
        UUID msp = Ids.newId();
        UUID c = Ids.newId();
        OutboxEvent on = user(msp, c, Ids.newId(), "2024-03-02T10:00:00Z", true);
        billing.write(mspCreated(msp, "2024-03-01T08:00:00Z"),
                client(msp, c, "2024-03-01T09:00:00Z", ClientStatus.ACTIVE, BillingModel.MONTHLY), on);
        billing.drain();
        billing.write(on); // replayed
        billing.drain();
        assertEquals(1, recorder.timesSeen(on.eventId()));
    }
}
