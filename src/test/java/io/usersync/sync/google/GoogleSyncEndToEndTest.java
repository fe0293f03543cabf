package io.usersync.sync.google;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.usersync.emulator.google.FaultRule;
import io.usersync.emulator.google.GoogleFault;
import io.usersync.emulator.google.GoogleWorkspace;
import io.usersync.emulator.google.ServiceAccount;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Google Workspace end to end: a connection created through the REST API with a runtime-generated service
 * account key, runs triggered through the API, the real Google SDKs reading the emulator over HTTP, and the
 * resulting users, change lists and history checked through the API.
 */
@QuarkusTest
class GoogleSyncEndToEndTest {

    private static final GoogleFixture FIXTURE = new GoogleFixture();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOMAIN = GoogleFixture.DOMAIN;

    @BeforeEach
    void reset() {
        FIXTURE.reset();
    }

    private static GoogleWorkspace workspace() {
        return FIXTURE.workspace();
    }

    private record Tenant(UUID msp, UUID client, String token) {
        String base() {
            return "/api/clients/" + client;
        }
    }

    private static Tenant tenant(String name) {
        UUID msp = Api.createMsp(name + " MSP");
        UUID client = Api.createClient(msp, name, Map.of())[0];
        return new Tenant(msp, client, Tokens.clientAdmin(msp, client));
    }

    private static Map<String, Object> google(String keyJson) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> key = JSON.readValue(keyJson, Map.class);
            return Map.of("serviceAccountKey", key, "adminSubject", GoogleFixture.ADMIN, "domain", DOMAIN);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String connect(Tenant tenant, Map<String, Object> pool) {
        String response = Api.as(tenant.token()).body(Map.of("provider", "GOOGLE", "google",
                google(FIXTURE.serviceAccount().keyJson()), "pool", pool))
                .post(tenant.base() + "/connections").then().statusCode(201).extract().asString();
        assertFalse(response.contains("PRIVATE KEY"), "the key is never returned");
        return JsonPath.from(response).getString("id");
    }

    private static JsonPath run(Tenant tenant, String connection) {
        String id = Api.as(tenant.token()).body(Map.of("dryRun", false))
                .post(tenant.base() + "/connections/" + connection + "/runs").then().statusCode(202)
                .extract().path("id");
        return awaitRun(tenant, id);
    }

    private static JsonPath awaitRun(Tenant tenant, String runId) {
        for (int i = 0; i < 600; i++) {
            JsonPath run = Api.as(tenant.token()).get(tenant.base() + "/sync-runs/" + runId).then().statusCode(200)
                    .extract().jsonPath();
            String status = run.getString("status");
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                return run;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        return fail("run " + runId + " did not finish");
    }

    private static JsonPath succeeded(JsonPath run) {
        assertEquals("SUCCEEDED", run.getString("status"), run.prettify());
        return run;
    }

    /** The client account's Google users by lower-case email. */
    private static Map<String, Map<String, Object>> users(Tenant tenant) {
        List<Map<String, Object>> items = Api.as(tenant.token()).get(tenant.base() + "/users?source=GOOGLE&limit=500")
                .then().statusCode(200).extract().jsonPath().getList("items");
        Map<String, Map<String, Object>> byEmail = new HashMap<>();
        items.forEach(u -> byEmail.put(((String) u.get("email")).toLowerCase(Locale.ROOT), u));
        return byEmail;
    }

    private static boolean active(Map<String, Map<String, Object>> users, String email) {
        Map<String, Object> user = users.get(email);
        assertNotNull(user, email + " is not a user: " + users.keySet());
        return (Boolean) user.get("active");
    }

    private static String add(String local, String unit) {
        return workspace().addUser(local + "@" + DOMAIN, "First" + local, "Last" + local, unit);
    }

    private static List<Map<String, Object>> changes(Tenant tenant, JsonPath run, String kind) {
        return Api.as(tenant.token()).get(tenant.base() + "/sync-runs/" + run.getString("id") + "/changes?kind=" + kind
                + "&limit=500").then().statusCode(200).extract().jsonPath().getList("items");
    }

    @Test
    void anOrgUnitPoolSyncsTheUnitWithItsSubUnitsButNeitherSuspendedNorArchivedUsers() {
        String alice = add("alice", "/Sales");
        String emma = add("emma", "/Sales/EMEA");
        String sam = add("sam", "/Sales");
        String archie = add("archie", "/Sales/EMEA");
        add("eve", "/Engineering");
        workspace().setSuspended(sam, true);
        workspace().setArchived(archie, true);
        Tenant tenant = tenant("Google OU");
        String connection = connect(tenant, Map.of("orgUnits", List.of("/Sales")));

        JsonPath first = succeeded(run(tenant, connection));
        assertEquals(4, first.getInt("counts.fetched"), "the unit and its sub-unit, suspended and archived included");
        assertEquals(2, first.getInt("counts.inPool"));
        assertEquals(2, first.getInt("counts.created"));
        assertEquals("FULL", first.getString("mode"));
        Map<String, Map<String, Object>> users = users(tenant);
        assertEquals(2, users.size(), users.keySet().toString());
        assertTrue(active(users, "alice@contract.example"));
        assertTrue(active(users, "emma@contract.example"));
        Map<String, Object> aliceUser = users.get("alice@contract.example");
        assertEquals(alice, aliceUser.get("externalId"), "matched by Google's immutable id");
        assertEquals("Firstalice", aliceUser.get("firstName"));
        assertEquals("Lastalice", aliceUser.get("lastName"));
        List<Map<String, Object>> history = Api.as(tenant.token())
                .get(tenant.base() + "/users/" + aliceUser.get("id") + "/history").then().statusCode(200)
                .extract().jsonPath().getList("items");
        assertEquals("SYNC", history.get(0).get("cause"));
        assertEquals(first.getString("id"), history.get(0).get("syncRunId"));

        workspace().setSuspended(alice, true);
        workspace().moveToOrgUnit(emma, "/Engineering");
        workspace().setArchived(archie, false);
        JsonPath second = succeeded(run(tenant, connection));
        assertEquals(2, second.getInt("counts.deactivated"));
        assertEquals(1, second.getInt("counts.created"));
        users = users(tenant);
        assertFalse(active(users, "alice@contract.example"));
        assertFalse(active(users, "emma@contract.example"));
        assertTrue(active(users, "archie@contract.example"));
        Map<String, String> reasons = new HashMap<>();
        changes(tenant, second, "DEACTIVATE").forEach(c -> reasons.put((String) c.get("externalId"),
                (String) c.get("detail")));
        assertEquals(Map.of(alice, "disabled, suspended or archived in the directory", emma, "no longer in the pool"),
                reasons);
    }

    @Test
    void aGroupPoolFollowsNestedGroups() {
        String direct = add("direct", "/");
        String nested = add("nested", "/");
        String outsider = add("outsider", "/");
        String outer = workspace().addGroup("outer@" + DOMAIN, "Outer");
        String inner = workspace().addGroup("inner@" + DOMAIN, "Inner");
        workspace().addMember(outer, direct);
        workspace().addMember(outer, inner);
        workspace().addMember(inner, nested);
        Tenant tenant = tenant("Google groups");
        String connection = connect(tenant, Map.of("groups", List.of("outer@" + DOMAIN)));

        succeeded(run(tenant, connection));
        Map<String, Map<String, Object>> users = users(tenant);
        assertEquals(2, users.size(), users.keySet().toString());
        assertTrue(active(users, "direct@contract.example"));
        assertTrue(active(users, "nested@contract.example"));

        workspace().removeMember(inner, nested);
        workspace().addMember(inner, outsider);
        JsonPath second = succeeded(run(tenant, connection));
        assertEquals(1, second.getInt("counts.deactivated"));
        assertEquals(1, second.getInt("counts.created"));
        users = users(tenant);
        assertFalse(active(users, "nested@contract.example"));
        assertTrue(active(users, "outsider@contract.example"));
        assertTrue(active(users, "direct@contract.example"));
    }

    @Test
    void theDenyListMatchesGoogleAliasesAndDomainsAtOnce() {
        String legacy = add("legacy", "/");
        workspace().setAliases(legacy, "legacy.old@legacy.example");
        String contractor = add("contractor", "/");
        workspace().setAliases(contractor, "contractor@contractor.example");
        String derived = add("derived", "/");
        workspace().setNonEditableAliases(derived, "derived@contract.example.test-google-a.com");
        add("plain", "/");
        Tenant tenant = tenant("Google deny");
        String connection = connect(tenant, Map.of("allUsers", true));
        assertEquals(4, succeeded(run(tenant, connection)).getInt("counts.created"));

        String runId = Api.as(tenant.token()).body(Map.of("entries", List.of("Legacy.Old@LEGACY.example",
                "*@contractor.example", "*@contract.example.test-google-a.com")))
                .post(tenant.base() + "/connections/" + connection + "/deny-list").then().statusCode(200)
                .extract().path("run.id");
        JsonPath denyRun = succeeded(awaitRun(tenant, runId));
        assertEquals("DENY_LIST", denyRun.getString("trigger"));
        assertEquals(0, denyRun.getInt("providerRequests"), "the deny list applies without reading Google");
        Map<String, Map<String, Object>> users = users(tenant);
        assertFalse(active(users, "legacy@contract.example"), "denied through its alias");
        assertFalse(active(users, "contractor@contract.example"), "denied through its alias's domain");
        assertFalse(active(users, "derived@contract.example"), "denied through a non-editable alias");
        assertTrue(active(users, "plain@contract.example"));

        JsonPath full = succeeded(run(tenant, connection));
        assertEquals(3, full.getInt("counts.denied"));
        assertEquals(0, full.getInt("counts.deactivated"));
        assertEquals(0, full.getInt("counts.activated"));
        assertTrue(active(users(tenant), "plain@contract.example"));
        assertFalse(active(users(tenant), "legacy@contract.example"));
    }

    @Test
    void aRenameUpdatesTheSameUserAndAManualDeactivationIsReverted() {
        String id = add("rita", "/");
        Tenant tenant = tenant("Google rename");
        String connection = connect(tenant, Map.of("allUsers", true));
        succeeded(run(tenant, connection));
        String userId = (String) users(tenant).get("rita@contract.example").get("id");

        workspace().rename(id, "rita.renamed@contract.example");
        JsonPath renamed = succeeded(run(tenant, connection));
        assertEquals(1, renamed.getInt("counts.updated"));
        assertEquals(0, renamed.getInt("counts.created"));
        Map<String, Map<String, Object>> users = users(tenant);
        assertEquals(1, users.size(), users.keySet().toString());
        assertEquals(userId, users.get("rita.renamed@contract.example").get("id"), "the same user, not a new one");

        String notice = Api.as(tenant.token()).post(tenant.base() + "/users/" + userId + "/deactivate").then()
                .statusCode(200).extract().path("notice");
        assertNotNull(notice, "the API warns that the next sync reactivates a synced user");
        JsonPath reverted = succeeded(run(tenant, connection));
        assertEquals(1, reverted.getInt("counts.activated"));
        assertTrue(active(users(tenant), "rita.renamed@contract.example"));
    }

    @Test
    void theTestEndpointChecksTheKeyAndDelegationWithoutShowingSecrets() {
        add("probe", "/");
        Tenant tenant = tenant("Google test");
        String connection = connect(tenant, Map.of("allUsers", true));
        String test = tenant.base() + "/connections/" + connection + "/test";
        JsonPath ok = Api.as(tenant.token()).post(test).then().statusCode(200).extract().jsonPath();
        assertTrue(ok.getBoolean("ok"), ok.prettify());
        assertTrue(ok.getString("message").contains("read user probe@contract.example"), ok.prettify());

        ServiceAccount wrong = FIXTURE.serviceAccount().withUnregisteredKey();
        Api.as(tenant.token()).body(Map.of("google", google(wrong.keyJson()))).patch(tenant.base() + "/connections/"
                + connection).then().statusCode(200);
        String refused = Api.as(tenant.token()).post(test).then().statusCode(200).extract().asString();
        JsonPath refusedJson = JsonPath.from(refused);
        assertFalse(refusedJson.getBoolean("ok"));
        assertTrue(refusedJson.getString("message").startsWith("AUTHENTICATION: "), refused);
        assertTrue(refusedJson.getString("message").contains("Invalid JWT Signature"), refused);
        assertNoKeyMaterial(refused, wrong);

        Api.as(tenant.token()).body(Map.of("google", google(FIXTURE.serviceAccount().keyJson())))
                .patch(tenant.base() + "/connections/" + connection).then().statusCode(200);
        workspace().revokeDelegation(FIXTURE.serviceAccount().clientId());
        String denied = Api.as(tenant.token()).post(test).then().statusCode(200).extract().asString();
        JsonPath deniedJson = JsonPath.from(denied);
        assertFalse(deniedJson.getBoolean("ok"));
        assertTrue(deniedJson.getString("message").startsWith("PERMISSION: "), denied);
        assertTrue(deniedJson.getString("message").contains(FIXTURE.serviceAccount().clientId()), denied);
        assertNoKeyMaterial(denied, FIXTURE.serviceAccount());

        // The connection was due at creation, so the schedule may already have synced "probe" with the good key:
        // what matters is that the refused run changes nothing.
        Map<String, Map<String, Object>> before = users(tenant);
        JsonPath failed = run(tenant, connection);
        assertEquals("FAILED", failed.getString("status"));
        assertEquals("PERMISSION", failed.getString("errorKind"));
        assertTrue(failed.getString("error").contains("Domain-wide delegation"), failed.prettify());
        assertNoKeyMaterial(failed.prettify(), FIXTURE.serviceAccount());
        assertEquals(before, users(tenant));
    }

    private static void assertNoKeyMaterial(String body, ServiceAccount account) {
        String key = account.keyJson();
        int start = key.indexOf("MII");
        assertFalse(body.contains("PRIVATE KEY"), body);
        assertFalse(body.contains(key.substring(start, start + 40)), body);
        assertFalse(body.contains("ya29."), body);
    }

    @Test
    void aFailedReadAppliesNothingAndAThrottledOneCompletes() {
        for (int i = 0; i < 12; i++) {
            add("user" + i, "/");
        }
        Tenant tenant = tenant("Google faults");
        String connection = connect(tenant, Map.of("allUsers", true));
        assertEquals(12, succeeded(run(tenant, connection)).getInt("counts.created"));
        FIXTURE.emulator().maxPageSize(5);
        for (int i = 0; i < 3; i++) {
            workspace().setSuspended("user" + i + "@" + DOMAIN, true);
        }

        FIXTURE.emulator().inject(FaultRule.forever(FaultRule.Target.USERS, 2, GoogleFault.SERVER_ERROR));
        JsonPath failed = run(tenant, connection);
        assertEquals("FAILED", failed.getString("status"));
        assertEquals("PROVIDER_ERROR", failed.getString("errorKind"));
        assertTrue(failed.getString("error").contains("500 backendError"), failed.prettify());
        assertTrue(users(tenant).values().stream().allMatch(u -> (Boolean) u.get("active")), "nothing was applied");

        FIXTURE.emulator().clearFaults();
        FIXTURE.emulator().inject(FaultRule.once(FaultRule.Target.USERS, 2, GoogleFault.QUOTA_EXCEEDED));
        JsonPath throttled = succeeded(run(tenant, connection));
        assertEquals(1, throttled.getInt("throttledResponses"));
        assertEquals(4, throttled.getInt("providerRequests"), "three pages and the retried one");
        assertEquals(3, throttled.getInt("counts.deactivated"));
        Map<String, Map<String, Object>> users = users(tenant);
        assertFalse(active(users, "user0@contract.example"));
        assertTrue(active(users, "user11@contract.example"));
    }
}
