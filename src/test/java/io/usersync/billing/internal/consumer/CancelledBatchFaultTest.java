package io.usersync.billing.internal.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.usersync.billing.BillingTestSupport;
import io.usersync.common.Jdbc;
import io.usersync.events.OutboxEvent;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: a consumer batch the transaction manager cancels mid-way (its timeout passes while the batch is
 * still working) leaves no trace. The batch's transaction gets a 1 s timeout and a delay is injected inside it,
 * after the ledger writes and before the outbox rows are deleted: as a pause of the consumer thread, and as a
 * slow statement on the batch's own connection. After the retry, every billable interval, the dedup records and
 * the outbox agree exactly with the users table: no change lost, none applied twice.
 */
@QuarkusTest
class CancelledBatchFaultTest {

    static final String OPEN = "9999-12-31 00:00:00.000000";

    /** Delays the batch that applies events of one MSP, once. */
    @ApplicationScoped
    public static class Delay implements ConsumedEventListener {
        private final AtomicReference<UUID> msp = new AtomicReference<>();
        private volatile boolean inDatabase;

        public void arm(UUID mspId, boolean slowStatement) {
            inDatabase = slowStatement;
            msp.set(mspId);
        }

        public void disarm() {
            msp.set(null);
        }

        @Override
        public void onEvents(Connection connection, List<OutboxEvent> events) {
            UUID target = msp.get();
            if (target == null || !target.equals(events.getFirst().mspId()) || !msp.compareAndSet(target, null)) {
                return;
            }
            try {
                if (inDatabase) {
                    try (PreparedStatement sleep = connection.prepareStatement("SELECT SLEEP(3)")) {
                        sleep.executeQuery().close();
                    }
                } else {
                    Thread.sleep(3000);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Inject
    Delay delay;

    @Inject
    OutboxConsumer consumer;

    @Inject
    BillingTestSupport billing;

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry registry;

    @AfterEach
    void restore() {
        delay.disarm();
        consumer.overrideTransactionTimeout(null);
    }

    @Test
    void aBatchCancelledWhileTheConsumerThreadPausesLeavesNoTrace() throws Exception {
        cancelledThenRetried(false);
    }

    @Test
    void aBatchCancelledDuringASlowStatementLeavesNoTrace() throws Exception {
        cancelledThenRetried(true);
    }

    void cancelledThenRetried(boolean slowStatement) throws Exception {
        UUID msp = Api.createMsp("cancelled batch msp " + slowStatement);
        billing.drain(); // billing knows the MSP (events of unknown MSPs wait), and nothing else is pending
        long versionBefore = count("SELECT ledger_version FROM billing_account WHERE msp_id = ?", msp);
        UUID client = Api.createClient(msp, "cancelled batch client", Map.of())[0];
        List<UUID> users = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            users.add(Api.createUser(client, "u" + i + "@cancelled.example", i % 4 != 3));
        }
        for (UUID user : users.subList(0, 3)) {
            Api.as(Tokens.operator()).post("/api/clients/" + client + "/users/" + user + "/deactivate").then()
                    .statusCode(200);
        }
        Api.as(Tokens.operator()).post("/api/clients/" + client + "/users/" + users.get(3) + "/activate").then()
                .statusCode(200);
        long written = count("SELECT COUNT(*) FROM outbox WHERE msp_id = ?", msp);
        double appliedBefore = applied();
        assertEquals(15, written, "client, administrator, 9 active users, 3 deactivations, 1 activation");

        consumer.overrideTransactionTimeout(Duration.ofSeconds(1));
        delay.arm(msp, slowStatement);
        assertThrows(RuntimeException.class, () -> billing.drain(), "the cancelled batch fails");

        // no trace: nothing applied, nothing recorded, nothing consumed
        assertEquals(written, count("SELECT COUNT(*) FROM outbox WHERE msp_id = ?", msp), "outbox rows kept");
        assertEquals(1, count("SELECT COUNT(*) FROM billing_event WHERE msp_id = ?", msp),
                "dedup records: only the MSP's creation, applied before");
        assertEquals(0, count("SELECT COUNT(*) FROM billing_interval WHERE msp_id = ?", msp), "intervals");
        assertEquals(0, count("SELECT COUNT(*) FROM billing_activity WHERE msp_id = ?", msp), "activity");
        assertEquals(0, count("SELECT COUNT(*) FROM billing_bucket WHERE msp_id = ?", msp), "buckets");
        assertEquals(0, count("SELECT COUNT(*) FROM billing_client WHERE msp_id = ?", msp), "client state");
        assertEquals(versionBefore, count("SELECT ledger_version FROM billing_account WHERE msp_id = ?", msp),
                "ledger version");
        assertEquals(appliedBefore, applied(), "a cancelled batch counts no applied event");

        consumer.overrideTransactionTimeout(null);
        billing.drain(); // the retry
        billing.drain(); // and a replay of nothing

        assertEquals(0, count("SELECT COUNT(*) FROM outbox WHERE msp_id = ?", msp), "every event consumed");
        assertEquals(written + 1, count("SELECT COUNT(*) FROM billing_event WHERE msp_id = ?", msp),
                "every event recorded once");
        assertEquals(appliedBefore + written, applied(), "the retry counts every event once");
        Map<UUID, Boolean> active = activeUsers(msp);
        Map<UUID, Long> open = new HashMap<>();
        Map<UUID, Long> intervals = new HashMap<>();
        query("SELECT user_id, to_at FROM billing_interval WHERE msp_id = ?", msp, rs -> {
            UUID user = Jdbc.uuid(rs, "user_id");
            intervals.merge(user, 1L, Long::sum);
            if (rs.getString("to_at").startsWith("9999-12-31")) {
                open.merge(user, 1L, Long::sum);
            }
        });
        for (Map.Entry<UUID, Boolean> user : active.entrySet()) {
            assertEquals(user.getValue() ? 1L : 0L, open.getOrDefault(user.getKey(), 0L),
                    "open billable interval of " + user.getKey() + " (active " + user.getValue() + ")");
            assertTrue(intervals.getOrDefault(user.getKey(), 0L) <= 1, "one interval per user: nothing twice");
        }
        assertTrue(active.keySet().containsAll(intervals.keySet()), "intervals only for the client's users");
        long activeCount = active.values().stream().filter(a -> a).count();
        assertEquals(activeCount, Api.as(Tokens.mspAdmin(msp)).get("/api/msps/" + msp + "/billing/usage").then()
                .statusCode(200).extract().jsonPath().getLong("currentBillableUsers"));
        assertEquals(activeCount, count("SELECT current_count FROM billing_client WHERE msp_id = ?", msp));
    }

    double applied() {
        return registry.get("usersync.billing.events.applied").counter().count();
    }

    Map<UUID, Boolean> activeUsers(UUID msp) throws SQLException {
        Map<UUID, Boolean> active = new HashMap<>();
        query("SELECT id, active FROM app_user WHERE msp_id = ? AND deleted_at IS NULL", msp,
                rs -> active.put(Jdbc.uuid(rs, "id"), rs.getBoolean("active")));
        return active;
    }

    interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    void query(String sql, UUID msp, Row row) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setBytes(1, Jdbc.bytes(msp));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
        }
    }

    long count(String sql, UUID msp) throws SQLException {
        long[] n = { 0 };
        query(sql, msp, rs -> n[0] = rs.getLong(1));
        return n[0];
    }
}
