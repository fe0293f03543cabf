package io.usersync.sync.m365;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.usersync.emulator.graph.GraphFault;
import io.usersync.emulator.graph.GraphTenant;
import io.usersync.emulator.graph.GraphUser;
import io.usersync.emulator.graph.SelfSignedCertificate;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole syncs from the Graph emulator through the REST API, the background worker, the engine and the M365
 * connector (real Graph SDK, real azure-identity) into the database.
 */
@QuarkusTest
class M365SyncEndToEndTest {

    private GraphFixture fixture;
    private GraphTenant tenant;
    private UUID client;
    private String base;
    private String token;

    @BeforeEach
    void setUp() {
        fixture = new GraphFixture();
        tenant = fixture.tenant();
        UUID msp = Api.createMsp("m365 e2e " + UUID.randomUUID());
        client = Api.createClient(msp, "m365 e2e client", Map.of())[0];
        token = Tokens.mspAdmin(msp);
    }

    /** Creates the connection without letting the scheduler run it, so each run here is one the test triggered. */
    private String connect(Map<String, Object> pool, Map<String, Object> m365) {
        Map<String, Object> body = new HashMap<>(Map.of("provider", "M365", "m365", m365, "enabled", false));
        if (pool != null) {
            body.put("pool", pool);
        }
        String id = Api.as(token).body(body).post("/api/clients/" + client + "/connections").then().statusCode(201)
                .extract().path("id");
        base = "/api/clients/" + client + "/connections/" + id;
        Api.as(token).body(Map.of("scheduleMinutes", 10080)).patch(base).then().statusCode(200);
        Api.as(token).body(Map.of("enabled", true)).patch(base).then().statusCode(200);
        return id;
    }

    private String connect() {
        return connect(null, secretCredentials());
    }

    private Map<String, Object> secretCredentials() {
        return Map.of("tenantId", tenant.tenantId(), "clientId", fixture.clientId(), "clientSecret",
                GraphFixture.SECRET);
    }

    /** Triggers a run and waits until the worker has finished it. */
    private JsonPath run() {
        String runId = Api.as(token).body(Map.of()).post(base + "/runs").then().statusCode(202).extract().path("id");
        return awaitRun(runId);
    }

    private JsonPath awaitRun(String runId) {
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(2));
        while (true) {
            JsonPath run = Api.as(token).get("/api/clients/" + client + "/sync-runs/" + runId).then().statusCode(200)
                    .extract().jsonPath();
            String status = run.getString("status");
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                return run;
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError("run " + runId + " did not finish: " + run.prettify());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** The client account's M365 users by email. */
    private Map<String, Map<String, Object>> users() {
        List<Map<String, Object>> items = Api.as(token).get("/api/clients/" + client + "/users?source=M365&limit=200")
                .then().statusCode(200).extract().jsonPath().getList("items");
        Map<String, Map<String, Object>> byEmail = new HashMap<>();
        items.forEach(u -> byEmail.put((String) u.get("email"), u));
        return byEmail;
    }

    private static void assertSucceeded(JsonPath run) {
        assertEquals("SUCCEEDED", run.getString("status"), run.prettify());
    }

    @Test
    void aFullRunStoresTheDeltaLinkAndTheNextRunReadsOnlyChanges() {
        String a = tenant.addUser(GraphUser.member("anna@e2e.example", "Anna", "A"));
        String b = tenant.addUser(GraphUser.member("bert@e2e.example", "Bert", "B"));
        tenant.addUser(GraphUser.member("cleo@e2e.example", "Cleo", "C"));
        tenant.maxPageSize(2);
        connect();
        JsonPath first = run();
        assertSucceeded(first);
        assertEquals("FULL", first.getString("mode"));
        assertEquals(3, first.getInt("counts.created"));
        assertEquals(2, first.getInt("progress.pages"));
        Api.as(token).get(base).then().body("incrementalReadsActive", equalTo(true));
        Object annaId = users().get("anna@e2e.example").get("id");

        tenant.rename(a, "anna.new@e2e.example");
        tenant.deleteUser(b);
        tenant.addUser(GraphUser.member("dora@e2e.example", "Dora", "D"));
        int before = tenant.requests().size();
        JsonPath second = run();
        assertSucceeded(second);
        assertEquals("DELTA", second.getString("mode"));
        assertEquals(3, second.getInt("counts.fetched"), "only the changes are read");
        assertEquals(1, second.getInt("counts.created"));
        assertEquals(1, second.getInt("counts.updated"));
        assertEquals(1, second.getInt("counts.deactivated"));
        assertTrue(tenant.requests().subList(before, tenant.requests().size()).stream()
                .anyMatch(r -> r.query().containsKey("$deltatoken")), "the stored deltaLink was followed");
        Map<String, Map<String, Object>> users = users();
        assertEquals(annaId, users.get("anna.new@e2e.example").get("id"), "a rename updates the same user");
        assertFalse(users.containsKey("anna@e2e.example"));
        assertEquals(false, users.get("bert@e2e.example").get("active"), "removed from the directory: inactive");
        assertEquals(true, users.get("dora@e2e.example").get("active"));
        assertEquals(true, users.get("cleo@e2e.example").get("active"));

        JsonPath third = run();
        assertSucceeded(third);
        assertEquals("DELTA", third.getString("mode"));
        assertEquals(0, third.getInt("counts.fetched"));
        assertEquals(0, third.getInt("counts.activated"), "a user removed from the directory stays inactive");
        assertEquals(false, users().get("bert@e2e.example").get("active"));
    }

    @Test
    void anExpiredDeltaTokenFallsBackToAFullRunInTheSameRun() {
        tenant.addUser(GraphUser.member("erik@e2e.example", "Erik", "E"));
        String gone = tenant.addUser(GraphUser.member("finn@e2e.example", "Finn", "F"));
        connect();
        assertSucceeded(run());
        tenant.expireDeltaTokens();
        tenant.deleteUser(gone);
        tenant.addUser(GraphUser.member("gina@e2e.example", "Gina", "G"));
        int before = tenant.requests().size();
        JsonPath fallback = run();
        assertSucceeded(fallback);
        assertEquals("FULL", fallback.getString("mode"), "410 Gone turned the run into a full read");
        assertEquals(2, fallback.getInt("counts.fetched"));
        assertEquals(1, fallback.getInt("counts.created"));
        assertEquals(1, fallback.getInt("counts.deactivated"), "a full read deactivates who was not seen");
        List<GraphTenant.RecordedRequest> requests = tenant.requests().subList(before, tenant.requests().size());
        assertTrue(requests.get(0).query().containsKey("$deltatoken"));
        assertTrue(requests.stream().anyMatch(r -> r.path().contains("/users/delta")
                && r.query().keySet().equals(java.util.Set.of("$select"))), "then an initial delta round");
        assertEquals(false, users().get("finn@e2e.example").get("active"));
        assertEquals(true, users().get("gina@e2e.example").get("active"));
        JsonPath next = run();
        assertSucceeded(next);
        assertEquals("DELTA", next.getString("mode"), "the full read stored a fresh deltaLink");
    }

    @Test
    void guestsAreExcludedByDefaultAndIncludedWhenSwitchedOn() {
        tenant.addUser(GraphUser.member("member@e2e.example", "Mem", "Ber"));
        tenant.addGuest("invited@partner.example", "In", "Vited");
        tenant.addUser(new GraphUser("ext_other.example#EXT#@" + tenant.domain(), "ext@other.example", "Ex", "T",
                true, "Member", List.of(), List.of()));
        connect();
        JsonPath excluded = run();
        assertSucceeded(excluded);
        assertEquals(3, excluded.getInt("counts.fetched"));
        assertEquals(1, excluded.getInt("counts.inPool"));
        assertEquals(List.of("member@e2e.example"), List.copyOf(users().keySet()));

        Api.as(token).body(Map.of("pool", Map.of("allUsers", true, "includeGuests", true))).patch(base).then()
                .statusCode(200).body("pool.includeGuests", equalTo(true));
        JsonPath included = run();
        assertSucceeded(included);
        assertEquals(3, included.getInt("counts.inPool"));
        assertEquals(2, included.getInt("counts.created"));
        assertEquals(true, users().get("invited@partner.example").get("active"));
        assertEquals(true, users().get("ext@other.example").get("active"));
    }

    @Test
    void theUpnStandsInForAMissingMailAndUsersWithoutAUsableEmailAreSkipped() {
        tenant.addUser(new GraphUser("upn.only@e2e.example", null, "Upn", "Only", true, "Member", List.of(),
                List.of()));
        String nothing = tenant.addUser(new GraphUser(null, null, "No", "Email", true, "Member", List.of(),
                List.of()));
        String garbage = tenant.addUser(new GraphUser(null, "not an address", "Bad", "Email", true, "Member",
                List.of(), List.of()));
        connect();
        JsonPath run = run();
        assertSucceeded(run);
        assertEquals(1, run.getInt("counts.created"));
        assertEquals(2, run.getInt("counts.skipped"));
        assertEquals(true, users().get("upn.only@e2e.example").get("active"));
        List<Map<String, Object>> skipped = Api.as(token).get("/api/clients/" + client + "/sync-runs/"
                + run.getString("id") + "/changes?kind=SKIPPED").then().statusCode(200).extract().jsonPath()
                .getList("items");
        assertEquals(java.util.Set.of(nothing, garbage), java.util.Set.copyOf(skipped.stream()
                .map(c -> (String) c.get("externalId")).toList()));
        skipped.forEach(c -> assertEquals("no usable email address", c.get("detail")));
    }

    @Test
    void theDenyListMatchesProxyAddressesOtherMailsAndDomainsAtOnce() {
        String alice = tenant.addUser(GraphUser.member("alice@corp.example", "Alice", "A")
                .withProxyAddresses("SMTP:alice@corp.example", "smtp:ally@corp.example"));
        tenant.addUser(GraphUser.member("bob@corp.example", "Bob", "B").withOtherMails("bob@contractor.example"));
        tenant.addUser(GraphUser.member("carol@corp.example", "Carol", "C"));
        connect();
        assertSucceeded(run());
        assertEquals(3, users().values().stream().filter(u -> Boolean.TRUE.equals(u.get("active"))).count());

        String denyRun = Api.as(token).body(Map.of("entries", List.of("Ally@Corp.example", "*@contractor.example")))
                .post(base + "/deny-list").then().statusCode(200).extract().path("run.id");
        JsonPath applied = awaitRun(denyRun);
        assertSucceeded(applied);
        assertEquals("DENY_LIST", applied.getString("trigger"));
        Map<String, Map<String, Object>> users = users();
        assertEquals(false, users.get("alice@corp.example").get("active"), "denied by a proxy address");
        assertEquals(false, users.get("bob@corp.example").get("active"), "denied by the domain of otherMails");
        assertEquals(true, users.get("carol@corp.example").get("active"));

        tenant.updateUser(alice, u -> u.withNames("Alicia", "A"));
        JsonPath resync = run();
        assertSucceeded(resync);
        assertEquals("DELTA", resync.getString("mode"));
        assertEquals(1, resync.getInt("counts.denied"), "the changed user read from Graph is still denied");
        assertEquals(false, users().get("alice@corp.example").get("active"));
        assertEquals("Alicia", users().get("alice@corp.example").get("firstName"));
    }

    @Test
    void testConnectionReportsTheUserReadOrTheRefusalWithoutTheSecret() {
        tenant.addUser(GraphUser.member("probe@e2e.example", "Pro", "Be"));
        connect();
        Api.as(token).post(base + "/test").then().statusCode(200).body("ok", equalTo(true))
                .body("message", org.hamcrest.Matchers.containsString("probe@e2e.example"));
        String wrongSecret = "wrong-secret-" + UUID.randomUUID();
        Api.as(token).body(Map.of("m365", Map.of("tenantId", tenant.tenantId(), "clientId", fixture.clientId(),
                "clientSecret", wrongSecret))).patch(base).then().statusCode(200);
        String refused = Api.as(token).post(base + "/test").then().statusCode(200).body("ok", equalTo(false))
                .extract().asString();
        assertTrue(refused.contains("AUTHENTICATION") && refused.contains("AADSTS7000215"), refused);
        assertFalse(refused.contains(wrongSecret));

        SelfSignedCertificate certificate = SelfSignedCertificate.generate("e2e app", Duration.ofDays(1));
        String certificateApp = UUID.randomUUID().toString();
        tenant.registerCertificateApp(certificateApp, certificate.certificate());
        Api.as(token).body(Map.of("m365", Map.of("tenantId", tenant.tenantId(), "clientId", certificateApp,
                "certificatePem", certificate.certificatePem(), "privateKeyPem", certificate.privateKeyPem())))
                .patch(base).then().statusCode(200);
        String ok = Api.as(token).post(base + "/test").then().statusCode(200).body("ok", equalTo(true)).extract()
                .asString();
        assertFalse(ok.contains("PRIVATE KEY"));
    }

    @Test
    void throttlingIsWaitedOutAndAFailedPageAppliesNothing() {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(tenant.addUser(GraphUser.member("t" + i + "@e2e.example", "T", "U" + i)));
        }
        tenant.maxPageSize(10);
        tenant.throttleOnceAtPage(2, 1);
        connect();
        JsonPath throttled = run();
        assertSucceeded(throttled);
        assertEquals(30, throttled.getInt("counts.created"));
        assertEquals(1, throttled.getInt("throttledResponses"));

        for (String id : ids.subList(0, 5)) {
            tenant.deleteUser(id);
        }
        tenant.maxPageSize(2);
        tenant.failAtPage(2, GraphFault.SERVER_ERROR);
        JsonPath failed = run();
        assertEquals("FAILED", failed.getString("status"));
        assertEquals("PROVIDER_ERROR", failed.getString("errorKind"));
        assertTrue(failed.getString("error").contains("HTTP 500"), failed.getString("error"));
        assertEquals(30, users().values().stream().filter(u -> Boolean.TRUE.equals(u.get("active"))).count(),
                "nothing applied");

        tenant.clearFaults();
        JsonPath recovered = run();
        assertSucceeded(recovered);
        assertEquals(5, recovered.getInt("counts.deactivated"));
        assertEquals(25, users().values().stream().filter(u -> Boolean.TRUE.equals(u.get("active"))).count());
    }

    @Test
    void aManualDeactivationIsRevertedByTheNextIncrementalRun() {
        tenant.addUser(GraphUser.member("hana@e2e.example", "Hana", "H"));
        tenant.addUser(GraphUser.member("ivan@e2e.example", "Ivan", "I"));
        connect();
        assertSucceeded(run());
        Object hana = users().get("hana@e2e.example").get("id");
        String notice = Api.as(token).post("/api/clients/" + client + "/users/" + hana + "/deactivate").then()
                .statusCode(200).body("active", equalTo(false)).extract().path("notice");
        assertTrue(notice.contains("the next sync will reactivate"), notice);
        tenant.addUser(GraphUser.member("jana@e2e.example", "Jana", "J"));
        JsonPath next = run();
        assertSucceeded(next);
        assertEquals("DELTA", next.getString("mode"));
        assertEquals(1, next.getInt("counts.created"));
        assertEquals(1, next.getInt("counts.activated"), "the unchanged, still-pooled user is reactivated");
        assertEquals(true, users().get("hana@e2e.example").get("active"), "sync overrides the manual deactivation");
        assertEquals(true, users().get("ivan@e2e.example").get("active"));
    }

    @Test
    void aMassRemovalInADeltaIsHeldAndTheApprovedPlanAdvancesTheDeltaLink() {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(tenant.addUser(GraphUser.member("m" + i + "@e2e.example", "M", "" + i)));
        }
        connect();
        assertSucceeded(run());
        ids.subList(0, 11).forEach(tenant::deleteUser);
        JsonPath held = run();
        assertEquals("HELD", held.getString("status"), held.prettify());
        assertEquals("DELTA", held.getString("mode"));
        assertEquals(12, users().values().stream().filter(u -> Boolean.TRUE.equals(u.get("active"))).count(),
                "nothing applied while held");
        Api.as(token).post("/api/clients/" + client + "/sync-runs/" + held.getString("id") + "/approve").then()
                .statusCode(200);
        JsonPath approved = awaitRun(held.getString("id"));
        assertSucceeded(approved);
        assertEquals(11, approved.getInt("counts.deactivated"));
        assertEquals(1, users().values().stream().filter(u -> Boolean.TRUE.equals(u.get("active"))).count());
        JsonPath after = run();
        assertSucceeded(after);
        assertEquals("DELTA", after.getString("mode"));
        assertEquals(0, after.getInt("counts.fetched"), "the approved run stored the delta link it had read");
    }
}
