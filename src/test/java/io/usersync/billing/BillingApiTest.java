package io.usersync.billing;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.usersync.billing.api.BillingOperations;
import io.usersync.testing.Api;
import io.usersync.testing.Management;
import io.usersync.testing.Tokens;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Monthly billing end to end through the REST API, with a controllable clock. */
@QuarkusTest
class BillingApiTest {

    static final String PROBLEM = "application/problem+json";

    @Inject
    BillingTestSupport billing;

    @Inject
    BillingOperations operations;

    @AfterEach
    void restore() {
        billing.restoreClock();
    }

    static String base(UUID msp) {
        return "/api/msps/" + msp + "/billing";
    }

    static JsonPath usage(UUID msp) {
        return Api.as(Tokens.mspAdmin(msp)).get(base(msp) + "/usage").then().statusCode(200).extract().jsonPath();
    }

    static void createUsers(UUID client, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            Api.createUser(client, prefix + i + "@" + client + ".example.com", true);
        }
    }

    @Test
    void theSeedsExampleCycleDay27() {
        TestClock clock = billing.useClock("2023-12-27T09:00:00Z");
        UUID msp = Api.createMsp("Seeds MSP");
        clock.set("2024-01-15T10:00:00Z");
        UUID client = Api.createClient(msp, "Twenty users", Map.of())[0]; // its administrator is user 1
        createUsers(client, "user", 19);
        billing.drain();

        JsonPath live = usage(msp);
        assertEquals(27, live.getInt("cycleDay"));
        assertEquals("2023-12-27", live.getString("anchorDate"));
        assertEquals("2023-12-27T00:00:00Z", live.getString("currentPeriod.start"));
        assertEquals("2024-01-27T00:00:00Z", live.getString("currentPeriod.end"));
        assertEquals(20, live.getInt("currentBillableUsers"));
        assertEquals(20, live.getInt("runningPeak.users"));
        assertEquals("2024-01-15T10:00:00Z", live.getString("runningPeak.at"));
        assertEquals(client.toString(), live.getString("clients[0].clientId"));
        assertEquals(20, live.getInt("clients[0].currentUsers"));

        clock.set("2024-01-26T12:00:00Z");
        Api.as(Tokens.mspAdmin(msp)).delete("/api/clients/" + client).then().statusCode(204); // the 20 are removed
        billing.drain();
        live = usage(msp);
        assertEquals(0, live.getInt("currentBillableUsers"));
        assertEquals(20, live.getInt("runningPeak.users"), "a user removed mid-period has been counted");

        clock.set("2024-01-27T00:11:00Z"); // the period ended 11 minutes ago, past the 10-minute grace
        operations.closeDuePeriods();
        clock.set("2024-02-27T00:11:00Z");
        operations.closeDuePeriods();

        JsonPath invoices = Api.as(Tokens.mspAdmin(msp)).get(base(msp) + "/invoices").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(1, 0), invoices.getList("items.period.index"));
        assertEquals(List.of(0, 20), invoices.getList("items.peakUsers"));
        assertEquals(List.of("NOTHING_DUE", "OUTSTANDING"), invoices.getList("items.paymentStatus"));

        String january = invoices.getString("items[1].id");
        Api.as(Tokens.mspAdmin(msp)).get(base(msp) + "/invoices/" + january).then().statusCode(200)
                .body("period.start", equalTo("2023-12-27T00:00:00Z"))
                .body("period.end", equalTo("2024-01-27T00:00:00Z"))
                .body("peak.users", equalTo(20)).body("peak.at", equalTo("2024-01-15T10:00:00Z"))
                .body("usersAtStart", equalTo(0)).body("distinctUsers", equalTo(20))
                .body("currency", equalTo("EUR")).body("pricingMode", equalTo("VOLUME"))
                .body("priceBookVersion", equalTo(0))
                .body("lines", hasSize(1)).body("lines[0].bandFrom", equalTo(1)).body("lines[0].bandTo", equalTo(99))
                .body("lines[0].quantity", equalTo(20)).body("lines[0].unitPrice", equalTo("2.00"))
                .body("lines[0].amount.amount", equalTo("40.00")).body("total.minor", equalTo(4000))
                .body("clients", hasSize(1)).body("clients[0].clientId", equalTo(client.toString()))
                .body("clients[0].usersAtPeak", equalTo(20)).body("clients[0].ownPeak", equalTo(20))
                .body("payment.status", equalTo("OUTSTANDING"));
        Api.as(Tokens.mspAdmin(msp)).get(base(msp) + "/invoices/" + invoices.getString("items[0].id")).then()
                .statusCode(200).body("peak.users", equalTo(0)).body("lines", hasSize(0))
                .body("total.amount", equalTo("0.00")).body("payment.status", equalTo("NOTHING_DUE"));

        Api.as(Tokens.operator()).get(base(msp) + "/periods?limit=3").then().statusCode(200)
                .body("items.period.index", equalTo(List.of(2, 1, 0)))
                .body("items.status", equalTo(List.of("OPEN", "INVOICED", "INVOICED")))
                .body("items.peak.users", equalTo(List.of(0, 0, 20)))
                .body("nextCursor", nullValue());
        Api.as(Tokens.operator()).get(base(msp) + "/periods?limit=1").then().statusCode(200)
                .body("items.period.index", equalTo(List.of(2)));
    }

    @Test
    void aTrialConvertedMidPeriodBillsFromTheConversionInstant() {
        TestClock clock = billing.useClock("2024-03-01T08:00:00Z");
        UUID msp = Api.createMsp("Trial MSP");
        clock.set("2024-03-05T10:00:00Z");
        UUID client = Api.createClient(msp, "Trial client", Map.of("status", "TRIAL"))[0];
        createUsers(client, "t", 4);
        billing.drain();
        JsonPath live = usage(msp);
        assertEquals(0, live.getInt("currentBillableUsers"));
        assertEquals(false, live.getBoolean("clients[0].billable"));
        assertEquals("TRIAL", live.getString("clients[0].status"));

        clock.set("2024-03-10T12:00:00Z");
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("status", "ACTIVE")).put("/api/clients/" + client + "/status")
                .then().statusCode(200);
        billing.drain();
        live = usage(msp);
        assertEquals(5, live.getInt("currentBillableUsers"));
        assertEquals(5, live.getInt("runningPeak.users"));
        assertEquals("2024-03-10T12:00:00Z", live.getString("runningPeak.at"));
        Api.as(Tokens.mspAdmin(msp)).get(base(msp) + "/periods/0").then().statusCode(200)
                .body("status", equalTo("OPEN")).body("usersAtStart", equalTo(0)).body("distinctUsers", equalTo(5))
                .body("clients[0].ownPeak", equalTo(5));
    }

    @Test
    void suspendedClientsBillAnnualClientsDoNotAndASwitchToAnnualStopsCounting() {
        TestClock clock = billing.useClock("2024-05-01T08:00:00Z");
        UUID msp = Api.createMsp("Mixed MSP");
        clock.set("2024-05-02T09:00:00Z");
        UUID a = Api.createClient(msp, "A", Map.of())[0];
        createUsers(a, "a", 2);
        UUID b = Api.createClient(msp, "B annual", Map.of("billingModel", "ANNUAL"))[0];
        createUsers(b, "b", 4);
        UUID c = Api.createClient(msp, "C", Map.of())[0];
        createUsers(c, "c", 1);
        billing.drain();
        assertEquals(5, usage(msp).getInt("currentBillableUsers"), "3 in A and 2 in C; B is annual");

        clock.set("2024-05-10T09:00:00Z");
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("status", "SUSPENDED")).put("/api/clients/" + a + "/status")
                .then().statusCode(200);
        billing.drain();
        assertEquals(5, usage(msp).getInt("currentBillableUsers"), "a suspended client still bills");

        clock.set("2024-05-20T09:00:00Z");
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("billingModel", "ANNUAL"))
                .put("/api/clients/" + c + "/billing-model").then().statusCode(200);
        billing.drain();
        JsonPath live = usage(msp);
        assertEquals(3, live.getInt("currentBillableUsers"));
        assertEquals(5, live.getInt("runningPeak.users"));

        clock.set("2024-06-03T00:00:00Z");
        Api.as(Tokens.operator()).get(base(msp) + "/periods/0").then().statusCode(200)
                .body("status", equalTo("CLOSING")).body("peak.users", equalTo(5))
                .body("clients.clientId", equalTo(List.of(a.toString(), c.toString())))
                .body("clients.usersAtPeak", equalTo(List.of(3, 2)));
        Api.as(Tokens.operator()).get(base(msp) + "/periods/1").then().statusCode(200)
                .body("peak.users", equalTo(3)).body("usersAtStart", equalTo(3))
                .body("clients.clientId", equalTo(List.of(a.toString())));
    }

    @Test
    void onlyOperatorsAndTheMspsOwnAdministratorsSeeItsBilling() {
        billing.useClock("2024-05-01T08:00:00Z");
        UUID msp = Api.createMsp("Private MSP");
        UUID client = Api.createClient(msp, "Client", Map.of())[0];
        UUID other = Api.createMsp("Other MSP");
        billing.drain();
        operations.closeDuePeriods();
        List<String> paths = List.of("/usage", "/periods", "/periods/0", "/invoices", "/invoices/" + UUID.randomUUID(),
                "/notices", "/price-book");
        for (String path : paths) {
            Api.as(Tokens.mspAdmin(other)).get(base(msp) + path).then().statusCode(404).contentType(PROBLEM);
            Api.as(Tokens.clientAdmin(msp, client)).get(base(msp) + path).then().statusCode(403)
                    .contentType(PROBLEM);
            RestAssured.given().get(base(msp) + path).then().statusCode(401);
        }
        for (String path : paths.subList(0, 3)) {
            Api.as(Tokens.mspAdmin(msp)).get(base(msp) + path).then().statusCode(200);
            Api.as(Tokens.operator()).get(base(msp) + path).then().statusCode(200);
        }
        Api.as(Tokens.mspAdmin(msp)).get(base(msp) + "/invoices/" + UUID.randomUUID()).then().statusCode(404);
        Api.as(Tokens.operator()).get(base(UUID.randomUUID()) + "/usage").then().statusCode(404);
        Api.as(Tokens.operator()).get("/api/msps/not-an-id/billing/usage").then().statusCode(400)
                .body("errors[0].field", equalTo("mspId"));
        Api.as(Tokens.operator()).get(base(msp) + "/periods/x").then().statusCode(400)
                .body("errors[0].field", equalTo("index"));
        Api.as(Tokens.operator()).get(base(msp) + "/periods/5").then().statusCode(404);
        Api.as(Tokens.operator()).get(base(msp) + "/periods?cursor=bogus").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        Map<String, Object> book = Map.of("currency", "EUR", "bands", List.of(Map.of("fromUsers", 1, "unitPrice", 3)));
        Api.as(Tokens.mspAdmin(msp)).body(book).put(base(msp) + "/price-book").then().statusCode(403);
        Api.as(Tokens.clientAdmin(msp, client)).body(book).put(base(msp) + "/price-book").then().statusCode(403);
        Api.as(Tokens.mspAdmin(other)).body(book).put(base(msp) + "/price-book").then().statusCode(403);
    }

    @Test
    void operatorsManageThePriceBookAndAdministratorsReadIt() {
        billing.useClock("2024-05-01T08:00:00Z");
        UUID msp = Api.createMsp("Priced MSP");
        billing.drain();
        Api.as(Tokens.mspAdmin(msp)).get(base(msp) + "/price-book").then().statusCode(200)
                .body("version", equalTo(0)).body("isDefault", equalTo(true)).body("currency", equalTo("EUR"))
                .body("mode", equalTo("VOLUME")).body("bands[0].fromUsers", equalTo(1))
                .body("bands[0].unitPrice", equalTo("2.00")).body("bands[1].fromUsers", equalTo(100));

        String path = base(msp) + "/price-book";
        Api.as(Tokens.operator()).body(Map.of("currency", "EURO", "bands", List.of(Map.of("fromUsers", 1,
                "unitPrice", 1)))).put(path).then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("currency"));
        Api.as(Tokens.operator()).body(Map.of("currency", "GBP", "bands", List.of(Map.of("fromUsers", 1,
                "unitPrice", 1), Map.of("fromUsers", 1, "unitPrice", 1)))).put(path).then().statusCode(400)
                .body("errors[0].field", equalTo("bands[1].fromUsers"));
        Api.as(Tokens.operator()).body(Map.of("currency", "GBP", "bands", List.of(Map.of("fromUsers", 1,
                "unitPrice", "0.0000001")))).put(path).then().statusCode(400)
                .body("errors[0].field", equalTo("bands[0].unitPrice"));
        Api.as(Tokens.operator()).body(Map.of("currency", "GBP", "bands", List.of(Map.of("unitPrice", 1))))
                .put(path).then().statusCode(400).body("errors[0].field", equalTo("bands[0].fromUsers"));
        Api.as(Tokens.operator()).body(Map.of("currency", "GBP", "mode", "TIERED", "bands", List.of()))
                .put(path).then().statusCode(400).body("errors[0].field", equalTo("mode"));
        Api.as(Tokens.operator()).body("{\"currency\":\"GBP\",\"bands\":[{\"fromUsers\":1,\"unitPrice\":1.10}],"
                + "\"surprise\":1}").put(path).then().statusCode(400).body("errors[0].field", equalTo("surprise"));

        Api.as(Tokens.operator()).body("{\"currency\":\"gbp\",\"mode\":\"GRADUATED\",\"bands\":["
                + "{\"fromUsers\":1,\"unitPrice\":1.10},{\"fromUsers\":100,\"unitPrice\":\"0.995\"}]}")
                .put(path).then().statusCode(200).body("version", equalTo(1)).body("isDefault", equalTo(false))
                .body("currency", equalTo("GBP")).body("bands[0].unitPrice", equalTo("1.10"))
                .body("bands[1].unitPrice", equalTo("0.995"));
        Api.as(Tokens.mspAdmin(msp)).get(path).then().statusCode(200).body("version", equalTo(1))
                .body("mode", equalTo("GRADUATED")).body("bands", hasSize(2));
    }

    @Test
    void metricsAndReadinessReportTheOutboxLag() {
        billing.drain();
        Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("usersync_billing_outbox_backlog"))
                .body(containsString("usersync_billing_outbox_oldest_age_seconds"))
                .body(containsString("usersync_billing_suspension_recommended"));
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'billing-outbox' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'billing-outbox' }.data.backlog", equalTo(0));
    }
}
