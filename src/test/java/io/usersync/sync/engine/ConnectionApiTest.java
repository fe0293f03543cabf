package io.usersync.sync.engine;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.usersync.common.Jdbc;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConnectionApiTest {

    static final String SECRET = "very-secret-value-~123";

    @Inject
    DataSource dataSource;

    static Map<String, Object> m365Body() {
        return Map.of("provider", "M365", "m365", Map.of("tenantId", "contoso.onmicrosoft.com",
                "clientId", "11111111-2222-3333-4444-555555555555", "clientSecret", SECRET));
    }

    @Test
    void credentialsAreWriteOnlyAndEncryptedAtRest() throws Exception {
        UUID msp = Api.createMsp("conn msp");
        UUID client = Api.createClient(msp, "conn client", Map.of())[0];
        String id = Api.as(Tokens.mspAdmin(msp)).body(m365Body()).post("/api/clients/" + client + "/connections")
                .then().statusCode(201)
                .body("tenant", equalTo("contoso.onmicrosoft.com"))
                .body("account", equalTo("11111111-2222-3333-4444-555555555555"))
                .body("scheduleMinutes", equalTo(60))
                .body("massDeactivation.percent", equalTo(20))
                .body("massDeactivation.minimum", equalTo(10))
                .body("pool.allUsers", equalTo(true))
                .body(not(containsString(SECRET)))
                .extract().path("id");
        String get = Api.as(Tokens.clientAdmin(msp, client)).get("/api/clients/" + client + "/connections/" + id)
                .then().statusCode(200).extract().asString();
        assertFalse(get.contains(SECRET));
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT credentials_ciphertext, credentials_key_id FROM directory_connection WHERE id = ?")) {
            s.setBytes(1, Jdbc.bytes(UUID.fromString(id)));
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                String stored = new String(rs.getBytes(1), StandardCharsets.ISO_8859_1);
                assertFalse(stored.contains(SECRET), "the secret is stored in clear");
                assertTrue(rs.getString(2).equals("dev"));
            }
        }
    }

    @Test
    void oneConnectionPerProviderAndClearValidationErrors() {
        UUID msp = Api.createMsp("conn msp 2");
        UUID client = Api.createClient(msp, "conn client 2", Map.of())[0];
        String path = "/api/clients/" + client + "/connections";
        Api.as(Tokens.operator()).body(m365Body()).post(path).then().statusCode(201);
        Api.as(Tokens.operator()).body(m365Body()).post(path).then().statusCode(409)
                .contentType("application/problem+json").body("errors[0].field", equalTo("provider"));
        Api.as(Tokens.operator()).body(Map.of("provider", "M365", "m365", Map.of("tenantId", "t.example.com",
                "clientId", "not-a-guid", "clientSecret", "x"))).post(path).then().statusCode(400)
                .body("errors[0].field", equalTo("m365.clientId"));
        Api.as(Tokens.operator()).body(Map.of("provider", "GOOGLE", "google", Map.of("serviceAccountKey",
                Map.of("type", "user"), "adminSubject", "admin@example.com", "domain", "example.com")))
                .post(path).then().statusCode(400)
                .body("errors[0].field", equalTo("google.serviceAccountKey"));
        Api.as(Tokens.operator()).body(Map.of("provider", "M365", "m365", Map.of("tenantId", "t.example.com",
                "clientId", "11111111-2222-3333-4444-555555555555", "clientSecret", "x"), "scheduleMinutes", 2))
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("scheduleMinutes"));
        Api.as(Tokens.operator()).body(Map.of("provider", "GOOGLE", "google", Map.of("serviceAccountKey",
                Map.of("type", "service_account", "client_email", "sa@p.iam.gserviceaccount.com",
                        "private_key", "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n",
                        "token_uri", "https://attacker.example/token"),
                "adminSubject", "admin@example.com", "domain", "example.com"),
                "pool", Map.of("orgUnits", List.of("/Sales", "/Sales/EMEA")))).post(path).then().statusCode(201)
                .body("pool.orgUnits", hasSize(2)).body("pool.allUsers", equalTo(false))
                .body("account", equalTo("sa@p.iam.gserviceaccount.com as admin@example.com"));
    }

    @Test
    void foreignTenantsSeeNothing() {
        UUID msp = Api.createMsp("conn msp 3");
        UUID client = Api.createClient(msp, "conn client 3", Map.of())[0];
        String id = Api.as(Tokens.operator()).body(m365Body()).post("/api/clients/" + client + "/connections")
                .then().statusCode(201).extract().path("id");
        UUID otherMsp = Api.createMsp("other msp");
        UUID otherClient = Api.createClient(otherMsp, "other client", Map.of())[0];
        Api.as(Tokens.mspAdmin(otherMsp)).get("/api/clients/" + client + "/connections/" + id).then().statusCode(404);
        Api.as(Tokens.clientAdmin(otherMsp, otherClient)).get("/api/clients/" + otherClient + "/connections/" + id)
                .then().statusCode(404);
        Api.as(Tokens.mspAdmin(otherMsp)).body(Map.of("entries", List.of("a@b.io")))
                .post("/api/clients/" + client + "/connections/" + id + "/deny-list").then().statusCode(404);
    }

    @Test
    void denyListCsvImportToleratesMessAndReportsInvalidLines() {
        UUID msp = Api.createMsp("deny msp");
        UUID client = Api.createClient(msp, "deny client", Map.of())[0];
        String id = Api.as(Tokens.operator()).body(m365Body()).post("/api/clients/" + client + "/connections")
                .then().statusCode(201).extract().path("id");
        String base = "/api/clients/" + client + "/connections/" + id;
        String csv = "\uFEFFemail\r\nBob@Example.com,Bob\r\n\r\nbob@example.COM\r\n*@Contractor.io\r\nnot-an-email\r\n"
                + "\"quoted@example.com\"\r\n   \r\n*@\r\n";
        RestAssured.given().auth().oauth2(Tokens.clientAdmin(msp, client)).contentType("text/csv")
                .body(csv.getBytes(StandardCharsets.UTF_8)).put(base + "/deny-list.csv").then().statusCode(200)
                .body("added", equalTo(3)).body("duplicates", equalTo(1))
                .body("invalid", hasSize(2))
                .body("invalid[0].line", equalTo(6)).body("invalid[0].value", equalTo("not-an-email"))
                .body("invalid[1].line", equalTo(9))
                .body("run.trigger", equalTo("DENY_LIST"));
        String exported = RestAssured.given().auth().oauth2(Tokens.clientAdmin(msp, client))
                .get(base + "/deny-list.csv").then().statusCode(200).contentType(containsString("text/csv"))
                .extract().asString();
        assertTrue(exported.startsWith("entry\r\n"));
        assertTrue(exported.contains("bob@example.com\r\n"));
        assertTrue(exported.contains("*@contractor.io\r\n"));
        assertTrue(exported.contains("quoted@example.com\r\n"));
        // Replace keeps exactly the file's valid entries.
        RestAssured.given().auth().oauth2(Tokens.operator()).contentType("text/csv").body("entry\nnew@example.com\n")
                .put(base + "/deny-list.csv?mode=replace").then().statusCode(200)
                .body("added", equalTo(1)).body("removed", equalTo(3));
        Api.as(Tokens.operator()).get(base + "/deny-list").then().statusCode(200).body("$", hasSize(1))
                .body("[0].entry", equalTo("new@example.com"));
        Api.as(Tokens.operator()).body(Map.of("entries", List.of("ok@example.com", "bad"))).post(base + "/deny-list")
                .then().statusCode(400).contentType(ContentType.fromContentType("application/problem+json"))
                .body("errors[0].field", equalTo("entries[1]"));
    }
}
