package io.usersync.billing.contracts;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.usersync.billing.BillingTestSupport;
import io.usersync.billing.TestClock;
import io.usersync.billing.api.Contracts;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, money integrity: a client account is ANNUAL exactly while an annual contract covers it. The party
 * billed cannot switch its monthly billing off, and an ended contract puts the account back on monthly billing
 * by itself, recorded in its history.
 */
@QuarkusTest
class BillingModelTest {

    static final String PROBLEM = "application/problem+json";

    @Inject
    BillingTestSupport billing;

    @Inject
    Contracts contracts;

    @Inject
    EntityManager entityManager;

    @AfterEach
    void restoreClock() {
        billing.restoreClock();
    }

    static String client(UUID client) {
        return "/api/clients/" + client;
    }

    static JsonPath usage(UUID msp) {
        return Api.as(Tokens.mspAdmin(msp)).get("/api/msps/" + msp + "/billing/usage").then().statusCode(200)
                .extract().jsonPath();
    }

    static JsonPath history(UUID msp, UUID client) {
        return Api.as(Tokens.mspAdmin(msp)).get(client(client) + "/status-history").then().statusCode(200)
                .extract().jsonPath();
    }

    static void contract(String token, UUID client, Map<String, Object> body) {
        Api.as(token).body(body).post(client(client) + "/contracts").then().statusCode(201);
    }

    @Test
    void theBilledPartyCannotSwitchItsMonthlyBillingOff() {
        billing.useClock("2025-03-01T10:00:00Z");
        UUID msp = Api.createMsp("no switch-off msp");
        UUID client = Api.createClient(msp, "monthly client", Map.of())[0];
        Api.createUser(client, "one@switch.example", true);
        Api.createUser(client, "two@switch.example", true);
        billing.drain();
        assertEquals(3, usage(msp).getInt("currentBillableUsers"));

        for (String token : List.of(Tokens.mspAdmin(msp), Tokens.operator())) {
            Api.as(token).body(Map.of("billingModel", "ANNUAL")).put(client(client) + "/billing-model").then()
                    .statusCode(409).contentType(PROBLEM).body("code", equalTo("contract-required"))
                    .body("errors[0].field", equalTo("billingModel"));
        }
        Api.as(Tokens.clientAdmin(msp, client)).body(Map.of("billingModel", "ANNUAL"))
                .put(client(client) + "/billing-model").then().statusCode(403).contentType(PROBLEM);
        // nor at creation: a new client account has no contract
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("name", "annual at birth", "billingModel", "ANNUAL",
                "administrator", Map.of("firstName", "A", "lastName", "B", "email", "ab@switch.example")))
                .post("/api/msps/" + msp + "/clients").then().statusCode(409).contentType(PROBLEM)
                .body("code", equalTo("contract-required"));

        billing.drain();
        JsonPath live = usage(msp);
        assertEquals(3, live.getInt("currentBillableUsers"), "the refused switch changed no billing");
        assertEquals(List.of(client.toString()), live.getList("clients.clientId"));
        assertEquals("MONTHLY", live.getString("clients[0].billingModel"));
        Api.as(Tokens.mspAdmin(msp)).get(client(client)).then().body("billingModel", equalTo("MONTHLY"));
        assertEquals(List.of("CREATED"), history(msp, client).getList("items.kind"));
        // an unchanged model with no contract is fine
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("billingModel", "MONTHLY")).put(client(client) + "/billing-model")
                .then().statusCode(200).body("billingModel", equalTo("MONTHLY"));
    }

    @Test
    void aContractMakesTheAccountAnnualForItsTermAndMonthlyAgainWhenItEnds() {
        TestClock clock = billing.useClock("2025-03-01T10:00:00Z");
        UUID msp = Api.createMsp("contract term msp");
        UUID client = Api.createClient(msp, "contract client", Map.of())[0];
        Api.createUser(client, "one@term.example", true);
        contract(Tokens.mspAdmin(msp), client, Map.of("startDate", "2025-03-01", "termYears", 1, "blocks", 1));

        Api.as(Tokens.clientAdmin(msp, client)).get(client(client)).then().body("billingModel", equalTo("ANNUAL"));
        JsonPath history = history(msp, client);
        assertEquals(List.of("CREATED", "BILLING_MODEL"), history.getList("items.kind"));
        assertEquals("test-msp-admin", history.getString("items[1].actor"));
        assertEquals("2025-03-01T10:00:00Z", history.getString("items[1].occurredAt"));
        billing.drain();
        assertEquals(0, usage(msp).getInt("currentBillableUsers"), "billed by the contract, not monthly");

        // nobody takes a covered account off ANNUAL; asking for ANNUAL again changes nothing
        for (String token : List.of(Tokens.mspAdmin(msp), Tokens.operator())) {
            Api.as(token).body(Map.of("billingModel", "MONTHLY")).put(client(client) + "/billing-model").then()
                    .statusCode(409).contentType(PROBLEM).body("code", equalTo("contract-in-effect"));
        }
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("billingModel", "ANNUAL")).put(client(client) + "/billing-model")
                .then().statusCode(200).body("billingModel", equalTo("ANNUAL"));
        contracts.applyBillingModels(); // (the job sees every MSP's accounts: tests check their own account)
        assertEquals(2, history(msp, client).getList("items").size(), "while covered nothing changes");

        clock.set("2026-03-01T00:07:00Z"); // the contract ended seven minutes ago
        contracts.applyBillingModels();
        contracts.applyBillingModels(); // idempotent: one change recorded
        Api.as(Tokens.mspAdmin(msp)).get(client(client)).then().body("billingModel", equalTo("MONTHLY"));
        history = history(msp, client);
        assertEquals(List.of("CREATED", "BILLING_MODEL", "BILLING_MODEL"), history.getList("items.kind"));
        assertEquals("ANNUAL", history.getString("items[2].oldBillingModel"));
        assertEquals("MONTHLY", history.getString("items[2].newBillingModel"));
        assertEquals("system:billing-contracts", history.getString("items[2].actor"));
        assertEquals("2026-03-01T00:00:00Z", history.getString("items[2].occurredAt"), "at the contract's end");

        billing.drain();
        JsonPath live = usage(msp);
        assertEquals(2, live.getInt("currentBillableUsers"), "monthly billing resumed");
        assertEquals("2026-03-01T00:00:00Z", live.getString("runningPeak.at"), "from the exact end instant");
    }

    @Test
    void anUpcomingContractSwitchesOnItsStartAndARenewalKeepsTheAccountAnnual() {
        TestClock clock = billing.useClock("2025-05-10T12:00:00Z");
        UUID msp = Api.createMsp("upcoming msp");
        UUID client = Api.createClient(msp, "upcoming client", Map.of())[0];
        contract(Tokens.operator(), client, Map.of("startDate", "2025-06-01", "termYears", 1, "blocks", 1));
        Api.as(Tokens.mspAdmin(msp)).get(client(client)).then().body("billingModel", equalTo("MONTHLY"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("billingModel", "ANNUAL")).put(client(client) + "/billing-model")
                .then().statusCode(409).body("code", equalTo("contract-required"));
        contracts.applyBillingModels();
        Api.as(Tokens.mspAdmin(msp)).get(client(client)).then().body("billingModel", equalTo("MONTHLY"));

        clock.set("2025-06-01T00:03:00Z");
        contracts.applyBillingModels();
        JsonPath history = history(msp, client);
        assertEquals("ANNUAL", history.getString("items[1].newBillingModel"));
        assertEquals("2025-06-01T00:00:00Z", history.getString("items[1].occurredAt"), "at the contract's start");
        assertEquals("system:billing-contracts", history.getString("items[1].actor"));

        String first = Api.as(Tokens.mspAdmin(msp)).get(client(client) + "/contracts").then().extract()
                .path("items[0].id");
        Api.as(Tokens.mspAdmin(msp)).body(Map.of()).post(client(client) + "/contracts/" + first + "/renewal")
                .then().statusCode(201);
        clock.set("2026-06-01T00:03:00Z");
        contracts.applyBillingModels(); // the renewal covers the account without a gap
        assertEquals(2, history(msp, client).getList("items").size());
        Api.as(Tokens.mspAdmin(msp)).get(client(client)).then().body("billingModel", equalTo("ANNUAL"));

        clock.set("2027-06-01T00:02:00Z");
        contracts.applyBillingModels();
        Api.as(Tokens.mspAdmin(msp)).get(client(client) + "/status-history").then()
                .body("items", hasSize(3))
                .body("items[2].newBillingModel", equalTo("MONTHLY"))
                .body("items[2].occurredAt", equalTo("2027-06-01T00:00:00Z"));
    }

    @Test
    void anAccountMadeAnnualBeforeTheRuleGoesBackToMonthly() {
        billing.useClock("2025-04-01T08:00:00Z");
        UUID msp = Api.createMsp("legacy msp");
        UUID client = Api.createClient(msp, "legacy annual", Map.of())[0];
        // as data written before contracts were required: ANNUAL with no contract at all
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                "UPDATE client_account SET billing_model = 'ANNUAL' WHERE id = ?1")
                .setParameter(1, io.usersync.common.Jdbc.bytes(client)).executeUpdate());
        billing.useClock("2025-04-01T09:30:00Z");
        contracts.applyBillingModels();
        Api.as(Tokens.mspAdmin(msp)).get(client(client)).then().body("billingModel", equalTo("MONTHLY"));
        Api.as(Tokens.mspAdmin(msp)).get(client(client) + "/status-history").then()
                .body("items[1].actor", equalTo("system:billing-contracts"))
                .body("items[1].occurredAt", equalTo("2025-04-01T09:30:00Z"));
    }
}
