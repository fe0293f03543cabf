package io.usersync.billing;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.usersync.billing.api.BillingOperations;
import io.usersync.billing.api.BillingUsage;
import io.usersync.billing.api.ClientBreakdown;
import io.usersync.billing.api.PeriodReport;
import io.usersync.common.Ids;
import io.usersync.common.time.AppClock;
import io.usersync.events.Outbox;
import io.usersync.events.OutboxEvent;
import io.usersync.tenant.BillingModel;
import io.usersync.tenant.Caller;
import io.usersync.tenant.ClientStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Test helper bean: writes outbox events the way producers do (in a transaction, through {@link Outbox}), runs
 * the consumer, moves the application clock, reads billing figures as an operator.
 */
@ApplicationScoped
public class BillingTestSupport {

    public static final Caller OPERATOR = Caller.system("billing-test");

    @Inject
    Outbox outbox;

    @Inject
    AppClock appClock;

    @Inject
    BillingOperations operations;

    @Inject
    BillingUsage usage;

    private Clock original;

    /** Installs a test clock; {@link #restoreClock()} must follow (tests call it in {@code @AfterEach}). */
    public TestClock useClock(String start) {
        if (original == null) {
            original = appClock.clock();
        }
        TestClock clock = new TestClock(Instant.parse(start));
        appClock.use(clock);
        return clock;
    }

    public void restoreClock() {
        if (original != null) {
            appClock.use(original);
            original = null;
        }
    }

    public void write(OutboxEvent... events) {
        write(List.of(events));
    }

    /** Writes the events to the outbox in one transaction, in the given order. */
    public void write(Collection<OutboxEvent> events) {
        QuarkusTransaction.requiringNew().run(() -> outbox.appendAll(events));
    }

    public int drain() {
        return operations.consumeOutbox();
    }

    public PeriodReport period(UUID msp, int index) {
        return usage.period(OPERATOR, msp, index);
    }

    /** clientId → {usersAtPeak, ownPeak, distinctUsers}. */
    public static Map<UUID, List<Long>> breakdown(PeriodReport report) {
        Map<UUID, List<Long>> map = new TreeMap<>();
        for (ClientBreakdown c : report.clients()) {
            map.put(c.clientId(), List.of(c.usersAtPeak(), c.ownPeak(), c.distinctUsers()));
        }
        return map;
    }

    // ---------------------------------------------------------------- event builders

    public static OutboxEvent mspCreated(UUID msp, String at) {
        return OutboxEvent.mspCreated(Ids.newId(), msp, Instant.parse(at), false);
    }

    public static OutboxEvent client(UUID msp, UUID client, String at, ClientStatus status, BillingModel model) {
        return OutboxEvent.clientState(Ids.newId(), msp, client, Instant.parse(at), status, model, false);
    }

    public static OutboxEvent deleted(UUID msp, UUID client, String at, ClientStatus status, BillingModel model) {
        return OutboxEvent.clientState(Ids.newId(), msp, client, Instant.parse(at), status, model, true);
    }

    public static OutboxEvent user(UUID msp, UUID client, UUID user, String at, boolean active) {
        return OutboxEvent.userActive(Ids.newId(), msp, client, user, Instant.parse(at), !active, active);
    }
}
