package io.usersync.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import io.usersync.emulator.graph.GraphFault;
import io.usersync.emulator.graph.GraphTenant;
import io.usersync.ops.Cluster.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults against the packaged service (profile prod), its database reached through a TCP proxy the test can cut:
 * provider faults at every page, SIGKILL in the middle of applying a plan, the database going away while idle and
 * during a run, and SIGTERM during a run. After each, the users table, the history and the billing ledger agree,
 * and the next run converges.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

    static Cluster cluster;
    static TcpProxy proxy;
    static Instance instance;
    static final Map<String, String> SETTINGS = Map.of(
            // every run reads the whole pool, so "page k" exists in every run
            "usersync.sync.schedule.full-reconcile-interval", "0s",
            // endless throttling ends at the run's time budget (a Retry-After beyond it ends the run at once)
            "usersync.sync.run.time-budget", "40s",
            // many small apply transactions, so SIGKILL can land between two of them
            "usersync.sync.run.apply-chunk-size", "10");

    @BeforeAll
    static void start() throws Exception {
        cluster = new Cluster();
        java.net.URI server = Cluster.serverAddress();
        proxy = new TcpProxy(server.getHost(), server.getPort());
        instance = cluster.start("faults-1", cluster.jdbcUrlVia(proxy), SETTINGS).awaitStarted();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    private static JsonPath awaitEnd(UUID client, String runId) {
        JsonPath[] last = new JsonPath[1];
        Cluster.await("run " + runId + " ends", () -> {
            last[0] = cluster.run(instance, client, runId);
            String status = last[0].getString("status");
            return !status.equals("QUEUED") && !status.equals("RUNNING");
        });
        return last[0];
    }

    /** The client's users as (id, email, active, first name) rows, and the history length. */
    private static String state(UUID client) throws Exception {
        return cluster.query("SELECT id, email, active, first_name FROM app_user WHERE client_id = ? ORDER BY id",
                client) + " events=" + cluster.count("SELECT COUNT(*) FROM user_status_event WHERE client_id = ?", client);
    }

    @Test
    @Order(1)
    void providerFaultsAtEveryPageFailTheRunAndApplyNothing() throws Exception {
        UUID client = cluster.tenant(instance, "provider faults")[1];
        String app = UUID.randomUUID().toString();
        GraphTenant directory = cluster.directory(app, 30, 10);
        UUID connection = cluster.connect(instance, client, directory, app, false);
        cluster.enable(instance, client, connection);
        JsonPath first = awaitEnd(client, cluster.trigger(instance, client, connection));
        assertEquals("SUCCEEDED", first.getString("status"), first.prettify());

        // the next complete read would deactivate 3, create 3 and rename 1 user
        for (int i = 0; i < 3; i++) {
            directory.deleteUser(userId(directory, "u" + i + "@"));
            directory.addUser(io.usersync.emulator.graph.GraphUser.member("new" + i + "@" + directory.domain(), "New",
                    "User" + i));
        }
        directory.updateUser(userId(directory, "u10@"), u -> u.withNames("Renamed", "User"));
        String before = state(client);

        List<String> outcomes = new ArrayList<>();
        for (GraphFault fault : List.of(GraphFault.CONNECTION_RESET, GraphFault.SERVER_ERROR,
                GraphFault.MALFORMED_JSON, GraphFault.TOO_MANY_REQUESTS)) {
            for (int page = 1; page <= 3; page++) {
                directory.clearFaults();
                directory.failAtPage(page, fault, -1, fault == GraphFault.TOO_MANY_REQUESTS ? 60 : null);
                String runId = cluster.trigger(instance, client, connection);
                JsonPath run = awaitEnd(client, runId);
                assertEquals("FAILED", run.getString("status"), fault + " at page " + page + ": " + run.prettify());
                assertNotNull(run.getString("errorKind"));
                assertTrue(run.getString("error") != null && !run.getString("error").isBlank());
                assertEquals(before, state(client), fault + " at page " + page + " applied something");
                assertEquals(0, cluster.count("SELECT COUNT(*) FROM sync_run_change WHERE run_id = ?",
                        UUID.fromString(runId)), "no partial plan is kept");
                outcomes.add(fault + "@" + page + " -> " + run.getString("errorKind") + ": " + run.getString("error"));
            }
        }
        System.out.println("provider fault outcomes:\n  " + String.join("\n  ", outcomes));

        directory.clearFaults();
        JsonPath recovered = awaitEnd(client, cluster.trigger(instance, client, connection));
        assertEquals("SUCCEEDED", recovered.getString("status"), recovered.prettify());
        assertEquals(3, recovered.getInt("counts.created"));
        assertEquals(3, recovered.getInt("counts.deactivated"));
        assertEquals(1, recovered.getInt("counts.updated"));
        assertEquals(30, cluster.count("SELECT COUNT(*) FROM app_user WHERE client_id = ? AND source = 'M365'"
                + " AND active = TRUE", client));
    }

    /** The Graph object id of a synced user, as the first run stored it. */
    private static String userId(GraphTenant directory, String emailPrefix) {
        try {
            return cluster.query("SELECT external_id FROM app_user WHERE email LIKE ? AND source = 'M365'",
                    emailPrefix + "%" + directory.domain()).getFirst().get("external_id").toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(2)
    void sigkillWhileApplyingLeavesUsersHistoryAndLedgerInAgreementAndTheNextRunConverges() throws Exception {
        UUID client = cluster.tenant(instance, "kill while applying")[1];
        String app = UUID.randomUUID().toString();
        GraphTenant directory = cluster.directory(app, 1500, 500);
        UUID connection = cluster.connect(instance, client, directory, app, true);
        Cluster.awaitSql("the plan is being applied", () -> cluster.count("SELECT COUNT(*) FROM sync_run WHERE"
                + " connection_id = ? AND status = 'RUNNING' AND phase = 'APPLYING' AND applied_changes >= 10",
                connection) == 1);
        instance.kill();
        UUID run = (UUID) cluster.query("SELECT id FROM sync_run WHERE connection_id = ?", connection).getFirst()
                .get("id");

        long users = cluster.count("SELECT COUNT(*) FROM app_user WHERE client_id = ? AND source = 'M365'", client);
        assertTrue(users > 0 && users < 1500, "killed in the middle of applying: " + users + " of 1500 applied");
        assertEquals(0, users % 10, "whole chunks of 10 only: " + users);
        assertEquals(users, cluster.count("SELECT applied_changes FROM sync_run WHERE id = ?", run),
                "the run's counter commits with its chunk");
        assertAgreement(client);

        // a new replica takes the connection over once the dead one's lease has expired, and converges
        instance = cluster.start("faults-2", cluster.jdbcUrlVia(proxy), SETTINGS).awaitStarted();
        Cluster.awaitSql("the connection converged", () -> cluster.count("SELECT COUNT(*) FROM sync_run"
                + " WHERE connection_id = ? AND status = 'SUCCEEDED'", connection) == 1);
        Map<String, Object> interrupted = cluster.query("SELECT status, error_kind, error_message FROM sync_run"
                + " WHERE id = ?", run).getFirst();
        assertEquals("FAILED", interrupted.get("status"));
        assertEquals("INTERRUPTED", interrupted.get("error_kind"));
        assertTrue(((String) interrupted.get("error_message")).contains(users + " changes had been applied"),
                interrupted.toString());
        assertEquals(1500, cluster.count("SELECT COUNT(*) FROM app_user WHERE client_id = ? AND source = 'M365'"
                + " AND active = TRUE", client));
        Cluster.awaitSql("billing consumed everything", () -> cluster.count("SELECT COUNT(*) FROM outbox") == 0);
        assertAgreement(client);
        assertEquals(1501, cluster.count("SELECT COUNT(*) FROM billing_activity WHERE client_id = ?"
                + " AND to_at > '9000-01-01'", client), "1500 synced users and the admin are active in the ledger");
    }

    /**
     * Users, history and billing agree: each user's latest event is its state, each event is exactly once in
     * the outbox or applied by billing, never both, and billing's open activity is the users' active flags.
     */
    private static void assertAgreement(UUID client) throws Exception {
        assertEquals(0, cluster.count("SELECT COUNT(*) FROM app_user u WHERE u.client_id = ? AND NOT EXISTS"
                + " (SELECT 1 FROM user_status_event e WHERE e.user_id = u.id)", client), "a user without its event");
        assertEquals(0, cluster.count("SELECT COUNT(*) FROM app_user u WHERE u.client_id = ? AND u.active <>"
                + " (SELECT e.new_active FROM user_status_event e WHERE e.user_id = u.id"
                + " ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1)", client), "a user whose history disagrees");
        assertEquals(0, cluster.count("SELECT COUNT(*) FROM user_status_event e WHERE e.client_id = ? AND"
                + " NOT EXISTS (SELECT 1 FROM app_user u WHERE u.id = e.user_id)", client), "an event without its user");
        assertEquals(0, cluster.count("SELECT COUNT(*) FROM user_status_event e WHERE e.client_id = ? AND"
                + " (SELECT COUNT(*) FROM outbox o WHERE o.event_id = e.id) + (SELECT COUNT(*) FROM billing_event b"
                + " WHERE b.event_id = e.id) <> 1", client), "an event lost or twice on its way to billing");
        long pending = cluster.count("SELECT COUNT(*) FROM outbox WHERE client_id = ?", client);
        if (pending == 0) {
            assertEquals(cluster.count("SELECT COUNT(*) FROM app_user WHERE client_id = ? AND active = TRUE", client),
                    cluster.count("SELECT COUNT(*) FROM billing_activity WHERE client_id = ? AND to_at > '9000-01-01'",
                            client), "billing's active users are the users table's");
        }
    }

    @Test
    @Order(3)
    void theDatabaseGoingAwayFailsTheRunCleanlyAndReadinessFollowsWithoutARestart() throws Exception {
        long pid = instance.process.pid();
        // idle
        proxy.cut();
        Cluster.await("readiness DOWN while the database is unreachable", () -> instance.readiness() == 503);
        String down = instance.health();
        assertTrue(down.contains("\"DOWN\""), down);
        proxy.restore();
        Cluster.await("readiness UP again", () -> instance.readiness() == 200);

        // during a run's read
        UUID client = cluster.tenant(instance, "database away")[1];
        String app = UUID.randomUUID().toString();
        GraphTenant directory = cluster.directory(app, 30, 5);
        Cluster.slowDown(directory, 6);
        UUID connection = cluster.connect(instance, client, directory, app, false);
        cluster.enable(instance, client, connection);
        String runId = cluster.trigger(instance, client, connection);
        Cluster.awaitSql("the run is reading", () -> cluster.count("SELECT COUNT(*) FROM sync_run WHERE id = ?"
                + " AND status = 'RUNNING' AND pages >= 1", UUID.fromString(runId)) == 1);
        proxy.cut();
        Cluster.await("the run noticed", () -> instance.process.output().contains("could not record the end of run "
                + runId));
        Cluster.await("readiness DOWN", () -> instance.readiness() == 503);
        proxy.restore();
        Cluster.await("readiness UP", () -> instance.readiness() == 200);
        JsonPath failed = awaitEnd(client, runId);
        assertEquals("FAILED", failed.getString("status"), failed.prettify());
        assertEquals("DATABASE_UNAVAILABLE", failed.getString("errorKind"), failed.prettify());
        assertTrue(failed.getString("error").contains("nothing was applied"), failed.getString("error"));
        assertEquals(0, cluster.count("SELECT COUNT(*) FROM app_user WHERE client_id = ? AND source = 'M365'",
                client), "nothing half-applied\n" + cluster.output());
        assertEquals(0, cluster.count("SELECT COUNT(*) FROM sync_run_change WHERE run_id = ?", UUID.fromString(runId)));
        assertEquals(1, cluster.count("SELECT COUNT(*) FROM sync_run WHERE connection_id = ?", connection));
        Cluster.awaitSql("the lease is released", () -> cluster.count("SELECT COUNT(*) FROM directory_connection"
                + " WHERE id = ? AND lease_owner IS NULL", connection) == 1);

        Cluster.slowDown(directory, 0);
        JsonPath next = awaitEnd(client, cluster.trigger(instance, client, connection));
        assertEquals("SUCCEEDED", next.getString("status"), next.prettify());
        assertEquals(30, next.getInt("counts.created"));
        assertAgreement(client);
        assertEquals(pid, instance.process.pid());
        assertTrue(instance.alive(), "no restart needed");
    }

    @Test
    @Order(4)
    void sigtermStopsAReadingRunWithoutApplyingAndReleasesItsLease() throws Exception {
        UUID client = cluster.tenant(instance, "sigterm")[1];
        String app = UUID.randomUUID().toString();
        GraphTenant directory = cluster.directory(app, 30, 5);
        Cluster.slowDown(directory, 6);
        UUID connection = cluster.connect(instance, client, directory, app, true);
        Cluster.awaitSql("the run is reading", () -> cluster.count("SELECT COUNT(*) FROM sync_run WHERE"
                + " connection_id = ? AND status = 'RUNNING' AND pages >= 1", connection) == 1);
        assertEquals("faults-2", cluster.query("SELECT lease_owner FROM directory_connection WHERE id = ?",
                connection).getFirst().get("lease_owner"));
        int exit = instance.terminate();
        assertTrue(exit == 0 || exit == 143, "graceful exit: " + exit + "\n" + instance.process.output());
        Map<String, Object> run = cluster.query("SELECT status, error_message FROM sync_run WHERE connection_id = ?",
                connection).getFirst();
        assertEquals("CANCELLED", run.get("status"), run + "\n" + instance.process.output());
        assertTrue(((String) run.get("error_message")).contains("shutting down"), run.toString());
        assertEquals(1, cluster.count("SELECT COUNT(*) FROM directory_connection WHERE id = ? AND lease_owner IS NULL",
                connection), "the lease is released on the way out, not left to expire");
        assertEquals(0, cluster.count("SELECT COUNT(*) FROM app_user WHERE client_id = ? AND source = 'M365'",
                client));
        assertEquals(0, cluster.count("SELECT COUNT(*) FROM sync_run_change c JOIN sync_run r ON r.id = c.run_id"
                + " WHERE r.connection_id = ?", connection));
    }
}
