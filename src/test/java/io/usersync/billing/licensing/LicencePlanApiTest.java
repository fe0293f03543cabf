package io.usersync.billing.licensing;

import static io.usersync.billing.BillingFixtures.at;
import static io.usersync.billing.BillingFixtures.plan;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.usersync.billing.BillingFixtures;
import io.usersync.common.time.AppClock;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LicencePlanApiTest {

    @Inject
    AppClock clock;

    @AfterEach
    void restoreClock() {
        BillingFixtures.restore(clock);
    }

    static String plans(UUID client) {
        return "/api/clients/" + client + "/licence-plans";
    }

    @Test
    void aPlanLastsExactlyOneYearFromAnyInstant() {
        at(clock, "2025-02-01T00:00:00Z");
        UUID msp = Api.createMsp("plans msp");
        UUID client = Api.createClient(msp, "plans client", Map.of())[0];
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("type", "SEATS", "amount", 25,
                "startsAt", "2025-02-28T23:30:00-08:00")).post(plans(client)).then().statusCode(201)
                .body("startsAt", equalTo("2025-03-01T07:30:00Z"))
                .body("endsAt", equalTo("2026-03-01T07:30:00Z"))
                .body("type", equalTo("SEATS"))
                .body("amount", equalTo(25))
                .body("pilot", equalTo(false))
                .body("status", equalTo("FUTURE"));
        // a leap day start ends on 28 February of the next year
        UUID other = Api.createClient(msp, "leap client", Map.of())[0];
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("type", "MAU", "amount", 10, "startsAt", "2028-02-29T12:00:00Z"))
                .post(plans(other)).then().statusCode(201).body("endsAt", equalTo("2029-02-28T12:00:00Z"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("type", "MAU", "amount", 10, "startsAt", "2030-01-01T00:00:00Z",
                "endsAt", "2030-06-01T00:00:00Z")).post(plans(other)).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("endsAt"));
    }

    @Test
    void planWindowsNeverOverlap() {
        at(clock, "2025-02-01T00:00:00Z");
        UUID msp = Api.createMsp("overlap plans msp");
        UUID client = Api.createClient(msp, "overlap plans client", Map.of())[0];
        UUID first = plan(msp, client, "MAU", 100, "2025-01-15T00:00:00Z");
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("type", "SEATS", "amount", 5, "startsAt", "2026-01-14T23:59:59Z"))
                .post(plans(client)).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("licence-plan-overlap"))
                .body("errors[0].field", equalTo("startsAt"))
                .body("detail", containsString(first.toString()));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("type", "MAUC", "amount", 5, "startsAt", "2024-12-01T00:00:00Z",
                "pilot", true, "endsAt", "2025-01-15T00:00:01Z")).post(plans(client)).then().statusCode(409)
                .body("code", equalTo("licence-plan-overlap"));
        // back to back is not an overlap
        plan(msp, client, "SEATS", 5, "2026-01-15T00:00:00Z");
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("type", "MAUC", "amount", 5, "startsAt", "2024-12-01T00:00:00Z",
                "pilot", true, "endsAt", "2025-01-15T00:00:00Z")).post(plans(client)).then().statusCode(201);
    }

    @Test
    void concurrentOverlappingCreationsLetExactlyOnePlanIn() throws Exception {
        at(clock, "2025-02-01T00:00:00Z");
        UUID msp = Api.createMsp("racing plans msp");
        UUID client = Api.createClient(msp, "racing plans client", Map.of())[0];
        int racers = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(racers);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
        for (int i = 0; i < racers; i++) {
            String startsAt = "2025-03-0" + (i + 1) + "T00:00:00Z"; // all overlap each other
            statuses.add(pool.submit(() -> {
                start.await();
                return Api.as(Tokens.mspAdmin(msp)).body(Map.of("type", "MAU", "amount", 10, "startsAt", startsAt))
                        .post(plans(client)).statusCode();
            }));
        }
        start.countDown();
        List<Integer> codes = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<Integer> status : statuses) {
            codes.add(status.get());
        }
        pool.shutdown();
        codes.sort(null);
        org.junit.jupiter.api.Assertions.assertEquals(List.of(201, 409, 409, 409), codes);
        Api.as(Tokens.mspAdmin(msp)).get(plans(client)).then().body("items", hasSize(1));
    }

    @Test
    void pastCurrentAndFuturePlansAreListedAndPilotsAreHiddenFromClientAdmins() {
        at(clock, "2025-06-01T00:00:00Z");
        UUID msp = Api.createMsp("listing msp");
        UUID client = Api.createClient(msp, "listing client", Map.of())[0];
        UUID past = plan(msp, client, "MAU", 10, "2024-01-01T00:00:00Z");
        UUID pilot = UUID.fromString(Api.as(Tokens.mspAdmin(msp)).body(Map.of("type", "SEATS", "amount", 3,
                "startsAt", "2025-01-01T00:00:00Z", "pilot", true, "endsAt", "2025-03-01T00:00:00Z"))
                .post(plans(client)).then().statusCode(201).body("pilot", equalTo(true)).extract().path("id"));
        UUID current = plan(msp, client, "MAUC", 1000, "2025-03-01T00:00:00Z");
        UUID future = plan(msp, client, "SEATS", 20, "2026-03-01T00:00:00Z");

        Api.as(Tokens.mspAdmin(msp)).get(plans(client)).then().statusCode(200)
                .body("items.id", equalTo(List.of(past.toString(), pilot.toString(), current.toString(),
                        future.toString())))
                .body("items.status", equalTo(List.of("PAST", "PAST", "CURRENT", "FUTURE")));
        Api.as(Tokens.operator()).get(plans(client) + "?status=past").then().statusCode(200)
                .body("items.id", equalTo(List.of(past.toString(), pilot.toString())));
        Api.as(Tokens.mspAdmin(msp)).get(plans(client) + "?status=CURRENT").then().statusCode(200)
                .body("items.id", equalTo(List.of(current.toString())));

        String clientAdmin = Tokens.clientAdmin(msp, client);
        Api.as(clientAdmin).get(plans(client)).then().statusCode(200)
                .body("items.id", equalTo(List.of(past.toString(), current.toString(), future.toString())));
        Api.as(clientAdmin).get(plans(client) + "/" + pilot).then().statusCode(404);
        Api.as(clientAdmin).get("/api/clients/" + client + "/licence-usage?at=2025-02-01").then().statusCode(404);
        Api.as(clientAdmin).get("/api/clients/" + client + "/licence-usage?planId=" + pilot).then().statusCode(404);
        Api.as(Tokens.mspAdmin(msp)).get("/api/clients/" + client + "/licence-usage?at=2025-02-01").then()
                .statusCode(200).body("plan.id", equalTo(pilot.toString()));
        Api.as(clientAdmin).get(plans(client) + "/" + current).then().statusCode(200)
                .body("type", equalTo("MAUC"));
        Api.as(Tokens.mspAdmin(msp)).get(plans(client) + "?status=sometime").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
    }

    @Test
    void onlyPlansThatHaveNotStartedCanBeDeleted() {
        at(clock, "2025-06-01T00:00:00Z");
        UUID msp = Api.createMsp("delete plans msp");
        UUID client = Api.createClient(msp, "delete plans client", Map.of())[0];
        UUID current = plan(msp, client, "MAU", 10, "2025-05-01T00:00:00Z");
        UUID future = plan(msp, client, "MAU", 10, "2026-05-01T00:00:00Z");
        Api.as(Tokens.clientAdmin(msp, client)).delete(plans(client) + "/" + future).then().statusCode(403);
        Api.as(Tokens.mspAdmin(msp)).delete(plans(client) + "/" + current).then().statusCode(409);
        Api.as(Tokens.mspAdmin(msp)).delete(plans(client) + "/" + future).then().statusCode(204);
        Api.as(Tokens.mspAdmin(msp)).get(plans(client)).then().body("items", hasSize(1));
    }

    @Test
    void badPlansAreRefusedNamingTheField() {
        at(clock, "2025-06-01T00:00:00Z");
        UUID msp = Api.createMsp("bad plans msp");
        UUID client = Api.createClient(msp, "bad plans client", Map.of())[0];
        String path = plans(client);
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("type", "SEATS", "amount", 0, "startsAt", "2025-07-01T00:00:00Z"))
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("amount"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("type", "SEATZ", "amount", 1, "startsAt", "2025-07-01T00:00:00Z"))
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("type"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("amount", 1, "startsAt", "2025-07-01T00:00:00Z"))
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("type"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("type", "MAU", "amount", 1, "startsAt", "next tuesday"))
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("startsAt"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("type", "MAU", "amount", 1, "startsAt", "2025-07-01T00:00:00"))
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("startsAt"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("type", "MAU", "amount", 1, "startsAt", "+99999-01-01T00:00:00Z"))
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("startsAt"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("type", "MAU", "amount", "many", "startsAt", "2025-07-01T00:00:00Z"))
                .post(path).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("amount"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("type", "MAU", "amount", 1, "startsAt", "2025-07-01T00:00:00Z",
                "pilot", true)).post(path).then().statusCode(400).body("errors[0].field", equalTo("endsAt"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("type", "MAU", "amount", 1, "startsAt", "2025-07-01T00:00:00Z",
                "pilot", true, "endsAt", "2026-07-01T00:00:00Z")).post(path).then().statusCode(400)
                .body("errors[0].field", equalTo("endsAt"));
        Api.as(Tokens.clientAdmin(msp, client)).body(Map.of("type", "MAU", "amount", 1,
                "startsAt", "2025-07-01T00:00:00Z")).post(path).then().statusCode(403);
        Api.as(Tokens.mspAdmin(msp)).get(path).then().body("items", hasSize(0));
    }

    @Test
    void plansAreVisibleOnlyInsideTheTenant() {
        at(clock, "2025-06-01T00:00:00Z");
        UUID msp = Api.createMsp("tenant plans msp");
        UUID client = Api.createClient(msp, "tenant plans client", Map.of())[0];
        UUID plan = plan(msp, client, "MAU", 10, "2025-05-01T00:00:00Z");
        UUID sibling = Api.createClient(msp, "sibling plans client", Map.of())[0];
        UUID otherMsp = Api.createMsp("other plans msp");
        String one = plans(client) + "/" + plan;
        Api.as(Tokens.clientAdmin(msp, client)).get(one).then().statusCode(200);
        Api.as(Tokens.clientAdmin(msp, sibling)).get(one).then().statusCode(404);
        Api.as(Tokens.clientAdmin(msp, sibling)).get(plans(client)).then().statusCode(404);
        Api.as(Tokens.mspAdmin(otherMsp)).get(one).then().statusCode(404);
        Api.as(Tokens.mspAdmin(otherMsp)).body(Map.of("type", "MAU", "amount", 1, "startsAt", "2027-01-01T00:00:00Z"))
                .post(plans(client)).then().statusCode(404);
        Api.as(Tokens.mspAdmin(msp)).get(plans(sibling) + "/" + plan).then().statusCode(404);
        RestAssured.given().get(one).then().statusCode(401);
        RestAssured.given().auth().oauth2(Tokens.forgedOperator()).get(plans(client)).then().statusCode(401);
    }
}
