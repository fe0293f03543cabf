package io.usersync.billing.licensing;

import static io.usersync.billing.BillingFixtures.at;
import static io.usersync.billing.BillingFixtures.login;
import static io.usersync.billing.BillingFixtures.logins;
import static io.usersync.billing.BillingFixtures.plan;
import static io.usersync.billing.BillingFixtures.user;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.usersync.billing.BillingFixtures;
import io.usersync.common.time.AppClock;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LoginIngestApiTest {

    @Inject
    AppClock clock;

    @AfterEach
    void restoreClock() {
        BillingFixtures.restore(clock);
    }

    static int januaryActiveUsers(UUID msp, UUID client) {
        return Api.as(Tokens.mspAdmin(msp)).get("/api/clients/" + client + "/licence-usage").then().statusCode(200)
                .extract().path("months[0].activeUsers");
    }

    @Test
    void replayedEventsCountOnce() {
        at(clock, "2024-12-01T00:00:00Z");
        UUID msp = Api.createMsp("replay msp");
        UUID client = Api.createClient(msp, "replay client", Map.of())[0];
        UUID ann = user(client, "Ann", "Able", "ann@replay.example");
        UUID bob = user(client, "Bob", "Baker", "bob@replay.example");
        plan(msp, client, "MAU", 10, "2025-01-01T00:00:00Z");
        at(clock, "2025-01-20T00:00:00Z");
        List<Map<String, Object>> batch = List.of(login("e-1", ann, "2025-01-02T08:00:00Z"),
                login("e-2", bob, "2025-01-03T08:00:00Z"), login("e-3", ann, "2025-01-04T08:00:00Z"));

        logins(msp, client, batch).statusCode(200).body("accepted", equalTo(3)).body("duplicate", equalTo(0))
                .body("rejected", equalTo(0)).body("lines", hasSize(0));
        logins(msp, client, batch).statusCode(200).body("accepted", equalTo(0)).body("duplicate", equalTo(3))
                .body("rejected", equalTo(0))
                .body("lines.outcome", equalTo(List.of("DUPLICATE", "DUPLICATE", "DUPLICATE")))
                .body("lines.reason", equalTo(List.of("duplicate", "duplicate", "duplicate")))
                .body("lines.eventId", equalTo(List.of("e-1", "e-2", "e-3")));
        // a replay inside one batch, and an event id reused for another fact
        logins(msp, client, List.of(login("e-4", bob, "2025-01-05T08:00:00Z"), login("e-4", bob, "2025-01-05T08:00:00Z"),
                login("e-1", bob, "2025-01-02T08:00:00Z"))).statusCode(200)
                .body("accepted", equalTo(1)).body("duplicate", equalTo(1)).body("rejected", equalTo(1))
                .body("lines.index", equalTo(List.of(1, 2)))
                .body("lines.reason", equalTo(List.of("duplicate", "event-id-conflict")));
        // still two users, and the conflicting line did not move e-1 to Bob
        org.junit.jupiter.api.Assertions.assertEquals(2, januaryActiveUsers(msp, client));
        RestAssured.given().auth().oauth2(Tokens.mspAdmin(msp)).accept("text/csv")
                .get("/api/clients/" + client + "/licence-usage/users.csv").then().statusCode(200).body(org.hamcrest.Matchers.containsString(
                        "ann@replay.example,Ann Able,ACTIVE,2025-01-02T08:00:00Z,1,,\r\n"));
    }

    @Test
    void concurrentReplaysOfOneBatchStoreEveryEventOnce() throws Exception {
        at(clock, "2024-12-01T00:00:00Z");
        UUID msp = Api.createMsp("concurrent msp");
        UUID client = Api.createClient(msp, "concurrent client", Map.of())[0];
        List<UUID> users = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            users.add(user(client, "User", "No" + i, "u" + i + "@concurrent.example"));
        }
        plan(msp, client, "MAU", 10, "2025-01-01T00:00:00Z");
        at(clock, "2025-01-20T00:00:00Z");
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            batch.add(login("c-" + i, users.get(i % 20), "2025-01-" + String.format("%02d", 1 + i % 19)
                    + "T08:00:00Z"));
        }
        int senders = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(senders);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<int[]>> results = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            results.add(pool.submit(() -> {
                start.await();
                io.restassured.response.Response response = Api.as(Tokens.mspAdmin(msp))
                        .body(Map.of("events", batch)).post("/api/clients/" + client + "/licence-logins");
                org.junit.jupiter.api.Assertions.assertEquals(200, response.statusCode(), response.asString());
                return new int[] { response.path("accepted"), response.path("duplicate"), response.path("rejected") };
            }));
        }
        start.countDown();
        int accepted = 0;
        int duplicate = 0;
        for (java.util.concurrent.Future<int[]> result : results) {
            int[] counts = result.get();
            accepted += counts[0];
            duplicate += counts[1];
            org.junit.jupiter.api.Assertions.assertEquals(0, counts[2]);
        }
        pool.shutdown();
        org.junit.jupiter.api.Assertions.assertEquals(300, accepted, "every event stored exactly once");
        org.junit.jupiter.api.Assertions.assertEquals(300 * (senders - 1), duplicate);
        org.junit.jupiter.api.Assertions.assertEquals(20, januaryActiveUsers(msp, client));
    }

    @Test
    void badLinesAreRejectedWithAReasonAndTheRestAccepted() {
        at(clock, "2024-12-01T00:00:00Z");
        UUID msp = Api.createMsp("reject msp");
        UUID client = Api.createClient(msp, "reject client", Map.of())[0];
        UUID sibling = Api.createClient(msp, "sibling of reject client", Map.of())[0];
        UUID otherMsp = Api.createMsp("reject other msp");
        UUID foreignClient = Api.createClient(otherMsp, "foreign client", Map.of())[0];
        UUID ann = user(client, "Ann", "Able", "ann@reject.example");
        UUID gone = user(client, "Gus", "Gone", "gus@reject.example");
        UUID siblingUser = user(sibling, "Sid", "Sibling", "sid@reject.example");
        UUID foreignUser = user(foreignClient, "Fay", "Foreign", "fay@reject.example");
        at(clock, "2025-01-10T00:00:00Z");
        Api.as(Tokens.operator()).delete("/api/clients/" + client + "/users/" + gone).then().statusCode(204);
        at(clock, "2025-01-20T00:00:00Z");

        List<Map<String, Object>> batch = List.of(
                login("ok-1", ann, "2025-01-02T08:00:00Z"),
                login("unknown", UUID.randomUUID(), "2025-01-02T08:00:00Z"),
                login("sibling", siblingUser, "2025-01-02T08:00:00Z"),
                login("foreign", foreignUser, "2025-01-02T08:00:00Z"),
                login("bad-id", "not-a-uuid", "2025-01-02T08:00:00Z"),
                login("bad-time", ann, "02/01/2025 08:00"),
                login("no-offset", ann, "2025-01-02T08:00:00"),
                login("future", ann, "2025-01-20T00:00:01Z"),
                login(null, ann, "2025-01-02T08:00:00Z"),
                login(" ", ann, "2025-01-02T08:00:00Z"),
                login("x".repeat(129), ann, "2025-01-02T08:00:00Z"),
                login("before-deletion", gone, "2025-01-09T23:59:59Z"),
                login("after-deletion", gone, "2025-01-10T00:00:00Z"),
                login("ok-2", ann, "2025-01-19T15:59:59-08:00"),
                login("ancient", ann, "0999-12-31T23:59:59Z"));
        logins(msp, client, batch).statusCode(200)
                .body("accepted", equalTo(3)).body("duplicate", equalTo(0)).body("rejected", equalTo(12))
                .body("lines.index", equalTo(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14)))
                .body("lines.reason", equalTo(List.of("unknown-user", "unknown-user", "unknown-user",
                        "invalid-user-id", "invalid-occurred-at", "invalid-occurred-at", "occurred-in-future",
                        "invalid-event-id", "invalid-event-id", "invalid-event-id", "user-deleted",
                        "invalid-occurred-at")))
                .body("lines.outcome.unique()", equalTo(List.of("REJECTED")));
    }

    @Test
    void eventIdsThatCannotBeStoredAreRejectedAsLinesNotWithAnError() {
        at(clock, "2025-01-20T00:00:00Z");
        UUID msp = Api.createMsp("surrogate msp");
        UUID client = Api.createClient(msp, "surrogate client", Map.of())[0];
        UUID ann = user(client, "Ann", "Able", "ann@surrogate.example");
        // JSON escapes: a lone high surrogate, a lone low surrogate, a NUL, then a valid astral character
        String body = "{\"events\":["
                + "{\"eventId\":\"a\\ud800\",\"userId\":\"" + ann + "\",\"occurredAt\":\"2025-01-02T08:00:00Z\"},"
                + "{\"eventId\":\"\\udc00b\",\"userId\":\"" + ann + "\",\"occurredAt\":\"2025-01-02T08:00:00Z\"},"
                + "{\"eventId\":\"c\\u0000\",\"userId\":\"" + ann + "\",\"occurredAt\":\"2025-01-02T08:00:00Z\"},"
                + "{\"eventId\":\"ok-\\ud83d\\ude00\",\"userId\":\"" + ann + "\",\"occurredAt\":\"2025-01-02T08:00:00Z\"}]}";
        Api.as(Tokens.mspAdmin(msp)).body(body).post("/api/clients/" + client + "/licence-logins").then()
                .statusCode(200).body("accepted", equalTo(1)).body("rejected", equalTo(3))
                .body("lines.index", equalTo(List.of(0, 1, 2)))
                .body("lines.reason.unique()", equalTo(List.of("invalid-event-id")));
    }

    @Test
    void batchesAreBoundedAndOnlyAdminsOfTheTenantMaySendThem() {
        at(clock, "2025-01-20T00:00:00Z");
        UUID msp = Api.createMsp("bounded msp");
        UUID client = Api.createClient(msp, "bounded client", Map.of())[0];
        UUID ann = user(client, "Ann", "Able", "ann@bounded.example");
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(login("e-" + i, ann, "2025-01-02T08:00:00Z"));
        }
        logins(msp, client, tooMany).statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("events"));
        logins(msp, client, tooMany.subList(0, 1000)).statusCode(200).body("accepted", equalTo(1000));
        logins(msp, client, List.of()).statusCode(400).body("errors[0].field", equalTo("events"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of()).post("/api/clients/" + client + "/licence-logins").then()
                .statusCode(400).body("errors[0].field", equalTo("events"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("events", List.of(Map.of("eventId", "x", "user", "y"))))
                .post("/api/clients/" + client + "/licence-logins").then().statusCode(400)
                .body("code", equalTo("unknown-field"));

        Map<String, Object> body = Map.of("events", List.of(login("e-x", ann, "2025-01-02T08:00:00Z")));
        String path = "/api/clients/" + client + "/licence-logins";
        Api.as(Tokens.clientAdmin(msp, client)).body(body).post(path).then().statusCode(403);
        UUID otherMsp = Api.createMsp("bounded other msp");
        Api.as(Tokens.mspAdmin(otherMsp)).body(body).post(path).then().statusCode(404);
        RestAssured.given().contentType("application/json").body(body).post(path).then().statusCode(401);
        Api.as(Tokens.operator()).body(body).post(path).then().statusCode(200).body("accepted", equalTo(1));
    }
}
