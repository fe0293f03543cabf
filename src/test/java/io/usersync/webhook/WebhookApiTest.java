package io.usersync.webhook;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.junit.QuarkusTest;
import io.usersync.common.Jdbc;
import io.usersync.common.crypto.SecretCipher;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import io.usersync.webhook.delivery.Signature;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registering and managing webhook endpoints through the API: secrets, roles, tenancy, input refusals. */
@QuarkusTest
class WebhookApiTest {

    @Inject
    DataSource dataSource;

    @Inject
    EndpointSecrets secrets;

    UUID msp;
    UUID client;
    String mspHooks;
    String clientHooks;

    @BeforeEach
    void tenant() {
        msp = Api.createMsp("hooks msp " + UUID.randomUUID());
        client = Api.createClient(msp, "hooks client", Map.of())[0];
        mspHooks = "/api/msps/" + msp + "/webhooks";
        clientHooks = "/api/clients/" + client + "/webhooks";
    }

    static Map<String, Object> body(String url, String... types) {
        return Map.of("url", url, "eventTypes", List.of(types));
    }

    @Test
    void theSecretIsShownOnceAndStoredOnlyEncryptedBoundToItsEndpoint() throws Exception {
        var created = Api.as(Tokens.mspAdmin(msp)).body(Map.of("url", "http://127.0.0.1:9/hooks",
                "eventTypes", List.of("user.billable.changed", "billing.invoice.issued"), "description", "ERP"))
                .post(mspHooks).then().statusCode(201)
                .header("Location", containsString(mspHooks + "/"))
                .body("secret", startsWith("whsec_"))
                .body("eventTypes", equalTo(List.of("user.billable.changed", "billing.invoice.issued")))
                .body("enabled", equalTo(true))
                .body("clientId", nullValue())
                .extract().jsonPath();
        String id = created.getString("id");
        String secret = created.getString("secret");
        byte[] key = Signature.key(secret);
        String read = Api.as(Tokens.mspAdmin(msp)).get(mspHooks + "/" + id).then().statusCode(200)
                .body("url", equalTo("http://127.0.0.1:9/hooks")).body("description", equalTo("ERP"))
                .extract().asString();
        String listed = Api.as(Tokens.operator()).get(mspHooks).then().statusCode(200).body("$", hasSize(1))
                .extract().asString();
        for (String answer : List.of(read, listed)) {
            assertFalse(answer.contains(secret.substring(6)) || answer.contains("\"secret\""), answer);
        }
        SecretCipher.Sealed sealed;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT secret_key_id, secret_nonce, secret_ciphertext FROM webhook_endpoint WHERE id = ?")) {
            s.setBytes(1, Jdbc.bytes(UUID.fromString(id)));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                sealed = new SecretCipher.Sealed(rs.getString(1), rs.getBytes(2), rs.getBytes(3));
            }
        }
        assertEquals("dev", sealed.keyId());
        String stored = HexFormat.of().formatHex(sealed.ciphertext());
        assertFalse(stored.contains(HexFormat.of().formatHex(key)), "the key is not stored in the clear");
        assertFalse(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1).contains(secret.substring(6)));
        assertEquals(Base64.getEncoder().encodeToString(key), Base64.getEncoder().encodeToString(
                secrets.open(sealed, msp, null, UUID.fromString(id))));
        // bound to its tenant and endpoint: the same ciphertext does not open as another endpoint's
        assertThrows(IllegalStateException.class, () -> secrets.open(sealed, msp, null, UUID.randomUUID()));
        assertThrows(IllegalStateException.class, () -> secrets.open(sealed, UUID.randomUUID(), null,
                UUID.fromString(id)));

        // rotation shows the new secret once, keeps the old one signing for the overlap
        var rotated = Api.as(Tokens.mspAdmin(msp)).body(Map.of("overlapMinutes", 60))
                .post(mspHooks + "/" + id + "/rotate-secret").then().statusCode(200)
                .body("secret", startsWith("whsec_")).body("previousSecretExpiresAt", not(nullValue()))
                .extract().jsonPath();
        assertFalse(rotated.getString("secret").equals(secret));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("overlapMinutes", 20000)).post(mspHooks + "/" + id + "/rotate-secret")
                .then().statusCode(400).body("errors[0].field", equalTo("overlapMinutes"));
    }

    @Test
    void rolesAndTenancyAreThoseOfTheRestOfTheApi() {
        String url = "http://127.0.0.1:9/t";
        // the MSP's endpoints: operators and the MSP's admins; client admins 403
        Api.as(Tokens.clientAdmin(msp, client)).body(body(url, "sync.run.failed")).post(mspHooks).then()
                .statusCode(403).contentType("application/problem+json");
        Api.as(Tokens.clientAdmin(msp, client)).get(mspHooks).then().statusCode(403);
        String mspEndpoint = Api.as(Tokens.operator()).body(body(url, "sync.run.failed")).post(mspHooks).then()
                .statusCode(201).extract().path("id");
        // a client account's endpoints: also its client admins
        String clientEndpoint = Api.as(Tokens.clientAdmin(msp, client)).body(body(url, "sync.run.held"))
                .post(clientHooks).then().statusCode(201).body("clientId", equalTo(client.toString())).extract()
                .path("id");
        Api.as(Tokens.mspAdmin(msp)).get(clientHooks + "/" + clientEndpoint).then().statusCode(200);
        // an endpoint is only reachable under its own owner
        Api.as(Tokens.operator()).get(clientHooks + "/" + mspEndpoint).then().statusCode(404);
        Api.as(Tokens.operator()).get(mspHooks + "/" + clientEndpoint).then().statusCode(404);
        // other tenants: 404 exactly like a missing id
        UUID otherMsp = Api.createMsp("other " + UUID.randomUUID());
        UUID otherClient = Api.createClient(otherMsp, "other client", Map.of())[0];
        UUID sibling = Api.createClient(msp, "sibling", Map.of())[0];
        for (String token : List.of(Tokens.mspAdmin(otherMsp), Tokens.clientAdmin(otherMsp, otherClient))) {
            Api.as(token).get(clientHooks + "/" + clientEndpoint).then().statusCode(404);
            Api.as(token).body(Map.of("enabled", false)).patch(clientHooks + "/" + clientEndpoint).then()
                    .statusCode(404);
            Api.as(token).delete(clientHooks + "/" + clientEndpoint).then().statusCode(404);
        }
        Api.as(Tokens.mspAdmin(otherMsp)).get(mspHooks).then().statusCode(404);
        Api.as(Tokens.mspAdmin(otherMsp)).get(mspHooks + "/" + mspEndpoint + "/deliveries").then().statusCode(404);
        Api.as(Tokens.clientAdmin(msp, sibling)).get(clientHooks).then().statusCode(404);
        Api.as(Tokens.clientAdmin(msp, sibling)).post(clientHooks + "/" + clientEndpoint + "/rotate-secret").then()
                .statusCode(404);
        Api.as(Tokens.operator()).get(clientHooks + "/" + UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("not-found"));
        Api.as(Tokens.operator()).get(clientHooks + "/not-an-id").then().statusCode(400)
                .body("code", equalTo("invalid-id"));
        // still there, unchanged
        Api.as(Tokens.operator()).get(clientHooks + "/" + clientEndpoint).then().statusCode(200)
                .body("enabled", equalTo(true));
        Api.as(Tokens.clientAdmin(msp, client)).delete(clientHooks + "/" + clientEndpoint).then().statusCode(204);
        Api.as(Tokens.operator()).get(clientHooks).then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void hostileUrlsAreRefusedAtRegistration() {
        List<String> hostile = List.of("http://169.254.169.254/latest/meta-data/", "https://10.0.0.1/hook",
                "https://192.168.1.20/", "https://172.16.5.4/", "https://100.64.0.1/", "https://[fd00:ec2::254]/",
                "https://[fe80::1]/", "https://[::ffff:10.0.0.1]/", "https://[::ffff:169.254.169.254]/",
                "https://0.0.0.0/", "https://224.0.0.1/", "https://user:pw@127.0.0.1/", "ftp://127.0.0.1/",
                "file:///etc/passwd", "not a url", "https://nowhere.invalid/", "http://93.184.216.34/",
                "https://127.0.0.1/#fragment", "https://" + "a".repeat(2100) + ".com/");
        for (String url : hostile) {
            Api.as(Tokens.operator()).body(body(url, "sync.run.failed")).post(mspHooks).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("url"));
        }
        String id = Api.as(Tokens.operator()).body(body("http://127.0.0.1:9/ok", "sync.run.failed")).post(mspHooks)
                .then().statusCode(201).extract().path("id");
        Api.as(Tokens.operator()).body(Map.of("url", "http://169.254.169.254/")).patch(mspHooks + "/" + id).then()
                .statusCode(400).body("errors[0].field", equalTo("url"));
        Api.as(Tokens.operator()).get(mspHooks + "/" + id).then().body("url", equalTo("http://127.0.0.1:9/ok"));
    }

    @Test
    void badInputIsRefusedAsProblems() {
        Api.as(Tokens.operator()).body(body("http://127.0.0.1:9/x")).post(mspHooks).then().statusCode(400)
                .body("errors[0].field", equalTo("eventTypes"));
        Api.as(Tokens.operator()).body(body("http://127.0.0.1:9/x", "user.created")).post(mspHooks).then()
                .statusCode(400).body("errors[0].field", equalTo("eventTypes[0]"));
        Api.as(Tokens.operator()).body(body("http://127.0.0.1:9/x", "sync.run.failed", "billing.notice.raised"))
                .post(clientHooks).then().statusCode(400).body("errors[0].field", equalTo("eventTypes[1]"));
        Api.as(Tokens.operator()).body(Map.of("url", "http://127.0.0.1:9/x", "eventTypes", List.of("sync.run.held"),
                "secret", "whsec_mine")).post(mspHooks).then().statusCode(400).body("code", equalTo("unknown-field"));
        Api.as(Tokens.operator()).body(Map.of("url", "http://127.0.0.1:9/x", "eventTypes", List.of("sync.run.held"),
                "description", "x".repeat(201))).post(mspHooks).then().statusCode(400)
                .body("errors[0].field", equalTo("description"));
        Api.as(Tokens.operator()).contentType("application/json").body("{").post(mspHooks).then().statusCode(400)
                .body("code", equalTo("malformed-json"));
        String id = Api.as(Tokens.operator()).body(body("http://127.0.0.1:9/x", "sync.run.held")).post(mspHooks)
                .then().statusCode(201).extract().path("id");
        Api.as(Tokens.operator()).get(mspHooks + "/" + id + "/deliveries?status=LOST").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        Api.as(Tokens.operator()).get(mspHooks + "/" + id + "/deliveries?limit=0").then().statusCode(400);
        Api.as(Tokens.operator()).get(mspHooks + "/" + id + "/attempts?cursor=nope").then().statusCode(400);
        Api.as(Tokens.operator()).body(Map.of()).post(mspHooks + "/" + id + "/recover").then().statusCode(400)
                .body("errors[0].field", equalTo("since"));
        Api.as(Tokens.operator()).post(mspHooks + "/" + id + "/deliveries/" + UUID.randomUUID() + "/redeliver")
                .then().statusCode(404);
    }

    @Test
    void anOwnerHasAtMostTheConfiguredNumberOfEndpoints() {
        for (int i = 0; i < 20; i++) {
            Api.as(Tokens.operator()).body(body("http://127.0.0.1:9/" + i, "sync.run.failed")).post(clientHooks)
                    .then().statusCode(201);
        }
        Api.as(Tokens.operator()).body(body("http://127.0.0.1:9/21", "sync.run.failed")).post(clientHooks).then()
                .statusCode(409).body("code", equalTo("conflict"));
        // the MSP's own endpoints are counted apart
        Api.as(Tokens.operator()).body(body("http://127.0.0.1:9/m", "sync.run.failed")).post(mspHooks).then()
                .statusCode(201);
    }
}
