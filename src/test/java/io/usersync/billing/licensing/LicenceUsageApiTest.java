package io.usersync.billing.licensing;

import static io.usersync.billing.BillingFixtures.activate;
import static io.usersync.billing.BillingFixtures.at;
import static io.usersync.billing.BillingFixtures.deactivate;
import static io.usersync.billing.BillingFixtures.login;
import static io.usersync.billing.BillingFixtures.loginsAccepted;
import static io.usersync.billing.BillingFixtures.plan;
import static io.usersync.billing.BillingFixtures.user;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
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
class LicenceUsageApiTest {

    @Inject
    AppClock clock;

    @AfterEach
    void restoreClock() {
        BillingFixtures.restore(clock);
    }

    static String usagePath(UUID client) {
        return "/api/clients/" + client + "/licence-usage";
    }

    static ValidatableResponse usage(String token, UUID client) {
        return Api.as(token).get(usagePath(client)).then().statusCode(200);
    }

    static String csv(String token, UUID client, String report) {
        return RestAssured.given().auth().oauth2(token).accept("text/csv").get(usagePath(client) + "/" + report)
                .then().statusCode(200).contentType(startsWith("text/csv"))
                .header("Content-Disposition", startsWith("attachment; filename=\"licence-")).extract().asString();
    }

    @Test
    void aSeatIsFreedByDeactivationAndTakenAgainAtTheNextLoginAfterReactivation() {
        at(clock, "2024-12-01T00:00:00Z");
        UUID msp = Api.createMsp("seats msp");
        UUID client = Api.createClient(msp, "seats client", Map.of())[0];
        UUID ann = user(client, "Ann", "Able", "ann@seats.example");
        UUID bob = user(client, "Bob", "Baker", "bob@seats.example");
        UUID cat = user(client, "=Cat", "Formula, Esq", "cat@seats.example");
        plan(msp, client, "SEATS", 2, "2025-01-01T00:00:00Z");
        String admin = Tokens.mspAdmin(msp);

        at(clock, "2025-01-09T00:00:00Z");
        loginsAccepted(msp, client, List.of(login("s1", ann, "2025-01-05T09:00:00Z"),
                login("s2", bob, "2025-01-06T09:00:00Z"), login("s3", cat, "2025-01-07T09:00:00Z"),
                login("s4", ann, "2025-01-08T09:00:00Z")));
        usage(admin, client).body("plan.type", equalTo("SEATS"))
                .body("totals.consumed", equalTo(3)).body("totals.remaining", equalTo(0))
                .body("totals.overage", equalTo(1)).body("totals.peakSeats", equalTo(3))
                .body("months[0].seatsTaken", equalTo(3)).body("months[0].overage", equalTo(1));

        at(clock, "2025-01-10T12:00:00Z");
        deactivate(client, bob);
        at(clock, "2025-01-25T00:00:00Z");
        // a login while deactivated (late data) takes no seat
        loginsAccepted(msp, client, List.of(login("s5", bob, "2025-01-20T09:00:00Z")));
        usage(admin, client).body("totals.consumed", equalTo(2)).body("totals.remaining", equalTo(0))
                .body("totals.overage", equalTo(0))
                .body("months[0].seatsFreed", equalTo(1)).body("months[0].seatsHeld", equalTo(2));

        at(clock, "2025-02-01T09:00:00Z");
        activate(client, bob);
        at(clock, "2025-02-02T07:00:00Z");
        usage(admin, client).body("totals.consumed", equalTo(2));
        at(clock, "2025-02-02T10:00:00Z");
        loginsAccepted(msp, client, List.of(login("s6", bob, "2025-02-02T08:00:00Z")));
        usage(admin, client).body("totals.consumed", equalTo(3)).body("totals.overage", equalTo(1))
                .body("months", hasSize(2))
                .body("months[1].seatsTaken", equalTo(1)).body("months[1].seatsHeld", equalTo(3))
                .body("months[1].creditsOpening", nullValue());

        assertEquals("month,from,to,complete,active_users,seats_taken,seats_freed,seats_held,peak_seats,amount,"
                + "overage\r\n"
                + "2025-01,2025-01-01T00:00:00Z,2025-02-01T00:00:00Z,true,3,3,1,2,3,2,1\r\n"
                + "2025-02,2025-02-01T00:00:00Z,2025-03-01T00:00:00Z,false,1,1,0,3,3,2,1\r\n",
                csv(admin, client, "consumption.csv"));
        assertEquals("email,name,status,first_login_in_plan,months_active,credits_consumed,seat_held\r\n"
                + "ann@seats.example,Ann Able,ACTIVE,2025-01-05T09:00:00Z,1,,true\r\n"
                + "bob@seats.example,Bob Baker,ACTIVE,2025-01-06T09:00:00Z,2,,true\r\n"
                + "cat@seats.example,\"=Cat Formula, Esq\",ACTIVE,2025-01-07T09:00:00Z,1,,true\r\n",
                csv(Tokens.clientAdmin(msp, client), client, "users.csv"));

        at(clock, "2025-02-03T00:00:00Z");
        deactivate(client, bob);
        assertEquals("email,name,status,first_login_in_plan,months_active,credits_consumed,seat_held\r\n"
                + "ann@seats.example,Ann Able,ACTIVE,2025-01-05T09:00:00Z,1,,true\r\n"
                + "bob@seats.example,Bob Baker,INACTIVE,2025-01-06T09:00:00Z,2,,false\r\n"
                + "cat@seats.example,\"=Cat Formula, Esq\",ACTIVE,2025-01-07T09:00:00Z,1,,true\r\n",
                csv(admin, client, "users.csv"));
        usage(admin, client).body("totals.consumed", equalTo(2)).body("totals.remaining", equalTo(0));
    }

    @Test
    void mauResetsEveryUtcMonthAndReportsOveragePerMonth() {
        at(clock, "2024-12-01T00:00:00Z");
        UUID msp = Api.createMsp("mau msp");
        UUID client = Api.createClient(msp, "mau client", Map.of())[0];
        UUID ann = user(client, "Ann", "Able", "ann@mau.example");
        UUID bob = user(client, "Bob", "Baker", "bob@mau.example");
        UUID cat = user(client, "Cat", "Cole", "cat@mau.example");
        plan(msp, client, "MAU", 2, "2025-01-01T00:00:00Z");

        at(clock, "2025-03-05T00:00:00Z");
        loginsAccepted(msp, client, List.of(login("m1", ann, "2025-01-03T10:00:00Z"),
                login("m2", ann, "2025-01-20T10:00:00Z"), login("m3", bob, "2025-01-05T10:00:00Z"),
                login("m4", cat, "2025-01-31T23:59:59.999999Z"), login("m5", ann, "2025-02-01T00:00:00Z"),
                // 23:30 on 28 February in California is already 1 March in UTC: a March login
                login("m6", bob, "2025-02-28T23:30:00-08:00")));
        usage(Tokens.clientAdmin(msp, client), client)
                .body("months.month", equalTo(List.of("2025-01", "2025-02", "2025-03")))
                .body("months.activeUsers", equalTo(List.of(3, 1, 1)))
                .body("months.overage", equalTo(List.of(1, 0, 0)))
                .body("totals.month", equalTo("2025-03"))
                .body("totals.consumed", equalTo(1)).body("totals.remaining", equalTo(1))
                .body("totals.overage", equalTo(0)).body("totals.totalOverage", equalTo(1));
        assertEquals("month,from,to,complete,active_users,amount,overage\r\n"
                + "2025-01,2025-01-01T00:00:00Z,2025-02-01T00:00:00Z,true,3,2,1\r\n"
                + "2025-02,2025-02-01T00:00:00Z,2025-03-01T00:00:00Z,true,1,2,0\r\n"
                + "2025-03,2025-03-01T00:00:00Z,2025-04-01T00:00:00Z,false,1,2,0\r\n",
                csv(Tokens.mspAdmin(msp), client, "consumption.csv"));
        assertEquals("email,name,status,first_login_in_plan,months_active,credits_consumed,seat_held\r\n"
                + "ann@mau.example,Ann Able,ACTIVE,2025-01-03T10:00:00Z,2,,\r\n"
                + "bob@mau.example,Bob Baker,ACTIVE,2025-01-05T10:00:00Z,2,,\r\n"
                + "cat@mau.example,Cat Cole,ACTIVE,2025-01-31T23:59:59.999999Z,1,,\r\n",
                csv(Tokens.mspAdmin(msp), client, "users.csv"));
    }

    @Test
    void maucCreditsRollOverFromMonthToMonthAndOverageIsBeyondThePool() {
        at(clock, "2024-12-01T00:00:00Z");
        UUID msp = Api.createMsp("mauc msp");
        UUID client = Api.createClient(msp, "mauc client", Map.of())[0];
        UUID a = user(client, "Ann", "A", "a@mauc.example");
        UUID b = user(client, "Bob", "B", "b@mauc.example");
        UUID c = user(client, "Cat", "C", "c@mauc.example");
        UUID d = user(client, "Dan", "D", "d@mauc.example");
        UUID e = user(client, "Eve", "E", "e@mauc.example");
        plan(msp, client, "MAUC", 5, "2025-01-15T00:00:00Z");

        at(clock, "2025-03-20T00:00:00Z");
        loginsAccepted(msp, client, List.of(login("c0", a, "2025-01-14T23:59:59Z"), // before the plan
                login("c1", a, "2025-01-16T08:00:00Z"), login("c2", b, "2025-01-20T08:00:00Z"),
                login("c3", a, "2025-01-28T08:00:00Z"), login("c4", a, "2025-02-03T08:00:00Z"),
                login("c5", c, "2025-02-04T08:00:00Z"), login("c6", d, "2025-02-05T08:00:00Z"),
                login("c7", b, "2025-03-02T08:00:00Z"), login("c8", e, "2025-03-03T08:00:00Z"),
                login("c9", a, "2025-03-04T08:00:00Z"), login("c10", a, "2025-03-05T08:00:00Z")));
        String token = Tokens.mspAdmin(msp);
        usage(token, client).body("totals.amount", equalTo(5)).body("totals.consumed", equalTo(8))
                .body("totals.remaining", equalTo(0)).body("totals.overage", equalTo(3))
                .body("totals.expired", equalTo(0))
                .body("months.creditsOpening", equalTo(List.of(5, 3, 0)))
                .body("months.creditsClosing", equalTo(List.of(3, 0, 0)))
                .body("months.overage", equalTo(List.of(0, 0, 3)));
        assertEquals("month,from,to,complete,active_users,credits_opening,credits_consumed,credits_closing,overage\r\n"
                + "2025-01,2025-01-15T00:00:00Z,2025-02-01T00:00:00Z,true,2,5,2,3,0\r\n"
                + "2025-02,2025-02-01T00:00:00Z,2025-03-01T00:00:00Z,true,3,3,3,0,0\r\n"
                + "2025-03,2025-03-01T00:00:00Z,2025-04-01T00:00:00Z,false,3,0,3,0,3\r\n",
                csv(token, client, "consumption.csv"));
        assertEquals("email,name,status,first_login_in_plan,months_active,credits_consumed,seat_held\r\n"
                + "a@mauc.example,Ann A,ACTIVE,2025-01-16T08:00:00Z,3,3,\r\n"
                + "b@mauc.example,Bob B,ACTIVE,2025-01-20T08:00:00Z,2,2,\r\n"
                + "c@mauc.example,Cat C,ACTIVE,2025-02-04T08:00:00Z,1,1,\r\n"
                + "d@mauc.example,Dan D,ACTIVE,2025-02-05T08:00:00Z,1,1,\r\n"
                + "e@mauc.example,Eve E,ACTIVE,2025-03-03T08:00:00Z,1,1,\r\n",
                csv(token, client, "users.csv"));
    }

    @Test
    void unusedCreditsExpireAtPlanEnd() {
        at(clock, "2023-01-01T00:00:00Z");
        UUID msp = Api.createMsp("expiry msp");
        UUID client = Api.createClient(msp, "expiry client", Map.of())[0];
        UUID a = user(client, "Ann", "A", "a@expiry.example");
        UUID b = user(client, "Bob", "B", "b@expiry.example");
        UUID c = user(client, "Cat", "C", "c@expiry.example");
        UUID plan = plan(msp, client, "MAUC", 10, "2023-03-01T00:00:00Z");

        at(clock, "2024-01-15T00:00:00Z");
        loginsAccepted(msp, client, List.of(login("x1", a, "2023-03-02T08:00:00Z"),
                login("x2", a, "2023-04-02T08:00:00Z")));
        usage(Tokens.mspAdmin(msp), client).body("plan.status", equalTo("CURRENT"))
                .body("totals.consumed", equalTo(2)).body("totals.remaining", equalTo(8))
                .body("totals.expired", equalTo(0));

        at(clock, "2024-03-10T00:00:00Z");
        loginsAccepted(msp, client, List.of(login("x3", b, "2024-02-29T23:59:59Z"),
                login("x4", c, "2024-03-01T00:00:00Z"))); // the plan is over: no longer counted
        Api.as(Tokens.mspAdmin(msp)).get(usagePath(client)).then().statusCode(404)
                .contentType("application/problem+json");
        Api.as(Tokens.mspAdmin(msp)).get(usagePath(client) + "?at=2023-06-01").then().statusCode(200)
                .body("plan.id", equalTo(plan.toString())).body("plan.status", equalTo("PAST"))
                .body("asOf", equalTo("2024-03-01T00:00:00Z"))
                .body("months", hasSize(12)).body("months[11].month", equalTo("2024-02"))
                .body("months[11].creditsConsumed", equalTo(1)).body("months[11].creditsClosing", equalTo(7))
                .body("totals.consumed", equalTo(3)).body("totals.remaining", equalTo(7))
                .body("totals.expired", equalTo(7)).body("totals.overage", equalTo(0));
        Api.as(Tokens.mspAdmin(msp)).get(usagePath(client) + "?planId=" + plan).then().statusCode(200)
                .body("totals.expired", equalTo(7));
    }

    @Test
    void usageIsForTheAccountsAdminsItsMspsAdminsAndOperatorsOnly() {
        at(clock, "2024-12-01T00:00:00Z");
        UUID msp = Api.createMsp("usage access msp");
        UUID client = Api.createClient(msp, "usage access client", Map.of())[0];
        UUID sibling = Api.createClient(msp, "usage sibling client", Map.of())[0];
        UUID otherMsp = Api.createMsp("usage other msp");
        UUID otherClient = Api.createClient(otherMsp, "usage other client", Map.of())[0];
        UUID plan = plan(msp, client, "MAU", 5, "2024-11-01T00:00:00Z");
        plan(otherMsp, otherClient, "MAU", 5, "2024-11-01T00:00:00Z");

        for (String token : List.of(Tokens.operator(), Tokens.mspAdmin(msp), Tokens.clientAdmin(msp, client))) {
            Api.as(token).get(usagePath(client)).then().statusCode(200).body("plan.id", equalTo(plan.toString()));
            csv(token, client, "consumption.csv");
            csv(token, client, "users.csv");
        }
        for (String token : List.of(Tokens.clientAdmin(msp, sibling), Tokens.mspAdmin(otherMsp),
                Tokens.clientAdmin(otherMsp, otherClient))) {
            Api.as(token).get(usagePath(client)).then().statusCode(404).contentType("application/problem+json");
            RestAssured.given().auth().oauth2(token).accept("text/csv").get(usagePath(client) + "/users.csv")
                    .then().statusCode(404).contentType("application/problem+json");
            RestAssured.given().auth().oauth2(token).accept("text/csv")
                    .get(usagePath(client) + "/consumption.csv").then().statusCode(404);
        }
        Api.as(Tokens.mspAdmin(otherMsp)).get(usagePath(otherClient) + "?planId=" + plan).then().statusCode(404);
        for (String report : List.of("", "/consumption.csv", "/users.csv")) {
            RestAssured.given().get(usagePath(client) + report).then().statusCode(401);
            RestAssured.given().auth().oauth2(Tokens.expiredOperator()).get(usagePath(client) + report).then()
                    .statusCode(401);
        }
        Api.as(Tokens.mspAdmin(msp)).get(usagePath(client) + "?at=yesterday").then().statusCode(400)
                .body("errors[0].field", equalTo("at"));
        Api.as(Tokens.mspAdmin(msp)).get(usagePath(client) + "?at=2024-12-01&planId=" + plan).then()
                .statusCode(400).body("errors[0].field", equalTo("at"));
        Api.as(Tokens.mspAdmin(msp)).get(usagePath(client) + "?at=2020-01-01").then().statusCode(404);
    }
}
