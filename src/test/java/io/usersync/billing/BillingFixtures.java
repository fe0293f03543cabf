package io.usersync.billing;

import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.usersync.common.time.AppClock;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Scenario helpers for the contract and licence-plan API tests. */
public final class BillingFixtures {

    private BillingFixtures() {
    }

    /** Stops time at an instant (ISO-8601 with offset); tests restore the system clock afterwards. */
    public static void at(AppClock clock, String instant) {
        clock.use(Clock.fixed(java.time.OffsetDateTime.parse(instant).toInstant(), ZoneOffset.UTC));
    }

    public static void restore(AppClock clock) {
        clock.use(Clock.systemUTC());
    }

    /** A request as the given token that reads decimals as BigDecimal (exact money and percentages). */
    public static RequestSpecification as(String token) {
        return Api.as(token).config(RestAssured.config().jsonConfig(
                JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL)));
    }

    /**
     * A client account to make contracts for: created MONTHLY like every new account (ANNUAL needs a contract);
     * a contract in effect switches it to ANNUAL.
     */
    public static UUID contractClient(UUID msp, String name) {
        return Api.createClient(msp, name, Map.of())[0];
    }

    /** Creates an active user with the given names; returns its id. */
    public static UUID user(UUID client, String firstName, String lastName, String email) {
        return UUID.fromString(Api.as(Tokens.operator())
                .body(Map.of("firstName", firstName, "lastName", lastName, "email", email))
                .post("/api/clients/" + client + "/users").then().statusCode(201).extract().path("id"));
    }

    public static void deactivate(UUID client, UUID user) {
        Api.as(Tokens.operator()).post("/api/clients/" + client + "/users/" + user + "/deactivate").then()
                .statusCode(200);
    }

    public static void activate(UUID client, UUID user) {
        Api.as(Tokens.operator()).post("/api/clients/" + client + "/users/" + user + "/activate").then()
                .statusCode(200);
    }

    /** Creates a licence plan as the MSP's admin; returns its id. */
    public static UUID plan(UUID msp, UUID client, String type, long amount, String startsAt) {
        return UUID.fromString(Api.as(Tokens.mspAdmin(msp))
                .body(Map.of("type", type, "amount", amount, "startsAt", startsAt))
                .post("/api/clients/" + client + "/licence-plans").then().statusCode(201).extract().path("id"));
    }

    public static Map<String, Object> login(String eventId, Object userId, String occurredAt) {
        Map<String, Object> line = new HashMap<>();
        line.put("eventId", eventId);
        line.put("userId", userId == null ? null : userId.toString());
        line.put("occurredAt", occurredAt);
        return line;
    }

    /** Posts a login batch as the MSP's admin. */
    public static ValidatableResponse logins(UUID msp, UUID client, List<Map<String, Object>> lines) {
        return Api.as(Tokens.mspAdmin(msp)).body(Map.of("events", lines))
                .post("/api/clients/" + client + "/licence-logins").then();
    }

    /** Posts a login batch and expects every line to be accepted. */
    public static void loginsAccepted(UUID msp, UUID client, List<Map<String, Object>> lines) {
        logins(msp, client, lines).statusCode(200).body("accepted", org.hamcrest.Matchers.equalTo(lines.size()));
    }
}
