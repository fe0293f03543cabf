package io.usersync.api;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What each role may do inside its own tenancy: operators everything, MSP admins their MSP and its client
 * accounts, client admins their own client account only. The matrix ({@link TenancyMatrixTest}) proves the
 * refusals across tenants for every operation.
 */
@QuarkusTest
class RoleScenariosTest {

    static Map<String, Object> newUser(String email) {
        return Map.of("firstName", "New", "lastName", "User", "email", email);
    }

    static Map<String, Object> newClient(String name) {
        return Map.of("name", name, "administrator", Map.of("firstName", "A", "lastName", "B",
                "email", "admin-" + UUID.randomUUID() + "@example.com"));
    }

    @Test
    void operatorsManageEveryMspAndClientAccount() {
        RequestSpecification operator = Api.as(Tokens.operator());
        String msp = Api.as(Tokens.operator()).body(Map.of("name", "op msp")).post("/api/msps").then()
                .statusCode(201).extract().path("id");
        Api.as(Tokens.operator()).get("/api/msps?limit=500").then().statusCode(200).body("items.id", hasItem(msp));
        Api.as(Tokens.operator()).body(Map.of("name", "renamed msp", "paymentMethodOnFile", true))
                .patch("/api/msps/" + msp).then().statusCode(200).body("name", equalTo("renamed msp"))
                .body("paymentMethodOnFile", equalTo(true));
        String client = operator.body(newClient("op client")).post("/api/msps/" + msp + "/clients").then()
                .statusCode(201).extract().path("client.id");
        Api.as(Tokens.operator()).body(Map.of("userLimit", 10)).patch("/api/clients/" + client).then()
                .statusCode(200).body("userLimit", equalTo(10));
        Api.as(Tokens.operator()).body(newUser("op-user@example.com")).post("/api/clients/" + client + "/users")
                .then().statusCode(201);
        Api.as(Tokens.operator()).delete("/api/clients/" + client).then().statusCode(204);
        Api.as(Tokens.operator()).get("/api/clients/" + client).then().statusCode(404);
    }

    @Test
    void mspAdminsManageTheirMspsClientAccountsButNotMspsThemselves() {
        UUID msp = Api.createMsp("own msp");
        UUID other = Api.createMsp("other msp");
        UUID otherClient = Api.createClient(other, "other client", Map.of())[0];
        String token = Tokens.mspAdmin(msp);
        Api.as(token).get("/api/msps/" + msp).then().statusCode(200).body("id", equalTo(msp.toString()));
        Api.as(token).body(Map.of("paymentMethodOnFile", true)).patch("/api/msps/" + msp).then().statusCode(200);
        Api.as(token).body(Map.of("name", "self-renamed")).patch("/api/msps/" + msp).then().statusCode(403)
                .body("code", equalTo("forbidden"));
        Api.as(token).get("/api/msps").then().statusCode(403);
        Api.as(token).body(Map.of("name", "rogue msp")).post("/api/msps").then().statusCode(403);
        Api.as(token).get("/api/msps/" + other).then().statusCode(404);

        String client = Api.as(token).body(newClient("msp-made client")).post("/api/msps/" + msp + "/clients")
                .then().statusCode(201).extract().path("client.id");
        Api.as(token).body(newClient("foreign client")).post("/api/msps/" + other + "/clients").then()
                .statusCode(404);
        Api.as(token).get("/api/msps/" + msp + "/clients?limit=500").then().statusCode(200)
                .body("items.id", hasItem(client)).body("items.id", not(hasItem(otherClient.toString())));
        Api.as(token).body(Map.of("status", "SUSPENDED")).put("/api/clients/" + client + "/status").then()
                .statusCode(200);
        // ANNUAL needs an annual contract covering the client (issue 10); with one the MSP admin may set it
        Api.as(token).body(Map.of("billingModel", "ANNUAL")).put("/api/clients/" + client + "/billing-model")
                .then().statusCode(409).body("code", equalTo("contract-required"));
        Api.as(token).body(Map.of("termYears", 1, "blocks", 1)).post("/api/clients/" + client + "/contracts")
                .then().statusCode(201);
        Api.as(token).body(Map.of("billingModel", "ANNUAL")).put("/api/clients/" + client + "/billing-model")
                .then().statusCode(200).body("billingModel", equalTo("ANNUAL"));
        Api.as(token).body(Map.of("name", "renamed client", "userLimit", 50)).patch("/api/clients/" + client)
                .then().statusCode(200);
        String user = Api.as(token).body(newUser("msp-user@example.com")).post("/api/clients/" + client + "/users")
                .then().statusCode(201).extract().path("id");
        Api.as(token).post("/api/clients/" + client + "/users/" + user + "/deactivate").then().statusCode(200);
        Api.as(token).get("/api/clients/" + otherClient).then().statusCode(404);
        Api.as(token).get("/api/clients/" + otherClient + "/users").then().statusCode(404);
        Api.as(token).delete("/api/clients/" + client).then().statusCode(204);
    }

    @Test
    void clientAdminsManageTheirOwnClientAccountsUsersOnly() {
        UUID msp = Api.createMsp("ca msp");
        UUID[] own = Api.createClient(msp, "ca own", Map.of());
        UUID[] sibling = Api.createClient(msp, "ca sibling", Map.of());
        UUID siblingUser = Api.createUser(sibling[0], "sibling-user@example.com", true);
        String token = Tokens.clientAdmin(msp, own[0]);
        String users = "/api/clients/" + own[0] + "/users";

        Api.as(token).get("/api/clients/" + own[0]).then().statusCode(200).body("name", equalTo("ca own"));
        Api.as(token).get("/api/clients/" + own[0] + "/status-history").then().statusCode(200);
        String user = Api.as(token).body(newUser("ca-user@example.com")).post(users).then().statusCode(201)
                .extract().path("id");
        Api.as(token).body(Map.of("lastName", "Renamed")).patch(users + "/" + user).then().statusCode(200)
                .body("lastName", equalTo("Renamed"));
        Api.as(token).body(Map.of("admin", true)).put(users + "/" + user + "/role").then().statusCode(200);
        Api.as(token).body(Map.of("admin", false)).put(users + "/" + user + "/role").then().statusCode(200);
        Api.as(token).post(users + "/" + user + "/deactivate").then().statusCode(200);
        Api.as(token).post(users + "/" + user + "/activate").then().statusCode(200);
        Api.as(token).get(users + "/" + user + "/history").then().statusCode(200);
        Api.as(token).get(users + "/history").then().statusCode(200);
        Api.as(token).delete(users + "/" + user).then().statusCode(204);

        // not the client account's settings, status or billing, which its MSP manages
        Api.as(token).body(Map.of("userLimit", 1000)).patch("/api/clients/" + own[0]).then().statusCode(403);
        Api.as(token).body(Map.of("status", "ACTIVE")).put("/api/clients/" + own[0] + "/status").then()
                .statusCode(403);
        Api.as(token).body(Map.of("billingModel", "MONTHLY")).put("/api/clients/" + own[0] + "/billing-model")
                .then().statusCode(403);
        Api.as(token).delete("/api/clients/" + own[0]).then().statusCode(403);
        // not the MSP
        Api.as(token).get("/api/msps/" + msp).then().statusCode(403);
        Api.as(token).body(Map.of("paymentMethodOnFile", true)).patch("/api/msps/" + msp).then().statusCode(403);
        Api.as(token).get("/api/msps/" + msp + "/clients").then().statusCode(403);
        Api.as(token).body(newClient("ca-made")).post("/api/msps/" + msp + "/clients").then().statusCode(403);
        Api.as(token).get("/api/msps").then().statusCode(403);
        // not the other client accounts of the same MSP
        Api.as(token).get("/api/clients/" + sibling[0]).then().statusCode(404);
        Api.as(token).get("/api/clients/" + sibling[0] + "/users").then().statusCode(404);
        Api.as(token).post("/api/clients/" + sibling[0] + "/users/" + siblingUser + "/deactivate").then()
                .statusCode(404);
        Api.as(token).get("/api/clients/" + own[0] + "/users/" + siblingUser).then().statusCode(404);
        Api.as(Tokens.operator()).get("/api/clients/" + sibling[0] + "/users/" + siblingUser).then()
                .statusCode(200).body("active", equalTo(true));
    }
}
