package io.usersync.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/** Small fixture helpers over the public API, so tests read as scenarios. */
public final class Api {

    private Api() {
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    public static UUID createMsp(String name) {
        return UUID.fromString(as(Tokens.operator()).body(Map.of("name", name)).post("/api/msps")
                .then().statusCode(201).extract().path("id"));
    }

    /** Creates a client account (ACTIVE, MONTHLY unless given) and returns [clientId, adminUserId]. */
    public static UUID[] createClient(UUID msp, String name, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "status", "ACTIVE",
                "administrator", Map.of("firstName", "Ada", "lastName", "Admin",
                        "email", "admin+" + UUID.randomUUID() + "@example.com")));
        body.putAll(extra);
        ValidatableResponse response = as(Tokens.operator()).body(body).post("/api/msps/" + msp + "/clients")
                .then().statusCode(201);
        return new UUID[] { UUID.fromString(response.extract().path("client.id")),
                UUID.fromString(response.extract().path("administrator.id")) };
    }

    public static UUID createUser(UUID client, String email, boolean active) {
        return UUID.fromString(as(Tokens.operator())
                .body(Map.of("firstName", "Test", "lastName", "User", "email", email, "active", active))
                .post("/api/clients/" + client + "/users").then().statusCode(201).extract().path("id"));
    }
}
