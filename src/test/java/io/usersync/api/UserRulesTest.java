package io.usersync.api;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.usersync.common.Jdbc;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The rules of the "Users and Billing" page, through the API, including under concurrency. */
@QuarkusTest
class UserRulesTest {

    static final String PROBLEM = "application/problem+json";

    @Inject
    DataSource dataSource;

    static String users(UUID client) {
        return "/api/clients/" + client + "/users";
    }

    static Response post(String path) {
        return Api.as(Tokens.operator()).post(path);
    }

    static Response role(UUID client, UUID user, boolean admin) {
        return Api.as(Tokens.operator()).body(Map.of("admin", admin)).put(users(client) + "/" + user + "/role");
    }

    static UUID createAdmin(UUID client, String email) {
        return UUID.fromString(Api.as(Tokens.operator()).body(Map.of("firstName", "Second", "lastName", "Admin",
                "email", email, "admin", true)).post(users(client)).then().statusCode(201).extract().path("id"));
    }

    @Test
    void theLastActiveAdministratorCannotBeDemotedDeactivatedOrDeleted() {
        UUID msp = Api.createMsp("rules msp");
        UUID[] c = Api.createClient(msp, "rules client", Map.of());
        role(c[0], c[1], false).then().statusCode(409).contentType(PROBLEM)
                .body("code", equalTo("last-administrator")).body("detail", org.hamcrest.Matchers.containsString(
                        "last active administrator"));
        post(users(c[0]) + "/" + c[1] + "/deactivate").then().statusCode(409).contentType(PROBLEM)
                .body("code", equalTo("administrator-must-be-demoted"))
                .body("detail", org.hamcrest.Matchers.containsString("last active administrator"));
        Api.as(Tokens.operator()).delete(users(c[0]) + "/" + c[1]).then().statusCode(409)
                .body("code", equalTo("last-administrator"));
        Api.as(Tokens.operator()).get(users(c[0]) + "/" + c[1]).then().statusCode(200)
                .body("active", equalTo(true)).body("admin", equalTo(true));
    }

    @Test
    void anAdministratorIsDemotedBeforeBeingDeactivated() {
        UUID msp = Api.createMsp("demote msp");
        UUID[] c = Api.createClient(msp, "demote client", Map.of());
        UUID second = createAdmin(c[0], "second@example.com");
        post(users(c[0]) + "/" + second + "/deactivate").then().statusCode(409)
                .body("code", equalTo("administrator-must-be-demoted"));
        role(c[0], second, false).then().statusCode(200).body("admin", equalTo(false));
        post(users(c[0]) + "/" + second + "/deactivate").then().statusCode(200).body("active", equalTo(false));
        role(c[0], second, true).then().statusCode(409).body("code", equalTo("conflict"));
        // deleting an administrator who is not the last one is allowed
        UUID third = createAdmin(c[0], "third@example.com");
        Api.as(Tokens.operator()).delete(users(c[0]) + "/" + third).then().statusCode(204);
    }

    /**
     * Two administrators removing each other at the same moment: exactly one wins, and the client account
     * always keeps one active administrator. Repeated with every pairing of demote and delete.
     */
    @Test
    void concurrentRemovalsOfTheTwoAdministratorsNeverLeaveNone() throws Exception {
        UUID msp = Api.createMsp("race msp");
        String[][] pairs = { { "demote", "demote" }, { "delete", "delete" }, { "demote", "delete" } };
        for (int round = 0; round < 24; round++) {
            UUID[] c = Api.createClient(msp, "race client " + round, Map.of());
            UUID second = createAdmin(c[0], "second" + round + "@example.com");
            String[] pair = pairs[round % pairs.length];
            List<Response> responses = concurrently(List.of(
                    () -> remove(pair[0], c[0], c[1]), () -> remove(pair[1], c[0], second)));
            List<Integer> statuses = responses.stream().map(Response::statusCode).sorted().toList();
            assertEquals(409, statuses.get(1), "round " + round + " " + List.of(pair) + ": " + statuses);
            assertTrue(statuses.get(0) == 200 || statuses.get(0) == 204, "round " + round + ": " + statuses);
            assertEquals(1, activeAdmins(c[0]), "round " + round + " " + List.of(pair));
        }
    }

    private static Response remove(String how, UUID client, UUID user) {
        return how.equals("demote") ? role(client, user, false)
                : Api.as(Tokens.operator()).delete(users(client) + "/" + user);
    }

    @Test
    void theUserLimitHoldsUnderConcurrentCreationsAndActivations() throws Exception {
        UUID msp = Api.createMsp("limit msp");
        UUID[] c = Api.createClient(msp, "limit client", Map.of("userLimit", 5));
        List<Callable<Response>> creations = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String email = "racer" + i + "@example.com";
            creations.add(() -> Api.as(Tokens.operator())
                    .body(Map.of("firstName", "R", "lastName", "Acer", "email", email)).post(users(c[0])));
        }
        List<Response> created = concurrently(creations);
        assertEquals(4, created.stream().filter(r -> r.statusCode() == 201).count());
        for (Response r : created) {
            if (r.statusCode() != 201) {
                assertEquals(409, r.statusCode());
                assertEquals("user-limit-reached", r.jsonPath().getString("code"));
            }
        }
        assertEquals(5, totalActive(c[0]));

        // free two places, then race six inactive users for them
        List<UUID> winners = created.stream().filter(r -> r.statusCode() == 201)
                .map(r -> UUID.fromString(r.jsonPath().getString("id"))).toList();
        post(users(c[0]) + "/" + winners.get(0) + "/deactivate").then().statusCode(200);
        post(users(c[0]) + "/" + winners.get(1) + "/deactivate").then().statusCode(200);
        List<Callable<Response>> activations = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            UUID inactive = Api.createUser(c[0], "idle" + i + "@example.com", false);
            activations.add(() -> post(users(c[0]) + "/" + inactive + "/activate"));
        }
        List<Response> activated = concurrently(activations);
        assertEquals(2, activated.stream().filter(r -> r.statusCode() == 200).count());
        assertEquals(5, totalActive(c[0]));
        Api.as(Tokens.operator()).body(Map.of("firstName", "One", "lastName", "More", "email", "more@example.com"))
                .post(users(c[0])).then().statusCode(409).contentType(PROBLEM)
                .body("code", equalTo("user-limit-reached"))
                .body("detail", org.hamcrest.Matchers.containsString("at most 5 active users"));
        // an inactive user does not need room
        Api.createUser(c[0], "inactive-extra@example.com", false);
    }

    @Test
    void emailsAreUniqueCaseInsensitivelyAndAcrossUnicodeAndPunycodeDomains() {
        UUID msp = Api.createMsp("idn msp");
        UUID client = Api.createClient(msp, "idn client", Map.of())[0];
        UUID other = Api.createClient(msp, "idn other", Map.of())[0];
        UUID anna = Api.createUser(client, "Anna@BÜCHER.de", true);
        for (String same : List.of("anna@xn--bcher-kva.de", "ANNA@bücher.DE", " anna@XN--BCHER-KVA.DE ",
                "anna@bu\u0308cher.de")) {
            Api.as(Tokens.operator()).body(Map.of("firstName", "A", "lastName", "B", "email", same))
                    .post(users(client)).then().statusCode(409).contentType(PROBLEM)
                    .body("code", equalTo("email-taken")).body("errors[0].field", equalTo("email"));
        }
        Api.as(Tokens.operator()).get(users(client) + "/" + anna).then().body("email", equalTo("Anna@BÜCHER.de"));
        // another client account may have the same address
        Api.createUser(other, "anna@xn--bcher-kva.de", true);
        // renaming onto a taken address is refused the same way
        UUID bob = Api.createUser(client, "bob@example.com", true);
        Api.as(Tokens.operator()).body(Map.of("email", "ANNA@xn--bcher-kva.de")).patch(users(client) + "/" + bob)
                .then().statusCode(409).body("code", equalTo("email-taken"));
        // invalid addresses name the field
        for (String invalid : List.of("no-at-sign", "a@b", "a@-bad-.com", "a b@example.com",
                "a@exa_mple.com", "@example.com", "a@.example.com", "a..b@example.com")) {
            Api.as(Tokens.operator()).body(Map.of("firstName", "A", "lastName", "B", "email", invalid))
                    .post(users(client)).then().statusCode(400).body("code", equalTo("invalid-request"))
                    .body("errors[0].field", equalTo("email"));
        }
        // a deleted user's address can be used again
        Api.as(Tokens.operator()).delete(users(client) + "/" + bob).then().statusCode(204);
        Api.createUser(client, "BOB@example.com", true);
    }

    @Test
    void deletingAnActiveUserIsARecordedEventThatStopsBilling() throws Exception {
        UUID msp = Api.createMsp("delete msp");
        UUID client = Api.createClient(msp, "delete client", Map.of())[0];
        UUID user = Api.createUser(client, "leaver@example.com", true);
        assertEquals(2, totalActive(client));
        Api.as(Tokens.mspAdmin(msp)).delete(users(client) + "/" + user).then().statusCode(204);
        Api.as(Tokens.operator()).get(users(client) + "/" + user).then().statusCode(404)
                .body("code", equalTo("not-found"));
        assertEquals(1, totalActive(client));
        JsonPath history = Api.as(Tokens.operator()).get(users(client) + "/" + user + "/history").then()
                .statusCode(200).body("items", hasSize(2)).extract().jsonPath();
        assertEquals("MANUAL", history.getString("items[0].cause"));
        assertEquals("DELETE", history.getString("items[1].cause"));
        assertEquals(true, history.getBoolean("items[1].oldActive"));
        assertEquals(false, history.getBoolean("items[1].newActive"));
        assertEquals("test-msp-admin", history.getString("items[1].actor"));
        UUID deleteEvent = UUID.fromString(history.getString("items[1].id"));
        try (Connection db = dataSource.getConnection(); PreparedStatement s = db.prepareStatement(
                "SELECT kind, user_id, was_active, now_active FROM outbox WHERE event_id = ?")) {
            s.setBytes(1, Jdbc.bytes(deleteEvent));
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "the deletion is in the outbox for billing");
                assertEquals("USER_ACTIVE", rs.getString(1));
                assertEquals(user, Jdbc.uuid(rs.getBytes(2)));
                assertTrue(rs.getBoolean(3));
                assertTrue(!rs.getBoolean(4));
            }
        }
        // deleting an inactive user is recorded too (no billing change, still one outbox row per history row)
        UUID idle = Api.createUser(client, "idle@example.com", false);
        Api.as(Tokens.operator()).delete(users(client) + "/" + idle).then().statusCode(204);
        Api.as(Tokens.operator()).get(users(client) + "/" + idle + "/history").then().statusCode(200)
                .body("items.cause", contains("DELETE")).body("items[0].oldActive", equalTo(false));
        // a deleted user cannot be changed any more
        post(users(client) + "/" + user + "/activate").then().statusCode(404);
    }

    @Test
    void theListReportsTotalActiveUsersAlongsideAFilteredPage() {
        UUID msp = Api.createMsp("total msp");
        UUID client = Api.createClient(msp, "total client", Map.of())[0];
        Api.createUser(client, "one@example.com", true);
        Api.createUser(client, "two@example.com", false);
        Api.as(Tokens.clientAdmin(msp, client)).get(users(client) + "?limit=1").then().statusCode(200)
                .body("items", hasSize(1)).body("totalActive", equalTo(2))
                .body("nextCursor", org.hamcrest.Matchers.notNullValue());
        Api.as(Tokens.clientAdmin(msp, client)).get(users(client) + "?active=false").then().statusCode(200)
                .body("items.email", contains("two@example.com")).body("totalActive", equalTo(2));
    }

    @Test
    void cursorPagesNeitherRepeatNorSkipUsersWhileUsersAreAdded() {
        UUID msp = Api.createMsp("page msp");
        UUID client = Api.createClient(msp, "page client", Map.of())[0];
        List<String> before = new ArrayList<>(Api.as(Tokens.operator()).get(users(client)).then()
                .extract().jsonPath().getList("items.id", String.class));
        for (int i = 0; i < 9; i++) {
            before.add(Api.createUser(client, "p" + i + "@example.com", i % 2 == 0).toString());
        }
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = Api.as(Tokens.operator()).queryParam("limit", 3)
                    .queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor)).get(users(client)).then()
                    .statusCode(200).extract().jsonPath();
            for (String id : page.getList("items.id", String.class)) {
                assertTrue(seen.add(id), "user " + id + " shown twice");
            }
            cursor = page.getString("nextCursor");
            Api.createUser(client, "added" + pages + "@example.com", true);
            pages++;
        } while (cursor != null && pages < 20);
        assertTrue(seen.containsAll(before), "every user present before paging is listed");
        assertEquals(before, List.copyOf(seen).subList(0, before.size()), "in creation (id) order");
        Api.as(Tokens.operator()).get(users(client) + "?cursor=not-a-cursor").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        Api.as(Tokens.operator()).get(users(client) + "?limit=0").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        Api.as(Tokens.operator()).get(users(client) + "?limit=501").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void usersAreFilteredByActiveSourceAndEmailPrefix() {
        UUID msp = Api.createMsp("filter msp");
        UUID client = Api.createClient(msp, "filter client", Map.of())[0];
        Api.createUser(client, "Zoe.Alpha@example.com", true);
        Api.createUser(client, "zoe.beta@example.com", false);
        Api.createUser(client, "zora@Bücher.de", true);
        Api.createUser(client, "max_1@example.com", true);
        Api.createUser(client, "maxa1@example.com", true);
        assertEquals(List.of("Zoe.Alpha@example.com", "zoe.beta@example.com"), emails(client, "email=ZOE."));
        assertEquals(List.of("zoe.beta@example.com"), emails(client, "email=zoe&active=false"));
        assertEquals(List.of("Zoe.Alpha@example.com", "zora@Bücher.de"), emails(client, "email=zo&active=true"));
        assertEquals(List.of("zora@Bücher.de"), emails(client, "email=zora@bü"));
        assertEquals(List.of("zora@Bücher.de"), emails(client, "email=zora@xn--bcher"));
        assertEquals(List.of("max_1@example.com"), emails(client, "email=max_"), "_ is not a wildcard");
        assertEquals(5, emails(client, "source=manual").size());
        assertEquals(List.of(), emails(client, "source=M365"));
        Api.as(Tokens.operator()).get(users(client) + "?source=LDAP").then().statusCode(400)
                .body("errors[0].field", equalTo("source"));
        Api.as(Tokens.operator()).get(users(client) + "?active=yes").then().statusCode(400)
                .body("errors[0].field", equalTo("active"));
    }

    private static List<String> emails(UUID client, String query) {
        List<String> all = Api.as(Tokens.operator()).get(users(client) + "?" + query).then().statusCode(200)
                .extract().jsonPath().getList("items.email", String.class);
        return all.stream().filter(e -> !e.startsWith("admin+")).toList();
    }

    @Test
    void clientStatusAndBillingModelChangesAreRecordedWithTimeAndActor() {
        UUID msp = Api.createMsp("status msp");
        UUID client = Api.createClient(msp, "status client", Map.of("status", "TRIAL"))[0];
        String path = "/api/clients/" + client;
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("status", "ACTIVE")).put(path + "/status").then().statusCode(200)
                .body("status", equalTo("ACTIVE"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("status", "SUSPENDED")).put(path + "/status").then()
                .statusCode(200);
        // ANNUAL needs an annual contract (issue 10): making one in effect switches the model, recorded likewise
        Api.as(Tokens.operator()).body(Map.of("billingModel", "ANNUAL")).put(path + "/billing-model").then()
                .statusCode(409).body("code", equalTo("contract-required"));
        Api.as(Tokens.operator()).body(Map.of("termYears", 1, "blocks", 1)).post(path + "/contracts").then()
                .statusCode(201);
        Api.as(Tokens.operator()).get(path).then().statusCode(200).body("billingModel", equalTo("ANNUAL"));
        // an unchanged status records nothing
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("status", "SUSPENDED")).put(path + "/status").then()
                .statusCode(200);
        JsonPath history = Api.as(Tokens.clientAdmin(msp, client)).get(path + "/status-history").then()
                .statusCode(200).body("items", hasSize(4)).extract().jsonPath();
        assertEquals(List.of("CREATED", "STATUS", "STATUS", "BILLING_MODEL"), history.getList("items.kind"));
        assertEquals(List.of("TRIAL", "ACTIVE", "SUSPENDED", "SUSPENDED"), history.getList("items.newStatus"));
        assertEquals("TRIAL", history.getString("items[1].oldStatus"));
        assertEquals("MONTHLY", history.getString("items[3].oldBillingModel"));
        assertEquals(List.of("test-operator", "test-msp-admin", "test-msp-admin", "test-operator"),
                history.getList("items.actor"));
        List<String> instants = history.getList("items.occurredAt");
        assertEquals(instants.stream().sorted().toList(), instants);
        assertTrue(instants.stream().allMatch(i -> i.endsWith("Z")), "UTC instants: " + instants);
        // a client admin may not change its own account's status
        Api.as(Tokens.clientAdmin(msp, client)).body(Map.of("status", "ACTIVE")).put(path + "/status").then()
                .statusCode(403).contentType(PROBLEM).body("code", equalTo("forbidden"));
    }

    @Test
    void userHistoryIsScopedToTheClientAccountOfThePath() {
        UUID msp = Api.createMsp("history msp");
        UUID one = Api.createClient(msp, "history one", Map.of())[0];
        UUID two = Api.createClient(msp, "history two", Map.of())[0];
        UUID user = Api.createUser(two, "h@example.com", true);
        Api.as(Tokens.operator()).get(users(one) + "/" + user + "/history").then().statusCode(404);
        Api.as(Tokens.clientAdmin(msp, one)).get(users(one) + "/" + user + "/history").then().statusCode(404);
        Api.as(Tokens.clientAdmin(msp, one)).get(users(one) + "/" + user).then().statusCode(404);
        Api.as(Tokens.operator()).get(users(two) + "/" + user + "/history").then().statusCode(200)
                .body("items", hasSize(1));
        Api.as(Tokens.operator()).get(users(one) + "/history").then().statusCode(200)
                .body("items.userId", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(user.toString())));
    }

    @Test
    void requestBodiesAreReadStrictly() {
        UUID msp = Api.createMsp("strict msp");
        UUID client = Api.createClient(msp, "strict client", Map.of())[0];
        Map<String, Object> valid = Map.of("firstName", "A", "lastName", "B", "email", "s@example.com");
        expect400(users(client), with(valid, "nickname", "x"), "nickname", "unknown-field");
        expect400(users(client), with(valid, "active", "true"), "active", "invalid-request");
        expect400(users(client), with(valid, "active", 1), "active", "invalid-request");
        expect400(users(client), with(valid, "firstName", 42), "firstName", "invalid-request");
        expect400(users(client), with(valid, "lastName", List.of("B")), "lastName", "invalid-request");
        expect400("/api/clients/" + client + "/status", Map.of("status", 0), "status", "invalid-request");
        expect400("/api/clients/" + client + "/status", Map.of("status", "PAUSED"), "status", "invalid-request");
        Api.as(Tokens.operator()).body(Map.of("userLimit", 2.5)).patch("/api/clients/" + client).then()
                .statusCode(400).body("errors[0].field", equalTo("userLimit"));
        Api.as(Tokens.operator()).body(Map.of("userLimit", "7")).patch("/api/clients/" + client).then()
                .statusCode(400).body("errors[0].field", equalTo("userLimit"));
        Api.as(Tokens.operator()).body(Map.of("userLimit", 3, "removeUserLimit", true))
                .patch("/api/clients/" + client).then().statusCode(400)
                .body("errors[0].field", equalTo("removeUserLimit"));
        Map<String, Object> administrator = Map.of("firstName", "A", "lastName", "B", "email", "n@example.com",
                "role", "boss");
        Api.as(Tokens.operator()).body(Map.of("name", "x", "administrator", administrator))
                .post("/api/msps/" + msp + "/clients").then().statusCode(400).contentType(PROBLEM)
                .body("code", equalTo("unknown-field")).body("errors[0].field", equalTo("administrator.role"));
        for (String raw : List.of("{\"firstName\":\"A\",\"firstName\":\"B\",\"lastName\":\"C\",\"email\":\"d@e.com\"}",
                "{\"firstName\":\"A\",\"lastName\":\"C\",\"email\":\"d@e.com\"} {}",
                "{\"firstName\":\"A\",\"lastName\":\"C\",\"email\":\"d@e.com\"",
                "[{\"firstName\":\"A\"}]", "\"text\"",
                "{\"firstName\":\"\\ud800\",\"lastName\":\"C\",\"email\":\"d@e.com\"}")) {
            Api.as(Tokens.operator()).body(raw).post(users(client)).then().statusCode(400).contentType(PROBLEM)
                    .body("errors[0].field", org.hamcrest.Matchers.anyOf(equalTo("body"), equalTo("firstName")));
        }
        // a syntax error inside a value names that value; odd keys are shown quoted
        Api.as(Tokens.operator()).body("{\"firstName\":NaN,\"lastName\":\"C\",\"email\":\"d@e.com\"}")
                .post(users(client)).then().statusCode(400).body("code", equalTo("malformed-json"))
                .body("errors[0].field", equalTo("firstName"));
        Api.as(Tokens.operator()).body("{\"name\":\"x\",\"administrator\":{\"email\":01}}")
                .post("/api/msps/" + msp + "/clients").then().statusCode(400)
                .body("errors[0].field", equalTo("administrator.email"));
        Api.as(Tokens.operator()).body("{\" \":1}").patch("/api/clients/" + client).then().statusCode(400)
                .body("code", equalTo("unknown-field")).body("errors[0].field", equalTo("[\" \"]"));
        assertEquals(1, totalActive(client), "nothing was created");
    }

    @Test
    void namesRefuseInvisibleAndUnstorableCharacters() {
        UUID msp = Api.createMsp("names msp");
        UUID client = Api.createClient(msp, "names client", Map.of())[0];
        for (String name : List.of("\u202Eevil", "a\u0000b", "tab\there", "\uDC00", "x\u2066y", "\uFFFF")) {
            expect400(users(client), Map.of("firstName", name, "lastName", "B", "email", "n@example.com"),
                    "firstName", "invalid-request");
            Api.as(Tokens.operator()).body(Map.of("name", name)).patch("/api/clients/" + client).then()
                    .statusCode(400).body("errors[0].field", equalTo("name"));
        }
        expect400(users(client), Map.of("firstName", "A".repeat(101), "lastName", "B", "email", "n@example.com"),
                "firstName", "invalid-request");
        // real names with marks, joiners and astral characters are fine, and stored NFC-normalised
        Api.as(Tokens.operator()).body(Map.of("firstName", "Zoe\u0308",
                "lastName", "\u0915\u094D\u200D\u0937 \uD83D\uDE00", "email", "zoe@example.com"))
                .post(users(client)).then().statusCode(201)
                .body("firstName", equalTo("Zo\u00EB"));
    }

    @Test
    void concurrentPaymentMethodChangesAreAppliedOneAfterTheOther() throws Exception {
        UUID msp = Api.createMsp("payment msp");
        List<Callable<Response>> changes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            boolean onFile = i % 2 == 0;
            changes.add(() -> Api.as(Tokens.mspAdmin(msp)).body(Map.of("paymentMethodOnFile", onFile))
                    .patch("/api/msps/" + msp));
        }
        for (Response r : concurrently(changes)) {
            assertEquals(200, r.statusCode(), r.asString());
        }
        boolean current = Api.as(Tokens.operator()).get("/api/msps/" + msp).then().extract()
                .path("paymentMethodOnFile");
        List<Boolean> events = new ArrayList<>();
        try (Connection db = dataSource.getConnection(); PreparedStatement s = db.prepareStatement(
                "SELECT payment_method FROM outbox WHERE msp_id = ? AND kind = 'MSP_PAYMENT_METHOD' ORDER BY seq")) {
            s.setBytes(1, Jdbc.bytes(msp));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.add(rs.getBoolean(1));
                }
            }
        }
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i % 2 == 0, events.get(i), "each event flips the flag: " + events);
        }
        assertEquals(current, !events.isEmpty() && events.getLast(), "the last event is the current state");
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    private static void expect400(String path, Object body, String field, String code) {
        var request = Api.as(Tokens.operator()).body(body);
        Response response = path.endsWith("/status") ? request.put(path) : request.post(path);
        response.then().statusCode(400).contentType(PROBLEM).body("code", equalTo(code))
                .body("errors[0].field", equalTo(field));
    }

    static long totalActive(UUID client) {
        return Api.as(Tokens.operator()).get(users(client)).then().statusCode(200).extract().jsonPath()
                .getLong("totalActive");
    }

    private long activeAdmins(UUID client) throws Exception {
        try (Connection db = dataSource.getConnection(); PreparedStatement s = db.prepareStatement(
                "SELECT COUNT(*) FROM app_user WHERE client_id = ? AND active AND admin AND deleted_at IS NULL")) {
            s.setBytes(1, Jdbc.bytes(client));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Runs the calls at the same moment (as far as threads allow) and returns their responses in order. */
    static List<Response> concurrently(List<Callable<Response>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> futures = new ArrayList<>();
            for (Callable<Response> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> f : futures) {
                responses.add(f.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }
}
