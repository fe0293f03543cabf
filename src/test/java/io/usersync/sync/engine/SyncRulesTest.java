package io.usersync.sync.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.usersync.common.Jdbc;
import io.usersync.emulator.graph.GraphTenant;
import io.usersync.emulator.graph.GraphUser;
import io.usersync.sync.m365.GraphFixture;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The directory sync rules the engine must keep, run end to end: REST API, background worker (or the runner
 * called directly, where a test needs to act in the middle of a run), the M365 connector over the Graph
 * emulator, and MariaDB.
 */
@QuarkusTest
class SyncRulesTest {

    @Inject
    DataSource dataSource;

    @Inject
    SyncRunner runner;

    @Inject
    SyncWorker worker;

    private GraphFixture fixture;
    private GraphTenant tenant;
    private UUID msp;
    private UUID client;
    private UUID clientAdmin;
    private String connectionId;
    private String base;
    private String token;

    @BeforeEach
    void setUp() {
        fixture = new GraphFixture();
        tenant = fixture.tenant();
        msp = Api.createMsp("sync rules " + UUID.randomUUID());
        newClient(Map.of());
    }

    private void newClient(Map<String, Object> extra) {
        UUID[] created = Api.createClient(msp, "sync rules client", extra);
        client = created[0];
        clientAdmin = created[1];
        token = Tokens.mspAdmin(msp);
    }

    /** Creates the connection without letting the scheduler run it: each run here is one the test triggered. */
    private void connect(Map<String, Object> pool) {
        Map<String, Object> body = new HashMap<>(Map.of("provider", "M365", "m365", credentials(), "enabled", false,
                "pool", pool));
        connectionId = Api.as(token).body(body).post("/api/clients/" + client + "/connections").then()
                .statusCode(201).extract().path("id");
        base = "/api/clients/" + client + "/connections/" + connectionId;
        Api.as(token).body(Map.of("scheduleMinutes", 10080)).patch(base).then().statusCode(200);
        Api.as(token).body(Map.of("enabled", true)).patch(base).then().statusCode(200);
    }

    private void connect() {
        connect(Map.of("allUsers", true));
    }

    private Map<String, Object> credentials() {
        return Map.of("tenantId", tenant.tenantId(), "clientId", fixture.clientId(), "clientSecret",
                GraphFixture.SECRET);
    }

    private String trigger(boolean dryRun) {
        return Api.as(token).body(Map.of("dryRun", dryRun)).post(base + "/runs").then().statusCode(202).extract()
                .path("id");
    }

    private JsonPath run() {
        return awaitRun(trigger(false));
    }

    private JsonPath runView(String runId) {
        return Api.as(token).get("/api/clients/" + client + "/sync-runs/" + runId).then().statusCode(200).extract()
                .jsonPath();
    }

    private JsonPath awaitRun(String runId) {
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(2));
        while (true) {
            JsonPath run = runView(runId);
            String status = run.getString("status");
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                return run;
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError("run " + runId + " did not finish: " + run.prettify());
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonPath succeeded(JsonPath run) {
        assertEquals("SUCCEEDED", run.getString("status"), run.prettify());
        return run;
    }

    /** All users of the client account (any source) by email. */
    private Map<String, Map<String, Object>> users() {
        List<Map<String, Object>> items = Api.as(token).get("/api/clients/" + client + "/users?limit=200").then()
                .statusCode(200).extract().jsonPath().getList("items");
        Map<String, Map<String, Object>> byEmail = new HashMap<>();
        items.forEach(u -> byEmail.put((String) u.get("email"), u));
        return byEmail;
    }

    private Map<String, Object> user(String email) {
        Map<String, Object> user = users().get(email);
        assertNotNull(user, email + " is not a user");
        return user;
    }

    private boolean active(String email) {
        return (Boolean) user(email).get("active");
    }

    private List<Map<String, Object>> changes(String runId, String kind) {
        return Api.as(token).get("/api/clients/" + client + "/sync-runs/" + runId + "/changes?limit=500"
                + (kind == null ? "" : "&kind=" + kind)).then().statusCode(200).extract().jsonPath()
                .getList("items");
    }

    private List<Map<String, Object>> changesFor(String runId, String email) {
        return changes(runId, null).stream().filter(c -> email.equals(c.get("email"))).toList();
    }

    // ---------------------------------------------------------------- database helpers

    private void sql(String statement, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            s.executeUpdate();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private long queryLong(String query, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), query);
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether the connection's next due time is in the future. */
    private boolean scheduledLater() {
        return queryLong("SELECT COUNT(*) FROM directory_connection WHERE id = ? AND next_due_at > ?",
                Jdbc.bytes(UUID.fromString(connectionId)), Jdbc.timestamp(Instant.now())) == 1;
    }

    private List<Map<String, Object>> runsOfConnection() {
        return Api.as(token).get(base + "/runs?limit=100").then().statusCode(200).extract().jsonPath()
                .getList("items");
    }

    /** Makes the connection due now, so the worker's next claim plans a scheduled run. */
    private void makeDue() {
        sql("UPDATE directory_connection SET next_due_at = ? WHERE id = ?", Jdbc.timestamp(Instant.now()
                .minusSeconds(60)), Jdbc.bytes(UUID.fromString(connectionId)));
    }

    /** Takes the connection's lease for the test, so no worker runs it while the test drives the runner. */
    private static final String TEST_OWNER = "sync-rules-test";

    private void takeLease() {
        sql("UPDATE directory_connection SET lease_owner = ?, lease_expires_at = ? WHERE id = ?", TEST_OWNER,
                Jdbc.timestamp(Instant.now().plus(Duration.ofHours(1))), Jdbc.bytes(UUID.fromString(connectionId)));
    }

    private void releaseLease() {
        sql("UPDATE directory_connection SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ?",
                Jdbc.bytes(UUID.fromString(connectionId)));
    }

    private List<String> addMembers(String prefix, int count) {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(tenant.addUser(GraphUser.member(prefix + i + "@rules.example", "M", prefix + i)));
        }
        return ids;
    }

    // ---------------------------------------------------------------- held runs

    @Test
    void aHeldRunHoldsTheScheduleAndAnOutOfDatePlanCannotBeApproved() {
        List<String> ids = addMembers("held", 12);
        connect();
        succeeded(run());
        ids.subList(0, 11).forEach(tenant::deleteUser);
        JsonPath held = run();
        assertEquals("HELD", held.getString("status"), held.prettify());

        // The schedule comes due while the run waits for a decision: no new run is planned and held again.
        makeDue();
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(2));
        while (!scheduledLater()) {
            assertTrue(Instant.now().isBefore(giveUp), "the worker did not look at the due connection");
            worker.wakeUp();
            pause();
        }
        List<Map<String, Object>> runs = runsOfConnection();
        assertEquals(2, runs.size(), "no scheduled run while one is held: " + runs);
        assertEquals("HELD", runView(held.getString("id")).getString("status"));

        // The pool changed after the plan was made: approving it is refused.
        Api.as(token).body(Map.of("pool", Map.of("allUsers", true, "includeGuests", true))).patch(base).then()
                .statusCode(200);
        String refused = Api.as(token).post("/api/clients/" + client + "/sync-runs/" + held.getString("id")
                + "/approve").then().statusCode(409).contentType("application/problem+json").extract().path("detail");
        assertTrue(refused.contains("out of date") && refused.contains("Run a sync again"), refused);
        assertEquals(12, users().values().stream().filter(u -> "M365".equals(u.get("source"))
                && Boolean.TRUE.equals(u.get("active"))).count(), "nothing applied");

        // A manual run supersedes the held one and is held in turn; its plan is current and can be approved.
        String manual = trigger(false);
        JsonPath superseded = runView(held.getString("id"));
        assertEquals("CANCELLED", superseded.getString("status"));
        assertEquals("SUPERSEDED", superseded.getString("errorKind"));
        assertTrue(superseded.getString("error").contains(manual), superseded.prettify());
        JsonPath heldAgain = awaitRun(manual);
        assertEquals("HELD", heldAgain.getString("status"), heldAgain.prettify());
        Api.as(token).post("/api/clients/" + client + "/sync-runs/" + manual + "/approve").then().statusCode(200);
        JsonPath approved = succeeded(awaitRun(manual));
        assertEquals(11, approved.getInt("counts.deactivated"));
    }

    @Test
    void aDenyListChangeSupersedesAHeldRunAndAnApprovalIsNotAppliedAfterTheSettingsMoved() {
        List<String> ids = addMembers("deny", 12);
        connect();
        succeeded(run());
        ids.subList(0, 11).forEach(tenant::deleteUser);
        JsonPath held = run();
        assertEquals("HELD", held.getString("status"), held.prettify());
        String denyRun = Api.as(token).body(Map.of("entries", List.of("nobody@rules.example")))
                .post(base + "/deny-list").then().statusCode(200).extract().path("run.id");
        succeeded(awaitRun(denyRun));
        JsonPath superseded = runView(held.getString("id"));
        assertEquals("CANCELLED", superseded.getString("status"));
        assertEquals("SUPERSEDED", superseded.getString("errorKind"));
        assertTrue(superseded.getString("error").contains("deny list"), superseded.prettify());

        // Approved while another instance holds the connection, then the credentials change before it is applied.
        JsonPath heldAgain = run();
        assertEquals("HELD", heldAgain.getString("status"), heldAgain.prettify());
        takeLease();
        Api.as(token).post("/api/clients/" + client + "/sync-runs/" + heldAgain.getString("id") + "/approve").then()
                .statusCode(200).body("status", org.hamcrest.Matchers.equalTo("QUEUED"));
        Api.as(token).body(Map.of("m365", credentials())).patch(base).then().statusCode(200);
        runner.execute(UUID.fromString(heldAgain.getString("id")), TEST_OWNER, () -> false);
        releaseLease();
        JsonPath notApplied = runView(heldAgain.getString("id"));
        assertEquals("CANCELLED", notApplied.getString("status"), notApplied.prettify());
        assertEquals("SUPERSEDED", notApplied.getString("errorKind"));
        assertEquals(12, users().values().stream().filter(u -> "M365".equals(u.get("source"))
                && Boolean.TRUE.equals(u.get("active"))).count(), "the out-of-date plan was not applied");
    }

    // ---------------------------------------------------------------- re-created directory users

    @Test
    void aDirectoryUserReCreatedWithTheSameEmailTakesOverTheUserOfTheDeletedAccount() {
        String first = tenant.addUser(GraphUser.member("anna@recreate.example", "Anna", "A"));
        tenant.addUser(GraphUser.member("bert@recreate.example", "Bert", "B"));
        String carl = tenant.addUser(GraphUser.member("carl@recreate.example", "Carl", "C"));
        connect();
        succeeded(run());
        Object anna = user("anna@recreate.example").get("id");
        Object carlUser = user("carl@recreate.example").get("id");

        tenant.deleteUser(first);
        JsonPath deleted = succeeded(run());
        assertEquals("DELTA", deleted.getString("mode"));
        assertFalse(active("anna@recreate.example"));

        // Deleted earlier, re-created now (new object id): an incremental read.
        String second = tenant.addUser(GraphUser.member("anna@recreate.example", "Anna", "Again"));
        JsonPath recreated = succeeded(run());
        assertEquals("DELTA", recreated.getString("mode"));
        assertEquals(0, recreated.getInt("counts.skipped"), recreated.prettify());
        assertEquals(0, recreated.getInt("counts.created"));
        assertEquals(1, recreated.getInt("counts.activated"));
        List<Map<String, Object>> relink = changes(recreated.getString("id"), "RELINK");
        assertEquals(1, relink.size(), relink.toString());
        assertEquals(second, relink.get(0).get("externalId"));
        assertEquals(anna, relink.get(0).get("userId"));
        assertEquals("APPLIED", relink.get(0).get("outcome"));
        assertEquals("re-created in the directory with the same email: the user synced as " + first + " now follows "
                + second, relink.get(0).get("detail"));
        Map<String, Object> taken = user("anna@recreate.example");
        assertEquals(anna, taken.get("id"), "the same user, not a new one");
        assertEquals(second, taken.get("externalId"));
        assertEquals("Again", taken.get("lastName"));
        assertEquals(true, taken.get("active"));
        JsonPath quiet = succeeded(run());
        assertEquals(0, quiet.getInt("counts.skipped"));
        assertEquals(0, quiet.getInt("counts.fetched"));

        // Deleted and re-created between two runs, seen by a full read: taken over without being deactivated.
        tenant.deleteUser(second);
        String third = tenant.addUser(GraphUser.member("anna@recreate.example", "Anna", "Third"));
        // And an email freed by a rename and reused by a new account in the same read.
        tenant.rename(carl, "carl.old@recreate.example");
        String newCarl = tenant.addUser(GraphUser.member("carl@recreate.example", "Carl", "New"));
        tenant.expireDeltaTokens();
        JsonPath full = succeeded(run());
        assertEquals("FULL", full.getString("mode"));
        assertEquals(0, full.getInt("counts.deactivated"), full.prettify());
        assertEquals(0, full.getInt("counts.skipped"), full.prettify());
        assertEquals(1, full.getInt("counts.created"));
        Map<String, Object> again = user("anna@recreate.example");
        assertEquals(anna, again.get("id"));
        assertEquals(third, again.get("externalId"));
        assertEquals(true, again.get("active"));
        assertEquals(carlUser, user("carl.old@recreate.example").get("id"), "the renamed account keeps its user");
        Map<String, Object> created = user("carl@recreate.example");
        assertEquals(newCarl, created.get("externalId"));
        assertEquals(true, created.get("active"));
    }

    // ---------------------------------------------------------------- settings changed during a run

    @Test
    void aPoolChangeDuringARunKeepsItsDeltaPositionFromBeingStored() {
        addMembers("mid", 6);
        tenant.maxPageSize(2);
        connect();
        takeLease();
        String runId = trigger(false);
        boolean[] changed = { false };
        runner.execute(UUID.fromString(runId), TEST_OWNER, () -> {
            if (!changed[0]) {
                changed[0] = true;
                // While the run is reading its first page: the admin switches guests on (a different pool).
                Api.as(token).body(Map.of("pool", Map.of("allUsers", true, "includeGuests", true))).patch(base)
                        .then().statusCode(200);
            }
            return false;
        });
        releaseLease();
        assertTrue(changed[0]);
        JsonPath run = succeeded(runView(runId));
        assertEquals("FULL", run.getString("mode"));
        assertEquals(6, run.getInt("counts.created"));
        Api.as(token).get(base).then().body("incrementalReadsActive", org.hamcrest.Matchers.equalTo(false));
        tenant.addGuest("visitor@partner.example", "Visi", "Tor");
        JsonPath next = succeeded(run());
        assertEquals("FULL", next.getString("mode"), "the next run reads the new pool in full");
        assertEquals(true, active("visitor@partner.example"));
        JsonPath after = succeeded(run());
        assertEquals("DELTA", after.getString("mode"), "a run with unchanged settings stores its position");
    }

    // ---------------------------------------------------------------- retry after failures

    /** Seconds from the run's end to the connection's next due time. */
    private long secondsToNextRun(String runId) {
        return queryLong("SELECT TIMESTAMPDIFF(SECOND, r.finished_at, c.next_due_at) FROM sync_run r"
                + " JOIN directory_connection c ON c.id = r.connection_id WHERE r.id = ?",
                Jdbc.bytes(UUID.fromString(runId)));
    }

    @Test
    void aFailedRunIsRetriedWithADoublingBackoffCappedAtTheInterval() {
        addMembers("retry", 3);
        connect();
        tenant.failAtPage(1, io.usersync.emulator.graph.GraphFault.SERVER_ERROR);
        JsonPath first = run();
        assertEquals("FAILED", first.getString("status"), first.prettify());
        long wait = secondsToNextRun(first.getString("id"));
        assertTrue(wait >= 300 && wait <= 330, "5 minutes (+10 % jitter) after the first failure, not a week: " + wait);
        JsonPath second = run();
        assertEquals("FAILED", second.getString("status"));
        wait = secondsToNextRun(second.getString("id"));
        assertTrue(wait >= 600 && wait <= 660, "10 minutes after the second failure: " + wait);
        Api.as(token).body(Map.of("scheduleMinutes", 15)).patch(base).then().statusCode(200);
        JsonPath third = run();
        assertEquals("FAILED", third.getString("status"));
        wait = secondsToNextRun(third.getString("id"));
        assertTrue(wait >= 900 && wait <= 990, "20 minutes capped at the 15-minute interval: " + wait);

        tenant.clearFaults();
        succeeded(run());
        tenant.failAtPage(1, io.usersync.emulator.graph.GraphFault.SERVER_ERROR);
        tenant.expireDeltaTokens();
        JsonPath afterSuccess = run();
        assertEquals("FAILED", afterSuccess.getString("status"));
        wait = secondsToNextRun(afterSuccess.getString("id"));
        assertTrue(wait >= 300 && wait <= 330, "a success ends the streak: " + wait);
    }

    // ---------------------------------------------------------------- dry runs, limits, administrators

    @Test
    void aDryRunChangesNothingAndReportsThePlan() {
        UUID manual = Api.createUser(client, "kept@dry.example", true);
        tenant.addUser(GraphUser.member("kept@dry.example", "Kept", "K"));
        List<String> ids = addMembers("dry", 11);
        connect();
        JsonPath dry = succeeded(awaitRun(trigger(true)));
        assertEquals(true, dry.getBoolean("dryRun"));
        assertEquals("FULL", dry.getString("mode"));
        assertEquals(11, dry.getInt("counts.created"));
        assertEquals(11, changes(dry.getString("id"), "CREATE").size());
        assertEquals(1, changes(dry.getString("id"), "ADOPT").size());
        assertTrue(changes(dry.getString("id"), null).stream().allMatch(c -> c.get("outcome") == null),
                "nothing was applied");
        assertEquals(0, dry.getInt("progress.appliedChanges"));
        Map<String, Map<String, Object>> users = users();
        assertEquals(2, users.size(), "only the admin and the manual user: " + users.keySet());
        assertEquals("MANUAL", users.get("kept@dry.example").get("source"));
        assertEquals(manual.toString(), users.get("kept@dry.example").get("id"));
        Api.as(token).get(base).then().body("incrementalReadsActive", org.hamcrest.Matchers.equalTo(false))
                .body("lastFullSyncAt", org.hamcrest.Matchers.nullValue());

        JsonPath real = succeeded(run());
        assertEquals("FULL", real.getString("mode"), "the dry run stored no sync position");
        assertEquals(11, real.getInt("counts.created"));
        assertEquals("M365", user("kept@dry.example").get("source"));

        // A dry run reports that a real run would be held, and still changes nothing.
        ids.forEach(tenant::deleteUser);
        JsonPath wouldHold = succeeded(awaitRun(trigger(true)));
        assertEquals(11, wouldHold.getInt("counts.deactivated"));
        assertTrue(wouldHold.getString("heldReason").startsWith("a real run would be held: the run would deactivate"
                + " 11 of 12 active users"), wouldHold.prettify());
        assertEquals(12, users().values().stream().filter(u -> "M365".equals(u.get("source"))
                && Boolean.TRUE.equals(u.get("active"))).count());
        JsonPath held = run();
        assertEquals("HELD", held.getString("status"), "the real run reads the same changes: " + held.prettify());
        assertEquals("DELTA", held.getString("mode"));
    }

    @Test
    void activationsBeyondTheUserLimitAreLeftOutInEmailOrderAndReported() {
        newClient(Map.of("userLimit", 3));
        for (String name : List.of("eve", "bob", "dan", "amy", "cat")) {
            tenant.addUser(GraphUser.member(name + "@limit.example", name, "L"));
        }
        connect();
        JsonPath run = succeeded(run());
        assertEquals(2, run.getInt("counts.created"), "the admin and two synced users fill the limit of 3");
        assertEquals(3, run.getInt("counts.overLimit"));
        List<Map<String, Object>> over = changes(run.getString("id"), "OVER_LIMIT");
        assertEquals(List.of("cat@limit.example", "dan@limit.example", "eve@limit.example"), over.stream()
                .map(c -> (String) c.get("email")).sorted().toList(), "left out: the last emails in alphabetical order");
        over.forEach(c -> assertEquals("the client account's user limit (3) is reached; activations are granted in"
                + " email order", c.get("detail")));
        assertEquals(java.util.Set.of("amy@limit.example", "bob@limit.example"), changes(run.getString("id"),
                "CREATE").stream().map(c -> c.get("email")).collect(java.util.stream.Collectors.toSet()));
        Map<String, Map<String, Object>> users = users();
        assertEquals(3, users.size(), users.keySet().toString());
        assertTrue(users.containsKey("amy@limit.example") && users.containsKey("bob@limit.example"));

        tenant.expireDeltaTokens();
        JsonPath again = succeeded(run());
        assertEquals("FULL", again.getString("mode"));
        assertEquals(0, again.getInt("counts.created"));
        assertEquals(3, again.getInt("counts.overLimit"), "the same users are left out on every run");
        assertEquals(List.of("cat@limit.example", "dan@limit.example", "eve@limit.example"),
                changes(again.getString("id"), "OVER_LIMIT").stream().map(c -> (String) c.get("email")).sorted()
                        .toList());
    }

    @Test
    void theLastActiveAdministratorIsKeptActiveAndTheConflictReported() {
        newClient(Map.of("administrator", Map.of("firstName", "Boss", "lastName", "B", "email",
                "boss@admin.example")));
        String boss = tenant.addUser(GraphUser.member("boss@admin.example", "Boss", "B"));
        tenant.addUser(GraphUser.member("staff@admin.example", "Staff", "S"));
        connect();
        succeeded(run());
        Map<String, Object> adopted = user("boss@admin.example");
        assertEquals("M365", adopted.get("source"));
        assertEquals(true, adopted.get("admin"));

        tenant.disable(boss);
        JsonPath run = succeeded(run());
        assertEquals(1, run.getInt("counts.conflicts"), run.prettify());
        assertEquals(0, run.getInt("counts.deactivated"));
        List<Map<String, Object>> conflicts = changes(run.getString("id"), "CONFLICT");
        assertEquals(1, conflicts.size());
        assertEquals("boss@admin.example", conflicts.get(0).get("email"));
        assertEquals("kept active: the client account's last active administrator", conflicts.get(0).get("detail"));
        Map<String, Object> kept = user("boss@admin.example");
        assertEquals(true, kept.get("active"));
        assertEquals(true, kept.get("admin"));
    }

    @Test
    void aManualDeactivationOfASyncedUserIsRevertedByTheNextFullReadAndTheApiSaysSo() {
        tenant.addUser(GraphUser.member("undo@manual.example", "Un", "Do"));
        connect();
        succeeded(run());
        Object id = user("undo@manual.example").get("id");
        String notice = Api.as(token).post("/api/clients/" + client + "/users/" + id + "/deactivate").then()
                .statusCode(200).body("active", org.hamcrest.Matchers.equalTo(false)).extract().path("notice");
        assertEquals("This user is synced from M365 and is still in the sync pool; the next sync will reactivate"
                + " them unless you add them to the connection's deny list", notice);
        tenant.expireDeltaTokens();
        JsonPath full = succeeded(run());
        assertEquals("FULL", full.getString("mode"));
        assertEquals(1, full.getInt("counts.activated"));
        List<Map<String, Object>> activations = changes(full.getString("id"), "ACTIVATE");
        assertEquals(1, activations.size());
        assertEquals("in the pool", activations.get(0).get("detail"));
        assertEquals("APPLIED", activations.get(0).get("outcome"));
        assertTrue(active("undo@manual.example"));
    }

    // ---------------------------------------------------------------- adoption

    @Test
    void onlyADirectoryUserInThePoolAndNotDeniedAdoptsAManualUser() {
        UUID disabled = Api.createUser(client, "dis@adopt.example", true);
        UUID guest = Api.createUser(client, "guest@partner.example", true);
        UUID denied = Api.createUser(client, "denied@adopt.example", true);
        UUID pooled = Api.createUser(client, "pooled@adopt.example", false);
        tenant.addUser(GraphUser.member("dis@adopt.example", "Dis", "Abled").withAccountEnabled(false));
        tenant.addGuest("guest@partner.example", "Gue", "St");
        tenant.addUser(GraphUser.member("denied@adopt.example", "Den", "Ied"));
        String pooledId = tenant.addUser(GraphUser.member("pooled@adopt.example", "Pool", "Ed"));
        connect();
        Api.as(token).body(Map.of("entries", List.of("denied@adopt.example"))).post(base + "/deny-list").then()
                .statusCode(200);

        JsonPath run = succeeded(run());
        for (String email : List.of("dis@adopt.example", "guest@partner.example", "denied@adopt.example")) {
            Map<String, Object> user = user(email);
            assertEquals("MANUAL", user.get("source"), email + " was adopted by a directory user outside the pool");
            assertEquals(true, user.get("active"), email + " was deactivated by a directory user outside the pool");
            assertTrue(changesFor(run.getString("id"), email).stream().noneMatch(c -> c.get("kind").equals("ADOPT")
                    || c.get("kind").equals("DEACTIVATE")), email + ": " + changesFor(run.getString("id"), email));
        }
        assertEquals(List.of(), changes(run.getString("id"), "ADOPT").stream()
                .filter(c -> !pooledId.equals(c.get("externalId"))).toList());
        List<Map<String, Object>> deniedRows = changes(run.getString("id"), "DENIED");
        assertEquals(1, deniedRows.size(), deniedRows.toString());
        assertEquals("on the deny list; the manual user with this email is left alone",
                deniedRows.get(0).get("detail"));
        assertEquals(0, run.getInt("counts.deactivated"));

        Map<String, Object> adopted = user("pooled@adopt.example");
        assertEquals(pooled.toString(), adopted.get("id"), "the pooled directory user adopts the manual user");
        assertEquals("M365", adopted.get("source"));
        assertEquals(pooledId, adopted.get("externalId"));
        assertEquals(true, adopted.get("active"), "in the pool: active");
        assertEquals(List.of(disabled, guest, denied).size(), users().values().stream()
                .filter(u -> "MANUAL".equals(u.get("source")) && !clientAdmin.toString().equals(u.get("id"))).count());
    }
}
