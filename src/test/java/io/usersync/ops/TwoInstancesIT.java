package io.usersync.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usersync.emulator.graph.GraphTenant;
import io.usersync.ops.Cluster.Instance;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two real replicas (two JVMs running the packaged jar, profile prod, on different ports) against one MariaDB
 * schema and the Graph emulator: they start together (Flyway migrates once), share the due connections without
 * ever running one connection twice at once, invoice each MSP period exactly once, apply every outbox event
 * exactly once, and when one is killed with SIGKILL the other takes its connection over once the lease expires.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesIT {

    static Cluster cluster;
    static Instance a;
    static Instance b;
    /** Connections of the sharing test: client -> connection. */
    static final Map<UUID, UUID> connections = new java.util.LinkedHashMap<>();

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        cluster = new Cluster();
        // two run slots each: six due connections cannot all go to one replica
        Map<String, String> settings = Map.of("usersync.sync.worker.max-concurrent-runs", "2");
        a = cluster.start("replica-a", cluster.directJdbcUrl(), settings);
        b = cluster.start("replica-b", cluster.directJdbcUrl(), settings);
        a.awaitStarted();
        b.awaitStarted();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void bothReplicasMigratedTheFreshSchemaTogetherAndFlywayAppliedEachMigrationOnce() throws Exception {
        long migrations;
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration"))) {
            migrations = files.filter(f -> f.toString().endsWith(".sql")).count();
        }
        assertEquals(migrations, cluster.count("SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1"
                + " AND version IS NOT NULL"));
        assertEquals(0, cluster.count("SELECT COUNT(*) FROM flyway_schema_history WHERE success = 0"));
        assertEquals(migrations, cluster.count("SELECT COUNT(DISTINCT version) FROM flyway_schema_history"
                + " WHERE version IS NOT NULL"));
        assertEquals(200, a.readiness(), a.health());
        assertEquals(200, b.readiness(), b.health());
    }

    @Test
    @Order(2)
    void dueConnectionsAreSharedAndNoConnectionEverRunsTwiceAtOnce() throws Exception {
        Map<UUID, GraphTenant> directories = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            Instance via = i % 2 == 0 ? a : b;
            UUID client = cluster.tenant(via, "share " + i)[1];
            String app = UUID.randomUUID().toString();
            GraphTenant directory = cluster.directory(app, 30, 10);
            Cluster.slowDown(directory, 3);
            directories.put(client, directory);
            // enabled at creation: due at once, so both replicas see it on their next poll
            connections.put(client, cluster.connect(via, client, directory, app, true));
        }
        Cluster.awaitSql("every due connection ran once", () -> cluster.count("SELECT COUNT(*) FROM sync_run"
                + " WHERE status = 'SUCCEEDED' AND run_trigger = 'SCHEDULE'") >= 6);
        for (UUID connection : connections.values()) {
            assertEquals(1, cluster.count("SELECT COUNT(*) FROM sync_run WHERE connection_id = ? AND run_trigger ="
                    + " 'SCHEDULE'", connection), "a due connection is picked up by exactly one replica");
        }

        // more work than slots, requested through both replicas while runs are still going
        for (int round = 0; round < 2; round++) {
            for (Map.Entry<UUID, UUID> e : connections.entrySet()) {
                Cluster.slowDown(directories.get(e.getKey()), 3);
                cluster.trigger(round % 2 == 0 ? a : b, e.getKey(), e.getValue());
            }
            Cluster.awaitSql("round " + round + " finished", () -> cluster.count("SELECT COUNT(*) FROM sync_run"
                    + " WHERE status IN ('QUEUED', 'RUNNING')") == 0);
        }

        List<Map<String, Object>> runs = cluster.query("SELECT connection_id, owner, status, started_at, finished_at"
                + " FROM sync_run ORDER BY connection_id, started_at");
        assertEquals(18, runs.size(), runs.toString());
        Set<Object> owners = new HashSet<>();
        for (int i = 0; i < runs.size(); i++) {
            Map<String, Object> run = runs.get(i);
            assertEquals("SUCCEEDED", run.get("status"), run + "\n" + cluster.output());
            owners.add(run.get("owner"));
            if (i > 0 && runs.get(i - 1).get("connection_id").equals(run.get("connection_id"))) {
                LocalDateTime previousEnd = (LocalDateTime) runs.get(i - 1).get("finished_at");
                LocalDateTime start = (LocalDateTime) run.get("started_at");
                assertFalse(start.isBefore(previousEnd), "runs of one connection overlap: " + runs.get(i - 1)
                        + " and " + run);
            }
        }
        assertEquals(Set.of("replica-a", "replica-b"), owners, "both replicas took work");
        for (UUID client : connections.keySet()) {
            assertEquals(30, cluster.count("SELECT COUNT(*) FROM app_user WHERE client_id = ? AND source = 'M365'"
                    + " AND active = TRUE", client));
        }
        assertEquals(0, cluster.count("SELECT COUNT(*) FROM directory_connection WHERE lease_owner IS NOT NULL"),
                "leases are released after each run");
    }

    @Test
    @Order(3)
    void eachPeriodIsInvoicedOnceAndEveryOutboxEventIsAppliedOnce() throws Exception {
        // Three MSPs whose history began four months and three days ago, written to the outbox as the tenant
        // module writes it: four periods of each are over and due for an invoice, on both replicas' closers.
        Instant created = LocalDateTime.now(ZoneOffset.UTC).minusMonths(4).minusDays(3).toInstant(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.SECONDS);
        List<UUID> msps = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            UUID msp = UUID.randomUUID();
            UUID client = UUID.randomUUID();
            msps.add(msp);
            outbox(msp, "MSP_CREATED", null, null, created, null, null, null, null, Boolean.FALSE);
            outbox(msp, "CLIENT_STATE", client, null, created, null, null, "ACTIVE", "MONTHLY", Boolean.FALSE);
            for (int u = 0; u < 5 + m; u++) {
                outbox(msp, "USER_ACTIVE", client, UUID.randomUUID(), created.plus(u * 9L, ChronoUnit.DAYS), false,
                        true, null, null, null);
            }
        }
        Cluster.awaitSql("the outbox is consumed", () -> cluster.count("SELECT COUNT(*) FROM outbox") == 0);
        Cluster.awaitSql("four invoices per MSP", () -> cluster.count("SELECT COUNT(*) FROM billing_invoice") == 12);
        for (UUID msp : msps) {
            List<Map<String, Object>> invoices = cluster.query("SELECT period_index FROM billing_invoice"
                    + " WHERE msp_id = ? ORDER BY period_index", msp);
            assertEquals(List.of(0, 1, 2, 3), invoices.stream().map(r -> ((Number) r.get("period_index")).intValue())
                    .toList());
        }
        double issued = a.metric("usersync_billing_invoices_issued_total", null)
                + b.metric("usersync_billing_invoices_issued_total", null);
        assertEquals(12, issued, "each invoice issued by exactly one replica");

        // at-least-once delivery: the same events arrive again (a replayed outbox); billing recognises them
        long applied0 = cluster.count("SELECT COUNT(*) FROM billing_event");
        String ledger0 = cluster.query("SELECT client_id, user_id, from_at, to_at FROM billing_activity"
                + " WHERE msp_id = ? ORDER BY user_id, from_at", msps.getFirst()).toString();
        int replayed = cluster.update("INSERT INTO outbox (event_id, msp_id, kind, client_id, user_id, occurred_at,"
                + " was_active, now_active) SELECT event_id, msp_id, kind, client_id, user_id, occurred_at, FALSE,"
                + " now_active FROM billing_event WHERE msp_id = ? AND kind = 'USER_ACTIVE'", msps.getFirst());
        assertEquals(5, replayed);
        Cluster.awaitSql("the replay is consumed", () -> cluster.count("SELECT COUNT(*) FROM outbox") == 0);
        assertEquals(applied0, cluster.count("SELECT COUNT(*) FROM billing_event"), "a replay applies nothing");
        assertEquals(ledger0, cluster.query("SELECT client_id, user_id, from_at, to_at FROM billing_activity"
                + " WHERE msp_id = ? ORDER BY user_id, from_at", msps.getFirst()).toString());
        assertEquals(replayed, a.metric("usersync_billing_events_duplicate_total", null)
                + b.metric("usersync_billing_events_duplicate_total", null), "recognised as already applied");
        assertEquals(12, cluster.count("SELECT COUNT(*) FROM billing_invoice"));

        // every user state change of the syncs reached billing exactly once
        long history = cluster.count("SELECT COUNT(*) FROM user_status_event");
        assertTrue(history >= 6 * 31, "each sync-created user and each admin has its event: " + history);
        assertEquals(0, cluster.count("SELECT COUNT(*) FROM user_status_event e LEFT JOIN billing_event b"
                + " ON b.msp_id = e.msp_id AND b.event_id = e.id WHERE b.event_id IS NULL"), "every event applied");
        assertEquals(history, cluster.count("SELECT COUNT(*) FROM billing_event b JOIN user_status_event e"
                + " ON b.msp_id = e.msp_id AND b.event_id = e.id"));
        long applied = cluster.count("SELECT COUNT(*) FROM billing_event");
        assertEquals(applied, a.metric("usersync_billing_events_applied_total", null)
                + b.metric("usersync_billing_events_applied_total", null), "applied by one replica, once");
        // the ledger's currently active users are the users table's
        for (UUID client : connections.keySet()) {
            long active = cluster.count("SELECT COUNT(*) FROM app_user WHERE client_id = ? AND active = TRUE", client);
            assertEquals(active, cluster.count("SELECT COUNT(*) FROM billing_activity WHERE client_id = ?"
                    + " AND to_at > '9000-01-01'", client));
        }
    }

    @Test
    @Order(4)
    void metricsShowRunsUsersProviderCallsOutboxLagAndInvoices() throws Exception {
        String text = a.metrics() + b.metrics();
        for (String name : List.of("usersync_sync_runs_total{", "status=\"SUCCEEDED\"",
                "usersync_sync_run_duration_seconds_count", "usersync_sync_run_duration_seconds_sum",
                "usersync_sync_user_changes_total{", "kind=\"CREATE\"",
                "usersync_sync_provider_requests_total{", "provider=\"M365\"", "usersync_sync_provider_throttled_total{",
                "usersync_billing_outbox_backlog", "usersync_billing_outbox_oldest_age_seconds",
                "usersync_billing_invoices_issued_total", "usersync_billing_events_applied_total")) {
            assertTrue(text.contains(name), name + " missing from /q/metrics");
        }
        double runs = a.metric("usersync_sync_runs_total", "status=\"SUCCEEDED\"")
                + b.metric("usersync_sync_runs_total", "status=\"SUCCEEDED\"");
        assertEquals(18, runs);
        assertEquals(6 * 30, a.metric("usersync_sync_user_changes_total", "kind=\"CREATE\"")
                + b.metric("usersync_sync_user_changes_total", "kind=\"CREATE\""));
        // the meters add up to what the runs recorded
        assertEquals(cluster.count("SELECT SUM(throttled) FROM sync_run"),
                a.metric("usersync_sync_provider_throttled_total", null)
                        + b.metric("usersync_sync_provider_throttled_total", null));
        assertTrue(cluster.count("SELECT SUM(throttled) FROM sync_run") >= 18, "every run's first page was throttled");
        assertEquals(cluster.count("SELECT SUM(provider_requests) FROM sync_run"),
                a.metric("usersync_sync_provider_requests_total", null)
                        + b.metric("usersync_sync_provider_requests_total", null));
    }

    @Test
    @Order(5)
    void aKilledReplicasLeaseExpiresAndTheOtherTakesTheConnectionOver() throws Exception {
        UUID client = cluster.tenant(a, "takeover")[1];
        String app = UUID.randomUUID().toString();
        GraphTenant directory = cluster.directory(app, 40, 5);
        Cluster.slowDown(directory, 8);
        UUID connection = cluster.connect(a, client, directory, app, true);
        Cluster.awaitSql("a replica is reading the directory", () -> cluster.count("SELECT COUNT(*) FROM sync_run"
                + " WHERE connection_id = ? AND status = 'RUNNING' AND pages >= 1", connection) == 1);
        Map<String, Object> lease = cluster.query("SELECT lease_owner FROM directory_connection WHERE id = ?",
                connection).getFirst();
        String owner = (String) lease.get("lease_owner");
        Instance victim = owner.equals(a.name) ? a : b;
        Instance survivor = victim == a ? b : a;
        victim.kill();
        LocalDateTime lastLease = (LocalDateTime) cluster.query("SELECT lease_expires_at FROM directory_connection"
                + " WHERE id = ?", connection).getFirst().get("lease_expires_at");
        assertEquals(owner, cluster.query("SELECT lease_owner FROM directory_connection WHERE id = ?", connection)
                .getFirst().get("lease_owner"), "a killed replica releases nothing");

        Cluster.awaitSql("the survivor finished the connection", () -> cluster.count("SELECT COUNT(*) FROM sync_run"
                + " WHERE connection_id = ? AND status = 'SUCCEEDED'", connection) == 1);
        List<Map<String, Object>> runs = cluster.query("SELECT owner, status, error_kind, error_message, started_at,"
                + " finished_at FROM sync_run WHERE connection_id = ? ORDER BY requested_at", connection);
        assertEquals(2, runs.size(), runs.toString());
        Map<String, Object> interrupted = runs.get(0);
        Map<String, Object> takeover = runs.get(1);
        assertEquals(victim.name, interrupted.get("owner"));
        assertEquals("FAILED", interrupted.get("status"));
        assertEquals("INTERRUPTED", interrupted.get("error_kind"));
        assertTrue(((String) interrupted.get("error_message")).contains("nothing was applied"),
                (String) interrupted.get("error_message"));
        assertEquals(survivor.name, takeover.get("owner"));
        assertFalse(((LocalDateTime) takeover.get("started_at")).isBefore(lastLease),
                "the survivor waited for the lease to expire: " + takeover + " vs lease until " + lastLease);
        assertFalse(((LocalDateTime) takeover.get("started_at")).isBefore((LocalDateTime) interrupted.get("finished_at")));
        assertEquals(40, cluster.count("SELECT COUNT(*) FROM app_user WHERE client_id = ? AND source = 'M365'"
                + " AND active = TRUE", client));
        assertEquals(40, cluster.count("SELECT COUNT(*) FROM user_status_event e JOIN app_user u ON u.id = e.user_id"
                + " WHERE u.client_id = ? AND u.source = 'M365'", client), "one event per created user, none twice");
        assertEquals(0, cluster.count("SELECT COUNT(*) FROM sync_run_change c JOIN sync_run r ON r.id = c.run_id"
                + " WHERE r.connection_id = ? AND r.status = 'FAILED'", connection), "no half plan left behind");
        assertNotEquals(owner, cluster.query("SELECT COALESCE(lease_owner, '') AS o FROM directory_connection"
                + " WHERE id = ?", connection).getFirst().get("o"));
        assertEquals(200, survivor.readiness());
    }

    private static void outbox(UUID msp, String kind, UUID client, UUID user, Instant at, Boolean wasActive,
            Boolean nowActive, String clientStatus, String billingModel, Boolean flag) throws Exception {
        boolean paymentFlag = kind.startsWith("MSP_");
        cluster.update("INSERT INTO outbox (event_id, msp_id, kind, client_id, user_id, occurred_at, was_active,"
                + " now_active, client_status, billing_model, client_deleted, payment_method)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", UUID.randomUUID(), msp, kind, client, user,
                LocalDateTime.ofInstant(at, ZoneOffset.UTC), wasActive, nowActive, clientStatus,
                billingModel, paymentFlag ? null : flag, paymentFlag ? flag : null);
    }
}
