package io.usersync.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.usersync.common.idempotency.IdempotencyStore;
import io.usersync.platform.DevTokens;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import io.usersync.testing.openapi.OpenApiDocument;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Idempotency-Key on POST: one effect per caller and key, replays, mismatches, concurrency, expiry. */
@QuarkusTest
class IdempotencyTest {

    @Inject
    DataSource dataSource;

    @Inject
    IdempotencyStore store;

    static RequestSpecification as(String token, String key) {
        RequestSpecification request = given().auth().oauth2(token).contentType(ContentType.JSON)
                .accept(ContentType.JSON);
        return key == null ? request : request.header("Idempotency-Key", key);
    }

    long mspsNamed(String name) throws Exception {
        try (Connection db = dataSource.getConnection(); PreparedStatement s = db.prepareStatement(
                "SELECT COUNT(*) FROM msp WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aRetryGetsTheFirstAnswerAndHasNoSecondEffect() throws Exception {
        String name = "idempotent " + UUID.randomUUID();
        String key = "create-msp-" + UUID.randomUUID();
        Response first = as(Tokens.operator(), key).body(Map.of("name", name)).post("/api/msps");
        first.then().statusCode(201);
        Response again = as(Tokens.operator(), key).body(Map.of("name", name)).post("/api/msps");
        again.then().statusCode(201).header("Idempotency-Replayed", "true")
                .header("Location", first.header("Location")).contentType(ContentType.JSON);
        assertEquals(first.asString(), again.asString());
        assertEquals(1, mspsNamed(name));

        // the same key with another body: refused, nothing created
        as(Tokens.operator(), key).body(Map.of("name", name + " 2")).post("/api/msps").then().statusCode(422)
                .contentType("application/problem+json").body("code", equalTo("idempotency-key-reused"))
                .body("errors[0].field", equalTo("Idempotency-Key"));
        // ... or another path
        as(Tokens.operator(), key).body(Map.of("name", name)).post("/api/msps/" + UUID.randomUUID() + "/clients")
                .then().statusCode(422);
        assertEquals(0, mspsNamed(name + " 2"));

        // keys are per caller: another caller's identical key is another request
        String other = DevTokens.mint(Tokens.devKey(), "another-operator", "operator", null, null, Duration.ofHours(1));
        Response theirs = as(other, key).body(Map.of("name", name)).post("/api/msps");
        theirs.then().statusCode(201);
        assertNotEquals(first.jsonPath().getString("id"), theirs.jsonPath().getString("id"));
        assertEquals(2, mspsNamed(name));

        // refusals are answers too: a 400 is replayed as it was
        String bad = "bad-" + UUID.randomUUID();
        String refusal = as(Tokens.operator(), bad).body(Map.of("name", "")).post("/api/msps").then().statusCode(400)
                .extract().asString();
        as(Tokens.operator(), bad).body(Map.of("name", "")).post("/api/msps").then().statusCode(400)
                .header("Idempotency-Replayed", "true").body(equalTo(refusal));
    }

    /**
     * A client that drops the connection right after sending: Quarkus discards the rest of the request's handling
     * (response filters included) once it sees the connection closed, so the answer may never be recorded. Then
     * retries answer 409 (in use, and after usersync.idempotency.in-progress-timeout "outcome unknown") and never
     * run the request a second time.
     */
    @Test
    void aClientThatDroppedTheConnectionNeverCausesASecondEffect() throws Exception {
        String name = "lost answer " + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String body = "{\"name\":\"" + name + "\"}";
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/msps HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + Tokens.operator()
                    + "\r\nIdempotency-Key: " + key + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            Response retry = as(Tokens.operator(), key).body(body).post("/api/msps");
            if (retry.statusCode() == 201) {
                retry.then().body("name", equalTo(name));
            } else {
                assertEquals(409, retry.statusCode(), retry.asString());
                assertEquals("idempotency-key-in-use", retry.jsonPath().getString("code"));
            }
            Thread.sleep(100);
        }
        assertTrue(mspsNamed(name) <= 1, "never a second effect");
    }

    /** A client that got the answer late (a timeout on its side) gets the same answer again. */
    @Test
    void aClientThatTimedOutGetsTheFirstAnswer() throws Exception {
        String name = "slow reader " + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String body = "{\"name\":\"" + name + "\"}";
        String first;
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /api/msps HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + Tokens.operator() + "\r\nIdempotency-Key: " + key + "\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            first = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(first.startsWith("HTTP/1.1 201"), first);
        String id = first.substring(first.indexOf("\"id\":\"") + 6, first.indexOf("\"id\":\"") + 42);
        as(Tokens.operator(), key).body(body).post("/api/msps").then().statusCode(201)
                .header("Idempotency-Replayed", "true").body("id", equalTo(id));
        assertEquals(1, mspsNamed(name));
    }

    @Test
    void concurrentDuplicatesRunOnce() throws Exception {
        String name = "concurrent " + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String token = Tokens.operator();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Callable<Response> call = () -> as(token, key).body(Map.of("name", name)).post("/api/msps");
            answers.add(pool.submit(call));
        }
        Set<String> created = new HashSet<>();
        for (Future<Response> answer : answers) {
            Response response = answer.get();
            if (response.statusCode() == 201) {
                created.add(response.jsonPath().getString("id"));
            } else {
                assertEquals(409, response.statusCode(), response.asString());
                assertEquals("idempotency-key-in-use", response.jsonPath().getString("code"));
            }
        }
        pool.shutdown();
        assertEquals(1, created.size(), "every 201 is the one MSP: " + created);
        assertEquals(1, mspsNamed(name));
    }

    @Test
    void keysMustBePrintableAsciiOfAtMost255Characters() {
        for (String key : List.of("x".repeat(256), "caf\u00e9", " ", "a\tb")) {
            as(Tokens.operator(), key).body(Map.of("name", "never")).post("/api/msps").then().statusCode(400)
                    .body("errors[0].field", equalTo("Idempotency-Key"));
        }
        as(Tokens.operator(), "x".repeat(255)).body(Map.of("name", "k255 " + UUID.randomUUID())).post("/api/msps")
                .then().statusCode(201);
    }

    @Test
    void expiredRecordsArePurgedAndTheKeyIsFreeAgain() throws Exception {
        String key = UUID.randomUUID().toString();
        as(Tokens.operator(), key).body(Map.of("name", "first " + key)).post("/api/msps").then().statusCode(201);
        byte[] keyHash = java.security.MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(StandardCharsets.US_ASCII));
        try (Connection db = dataSource.getConnection(); PreparedStatement s = db.prepareStatement(
                "SELECT TIMESTAMPDIFF(HOUR, created_at, expires_at) FROM idempotency_record WHERE key_hash = ?")) {
            s.setBytes(1, keyHash);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                assertTrue(rs.getLong(1) >= 24, "kept at least 24 h: " + rs.getLong(1));
            }
        }
        try (Connection db = dataSource.getConnection(); PreparedStatement s = db.prepareStatement(
                "UPDATE idempotency_record SET expires_at = created_at - INTERVAL 1 SECOND WHERE key_hash = ?")) {
            s.setBytes(1, keyHash);
            assertEquals(1, s.executeUpdate());
        }
        assertTrue(store.purge() >= 1);
        as(Tokens.operator(), key).body(Map.of("name", "second " + key)).post("/api/msps").then().statusCode(201);
    }

    @Test
    void everyPostOfTheApiDocumentsTheHeader() {
        JsonNode paths = OpenApiDocument.fetch().root().path("paths");
        List<String> missing = new ArrayList<>();
        paths.fields().forEachRemaining(path -> {
            JsonNode post = path.getValue().path("post");
            if (path.getKey().startsWith("/api/") && !post.isMissingNode()) {
                boolean documented = false;
                for (JsonNode parameter : post.path("parameters")) {
                    documented |= parameter.path("name").asText().equals("Idempotency-Key")
                            && parameter.path("in").asText().equals("header");
                }
                if (!documented) {
                    missing.add(path.getKey());
                }
            }
        });
        assertEquals(List.of(), missing);
        assertTrue(paths.size() > 20);
    }

    @Test
    void apiKeyCallersGetTheSameGuarantee() {
        UUID msp = Api.createMsp("idempotent keys " + UUID.randomUUID());
        String secret = Api.as(Tokens.operator()).body(Map.of("name", "ci")).post("/api/msps/" + msp + "/api-keys")
                .then().statusCode(201).extract().path("secret");
        String key = UUID.randomUUID().toString();
        Map<String, Object> client = Map.of("name", "via key", "administrator", Map.of("firstName", "A",
                "lastName", "B", "email", "a+" + key + "@example.com"));
        String first = given().header("Authorization", "Bearer " + secret).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(client).post("/api/msps/" + msp + "/clients").then()
                .statusCode(201).extract().asString();
        given().header("Authorization", "Bearer " + secret).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(client).post("/api/msps/" + msp + "/clients").then()
                .statusCode(201).header("Idempotency-Replayed", "true").body(equalTo(first));
        Api.as(Tokens.operator()).get("/api/msps/" + msp + "/clients").then().statusCode(200)
                .body("items.size()", equalTo(1));
    }
}
