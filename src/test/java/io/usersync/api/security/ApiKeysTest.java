package io.usersync.api.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.usersync.common.Jdbc;
import io.usersync.tenant.access.ApiKeyUsage;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** API keys through the API: shown once, stored as a hash, scoped, revocable, expiring, used without writes. */
@QuarkusTest
class ApiKeysTest {

    @Inject
    DataSource dataSource;

    @Inject
    ApiKeyUsage usage;

    static RequestSpecification as(String bearer) {
        return given().header("Authorization", "Bearer " + bearer).contentType(ContentType.JSON)
                .accept(ContentType.JSON);
    }

    static JsonPath create(String collection, Map<String, Object> body) {
        return Api.as(Tokens.operator()).body(body).post(collection).then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString(collection)).extract().jsonPath();
    }

    @Test
    void anMspKeyIsShownOnceStoredAsAHashAndActsAsTheMspsAdmin() throws Exception {
        UUID msp = Api.createMsp("keys " + UUID.randomUUID());
        UUID client = Api.createClient(msp, "keyed", Map.of())[0];
        String collection = "/api/msps/" + msp + "/api-keys";
        JsonPath created = create(collection, Map.of("name", "CI deploy"));
        String secret = created.getString("secret");
        UUID id = UUID.fromString(created.getString("key.id"));
        assertTrue(secret.matches("usk_[A-Za-z0-9_-]{65}"), secret);
        assertEquals("msp-admin", created.getString("key.role"));
        assertEquals("ACTIVE", created.getString("key.status"));
        assertTrue(secret.startsWith(created.getString("key.prefix")));

        String listed = Api.as(Tokens.operator()).get(collection).then().statusCode(200)
                .body("[0].id", equalTo(id.toString())).body("[0].lastUsedAt", nullValue()).extract().asString();
        assertFalse(listed.contains(secret.substring(30)) || listed.contains("secret"), listed);
        try (Connection db = dataSource.getConnection(); PreparedStatement s = db.prepareStatement(
                "SELECT * FROM api_key WHERE id = ?")) {
            s.setBytes(1, Jdbc.bytes(id));
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(32, rs.getBytes("secret_hash").length);
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    byte[] value = rs.getBytes(i);
                    assertFalse(value != null && new String(value, StandardCharsets.ISO_8859_1)
                            .contains(secret.substring(26)), "the secret is stored in " + rs.getMetaData()
                            .getColumnName(i));
                }
            }
        }

        // msp-admin rights in its own MSP, nothing beyond
        as(secret).get("/api/msps/" + msp).then().statusCode(200).body("id", equalTo(msp.toString()));
        as(secret).get("/api/clients/" + client + "/users").then().statusCode(200);
        as(secret).get("/api/msps").then().statusCode(403).contentType("application/problem+json");
        as(secret).body(Map.of("name", "Script-made")).post("/api/msps/" + msp + "/clients").then().statusCode(400);
        // keys do not manage keys
        as(secret).body(Map.of("name", "successor")).post(collection).then().statusCode(403)
                .body("code", equalTo("forbidden"));
        as(secret).get(collection).then().statusCode(403);
        as(secret).delete(collection + "/" + id).then().statusCode(403);

        // used, but not written per request: the API shows the use at once, the row gets it in the next batch
        assertNull(lastUsedInDatabase(id));
        Instant before = Instant.now().minusSeconds(1);
        String lastUsed = Api.as(Tokens.operator()).get(collection + "/" + id).then().statusCode(200)
                .body("lastUsedAt", notNullValue()).extract().path("lastUsedAt");
        assertTrue(Instant.parse(lastUsed).isAfter(before.minusSeconds(60)), lastUsed);
        usage.flush();
        assertEquals(Instant.parse(lastUsed), lastUsedInDatabase(id));

        // revoked: refused at once
        Api.as(Tokens.operator()).delete(collection + "/" + id).then().statusCode(200)
                .body("status", equalTo("REVOKED")).body("revokedAt", notNullValue());
        as(secret).get("/api/msps/" + msp).then().statusCode(401).header("WWW-Authenticate", "Bearer");
        Api.as(Tokens.operator()).get(collection).then().statusCode(200).body("[0].status", equalTo("REVOKED"));
    }

    @Test
    void aClientKeyActsAsTheClientsAdminUntilItExpiresOrTheClientIsDeleted() throws Exception {
        UUID msp = Api.createMsp("client keys " + UUID.randomUUID());
        UUID client = Api.createClient(msp, "own", Map.of())[0];
        UUID sibling = Api.createClient(msp, "sibling", Map.of())[0];
        String collection = "/api/clients/" + client + "/api-keys";
        Api.as(Tokens.operator()).body(Map.of("name", "past", "expiresAt", Instant.now().minusSeconds(5).toString()))
                .post(collection).then().statusCode(400).body("errors[0].field", equalTo("expiresAt"));
        Instant expiry = Instant.now().plusSeconds(3);
        JsonPath created = Api.as(Tokens.clientAdmin(msp, client)).body(Map.of("name", "nightly export",
                "expiresAt", expiry.toString())).post(collection).then().statusCode(201).extract().jsonPath();
        String secret = created.getString("secret");
        assertEquals("client-admin", created.getString("key.role"));
        assertEquals(client.toString(), created.getString("key.clientId"));
        assertEquals("test-client-admin", created.getString("key.createdBy"));

        as(secret).get("/api/clients/" + client + "/users").then().statusCode(200);
        as(secret).get("/api/clients/" + sibling + "/users").then().statusCode(404);
        as(secret).get("/api/msps/" + msp).then().statusCode(403);
        // the MSP's key list holds the MSP's own keys only; the client's keys are listed under the client
        Api.as(Tokens.mspAdmin(msp)).get("/api/msps/" + msp + "/api-keys").then().statusCode(200)
                .body("size()", equalTo(0));
        Api.as(Tokens.mspAdmin(msp)).get(collection).then().statusCode(200).body("size()", equalTo(1));

        while (Instant.now().isBefore(expiry.plusMillis(200))) {
            Thread.sleep(100);
        }
        as(secret).get("/api/clients/" + client + "/users").then().statusCode(401);
        Api.as(Tokens.operator()).get(collection).then().statusCode(200).body("[0].status", equalTo("EXPIRED"));

        String other = create("/api/clients/" + sibling + "/api-keys", Map.of("name", "gone")).getString("secret");
        as(other).get("/api/clients/" + sibling + "/users").then().statusCode(200);
        Api.as(Tokens.operator()).delete("/api/clients/" + sibling).then().statusCode(204);
        as(other).get("/api/clients/" + sibling + "/users").then().statusCode(401);
    }

    private Instant lastUsedInDatabase(UUID id) throws Exception {
        try (Connection db = dataSource.getConnection(); PreparedStatement s = db.prepareStatement(
                "SELECT last_used_at FROM api_key WHERE id = ?")) {
            s.setBytes(1, Jdbc.bytes(id));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return Jdbc.instant(rs, "last_used_at");
            }
        }
    }
}
